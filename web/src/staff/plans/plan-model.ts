// Pure logic behind a plan of care (/staff/plans/<id>, /staff/plans/new):
// who may write plans, the addresses, the form's values <-> TherapyPlan and
// the requests, templates (and the one a screening points to), server errors
// at the form's fields and rows, the state verbs, the visit counts, alerts and
// versions in words, goal progress (requests and chart data) and the patient's
// printable copy. No DOM, no network.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import {
  AlertKind,
  ExerciseSchema,
  GoalProgressSchema,
  GoalSchema,
  GoalStatus,
  GoalTerm,
  PlanState,
  TherapyPlanSchema,
  type Alert,
  type Exercise,
  type Goal,
  type GoalProgress,
  type PlanTemplate,
  type PlanVersion,
  type TherapyPlan,
  type VisitCounts,
} from "../../gen/clinic/therapy_plans/v1/therapy_plans_pb";
import {
  ChangeTherapyPlanStateRequestSchema,
  CreateTherapyPlanRequestSchema,
  RecordGoalProgressRequestSchema,
  UpdateTherapyPlanRequestSchema,
  type ChangeTherapyPlanStateRequest,
  type CreateTherapyPlanRequest,
  type RecordGoalProgressRequest,
  type UpdateTherapyPlanRequest,
} from "../../gen/clinic/therapy_plans/v1/therapy_plans_service_pb";
import { DateSchema, type Date as ProtoDate } from "../../gen/google/type/date_pb";
import { describeCallError, fieldViolations } from "../shared/errors";
import { fieldErrorsFrom, type FieldErrors } from "../shared/form-errors";
import { addDays, parseWall, timestampToMs, wallFields } from "../shared/tz";

// ------------------------------------------------------------ who and where ---

/** Therapists and admins write plans (CreateTherapyPlan, UpdateTherapyPlan, …). */
export function canPlan(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && (roles.includes(StaffRole.THERAPIST) || roles.includes(StaffRole.ADMIN));
}

/** The id in "therapyPlans/{id}". */
export function planId(name: string): string {
  return name.startsWith("therapyPlans/") ? name.slice("therapyPlans/".length) : name;
}

/** A plan's page: "/staff/plans/<id>". */
export function planPath(name: string): string {
  return `/staff/plans/${encodeURIComponent(planId(name))}`;
}

const idOf = (name: string, kind: string) => (name.startsWith(kind + "/") ? name.slice(kind.length + 1) : name);

/** The page that starts a plan: "/staff/plans/new?patient=patients/<id>[&screening=screenings/<id>]". */
export function newPlanPath(patient: string, screening = ""): string {
  let url = `/staff/plans/new?patient=patients/${encodeURIComponent(idOf(patient, "patients"))}`;
  if (screening) url += `&screening=screenings/${encodeURIComponent(idOf(screening, "screenings"))}`;
  return url;
}

/** A patient's page. */
export function patientPath(patient: string): string {
  return `/staff/patients/${encodeURIComponent(idOf(patient, "patients"))}`;
}

/**
 * The patient and screening a new plan is for, from the page's query
 * (?patient=patients/<id>&screening=screenings/<id>); "" for anything that is
 * not such a name.
 */
export function newPlanParams(search: string): { patient: string; screening: string } {
  const q = new URLSearchParams(search);
  const pick = (value: string | null, kind: string) => {
    const v = (value ?? "").trim();
    return new RegExp(`^${kind}/[A-Za-z0-9_-]+$`).test(v) ? v : "";
  };
  return { patient: pick(q.get("patient"), "patients"), screening: pick(q.get("screening"), "screenings") };
}

// ------------------------------------------------------------ dates ---

/** "YYYY-MM-DD" for a google.type.Date; "" when unset. */
export function dateToInput(d: ProtoDate | undefined): string {
  if (!d || !d.year || !d.month || !d.day) return "";
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** google.type.Date for "YYYY-MM-DD"; undefined for "" or anything that is not a real date. */
export function inputToDate(value: string): ProtoDate | undefined {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || !parseWall(v)) return undefined;
  return create(DateSchema, { year: Number(v.slice(0, 4)), month: Number(v.slice(5, 7)), day: Number(v.slice(8, 10)) });
}

const monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/**
 * A local date in words: "Thursday 3 December" (the year added when it is
 * not `thisYear`, or always without one). No time zone is involved.
 */
export function dayWords(date: string, thisYear?: number): string {
  const f = parseWall(date);
  if (!f) return "";
  const wd = weekdayNames[new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay()];
  const base = `${wd} ${f.day} ${monthNames[f.month - 1]}`;
  return thisYear === f.year ? base : `${base} ${f.year}`;
}

/** A date without its weekday: "3 December 2026". */
export function shortDateWords(date: string): string {
  const f = parseWall(date);
  return f ? `${f.day} ${monthNames[f.month - 1]} ${f.year}` : "";
}

/** A local wall time in words: "Thursday 3 December 09:00" (see dayWords). */
export function wallWords(wall: string, thisYear?: number): string {
  const f = parseWall(wall);
  if (!f) return "";
  const hhmm = `${String(f.hour).padStart(2, "0")}:${String(f.minute).padStart(2, "0")}`;
  return `${dayWords(wall.slice(0, 10), thisYear)} ${hhmm}`;
}

