// Loading what the calendar shows: every page of a list, patients' names
// (appointments name patients only by resource name), the patient being
// booked for, and staff members' names (who undid a check-in).
import { ConnectError } from "@connectrpc/connect";
import type { Patient } from "../../gen/clinic/patients/v1/patients_pb";
import { callTimeoutMs, patients, staff } from "../shared/api";
import { displayName } from "../patients/patient-model";
import { memberName } from "../account/auth-model";

/** Calls `page` until next_page_token is empty (at most `limit` pages) and concatenates the items. */
export async function allPages<T>(
  page: (pageToken: string) => Promise<{ items: T[]; next: string }>,
  limit = 20,
): Promise<T[]> {
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

const names = new Map<string, string>();

/** Remembers a patient's name (after a search or a create). */
export function rememberPatient(p: Patient): void {
  names.set(p.name, displayName(p) || p.name);
}

/** A known patient's name, or undefined. */
export function knownPatientName(name: string): string | undefined {
  return names.get(name);
}

/**
 * Fetches the names of patients not known yet (GetPatient, one at a time:
 * each read is an audit event, and the audit trail lists events in the order
 * they were recorded). A patient that cannot be read is shown as "Patient"
 * (its id stays in the link).
 */
export async function loadPatientNames(list: string[], signal?: AbortSignal): Promise<void> {
  const todo = [...new Set(list)].filter((n) => n && !names.has(n));
  for (const name of todo) {
    if (signal?.aborted) return;
    try {
      const p = await patients.getPatient({ name }, { signal, timeoutMs: callTimeoutMs });
      rememberPatient(p);
    } catch (err) {
      if (signal?.aborted) return;
      void ConnectError.from(err);
      names.set(name, "Patient");
    }
  }
}

/** A patient's name for display ("Patient" until loaded). */
export function patientName(name: string): string {
  return names.get(name) ?? "Patient";
}

/**
 * The patient a link names ("patients/{id}", as the calendar's ?patient=
 * parameter carries it), read once (GetPatient) and remembered; undefined
 * when it cannot be read.
 */
export async function loadPatient(name: string, signal?: AbortSignal): Promise<Patient | undefined> {
  try {
    const p = await patients.getPatient({ name }, { signal, timeoutMs: callTimeoutMs });
    rememberPatient(p);
    return p;
  } catch {
    return undefined;
  }
}

const staffNames = new Map<string, Promise<string>>();

/** Remembers a staff member's name (the therapists listed, the signed-in member). */
export function rememberStaff(m: { name: string; givenName: string; familyName: string; email: string }): void {
  if (m.name) staffNames.set(m.name, Promise.resolve(memberName(m)));
}

/**
 * A staff member's name ("Fran Desk") for "staff/{id}", by GetStaffMember
 * once per member; "a colleague" when it cannot be read (not kept, so a
 * later call tries again).
 */
export function staffMemberName(name: string): Promise<string> {
  if (!name) return Promise.resolve("");
  let found = staffNames.get(name);
  if (!found) {
    found = staff.getStaffMember({ name }, { timeoutMs: callTimeoutMs }).then(
      (m) => memberName(m),
      () => {
        staffNames.delete(name);
        return "a colleague";
      },
    );
    staffNames.set(name, found);
  }
  return found;
}
