// The screening form's pure logic: a protocol's answers <-> the form's values,
// what is sent (create, save, evaluate, complete, addendum), whether there are
// unsaved changes, which outcomes the evaluation allows, the evaluation and a
// screening in words, and server errors sorted onto the form. No DOM, no
// network.
import { Code, ConnectError } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import {
  QuestionKind,
  ScreeningOutcome,
  ScreeningState,
  type Screening,
  type ScreeningAnswer,
  type ScreeningEvaluation,
  type ScreeningProtocol,
  type ScreeningQuestion,
} from "../../gen/clinic/screenings/v1/screenings_pb";
import type {
  AddScreeningAddendumRequestSchema,
  CompleteScreeningRequestSchema,
  CreateScreeningRequestSchema,
  EvaluateScreeningRequestSchema,
  UpdateScreeningRequestSchema,
} from "../../gen/clinic/screenings/v1/screenings_service_pb";
import type { ScreeningAnswerSchema } from "../../gen/clinic/screenings/v1/screenings_pb";
import { describeCallError, fieldViolations } from "../shared/errors";
import { fieldErrorsFrom, type FieldErrors } from "../shared/form-errors";

// ------------------------------------------------------------ who ---

/** Who performs screenings (CreateScreening, UpdateScreening, CompleteScreening, EvaluateScreening): therapists and admins. */
export function canScreen(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && (roles.includes(StaffRole.THERAPIST) || roles.includes(StaffRole.ADMIN));
}

// ------------------------------------------------------------ names and addresses ---

/** The id in "screenings/{id}". */
export function screeningId(name: string): string {
  return name.startsWith("screenings/") ? name.slice("screenings/".length) : name;
}

/** The page of a screening: "/staff/screenings/<id>". */
export function screeningPath(name: string): string {
  return `/staff/screenings/${encodeURIComponent(screeningId(name))}`;
}

/** The page that starts a screening of a patient: "/staff/screenings/new?patient=patients/<id>". */
export function newScreeningPath(patient: string, appointment = ""): string {
  const id = patient.startsWith("patients/") ? patient.slice("patients/".length) : patient;
  let url = `/staff/screenings/new?patient=patients/${encodeURIComponent(id)}`;
  if (appointment) {
    const a = appointment.startsWith("appointments/") ? appointment.slice("appointments/".length) : appointment;
    url += `&appointment=appointments/${encodeURIComponent(a)}`;
  }
  return url;
}

const resourceId = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/**
 * The patient and appointment a "new screening" address names
 * (`?patient=patients/<id>&appointment=appointments/<id>`; a bare id works
 * too). Anything else is "" (not sent to the server).
 */
export function startParams(search: string): { patient: string; appointment: string } {
  const params = new URLSearchParams(search);
  const read = (key: string, collection: string): string => {
    const raw = (params.get(key) ?? "").trim();
    const id = raw.startsWith(collection + "/") ? raw.slice(collection.length + 1) : raw;
    return resourceId.test(id) ? `${collection}/${id}` : "";
  };
  return { patient: read("patient", "patients"), appointment: read("appointment", "appointments") };
}

/** The id of a question's input (or group) in the page: "q-<question id>" (other characters become "-"). */
export function questionInputId(questionId: string): string {
  return "q-" + questionId.replace(/[^A-Za-z0-9_-]/g, "-");
}

// ------------------------------------------------------------ the form's values ---

/**
 * One question's answer as the form holds it: the chosen option ids (choice
 * questions; a single choice has at most one), "yes" / "no" (yes/no), the
 * value as text (scale), the text (free text); "" or [] when unanswered.
 */
export type AnswerValue = string | string[];

export interface FormValues {
  /** By question id. */
  answers: Record<string, AnswerValue>;
  findings: string;
  notes: string;
}

type Question = Pick<ScreeningQuestion, "id" | "kind" | "options" | "scaleMin" | "scaleMax">;
type AnswerInit = MessageInitShape<typeof ScreeningAnswerSchema>;

const isChoice = (kind: QuestionKind) => kind === QuestionKind.SINGLE_CHOICE || kind === QuestionKind.MULTI_CHOICE;

/** An unanswered question's value. */
export function emptyAnswer(q: Pick<Question, "kind">): AnswerValue {
  return isChoice(q.kind) ? [] : "";
}

export function emptyValues(questions: readonly Question[] = []): FormValues {
  const answers: Record<string, AnswerValue> = {};
  for (const q of questions) answers[q.id] = emptyAnswer(q);
  return { answers, findings: "", notes: "" };
}

