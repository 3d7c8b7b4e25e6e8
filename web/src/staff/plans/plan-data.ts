// Loading what the plan pages share: the plan templates (loaded at the
// service's start, so read once per visit of the app), patients' names (one
// GetPatient per distinct patient, a few at a time) and where a therapist
// works (their schedule's locations and their home locations).
import { Code, ConnectError } from "@connectrpc/connect";
import type { PlanTemplate } from "../../gen/clinic/therapy_plans/v1/therapy_plans_pb";
import { callTimeoutMs, patients, schedules, staff } from "../shared/api";
import { displayName } from "../patients/patient-model";
import { scheduleLocations } from "../screenings/convert-model";
import { therapyPlans } from "./plans-api";

let templatesOnce: Promise<PlanTemplate[]> | undefined;

/** ListPlanTemplates, once; a failure is not kept (the next call tries again). */
export function loadTemplates(): Promise<PlanTemplate[]> {
  templatesOnce ??= therapyPlans
    .listPlanTemplates({}, { timeoutMs: callTimeoutMs })
    .then((res) => res.templates)
    .catch((err) => {
      templatesOnce = undefined;
      throw err;
    });
  return templatesOnce;
}

/** Patients' names read during this visit of the app ("patients/…" -> "Maya Okafor"). */
const patientNames = new Map<string, string>();

/** GetPatient calls in flight at once. */
const nameConcurrency = 4;

/**
 * The names of these patients ("patients/…" -> "Maya Okafor"): GetPatient once
 * per distinct patient not known yet, at most four at a time (the contract
 * has no batch read of patients by name). A patient that cannot be read is
 * left out (shown as "A patient", never by id).
 */
export async function loadPatientNames(list: readonly string[], signal?: AbortSignal): Promise<Map<string, string>> {
  const todo = [...new Set(list)].filter((n) => /^patients\/[^/]+$/.test(n) && !patientNames.has(n));
  const next = async (): Promise<void> => {
    for (let name = todo.shift(); name; name = todo.shift()) {
      if (signal?.aborted) return;
      try {
        const p = await patients.getPatient({ name }, { signal, timeoutMs: callTimeoutMs });
        patientNames.set(name, displayName(p) || "A patient");
      } catch (err) {
        if (signal?.aborted || ConnectError.from(err).code === Code.Canceled) return;
        // Left out: shown as "A patient"; its links still open the record.
      }
    }
  };
  await Promise.all(Array.from({ length: nameConcurrency }, next));
  return new Map(list.filter((n) => patientNames.has(n)).map((n) => [n, patientNames.get(n)!]));
}

/** One patient's name (GetPatient once per visit of the app); "" if it cannot be read. */
export async function patientName(name: string, signal?: AbortSignal): Promise<string> {
  const names = await loadPatientNames([name], signal);
  return names.get(name) ?? "";
}

/** Where a therapist works: the locations of their weekly hours and their home locations (each best effort). */
export async function therapistPlaces(therapist: string, signal?: AbortSignal): Promise<{ worksAt: string[]; home: string[] }> {
  const [schedule, member] = await Promise.allSettled([
    schedules.getProviderSchedule({ name: `${therapist}/schedule` }, { signal, timeoutMs: callTimeoutMs }),
    staff.getStaffMember({ name: therapist }, { signal, timeoutMs: callTimeoutMs }),
  ]);
  return {
    worksAt: schedule.status === "fulfilled" ? scheduleLocations(schedule.value) : [],
    home: member.status === "fulfilled" ? member.value.homeLocations : [],
  };
}
