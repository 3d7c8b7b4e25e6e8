// The staff app's request ids come from the framework-free helper both bundles share.
export { newRequestId } from "../../common/request-id";