/** An instant in words in `zone`: "Thursday 3 December 2026, 09:12". */
export function instantWords(ms: number, zone: string): string {
  if (!Number.isFinite(ms) || ms === 0) return "";
  let f;
  try {
    f = wallFields(ms, zone);
  } catch {
    f = wallFields(ms, "UTC");
  }
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const date = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}`;
  return `${dayWords(date)}, ${pad(f.hour)}:${pad(f.minute)}`;
}

// ------------------------------------------------------------ the form's values ---

/** The certification period a plan gets unless the therapist sets another: from the start, 90 days. */
export const defaultCertificationDays = 90;

export interface ExerciseValues {
  name: string;
  sets: string;
  reps: string;
  hold_seconds: string;
  frequency: string;
  notes: string;
}

export interface GoalValues {
  /** The goal's id in the plan ("g1"); "" for a goal not saved yet. */
  id: string;
  description: string;
  measure: string;
  baseline: string;
  target: string;
  target_date: string;
  /** String(GoalTerm). */
  term: string;
  /** String(GoalStatus). */
  status: string;
  /** Kept as it is (RecordGoalProgress adds to it). */
  progress: GoalProgress[];
}

export interface PlanValues {
  condition: string;
  icd10_code: string;
  body_region: string;
  start_date: string;
  certification_start: string;
  certification_end: string;
  visits_per_week: string;
  duration_weeks: string;
  authorized_visits: string;
  precautions: string;
  goals: GoalValues[];
  interventions: ExerciseValues[];
  home_exercises: ExerciseValues[];
}

/** The lists of exercises a plan has. */
export type ExerciseList = "interventions" | "home_exercises";
export type PlanList = "goals" | ExerciseList;

export function emptyExercise(): ExerciseValues {
  return { name: "", sets: "", reps: "", hold_seconds: "", frequency: "", notes: "" };
}

export function emptyGoal(): GoalValues {
  return {
    id: "",
    description: "",
    measure: "",
    baseline: "",
    target: "",
    target_date: "",
    term: String(GoalTerm.SHORT),
    status: String(GoalStatus.IN_PROGRESS),
    progress: [],
  };
}

/** A blank plan starting on `start` ("YYYY-MM-DD"), certified for 90 days, 2 visits a week for 6 weeks. */
export function emptyPlanValues(start: string): PlanValues {
  return {
    condition: "",
    icd10_code: "",
    body_region: "",
    start_date: start,
    certification_start: start,
    certification_end: start ? addDays(start, defaultCertificationDays) : "",
    visits_per_week: "2",
    duration_weeks: "6",
    authorized_visits: "",
    precautions: "",
    goals: [],
    interventions: [],
    home_exercises: [],
  };
}

const num = (n: number) => (n ? String(n) : "");
/** A double as the form shows it: 0 is a value ("0" pain), so it is shown. */
const dbl = (n: number) => (Number.isFinite(n) ? String(n) : "");

function exerciseValues(e: Exercise): ExerciseValues {
  return {
    name: e.name,
    sets: num(e.sets),
    reps: num(e.reps),
    hold_seconds: num(e.holdSeconds),
    frequency: e.frequency,
    notes: e.notes,
  };
}

function goalValues(g: Goal, start: string): GoalValues {
  let target = dateToInput(g.targetDate);
  if (!target && g.targetWeeks > 0 && start) target = addDays(start, g.targetWeeks * 7);
  return {
    id: g.id,
    description: g.description,
    measure: g.measure,
    baseline: dbl(g.baseline),
    target: dbl(g.target),
    target_date: target,
    term: String(g.term || GoalTerm.SHORT),
    status: String(g.status || GoalStatus.IN_PROGRESS),
    progress: [...g.progress],
  };
}

/** The form filled from a template, the plan starting on `start` (a goal's target_weeks become its date). */
export function valuesFromTemplate(t: PlanTemplate, start: string): PlanValues {
  return {
    ...emptyPlanValues(start),
    condition: t.condition || t.title,
    icd10_code: t.icd10Code,
    body_region: t.bodyRegion,
    visits_per_week: num(t.visitsPerWeek) || "2",
    duration_weeks: num(t.durationWeeks) || "6",
    precautions: t.precautions,
    goals: t.goals.map((g) => goalValues(g, start)),
    interventions: t.interventions.map(exerciseValues),
    home_exercises: t.homeExercises.map(exerciseValues),
  };
}

/** The form's values of a stored plan. */
export function valuesFromPlan(p: TherapyPlan): PlanValues {
  const start = dateToInput(p.startDate);
  return {
    condition: p.condition,
    icd10_code: p.icd10Code,
    body_region: p.bodyRegion,
    start_date: start,
    certification_start: dateToInput(p.certificationStart),
    certification_end: dateToInput(p.certificationEnd),
    visits_per_week: num(p.visitsPerWeek),
    duration_weeks: num(p.durationWeeks),
    authorized_visits: num(p.authorizedVisits),
    precautions: p.precautions,
    goals: p.goals.map((g) => goalValues(g, start)),
    interventions: p.interventions.map(exerciseValues),
    home_exercises: p.homeExercises.map(exerciseValues),
  };
}

/**
 * A new start date. The certification period follows it while it is still
 * the default one (from the old start, 90 days); one the therapist set is kept.
 */
export function withStartDate(v: PlanValues, start: string): PlanValues {
  const old = v.start_date;
  const defaultPeriod =
    (!v.certification_start || v.certification_start === old) &&
    (!v.certification_end || (!!old && parseWall(old) && v.certification_end === addDays(old, defaultCertificationDays)));
  if (!defaultPeriod || !parseWall(start)) return { ...v, start_date: start };
  return { ...v, start_date: start, certification_start: start, certification_end: addDays(start, defaultCertificationDays) };
}

/** Whether the form differs from what was loaded or saved. */
export function isDirty(values: PlanValues, saved: PlanValues | undefined): boolean {
  if (!saved) return true;
  return valuesKey(values) !== valuesKey(saved);
}

function valuesKey(v: PlanValues): string {
  return JSON.stringify({ ...v, goals: v.goals.map((g) => ({ ...g, progress: g.progress.length })) });
}

/** A whole number from an input ("" → 0); NaN for anything else. */
function intOf(value: string): number {
  const v = value.trim();
  if (v === "") return 0;
  return /^-?\d+$/.test(v) ? Number(v) : NaN;
}

/** A number from an input ("" → 0; "2,5" read as 2.5); NaN for anything else. */
function numberOf(value: string): number {
  const v = value.trim().replace(",", ".");
  if (v === "") return 0;
  return /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : NaN;
}

const intOr0 = (value: string) => {
  const n = intOf(value);
  return Number.isFinite(n) ? n : 0;
};
const numOr0 = (value: string) => {
  const n = numberOf(value);
  return Number.isFinite(n) ? n : 0;
};

function exerciseFromValues(e: ExerciseValues): Exercise {
  return create(ExerciseSchema, {
    name: e.name.trim(),
    sets: intOr0(e.sets),
    reps: intOr0(e.reps),
    holdSeconds: intOr0(e.hold_seconds),
    frequency: e.frequency.trim(),
    notes: e.notes.trim(),
  });
}

function goalFromValues(g: GoalValues): Goal {
  return create(GoalSchema, {
    id: g.id,
    description: g.description.trim(),
    measure: g.measure.trim(),
    baseline: numOr0(g.baseline),
    target: numOr0(g.target),
    targetDate: inputToDate(g.target_date),
    term: Number(g.term) as GoalTerm,
    status: Number(g.status) as GoalStatus,
    progress: g.progress,
  });
}

/** The plan's content as the form has it (no name, patient, state or output-only fields). */
export function planContent(v: PlanValues): TherapyPlan {
  return create(TherapyPlanSchema, {
    condition: v.condition.trim(),
    icd10Code: v.icd10_code.trim(),
    bodyRegion: v.body_region.trim(),
    startDate: inputToDate(v.start_date),
    certificationStart: inputToDate(v.certification_start),
    certificationEnd: inputToDate(v.certification_end),
    visitsPerWeek: intOr0(v.visits_per_week),
    durationWeeks: intOr0(v.duration_weeks),
    authorizedVisits: intOr0(v.authorized_visits),
    precautions: v.precautions.trim(),
    goals: v.goals.map(goalFromValues),
    interventions: v.interventions.map(exerciseFromValues),
    homeExercises: v.home_exercises.map(exerciseFromValues),
  });
}

/**
 * Whether CreateTherapyPlan may name the template the form started from.
 * The service fills what the plan leaves empty from the template, so a list
 * or text the therapist emptied would come back: then the template is not
 * named (the form already carries what was kept of it).
 */
export function mayNameTemplate(t: PlanTemplate, v: PlanValues): boolean {
  const emptied = (had: boolean, has: boolean) => had && !has;
  return !(
    emptied(t.goals.length > 0, v.goals.length > 0) ||
    emptied(t.interventions.length > 0, v.interventions.length > 0) ||
    emptied(t.homeExercises.length > 0, v.home_exercises.length > 0) ||
    emptied(!!t.precautions.trim(), !!v.precautions.trim()) ||
    emptied(!!t.icd10Code.trim(), !!v.icd10_code.trim()) ||
    emptied(!!t.bodyRegion.trim(), !!v.body_region.trim())
  );
}

/** CreateTherapyPlan for the form (a draft of `patient`, from `screening` and `template` if any). */
export function createRequest(
  v: PlanValues,
  options: { patient: string; screening?: string; template?: PlanTemplate; requestId: string },
): CreateTherapyPlanRequest {
  const plan = planContent(v);
  plan.patient = options.patient;
  plan.screening = options.screening ?? "";
  return create(CreateTherapyPlanRequestSchema, {
    plan,
    template: options.template && mayNameTemplate(options.template, v) ? options.template.name : "",
    requestId: options.requestId,
  });
}

/** What a CreateTherapyPlan asks for, without its request_id: the same key → the same request_id on a retry. */
export function createKey(req: CreateTherapyPlanRequest): string {
  return JSON.stringify({ ...req, requestId: "" }, (_k, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

/** UpdateTherapyPlan: the form's content for `plan` (its name and the etag last read). */
export function updateRequest(v: PlanValues, plan: Pick<TherapyPlan, "name" | "etag">): UpdateTherapyPlanRequest {
  const content = planContent(v);
  content.name = plan.name;
  content.etag = plan.etag;
  return create(UpdateTherapyPlanRequestSchema, { plan: content });
}

/**
 * The goals' progress (and statuses) of a plan just returned by
 * RecordGoalProgress, into the form's values, leaving other edits as they are.
 */
export function withProgressFrom(v: PlanValues, plan: TherapyPlan, goalId: string, statusChanged: boolean): PlanValues {
  return {
    ...v,
    goals: v.goals.map((g) => {
      const stored = plan.goals.find((s) => s.id && s.id === g.id);
      if (!stored) return g;
      return {
        ...g,
        progress: [...stored.progress],
        status: statusChanged && g.id === goalId ? String(stored.status) : g.status,
      };
    }),
  };
}

// ------------------------------------------------------------ templates ---

/** "pes_anserine_bursitis", "Pes-Anserine bursitis" → "pes-anserine-bursitis". */
export function normalizeCause(cause: string): string {
  return cause
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** The template whose screening cause is `cause` (a screening's top consideration), if any. */
export function templateForCause(templates: readonly PlanTemplate[], cause: string | undefined): PlanTemplate | undefined {
  const want = normalizeCause(cause ?? "");
  if (!want) return undefined;
  return templates.find((t) => t.screeningCause && normalizeCause(t.screeningCause) === want);
}

// ------------------------------------------------------------ checks before sending ---

export const topFields = [
  "condition",
  "icd10_code",
  "body_region",
  "start_date",
  "certification_start",
  "certification_end",
  "visits_per_week",
  "duration_weeks",
  "authorized_visits",
  "precautions",
] as const;
export type TopField = (typeof topFields)[number];

export const goalFields = ["description", "measure", "baseline", "target", "target_date", "term", "status"] as const;
export const exerciseFields = ["name", "sets", "reps", "hold_seconds", "frequency", "notes"] as const;
export const planLists: readonly PlanList[] = ["goals", "interventions", "home_exercises"];

const topLabels: Record<TopField, string> = {
  condition: "Condition",
  icd10_code: "ICD-10 code",
  body_region: "Body region",
  start_date: "Start date",
  certification_start: "Certified from",
  certification_end: "Certified until",
  visits_per_week: "Visits per week",
  duration_weeks: "Weeks",
  authorized_visits: "Authorized visits",
  precautions: "Precautions",
};

const subLabels: Record<string, string> = {
  description: "goal",
  measure: "measure",
  baseline: "baseline",
  target: "target",
  target_date: "target date",
  term: "term",
  status: "status",
  name: "name",
  sets: "sets",
  reps: "reps",
  hold_seconds: "hold (seconds)",
  frequency: "how often",
  notes: "notes",
};

const listLabels: Record<PlanList, [string, string]> = {
  goals: ["Goals", "Goal"],
  interventions: ["Interventions", "Intervention"],
  home_exercises: ["Home exercises", "Home exercise"],
};

/**
 * The label of an error's place in the form: "Condition", "Goals", "Goal 1",
 * "Goal 1: target date", "Home exercise 2: name".
 */
export function planFieldLabel(key: string): string {
  if ((topFields as readonly string[]).includes(key)) return topLabels[key as TopField];
  const m = /^(goals|interventions|home_exercises)(?:\[(\d+)\](?:\.([a-z_]+))?)?$/.exec(key);
  if (!m) return key;
  const [plural, single] = listLabels[m[1] as PlanList];
  if (m[2] === undefined) return plural;
  const row = `${single} ${Number(m[2]) + 1}`;
  return m[3] ? `${row}: ${subLabels[m[3]] ?? m[3]}` : row;
}

/** The labels of the keys given (for the error summary). */
export function planFieldLabels(keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, planFieldLabel(k)]));
}

/** The id of the input (or fieldset) of a key: "goals[0].target_date" → "plan-goals-0-target_date". */
export function planInputId(key: string): string {
  return "plan-" + key.replace(/\[(\d+)\]/g, "-$1").replace(/\./g, "-");
}

export type PlanErrors = FieldErrors<string>;

/**
 * What is plainly wrong before sending (the server judges the rest): a
 * condition, a start date, visits per week 1 to 7, weeks 1 to 52, numbers
 * that are numbers, a description for each goal and a name for each exercise.
 * Every problem at once.
 */
export function checkPlan(v: PlanValues): PlanErrors {
  const fields: Record<string, string> = {};
  if (!v.condition.trim()) fields.condition = "Enter the condition.";
  if (!inputToDate(v.start_date)) fields.start_date = "Enter the first day of care.";
  if (v.certification_start.trim() && !inputToDate(v.certification_start)) fields.certification_start = "Enter a date.";
  if (v.certification_end.trim() && !inputToDate(v.certification_end)) fields.certification_end = "Enter a date.";
  const perWeek = intOf(v.visits_per_week);
  if (!(perWeek >= 1 && perWeek <= 7)) fields.visits_per_week = "From 1 to 7 visits a week.";
  const weeks = intOf(v.duration_weeks);
  if (!(weeks >= 1 && weeks <= 52)) fields.duration_weeks = "From 1 to 52 weeks.";
  const authorized = intOf(v.authorized_visits);
  if (!(authorized >= 0)) fields.authorized_visits = "A whole number of visits, or empty for no limit.";
  v.goals.forEach((g, i) => {
    if (!g.description.trim()) fields[`goals[${i}].description`] = "Describe the goal.";
    if (!Number.isFinite(numberOf(g.baseline))) fields[`goals[${i}].baseline`] = "Enter a number.";
    if (!Number.isFinite(numberOf(g.target))) fields[`goals[${i}].target`] = "Enter a number.";
    if (g.target_date.trim() && !inputToDate(g.target_date)) fields[`goals[${i}].target_date`] = "Enter a date.";
  });
  for (const list of ["interventions", "home_exercises"] as const) {
    v[list].forEach((e, i) => {
      if (!e.name.trim()) fields[`${list}[${i}].name`] = "Enter the exercise's name.";
      for (const f of ["sets", "reps", "hold_seconds"] as const) {
        const n = intOf(e[f]);
        if (!(n >= 0)) fields[`${list}[${i}].${f}`] = "A whole number.";
      }
    });
  }
  return { fields, other: [] };
}

// ------------------------------------------------------------ server errors ---

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/**
 * The place in the form an error path names, given the form's values:
 * "plan.goals[0].target_date" (or "goals[0].targetDate.year") →
 * "goals[0].target_date"; "plan.home_exercises[1]" → "home_exercises[1]" (the
 * row); "plan.goals" → "goals"; "plan.start_date.year" → "start_date". A row
 * the form does not have is its list; a path naming nothing of the form
 * (the template, the patient) is undefined.
 */
export function planFieldKey(path: string, v: Pick<PlanValues, PlanList>): string | undefined {
  const parts = path
    .trim()
    .split(".")
    .filter(Boolean)
    .map((p) => camelToSnake(p));
  if (parts[0] === "plan") parts.shift();
  if (parts.length === 0) return undefined;
  const head = /^([a-z0-9_]+)(?:\[(\d+)\])?$/.exec(parts[0]);
  if (!head) return undefined;
  const field = head[1];
  if ((topFields as readonly string[]).includes(field)) return field;
  if (!(planLists as readonly string[]).includes(field)) return undefined;
  const list = field as PlanList;
  if (head[2] === undefined) return list;
  const i = Number(head[2]);
  if (i >= v[list].length) return list;
  const sub = parts[1]?.replace(/\[\d+\]$/, "");
  const known: readonly string[] = list === "goals" ? goalFields : exerciseFields;
  return sub && known.includes(sub) ? `${list}[${i}].${sub}` : `${list}[${i}]`;
}

/**
 * A failed CreateTherapyPlan / UpdateTherapyPlan at the form's places (every
 * BadRequest violation at its field or row, at once) and the rest in words.
 */
export function planFormErrors(err: unknown, v: Pick<PlanValues, PlanList>): PlanErrors {
  const violations = fieldViolations(err);
  const errors: PlanErrors = { fields: {}, other: [] };
  for (const violation of violations ?? []) {
    const key = violation.field ? planFieldKey(violation.field, v) : undefined;
    const text = violation.description.trim() || "is not valid";
    if (key) errors.fields[key] = errors.fields[key] ? `${errors.fields[key]}; ${text}` : text;
    else errors.other.push(text);
  }
  if (Object.keys(errors.fields).length === 0 && errors.other.length === 0) errors.other.push(describePlanError(err));
  return errors;
}

/**
 * A refused ChangeTherapyPlanState. Activating a plan without a goal is
 * refused (FAILED_PRECONDITION, or a violation naming the goals): its
 * message is shown at the goals. Other violations at their places.
 */
export function stateChangeErrors(err: unknown, target: PlanState, v: Pick<PlanValues, PlanList>): PlanErrors {
  const e = ConnectError.from(err);
  const errors = planFormErrors(e, v);
  if (
    target === PlanState.ACTIVE &&
    Object.keys(errors.fields).length === 0 &&
    (e.code === Code.FailedPrecondition || e.code === Code.InvalidArgument) &&
    (v.goals.length === 0 || /goal/i.test(e.rawMessage))
  ) {
    return { fields: { goals: errors.other.join(" ") || "An active plan needs at least one goal." }, other: [] };
  }
  return errors;
}

/** A failed call in words (FAILED_PRECONDITION's message as the server wrote it). */
export function describePlanError(err: unknown): string {
  return describeCallError(err, "This plan of care does not exist (any more).");
}

/**
 * Whether a failed create may have created the plan (no answer: network,
 * timeout): the same plan sent again keeps its request_id.
 */
export function outcomeUnknown(err: unknown): boolean {
  const code = ConnectError.from(err).code;
  return code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.Unknown || code === Code.Internal;
}

// ------------------------------------------------------------ states ---

export const planStateWords: Record<PlanState, string> = {
  [PlanState.UNSPECIFIED]: "Unknown",
  [PlanState.DRAFT]: "Draft",
  [PlanState.ACTIVE]: "Active",
  [PlanState.ON_HOLD]: "On hold",
  [PlanState.COMPLETED]: "Completed",
  [PlanState.DISCONTINUED]: "Discontinued",
};

/** A CSS class for a state: "plan-state-on-hold". */
export function planStateClass(state: PlanState): string {
  return "plan-state-" + (planStateWords[state] ?? "unknown").toLowerCase().replace(/[^a-z]+/g, "-");
}

/** Completed and discontinued plans are read-only. */
export function isReadOnly(state: PlanState): boolean {
  return state === PlanState.COMPLETED || state === PlanState.DISCONTINUED;
}

export interface StateAction {
  to: PlanState;
  label: string;
  /** Asked in the page before the change ("Discontinue this plan?"), if anything. */
  confirm: string;
  /** The button's look: "primary", "secondary", "danger". */
  look: "primary" | "secondary" | "danger";
  /** The summary's title when the server refuses ("The plan of care was not activated."). */
  refused: string;
}

/**
 * The state buttons of a plan: a draft is activated; an active plan is put
 * on hold, completed or discontinued; one on hold resumed, completed or
 * discontinued. Completing and discontinuing ask first (they make the plan
 * read-only).
 */
export function stateActions(state: PlanState): StateAction[] {
  const complete: StateAction = {
    to: PlanState.COMPLETED,
    label: "Complete",
    confirm: "Complete this plan of care? It becomes read-only.",
    look: "secondary",
    refused: "The plan of care was not completed.",
  };
  const discontinue: StateAction = {
    to: PlanState.DISCONTINUED,
    label: "Discontinue",
    confirm: "Discontinue this plan of care? It stops here and becomes read-only.",
    look: "danger",
    refused: "The plan of care was not discontinued.",
  };
  switch (state) {
    case PlanState.DRAFT:
      return [{ to: PlanState.ACTIVE, label: "Activate", confirm: "", look: "primary", refused: "The plan of care was not activated." }];
    case PlanState.ACTIVE:
      return [
        { to: PlanState.ON_HOLD, label: "Put on hold", confirm: "", look: "secondary", refused: "The plan of care was not put on hold." },
        complete,
        discontinue,
      ];
    case PlanState.ON_HOLD:
      return [{ to: PlanState.ACTIVE, label: "Resume", confirm: "", look: "primary", refused: "The plan of care was not resumed." }, complete, discontinue];
    default:
      return [];
  }
}

export function stateRequest(plan: Pick<TherapyPlan, "name" | "etag">, to: PlanState): ChangeTherapyPlanStateRequest {
  return create(ChangeTherapyPlanStateRequestSchema, { name: plan.name, state: to, etag: plan.etag });
}

/** What the page says after a state change. */
export function stateChangedWords(from: PlanState, to: PlanState): string {
  switch (to) {
    case PlanState.ACTIVE:
      return from === PlanState.ON_HOLD ? "The plan of care is active again." : "The plan of care is active.";
    case PlanState.ON_HOLD:
      return "The plan of care is on hold.";
    case PlanState.COMPLETED:
      return "The plan of care is completed. It is now read-only.";
    case PlanState.DISCONTINUED:
      return "The plan of care is discontinued. It is now read-only.";
    default:
      return "The plan of care was changed.";
  }
}

// ------------------------------------------------------------ visits and alerts ---

/** "Thursday 3 December 09:00" of a next visit's local start; "" when there is none. */
export function nextVisitWords(counts: Pick<VisitCounts, "nextVisitLocal"> | undefined, thisYear?: number): string {
  return counts?.nextVisitLocal ? wallWords(counts.nextVisitLocal, thisYear) : "";
}

const plural = (n: number, one: string, many = one + "s") => `${n} ${n === 1 ? one : many}`;

/** "3 completed of 12 planned (10 authorized)": visits used of planned, and the authorization. */
export function visitsShort(counts: Pick<VisitCounts, "planned" | "completed" | "authorized"> | undefined): string {
  const c = counts ?? { planned: 0, completed: 0, authorized: 0 };
  return `${c.completed} completed of ${c.planned} planned${c.authorized > 0 ? ` (${c.authorized} authorized)` : ""}`;
}

/**
 * "Visits: 3 completed of 12 planned (10 authorized), 1 no-show, next:
 * Thursday 3 December 09:00" — no-shows and cancellations only when there
 * are some, "no visit booked" when nothing is ahead.
 */
export function visitsLine(counts: VisitCounts | undefined, thisYear?: number): string {
  if (!counts) return "Visits: none yet.";
  const parts = [visitsShort(counts)];
  if (counts.noShow > 0) parts.push(plural(counts.noShow, "no-show"));
  if (counts.cancelled > 0) parts.push(`${counts.cancelled} cancelled`);
  if (counts.upcoming > 0) parts.push(`${counts.upcoming} booked ahead`);
  const next = nextVisitWords(counts, thisYear);
  parts.push(next ? `next: ${next}` : "no visit booked");
  return `Visits: ${parts.join(", ")}`;
}

export const alertKindWords: Record<AlertKind, string> = {
  [AlertKind.UNSPECIFIED]: "Attention",
  [AlertKind.PROGRESS_NOTE_DUE]: "Progress note due",
  [AlertKind.RE_EVALUATION_DUE]: "Re-evaluation due",
  [AlertKind.PLAN_EXPIRING]: "Plan ending soon",
  [AlertKind.AUTHORIZATION_LOW]: "Few authorized visits left",
  [AlertKind.NO_FUTURE_VISIT]: "No visit booked",
  [AlertKind.NO_SHOWS]: "No-shows",
};

export interface AlertView {
  kind: string;
  message: string;
  /** "due Tuesday 8 December", or "". */
  due: string;
  urgency: number;
  /** "urgency-1" (most urgent) to "urgency-3". */
  urgencyClass: string;
}

/** Clamps an urgency to 1..3 (unknown counts as the least urgent). */
export function urgencyOf(n: number): number {
  return n >= 1 && n <= 3 ? Math.round(n) : 3;
}

export function alertView(a: Alert, thisYear?: number): AlertView {
  const due = dateToInput(a.dueDate);
  const urgency = urgencyOf(a.urgency);
  return {
    kind: alertKindWords[a.kind] ?? alertKindWords[AlertKind.UNSPECIFIED],
    message: a.message,
    due: due ? `due ${dayWords(due, thisYear)}` : "",
    urgency,
    urgencyClass: `urgency-${urgency}`,
  };
}

/** A plan's alerts, most urgent first (the server's order within one urgency). */
export function alertViews(alerts: readonly Alert[], thisYear?: number): AlertView[] {
  return alerts
    .map((a, i) => ({ v: alertView(a, thisYear), i }))
    .sort((a, b) => a.v.urgency - b.v.urgency || a.i - b.i)
    .map((x) => x.v);
}

// ------------------------------------------------------------ versions ---

/** "Version 3, last changed by Theo Rapp at Thursday 3 December 2026, 09:12". */
export function versionLine(plan: Pick<TherapyPlan, "version" | "updateTime">, byName: string, zone: string): string {
  const when = instantWords(timestampToMs(plan.updateTime), zone);
  let line = `Version ${plan.version || 1}`;
  if (byName || when) line += ", last changed";
  if (byName) line += ` by ${byName}`;
  if (when) line += ` at ${when}`;
  return line;
}

export interface VersionRow {
  version: number;
  who: string;
  when: string;
  /** The state it had then. */
  state: string;
}

/** ListPlanVersions in words, newest first; staff by name ("a colleague" when unknown). */
export function versionRows(versions: readonly PlanVersion[], names: ReadonlyMap<string, string>, zone: string): VersionRow[] {
  return [...versions]
    .sort((a, b) => b.version - a.version)
    .map((v) => ({
      version: v.version,
      who: names.get(v.staff) || "a colleague",
      when: instantWords(timestampToMs(v.time), zone),
      state: v.plan ? planStateWords[v.plan.state] ?? "" : "",
    }));
}

// ------------------------------------------------------------ goals in words ---

export const goalTermWords: Record<GoalTerm, string> = {
  [GoalTerm.UNSPECIFIED]: "—",
  [GoalTerm.SHORT]: "Short term",
  [GoalTerm.LONG]: "Long term",
};

export const goalStatusWords: Record<GoalStatus, string> = {
  [GoalStatus.UNSPECIFIED]: "—",
  [GoalStatus.IN_PROGRESS]: "In progress",
  [GoalStatus.MET]: "Met",
  [GoalStatus.NOT_MET]: "Not met",
  [GoalStatus.REVISED]: "Revised",
};

/** A number as people read it: 2.5, 10, -3 (no trailing zeros). */
export function numberWords(n: number): string {
  if (!Number.isFinite(n)) return "";
  return String(Math.round(n * 100) / 100);
}

/** "3 sets of 10 · hold 5 s · twice daily" (only what is set). */
export function dosageWords(e: Pick<Exercise, "sets" | "reps" | "holdSeconds" | "frequency">): string {
  const parts: string[] = [];
  if (e.sets > 0 && e.reps > 0) parts.push(`${plural(e.sets, "set")} of ${e.reps}`);
  else if (e.sets > 0) parts.push(plural(e.sets, "set"));
  else if (e.reps > 0) parts.push(plural(e.reps, "repetition"));
  if (e.holdSeconds > 0) parts.push(`hold ${e.holdSeconds} s`);
  if (e.frequency.trim()) parts.push(e.frequency.trim());
  return parts.join(" · ");
}

/** "pain 0-10: from 6 to 1 by 15 January 2027". */
export function goalTargetWords(g: Pick<Goal, "measure" | "baseline" | "target" | "targetDate">): string {
  const date = dateToInput(g.targetDate);
  const by = date ? ` by ${shortDateWords(date)}` : "";
  const measure = g.measure.trim();
  return `${measure ? `${measure}: ` : ""}from ${numberWords(g.baseline)} to ${numberWords(g.target)}${by}`;
}

// ------------------------------------------------------------ goal progress ---

export const progressFields = ["date", "value", "note", "status"] as const;
export type ProgressField = (typeof progressFields)[number];
export type ProgressValues = Record<ProgressField, string>;

export const progressLabels: Record<ProgressField, string> = {
  date: "Date",
  value: "Value",
  note: "Note",
  status: "New status",
};

/** The "Record progress" form at first: today, no value, the status unchanged ("0"). */
export function emptyProgress(today: string): ProgressValues {
  return { date: today, value: "", note: "", status: String(GoalStatus.UNSPECIFIED) };
}

export function checkProgress(v: ProgressValues): FieldErrors<ProgressField> {
  const fields: Partial<Record<ProgressField, string>> = {};
  if (!inputToDate(v.date)) fields.date = "Enter the date of the measurement.";
  if (!v.value.trim()) fields.value = "Enter the value measured.";
  else if (!Number.isFinite(numberOf(v.value))) fields.value = "Enter a number.";
  if ([...v.note].length > 500) fields.note = "At most 500 characters.";
  return { fields, other: [] };
}

export function progressRequest(plan: Pick<TherapyPlan, "name">, goal: string, v: ProgressValues): RecordGoalProgressRequest {
  return create(RecordGoalProgressRequestSchema, {
    name: plan.name,
    goal,
    progress: create(GoalProgressSchema, { date: inputToDate(v.date), value: numOr0(v.value), note: v.note.trim() }),
    status: Number(v.status) as GoalStatus,
  });
}

/** A failed RecordGoalProgress at the form's fields ("progress.value" → value). */
export function progressFormErrors(err: unknown): FieldErrors<ProgressField> {
  return fieldErrorsFrom(err, progressFields, ["progress."], describePlanError);
}

const dayMs = 86_400_000;
/** Seconds since the epoch of a date's midnight UTC (the chart's x). */
export function dateSeconds(date: string): number {
  const f = parseWall(date);
  return f ? Date.UTC(f.year, f.month - 1, f.day) / 1000 : NaN;
}

export interface GoalChartData {
  /** x: days (seconds since the epoch, midnight UTC), ascending. */
  xs: number[];
  /** The measurements at xs (null where none). */
  values: Array<number | null>;
  baseline: number;
  target: number;
  /** The value axis' range, with some room. */
  yMin: number;
  yMax: number;
  /** Any measurement yet. */
  hasProgress: boolean;
}

/**
 * A goal's chart: its measurements over time from the plan's start (or the
 * first measurement) to its target date (or the last one), with the baseline
 * and the target as lines across.
 */
export function goalChartData(g: Pick<Goal, "progress" | "baseline" | "target" | "targetDate">, planStart: string): GoalChartData {
  const points = new Map<number, number>();
  for (const p of g.progress) {
    const x = dateSeconds(dateToInput(p.date));
    if (Number.isFinite(x)) points.set(x, p.value); // the last of a day wins
  }
  const xs = new Set<number>(points.keys());
  const start = dateSeconds(planStart);
  const end = dateSeconds(dateToInput(g.targetDate));
  if (Number.isFinite(start)) xs.add(start);
  if (Number.isFinite(end)) xs.add(end);
  if (xs.size === 1) xs.add([...xs][0] + 7 * (dayMs / 1000));
  const sorted = [...xs].sort((a, b) => a - b);
  const all = [g.baseline, g.target, ...points.values()];
  let yMin = Math.min(...all);
  let yMax = Math.max(...all);
  const room = (yMax - yMin) * 0.1 || 1;
  yMin -= room;
  yMax += room;
  return {
    xs: sorted,
    values: sorted.map((x) => (points.has(x) ? points.get(x)! : null)),
    baseline: g.baseline,
    target: g.target,
    yMin,
    yMax,
    hasProgress: points.size > 0,
  };
}

/**
 * The chart in words, for screen readers and as its caption: "Baseline 6,
 * target 1. Measured: 5 on 3 December 2026, 4 on 10 December 2026." or "No
 * measurement yet."
 */
export function goalProgressWords(g: Pick<Goal, "progress" | "baseline" | "target" | "measure">): string {
  const head = `Baseline ${numberWords(g.baseline)}, target ${numberWords(g.target)}${g.measure ? ` (${g.measure})` : ""}.`;
  if (g.progress.length === 0) return `${head} No measurement yet.`;
  const measured = [...g.progress]
    .map((p) => ({ date: dateToInput(p.date), value: p.value }))
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((p) => `${numberWords(p.value)} on ${shortDateWords(p.date) || "an unknown day"}`);
  return `${head} Measured: ${measured.join(", ")}.`;
}

/**
 * How far a value is from the baseline towards the target, in percent
 * (0 at the baseline, 100 at the target; beyond either end as it is).
 */
export function percentToTarget(baseline: number, target: number, value: number): number {
  if (target === baseline) return value === target ? 100 : 0;
  return Math.round(((value - baseline) / (target - baseline)) * 100) || 0;
}

// ------------------------------------------------------------ the patient's copy ---

export interface PatientCopy {
  patientName: string;
  therapistName: string;
  condition: string;
  exercises: Array<{ name: string; dosage: string; notes: string }>;
  goals: Array<{ text: string; by: string }>;
}

/**
 * What the printable patient copy holds: the patient's and the therapist's
 * names, the home exercises with their dosage and how-to notes, and the goals
 * in plain words (what, and by when). No ids, no interventions, precautions,
 * measurements or progress notes.
 */
export function patientCopy(plan: TherapyPlan, patientName: string, therapistName: string): PatientCopy {
  return {
    patientName: patientName || "Patient",
    therapistName,
    condition: plan.condition,
    exercises: plan.homeExercises.map((e) => ({ name: e.name, dosage: dosageWords(e), notes: e.notes })),
    goals: plan.goals
      .filter((g) => g.status !== GoalStatus.MET && g.status !== GoalStatus.REVISED)
      .map((g) => {
        const date = dateToInput(g.targetDate);
        return { text: g.description, by: date ? `by ${shortDateWords(date)}` : "" };
      }),
  };
}

// ------------------------------------------------------------ a patient's plans ---

export interface PlanListItem {
  name: string;
  href: string;
  condition: string;
  state: string;
  stateClass: string;
  /** "From 1 December 2026 for 6 weeks · certified until 1 March 2027". */
  dates: string;
  /** "3 of 12 visits completed". */
  visits: string;
}

export function planListItem(p: TherapyPlan): PlanListItem {
  const start = dateToInput(p.startDate);
  const end = dateToInput(p.certificationEnd);
  const parts = [];
  if (start) parts.push(`From ${shortDateWords(start)}${p.durationWeeks ? ` for ${plural(p.durationWeeks, "week")}` : ""}`);
  if (end) parts.push(`certified until ${shortDateWords(end)}`);
  const c = p.visits;
  return {
    name: p.name,
    href: planPath(p.name),
    condition: p.condition || "Plan of care",
    state: planStateWords[p.state] ?? "Unknown",
    stateClass: planStateClass(p.state),
    dates: parts.join(" · "),
    visits: c ? `${c.completed} of ${c.planned} visits completed` : "",
  };
}
