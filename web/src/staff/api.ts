// The staff app's API clients, generated from protos/ and called over Connect
// (JSON) on the page's own origin, where the gateway bridges to the services.
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { PatientService } from "../gen/clinic/patients/v1/patients_service_pb";

const transport = createConnectTransport({ baseUrl: window.location.origin });

export const patients: Client<typeof PatientService> = createClient(PatientService, transport);

/** How long the app waits for any single call. */
export const callTimeoutMs = 15_000;
