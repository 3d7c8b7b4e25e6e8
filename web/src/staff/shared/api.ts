// The staff app's API clients, generated from protos/ and called over Connect
// (JSON) on the page's own origin, where the gateway bridges to the services.
// The session cookie goes with every call; a call answered UNAUTHENTICATED
// (no session, or it ended) opens the login page.
import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import {
  AppointmentService,
  AppointmentTypeService,
  LocationService,
  ScheduleService,
} from "../../gen/clinic/appointments/v1/appointments_service_pb";
import { PatientService } from "../../gen/clinic/patients/v1/patients_service_pb";
import { ScreeningService } from "../../gen/clinic/screenings/v1/screenings_service_pb";
import { StaffService } from "../../gen/clinic/staff/v1/staff_service_pb";
import { sessionEnded } from "../account/auth";

/**
 * Methods whose UNAUTHENTICATED is about what was sent, not the session
 * (a wrong current password); their callers handle it.
 */
const noRedirect = new Set(["ChangePassword"]);

const loginOnUnauthenticated: Interceptor = (next) => async (req) => {
  try {
    return await next(req);
  } catch (err) {
    if (!noRedirect.has(req.method.name) && ConnectError.from(err).code === Code.Unauthenticated) {
      sessionEnded("Your session has ended. Log in to continue.");
    }
    throw err;
  }
};

const transport = createConnectTransport({
  baseUrl: window.location.origin,
  interceptors: [loginOnUnauthenticated],
  fetch: (input, init) => globalThis.fetch(input, { ...init, credentials: "same-origin" }),
});

export const patients: Client<typeof PatientService> = createClient(PatientService, transport);
export const staff: Client<typeof StaffService> = createClient(StaffService, transport);
export const locations: Client<typeof LocationService> = createClient(LocationService, transport);
export const appointmentTypes: Client<typeof AppointmentTypeService> = createClient(AppointmentTypeService, transport);
export const schedules: Client<typeof ScheduleService> = createClient(ScheduleService, transport);
export const appointments: Client<typeof AppointmentService> = createClient(AppointmentService, transport);
export const screenings: Client<typeof ScreeningService> = createClient(ScreeningService, transport);

/** How long the app waits for any single call. */
export const callTimeoutMs = 15_000;