/** The options of a value (a single string is one option). */
const asList = (v: AnswerValue | undefined): string[] => (Array.isArray(v) ? v : v ? [v] : []);
const asText = (v: AnswerValue | undefined): string => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));

/** A stored answer as the form's value for its question. */
export function valueFromAnswer(q: Question, a: Pick<ScreeningAnswer, "options" | "yes" | "value" | "text">): AnswerValue {
  switch (q.kind) {
    case QuestionKind.SINGLE_CHOICE:
      return a.options.slice(0, 1);
    case QuestionKind.MULTI_CHOICE:
      return [...a.options];
    case QuestionKind.SCALE:
      return String(a.value);
    case QuestionKind.YES_NO:
      return a.yes ? "yes" : "no";
    case QuestionKind.FREE_TEXT:
      return a.text;
    default:
      return "";
  }
}

/** The form's values for a stored screening (answers to questions the protocol does not have are left out). */
export function valuesFromScreening(
  questions: readonly Question[],
  s: Pick<Screening, "answers" | "findings" | "notes">,
): FormValues {
  const values = emptyValues(questions);
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const a of s.answers) {
    const q = byId.get(a.question);
    if (q) values.answers[a.question] = valueFromAnswer(q, a);
  }
  values.findings = s.findings;
  values.notes = s.notes;
  return values;
}

/** A value with a question's answer set (a copy; the rest unchanged). */
export function withAnswer(values: FormValues, questionId: string, value: AnswerValue): FormValues {
  return { ...values, answers: { ...values.answers, [questionId]: value } };
}

/** A multi-choice value with an option checked or unchecked. */
export function toggleOption(value: AnswerValue | undefined, optionId: string, checked: boolean): string[] {
  const list = asList(value).filter((o) => o !== optionId);
  return checked ? [...list, optionId] : list;
}

/** A scale question's steps (min..max), or undefined when there are too many (or none) for a row of radios. */
export function scaleSteps(q: Pick<Question, "scaleMin" | "scaleMax">, most = 21): number[] | undefined {
  const count = q.scaleMax - q.scaleMin + 1;
  if (count < 2 || count > most) return undefined;
  return Array.from({ length: count }, (_, i) => q.scaleMin + i);
}

/**
 * A question's answer as sent, or undefined when it is unanswered: a choice
 * keeps only the protocol's options, in the protocol's order (a single choice
 * the first); a scale value must be a whole number; free text is trimmed.
 */
