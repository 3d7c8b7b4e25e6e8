// What lists of appointments need to name things in words: the locations
// (with their time zones), the appointment types and the therapists. Each is
// read once per visit of the app (every page) and shared by the patient's
// page and My day; a failure is not kept, so the next call tries again.
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { AppointmentType, Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import { appointmentTypes, callTimeoutMs, staff } from "../shared/api";
import { loadLocations } from "../shared/directory";
import { memberName } from "../account/auth-model";

export interface AppointmentDirectory {
  /** Locations by name ("locations/…"). */
  locations: Map<string, Location>;
  /** Appointment types by name, retired ones too. */
  types: Map<string, AppointmentType>;
  /** Therapists' names by resource name ("staff/…" -> "Theo Rapp"). */
  therapists: Map<string, string>;
}

async function allPages<T>(page: (token: string) => Promise<{ items: T[]; next: string }>, limit = 20): Promise<T[]> {
  const out: T[] = [];
  let token = "";
  for (let i = 0; i < limit; i++) {
    const res = await page(token);
    out.push(...res.items);
    if (!res.next) break;
    token = res.next;
  }
  return out;
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((err) => {
      pending = undefined;
      throw err;
    });
    return pending;
  };
}

/** Every appointment type, retired ones too (old appointments name them). */
export const loadAppointmentTypes = once(() =>
  allPages(async (pageToken) => {
    const r = await appointmentTypes.listAppointmentTypes({ pageSize: 200, pageToken, showInactive: true }, { timeoutMs: callTimeoutMs });
    return { items: r.appointmentTypes, next: r.nextPageToken };
  }),
);

/** The therapists' names ("staff/…" -> "Theo Rapp"). */
export const loadTherapistNames = once(async () => {
  const members = await allPages(async (pageToken) => {
    const r = await staff.listStaffMembers({ pageSize: 200, pageToken, role: StaffRole.THERAPIST }, { timeoutMs: callTimeoutMs });
    return { items: r.staffMembers, next: r.nextPageToken };
  });
  return new Map(members.map((m) => [m.name, memberName(m)]));
});

/**
 * The directory, as far as it can be read: a part that fails is left empty
 * (the lists then say "Appointment", "a therapist", "a location") rather than
 * hiding the appointments.
 */
export async function loadAppointmentDirectory(): Promise<AppointmentDirectory> {
  const [locs, types, therapists] = await Promise.allSettled([loadLocations(), loadAppointmentTypes(), loadTherapistNames()]);
  return {
    locations: new Map(locs.status === "fulfilled" ? locs.value.map((l) => [l.name, l] as const) : []),
    types: new Map(types.status === "fulfilled" ? types.value.map((t) => [t.name, t] as const) : []),
    therapists: therapists.status === "fulfilled" ? therapists.value : new Map(),
  };
}
