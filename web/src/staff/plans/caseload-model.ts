// Pure logic behind a therapist's caseload (/staff/caseload) and the plan
// notes on My day: who has a caseload, its entries in words (most urgent
// first), a goal-progress sparkline per patient, and for today's appointments
// the plan's visit number and what is due. No DOM, no network.
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import { AppointmentState } from "../../gen/clinic/appointments/v1/appointments_pb";
import { AlertKind, GoalStatus, PlanState, type Alert, type TherapyPlan } from "../../gen/clinic/therapy_plans/v1/therapy_plans_pb";
import type { Caseload, CaseloadEntry } from "../../gen/clinic/therapy_plans/v1/therapy_plans_service_pb";
import {
  alertKindWords,
  alertViews,
  dateSeconds,
  dateToInput,
  nextVisitWords,
  patientPath,
  percentToTarget,
  planPath,
  planStateWords,
  urgencyOf,
  visitsShort,
  type AlertView,
} from "./plan-model";

/** The caseload is a therapist's (their own) and an admin's (any therapist's); GetCaseload allows no one else. */
export function canSeeCaseload(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && (roles.includes(StaffRole.THERAPIST) || roles.includes(StaffRole.ADMIN));
}

/** Whether the page offers to choose the therapist: admins only (a therapist may ask only for themself). */
export function canChooseTherapist(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && roles.includes(StaffRole.ADMIN);
}

/**
 * The therapist whose caseload is shown: the one in the address
 * (?therapist=<id>, admins only), else the member themself if a therapist,
 * else none yet ("" — an admin chooses).
 */
export function caseloadTherapist(search: string, me: { name: string; roles: readonly StaffRole[] } | undefined): string {
  if (!me) return "";
  const id = new URLSearchParams(search).get("therapist") ?? "";
  if (canChooseTherapist(me.roles) && /^[A-Za-z0-9_-]+$/.test(id)) return `staff/${id}`;
  return me.roles.includes(StaffRole.THERAPIST) ? me.name : "";
}

/** The caseload's address for a therapist ("" → the member's own). */
export function caseloadPath(therapist = ""): string {
  const id = therapist.startsWith("staff/") ? therapist.slice("staff/".length) : therapist;
  return id ? `/staff/caseload?therapist=${encodeURIComponent(id)}` : "/staff/caseload";
}

/** A goal's line of the sparkline: percent of the way from baseline to target over time. */
export interface SparkSeries {
  label: string;
  /** Percent at each of the sparkline's xs (null where not measured). */
  values: Array<number | null>;
}

export interface Sparkline {
  /** Days (seconds since the epoch, midnight UTC), ascending. */
  xs: number[];
  series: SparkSeries[];
  /** In words: "Run 5 km without pain: 40% of the way to the target." */
  words: string;
}

/** At most this many goals are drawn per patient. */
export const sparkGoals = 3;

/**
 * The caseload's mini chart of a plan: for each goal still in progress (at
 * most three), its measurements as percent of the way from baseline to
 * target; undefined when no goal has a measurement.
 */