export function answerFromValue(q: Question, v: AnswerValue | undefined): AnswerInit | undefined {
  switch (q.kind) {
    case QuestionKind.SINGLE_CHOICE:
    case QuestionKind.MULTI_CHOICE: {
      const chosen = new Set(asList(v));
      let options = q.options.map((o) => o.id).filter((id) => chosen.has(id));
      if (q.kind === QuestionKind.SINGLE_CHOICE) options = options.slice(0, 1);
      return options.length ? { question: q.id, options } : undefined;
    }
    case QuestionKind.SCALE: {
      const text = asText(v).trim();
      if (!/^-?\d+$/.test(text)) return undefined;
      return { question: q.id, value: Number(text) };
    }
    case QuestionKind.YES_NO: {
      const text = asText(v);
      if (text === "yes") return { question: q.id, yes: true };
      if (text === "no") return { question: q.id, yes: false };
      return undefined;
    }
    case QuestionKind.FREE_TEXT: {
      const text = asText(v).trim();
      return text ? { question: q.id, text } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * The answers to send, in the protocol's order, unanswered questions left
 * out. `scoredOnly` leaves out free text too (never scored: EvaluateScreening
 * need not see it).
 */
export function answersFromValues(
  questions: readonly Question[],
  answers: Record<string, AnswerValue>,
  options: { scoredOnly?: boolean } = {},
): AnswerInit[] {
  const out: AnswerInit[] = [];
  for (const q of questions) {
    if (options.scoredOnly && q.kind === QuestionKind.FREE_TEXT) continue;
    const a = answerFromValue(q, answers[q.id]);
    if (a) out.push(a);
  }
  return out;
}

/** Whether a question has an answer in the form. */
export function isAnswered(q: Question, v: AnswerValue | undefined): boolean {
  return answerFromValue(q, v) !== undefined;
}

/** How many of the questions are answered ("12 of 21 answered"). */
export function answeredCount(questions: readonly Question[], answers: Record<string, AnswerValue>): number {
  return questions.filter((q) => isAnswered(q, answers[q.id])).length;
}

/** What UpdateScreening would store, as a string: equal strings mean nothing to save. */
export function snapshot(questions: readonly Question[], values: FormValues): string {
  return JSON.stringify({
    answers: answersFromValues(questions, values.answers),
    findings: values.findings.trim(),
    notes: values.notes.trim(),
  });
}

/** Whether the form has changes that are not saved. */
export function isDirty(questions: readonly Question[], saved: FormValues, current: FormValues): boolean {
  return snapshot(questions, saved) !== snapshot(questions, current);
}

/** The scored answers as a string: the evaluation changes only when this does. */
export function evaluationKey(questions: readonly Question[], answers: Record<string, AnswerValue>): string {
  return JSON.stringify(answersFromValues(questions, answers, { scoredOnly: true }));
}

/** "Saving…", "Unsaved changes", "All changes saved". */
export function saveStateWords(state: { saving: boolean; dirty: boolean }): string {
  if (state.saving) return "Saving…";
  return state.dirty ? "Unsaved changes" : "All changes saved";
}

// ------------------------------------------------------------ requests ---

export function createRequest(options: {
  patient: string;
  protocol: string;
  appointment?: string;
  requestId: string;
}): MessageInitShape<typeof CreateScreeningRequestSchema> {
  return {
    screening: { patient: options.patient, protocol: options.protocol, appointment: options.appointment ?? "" },
    requestId: options.requestId,
  };
}

/** UpdateScreening: the answers, findings and notes replace the stored ones; with the etag last read. */
export function updateRequest(
  s: Pick<Screening, "name" | "etag">,
  questions: readonly Question[],
  values: FormValues,
): MessageInitShape<typeof UpdateScreeningRequestSchema> {
  return {
    screening: {
      name: s.name,
      etag: s.etag,
      answers: answersFromValues(questions, values.answers),
      findings: values.findings.trim(),
      notes: values.notes.trim(),
    },
  };
}

/** EvaluateScreening: the scored answers only (free text never counts, and this call names no patient). */
export function evaluateRequest(
  protocol: string,
  questions: readonly Question[],
  answers: Record<string, AnswerValue>,
): MessageInitShape<typeof EvaluateScreeningRequestSchema> {
  return { protocol, answers: answersFromValues(questions, answers, { scoredOnly: true }) };
}

export function completeRequest(
  s: Pick<Screening, "name" | "etag">,
  outcome: ScreeningOutcome,
): MessageInitShape<typeof CompleteScreeningRequestSchema> {
  return { name: s.name, outcome, etag: s.etag };
}

export function addendumRequest(s: Pick<Screening, "name">, text: string): MessageInitShape<typeof AddScreeningAddendumRequestSchema> {
  return { name: s.name, text: text.trim() };
}

/** Errors found before sending an addendum: 1 to 2,000 characters. */
export function checkAddendum(text: string): FieldErrors<"text"> {
  const t = text.trim();
  if (!t) return { fields: { text: "Write the addendum first." }, other: [] };
  if ([...t].length > 2000) return { fields: { text: "At most 2,000 characters." }, other: [] };
  return { fields: {}, other: [] };
}

// ------------------------------------------------------------ outcomes ---

/** The outcomes, in the order the form offers them, in words. */
export const outcomeChoices: ReadonlyArray<[ScreeningOutcome, string]> = [
  [ScreeningOutcome.PT_EVALUATION, "PT evaluation recommended"],
  [ScreeningOutcome.REFER_TO_PHYSICIAN, "Refer to a physician"],
  [ScreeningOutcome.SELF_CARE, "Self-care advice given"],
  [ScreeningOutcome.NO_FURTHER_ACTION, "No further action"],
];

export const outcomeWords: Record<ScreeningOutcome, string> = {
  [ScreeningOutcome.UNSPECIFIED]: "Not decided",
  [ScreeningOutcome.PT_EVALUATION]: "PT evaluation recommended",
  [ScreeningOutcome.REFER_TO_PHYSICIAN]: "Refer to a physician",
  [ScreeningOutcome.SELF_CARE]: "Self-care advice given",
  [ScreeningOutcome.NO_FURTHER_ACTION]: "No further action",
};

export const stateWords: Record<ScreeningState, string> = {
  [ScreeningState.UNSPECIFIED]: "Unknown",
  [ScreeningState.IN_PROGRESS]: "In progress",
  [ScreeningState.COMPLETED]: "Completed",
};

/** A value of an enum in words; a value this app does not know yet as its number. */
export function words<E extends number>(table: Record<E, string>, value: E): string {
  return table[value] ?? `Unknown (${value})`;
}

/** Whether an evaluation calls for a physician first (any red flag). */
export function refersToPhysician(ev: Pick<ScreeningEvaluation, "redFlags" | "referToPhysician"> | undefined): boolean {
  return !!ev && (ev.referToPhysician || ev.redFlags.length > 0);
}

/** The outcomes the evaluation allows: with a red flag only "Refer to a physician", else every one. */
export function allowedOutcomes(ev: Pick<ScreeningEvaluation, "redFlags" | "referToPhysician"> | undefined): ScreeningOutcome[] {
  if (refersToPhysician(ev)) return [ScreeningOutcome.REFER_TO_PHYSICIAN];
  return outcomeChoices.map(([o]) => o);
}

/**
 * The outcome the form shows as chosen: the one chosen while it is allowed;
 * when only one is allowed, that one; else none.
 */
export function effectiveOutcome(chosen: ScreeningOutcome, allowed: readonly ScreeningOutcome[]): ScreeningOutcome {
  if (chosen !== ScreeningOutcome.UNSPECIFIED && allowed.includes(chosen)) return chosen;
  return allowed.length === 1 ? allowed[0] : ScreeningOutcome.UNSPECIFIED;
}

/** Errors found before completing: an outcome is required, and must be allowed. */
export function checkComplete(outcome: ScreeningOutcome, allowed: readonly ScreeningOutcome[]): FieldErrors<"outcome"> {
  if (outcome === ScreeningOutcome.UNSPECIFIED) return { fields: { outcome: "Choose an outcome." }, other: [] };
  if (!allowed.includes(outcome)) {
    return { fields: { outcome: "A red flag was found: only “Refer to a physician” is possible." }, other: [] };
  }
  return { fields: {}, other: [] };
}

// ------------------------------------------------------------ in words ---

/** The heading of the red-flag warning. */
export const referralHeading = "Refer to a physician before any physical therapy";

/** The evaluation in one or two sentences, for a live region ("Refer to a physician: 1 red flag. Top consideration: …"). */
export function evaluationSummary(ev: Pick<ScreeningEvaluation, "redFlags" | "referToPhysician" | "considerations"> | undefined): string {
  if (!ev) return "No evaluation yet.";
  const parts: string[] = [];
  const flags = ev.redFlags.length;
  if (refersToPhysician(ev)) {
    parts.push(`Refer to a physician: ${flags === 1 ? "1 red flag" : flags > 1 ? `${flags} red flags` : "a red flag"}.`);
  } else {
    parts.push("No red flags.");
  }
  const top = ev.considerations[0];
  parts.push(top ? `Top consideration: ${top.name} (score ${top.score}).` : "No consideration is supported yet.");
  return parts.join(" ");
}

/** The most a cause can score in a protocol (the sum of its evidence's weights); 0 if unknown. */
export function causeMaxScore(protocol: Pick<ScreeningProtocol, "causes"> | undefined, causeId: string): number {
  const cause = protocol?.causes.find((c) => c.id === causeId);
  return cause ? cause.evidence.reduce((sum, e) => sum + Math.max(0, e.weight), 0) : 0;
}

/** An answer in words, for the read-only page ("On the inner joint line; Stairs", "Yes", "7 (0–10)"). */
export function answerWords(q: Pick<ScreeningQuestion, "kind" | "options" | "scaleMin" | "scaleMax">, v: AnswerValue | undefined): string {
  switch (q.kind) {
    case QuestionKind.SINGLE_CHOICE:
    case QuestionKind.MULTI_CHOICE: {
      const chosen = asList(v);
      const texts = chosen.map((id) => q.options.find((o) => o.id === id)?.text ?? id);
      return texts.length ? texts.join("; ") : "Not answered";
    }
    case QuestionKind.SCALE: {
      const t = asText(v).trim();
      return t ? `${t} (${q.scaleMin}–${q.scaleMax})` : "Not answered";
    }
    case QuestionKind.YES_NO: {
      const t = asText(v);
      return t === "yes" ? "Yes" : t === "no" ? "No" : "Not answered";
    }
    case QuestionKind.FREE_TEXT:
      return asText(v).trim() || "Not answered";
    default:
      return "Not answered";
  }
}

/**
 * A screening in a few words, for a patient's list: "In progress",
 * "Completed: PT evaluation recommended"; with " · red flags" when the
 * evaluation calls for a physician.
 */
export function screeningSummary(s: Pick<Screening, "state" | "outcome" | "evaluation">): string {
  let text = words(stateWords, s.state);
  if (s.state === ScreeningState.COMPLETED && s.outcome !== ScreeningOutcome.UNSPECIFIED) {
    text += `: ${words(outcomeWords, s.outcome)}`;
  }
  if (refersToPhysician(s.evaluation)) text += " · red flags";
  return text;
}

/** The top consideration's name, or "". */
export function topConsideration(ev: Pick<ScreeningEvaluation, "considerations"> | undefined): string {
  return ev?.considerations[0]?.name ?? "";
}

// ------------------------------------------------------------ errors ---

/** A field of the screening form: findings, notes, or a question's answer ("answer:<question id>"). */
export type ScreeningField = "findings" | "notes" | `answer:${string}`;

export const answerField = (questionId: string): ScreeningField => `answer:${questionId}`;

/** The input id of a form field. */
export function screeningInputId(field: ScreeningField): string {
  if (field === "findings") return "s-findings";
  if (field === "notes") return "s-notes";
  return questionInputId(field.slice("answer:".length));
}

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/**
 * The form field a violation's path names. `sent` are the question ids of the
 * answers sent, in order: "screening.answers[2].value" names the third of them.
 */
export function screeningFieldForPath(path: string, sent: readonly string[]): ScreeningField | undefined {
  let p = camelToSnake(path.trim());
  if (p.startsWith("screening.")) p = p.slice("screening.".length);
  const answer = /^answers\[(\d+)\]/.exec(p);
  if (answer) {
    const question = sent[Number(answer[1])];
    return question ? answerField(question) : undefined;
  }
  const top = p.split(/[.[]/)[0];
  if (top === "findings" || top === "notes") return top;
  return undefined;
}

/** A failed GetScreening / UpdateScreening / CompleteScreening / AddScreeningAddendum in words. */
export function describeScreeningError(err: unknown): string {
  const e = ConnectError.from(err);
  switch (e.code) {
    case Code.FailedPrecondition:
      return e.rawMessage
        ? e.rawMessage.charAt(0).toUpperCase() + e.rawMessage.slice(1)
        : "This screening cannot be changed in its current state.";
    case Code.Aborted:
      return "Someone else changed this screening meanwhile; reload to see their changes.";
    case Code.NotFound:
      return "No such screening: there is no screening at this address.";
    default:
      return describeCallError(e, "No such screening.");
  }
}

/**
 * A failed UpdateScreening sorted onto the form: each BadRequest violation at
 * the answer, findings or notes it names; the rest (and errors without
 * details) as general errors.
 */
export function screeningFormErrors(err: unknown, sent: readonly string[]): FieldErrors<ScreeningField> {
  const violations = fieldViolations(err);
  const errors: FieldErrors<ScreeningField> = { fields: {}, other: [] };
  if (!violations) {
    errors.other.push(describeScreeningError(err));
    return errors;
  }
  for (const v of violations) {
    const field = v.field ? screeningFieldForPath(v.field, sent) : undefined;
    const text = v.description.trim() || "is not valid";
    if (field) {
      const existing = errors.fields[field];
      errors.fields[field] = existing ? `${existing}; ${text}` : text;
    } else {
      errors.other.push(text);
    }
  }
  if (Object.keys(errors.fields).length === 0 && errors.other.length === 0) errors.other.push(describeScreeningError(err));
  return errors;
}

/**
 * A failed EvaluateScreening in words, for the decision-support panel: the
 * violations' descriptions (an answer out of range), else the error in words.
 */
export function evaluationErrorWords(err: unknown): string {
  const violations = fieldViolations(err);
  const texts = (violations ?? []).map((v) => v.description.trim()).filter(Boolean);
  const why = texts.length ? texts.join("; ") : describeCallError(err);
  return `The evaluation could not be updated: ${why}`;
}

/** A failed CompleteScreening: a violation of `outcome` at the outcome; the rest in words. */
export function completeFormErrors(err: unknown): FieldErrors<"outcome"> {
  return fieldErrorsFrom(err, ["outcome"] as const, [], describeScreeningError);
}

/** A failed AddScreeningAddendum: a violation of `text` at the text; the rest in words. */
export function addendumFormErrors(err: unknown): FieldErrors<"text"> {
  return fieldErrorsFrom(err, ["text"] as const, [], describeScreeningError);
}

/**
 * Whether a failed save or completion should offer "Reload": the screening
 * was completed meanwhile, or its stored answers do not allow the outcome
 * (FAILED_PRECONDITION). A stale etag (ABORTED) has its own warning.
 */
export function offerReload(err: unknown): boolean {
  return ConnectError.from(err).code === Code.FailedPrecondition;
}

/**
 * Whether CreateScreening may have created it despite the error (no answer):
 * a retry then keeps its request_id so there is one screening.
 */
export function outcomeUnknown(err: unknown): boolean {
  const code = ConnectError.from(err).code;
  return code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.Unknown || code === Code.Internal;
}
