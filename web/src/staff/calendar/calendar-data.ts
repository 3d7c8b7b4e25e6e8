// Loading what the calendar shows: every page of a list, and patients' names
// (appointments name patients only by resource name).
import { ConnectError } from "@connectrpc/connect";
import type { Patient } from "../../gen/clinic/patients/v1/patients_pb";
import { callTimeoutMs, patients } from "../shared/api";
import { displayName } from "../patients/patient-model";

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