export function sparkline(plan: Pick<TherapyPlan, "goals">): Sparkline | undefined {
  const goals = plan.goals
    .filter((g) => g.progress.length > 0 && g.status !== GoalStatus.REVISED)
    .slice(0, sparkGoals);
  if (goals.length === 0) return undefined;
  const xs = new Set<number>();
  const perGoal = goals.map((g) => {
    const m = new Map<number, number>();
    for (const p of g.progress) {
      const x = dateSeconds(dateToInput(p.date));
      if (Number.isFinite(x)) {
        m.set(x, percentToTarget(g.baseline, g.target, p.value));
        xs.add(x);
      }
    }
    return m;
  });
  if (xs.size === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  const series = goals.map((g, i) => ({
    label: g.description,
    values: sorted.map((x) => (perGoal[i].has(x) ? perGoal[i].get(x)! : null)),
  }));
  const words = goals
    .map((g, i) => {
      const last = [...perGoal[i].entries()].sort((a, b) => a[0] - b[0]).pop();
      return last ? `${g.description}: ${last[1]}% of the way to the target` : "";
    })
    .filter(Boolean)
    .join("; ");
  return { xs: sorted, series, words: words ? words + "." : "" };
}

/** One patient of the caseload, in words. */
export interface CaseloadRow {
  plan: string;
  planHref: string;
  patient: string;
  patientHref: string;
  patientName: string;
  condition: string;
  state: string;
  onHold: boolean;
  /** "3 completed of 12 planned (10 authorized)". */
  visits: string;
  /** "Thursday 3 December 09:00", or "". */
  nextVisit: string;
  /** The calendar on the next visit's day, else the calendar to book for the patient. */
  calendarHref: string;
  calendarLabel: string;
  alerts: AlertView[];
  urgency: number;
  urgencyClass: string;
  /** "2 of 3 goals met". */
  goals: string;
  spark: Sparkline | undefined;
}

export function caseloadRow(entry: CaseloadEntry, names: ReadonlyMap<string, string>, thisYear?: number): CaseloadRow | undefined {
  const p = entry.plan;
  if (!p) return undefined;
  const next = p.visits?.nextVisitLocal ?? "";
  const patientId = p.patient.startsWith("patients/") ? p.patient.slice("patients/".length) : p.patient;
  const urgency = entry.urgency >= 1 && entry.urgency <= 3 ? entry.urgency : entry.urgency === 4 ? 4 : urgencyFromAlerts(p.alerts);
  const met = p.goals.filter((g) => g.status === GoalStatus.MET).length;
  return {
    plan: p.name,
    planHref: planPath(p.name),
    patient: p.patient,
    patientHref: patientPath(p.patient),
    patientName: names.get(p.patient) || "A patient",
    condition: p.condition || "Plan of care",
    state: planStateWords[p.state] ?? "",
    onHold: p.state === PlanState.ON_HOLD,
    visits: visitsShort(p.visits),
    nextVisit: nextVisitWords(p.visits, thisYear),
    calendarHref: next
      ? `/staff/calendar?date=${next.slice(0, 10)}`
      : `/staff/calendar?patient=patients/${encodeURIComponent(patientId)}`,
    calendarLabel: next ? "Calendar" : "Book a visit",
    alerts: alertViews(p.alerts, thisYear),
    urgency,
    urgencyClass: urgency <= 3 ? `urgency-${urgency}` : "urgency-none",
    goals: p.goals.length ? `${met} of ${p.goals.length} goal${p.goals.length === 1 ? "" : "s"} met` : "No goals",
    spark: sparkline(p),
  };
}

function urgencyFromAlerts(alerts: readonly Alert[]): number {
  return alerts.length ? Math.min(...alerts.map((a) => urgencyOf(a.urgency))) : 4;
}

/**
 * The caseload's rows, most urgent first, then by next visit (soonest
 * first; none last) — the server's order already, kept when it is.
 */
export function caseloadRows(caseload: Pick<Caseload, "entries"> | undefined, names: ReadonlyMap<string, string>, thisYear?: number): CaseloadRow[] {
  const rows = (caseload?.entries ?? [])
    .map((e, i) => ({ row: caseloadRow(e, names, thisYear), next: e.plan?.visits?.nextVisitLocal ?? "", i }))
    .filter((x): x is { row: CaseloadRow; next: string; i: number } => !!x.row);
  rows.sort((a, b) => {
    if (a.row.urgency !== b.row.urgency) return a.row.urgency - b.row.urgency;
    if (!!a.next !== !!b.next) return a.next ? -1 : 1;
    return a.next.localeCompare(b.next) || a.i - b.i;
  });
  return rows.map((x) => x.row);
}

/** The distinct patients of a caseload (for reading their names). */
export function caseloadPatients(caseload: Pick<Caseload, "entries"> | undefined): string[] {
  return [...new Set((caseload?.entries ?? []).map((e) => e.plan?.patient ?? "").filter(Boolean))];
}

/** "3 patients", "1 patient", "No patients". */
export function patientCountWords(n: number): string {
  if (n === 0) return "No patients";
  return `${n} patient${n === 1 ? "" : "s"}`;
}

// ------------------------------------------------------------ My day ---

/** The alerts My day mentions, in their words: what is due at the visit. */
const dueKinds = new Set<AlertKind>([
  AlertKind.PROGRESS_NOTE_DUE,
  AlertKind.RE_EVALUATION_DUE,
  AlertKind.PLAN_EXPIRING,
  AlertKind.AUTHORIZATION_LOW,
]);

/** "Progress note due", "Re-evaluation due", … of a plan's alerts (most urgent first). */
export function dueWords(alerts: readonly Alert[]): string[] {
  return [...alerts]
    .filter((a) => dueKinds.has(a.kind))
    .sort((a, b) => urgencyOf(a.urgency) - urgencyOf(b.urgency))
    .map((a) => alertKindWords[a.kind]);
}

/** What My day shows under an appointment of a patient with an active plan. */
export interface VisitNote {
  /** "Visit 4 of 12", or "" (a cancelled or no-show appointment). */
  visit: string;
  /** "Progress note due", … */
  due: string[];
  planHref: string;
  condition: string;
}

/** The appointments My day gives: its name, patient, start, state. */
export interface DayAppointment {
  name: string;
  patient: string;
  startMs: number;
  state: AppointmentState;
}

const counted = (s: AppointmentState) =>
  s === AppointmentState.COMPLETED ||
  s === AppointmentState.BOOKED ||
  s === AppointmentState.CONFIRMED ||
  s === AppointmentState.CHECKED_IN;

/**
 * For today's appointments (one therapist's), the plan note of each whose
 * patient has an active plan in `caseload` (that therapist's): "Visit N of
 * M", where today's visits of the patient continue after the plan's visits
 * completed before today (so the next is completed + 1), and what is due
 * from the plan's alerts. Appointments of patients without an active plan
 * have no note.
 */
export function visitNotes(today: readonly DayAppointment[], caseload: Pick<Caseload, "entries"> | undefined): Map<string, VisitNote> {
  const plans = new Map<string, TherapyPlan>();
  for (const e of caseload?.entries ?? []) {
    const p = e.plan;
    if (p && p.state === PlanState.ACTIVE && !plans.has(p.patient)) plans.set(p.patient, p);
  }
  const notes = new Map<string, VisitNote>();
  const byPatient = new Map<string, DayAppointment[]>();
  for (const a of today) {
    if (!plans.has(a.patient)) continue;
    const list = byPatient.get(a.patient) ?? [];
    list.push(a);
    byPatient.set(a.patient, list);
  }
  for (const [patient, list] of byPatient) {
    const plan = plans.get(patient)!;
    const planned = plan.visits?.planned ?? 0;
    const completedToday = list.filter((a) => a.state === AppointmentState.COMPLETED).length;
    let n = Math.max(0, (plan.visits?.completed ?? 0) - completedToday);
    const due = dueWords(plan.alerts);
    for (const a of [...list].sort((x, y) => x.startMs - y.startMs)) {
      let visit = "";
      if (counted(a.state)) {
        n += 1;
        visit = planned > 0 ? `Visit ${n} of ${planned}` : `Visit ${n}`;
      }
      notes.set(a.name, { visit, due, planHref: planPath(plan.name), condition: plan.condition });
    }
  }
  return notes;
}
