// The names the pickers (and the pages that use them) show instead of
// resource names: every staff member, read once per visit of the app
// (ListStaffMembers, every page), and patients' names as they become known
// (a search, a pick, or GetPatient). A failed load is not kept: the next call
// tries again.
import { Code, ConnectError } from "@connectrpc/connect";
import type { Patient } from "../../../gen/clinic/patients/v1/patients_pb";
import type { StaffMember } from "../../../gen/clinic/staff/v1/staff_pb";
import { callTimeoutMs, patients, staff } from "../api";
import { patientLabel } from "./picker-model";

const membersOnce = new Map<boolean, Promise<StaffMember[]>>();

/**
 * Every staff member (with the deactivated ones if asked: admins only, the
 * server ignores it for others), in the server's order.
 */
export function loadStaffMembers(includeDeactivated = false): Promise<StaffMember[]> {
  let once = membersOnce.get(includeDeactivated);
  if (!once) {
    once = (async () => {
      const out: StaffMember[] = [];
      let pageToken = "";
      for (let i = 0; i < 10; i++) {
        const res = await staff.listStaffMembers(
          { pageSize: 200, pageToken, showDeactivated: includeDeactivated },
          { timeoutMs: callTimeoutMs },
        );
        out.push(...res.staffMembers);
        pageToken = res.nextPageToken;
        if (!pageToken) break;
      }
      return out;
    })().catch((err) => {
      membersOnce.delete(includeDeactivated);
      throw err;
    });
    membersOnce.set(includeDeactivated, once);
  }
  return once;
}

/** Forgets the staff list (after a member was created, renamed or deactivated). */
export function forgetStaffMembers(): void {
  membersOnce.clear();
}

const patientLabels = new Map<string, string>();

/** Remembers a patient's name (after a search or a pick). */
export function rememberPatient(p: Patient): void {
  if (p.name) patientLabels.set(p.name, patientLabel(p));
}

/** A known patient's name ("patients/…" -> "Lucía Fernández"), or undefined. */
export function knownPatientLabel(name: string): string | undefined {
  return patientLabels.get(name);
}

/**
 * Reads the names of patients not known yet with GetPatient, one at a time
 * (each read is an audit event of its own). Callers show a patient that
 * cannot be read as "A patient" — never by its id.
 */
export async function loadPatientLabels(names: readonly string[], signal?: AbortSignal): Promise<void> {
  const todo = [...new Set(names)].filter((n) => /^patients\/[^/]+$/.test(n) && !patientLabels.has(n));
  for (const name of todo) {
    if (signal?.aborted) return;
    try {
      rememberPatient(await patients.getPatient({ name }, { signal, timeoutMs: callTimeoutMs }));
    } catch (err) {
      if (signal?.aborted) return;
      // Only an answer about the record itself is kept; a lost call is tried again next time.
      const code = ConnectError.from(err).code;
      if (code === Code.NotFound || code === Code.InvalidArgument) patientLabels.set(name, "A patient");
    }
  }
}
