// What a failed Connect call says: its code in words, and the structured
// details the services attach (google.rpc.BadRequest for INVALID_ARGUMENT,
// google.rpc.ErrorInfo with a `reason` for conflicts). The gateway passes the
// details on as Connect error details; connect-web decodes them. Pure: no DOM.
import { Code, ConnectError } from "@connectrpc/connect";
import { ErrorInfoSchema } from "../../gen/google/rpc/error_details_pb";

// google.rpc.BadRequest is read by a framework-free helper the public site shares.
export { fieldViolations, type FieldViolation } from "../../common/bad-request";

/** The google.rpc.ErrorInfo reason of an error ("SLOT_TAKEN"), if it has one. */
export function errorReason(err: unknown): string | undefined {
  for (const info of ConnectError.from(err).findDetails(ErrorInfoSchema)) {
    if (info.reason) return info.reason;
  }
  return undefined;
}

/** What went wrong with a call, in words for the person using the app. */
export function describeCallError(err: unknown, notFound = "It does not exist (any more)."): string {
  const e = ConnectError.from(err);
  switch (e.code) {
    case Code.Unavailable:
      return "The server could not be reached. Check the connection and try again.";
    case Code.DeadlineExceeded:
      return "The server took too long to answer. Try again.";
    case Code.PermissionDenied:
      return "You do not have permission to do this.";
    case Code.Unauthenticated:
      return "Your session has ended; log in again.";
    case Code.NotFound:
      return notFound;
    case Code.Aborted:
      return "Someone else changed this record; reload to see their changes.";
    default:
      return e.rawMessage || `The request failed (${Code[e.code] ?? e.code}).`;
  }
}
