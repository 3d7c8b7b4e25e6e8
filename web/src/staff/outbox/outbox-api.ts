// The NotificationService client. It is made here rather than in
// shared/api.ts (another part of the app's work at the time, as
// plans/plans-api.ts); it works the same way: Connect (JSON) on the page's
// own origin with the session cookie, and a call answered UNAUTHENTICATED
// opens the login page.
// TODO(shared): move this client next to the others in shared/api.ts.
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { NotificationService } from "../../gen/clinic/notifications/v1/notifications_service_pb";
import { sessionEnded } from "../account/auth";

const loginOnUnauthenticated: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (err) {
    if (ConnectError.from(err).code === Code.Unauthenticated) sessionEnded("Your session has ended. Log in to continue.");
    throw err;
  }
};

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  interceptors: [loginOnUnauthenticated],
  fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "same-origin" }),
});

export const notifications: Client<typeof NotificationService> = createClient(NotificationService, transport);
