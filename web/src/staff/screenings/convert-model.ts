// The pure part of "Book the initial evaluation" on a completed screening
// (ConvertScreening): when the section shows, the defaults (therapist,
// location, appointment type, day), the FindAvailableSlots requests, times
// and the booked evaluation in words (the location's wall time, read from the
// slot's local_start, never through the browser's zone), the request and its
// retry key, and the errors in clinic language — never a resource id. No DOM,
// no network.
import { Code, ConnectError } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type { AppointmentType, Location, ProviderSchedule, Slot } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { FindAvailableSlotsRequestSchema } from "../../gen/clinic/appointments/v1/appointments_service_pb";
import { ScreeningOutcome, ScreeningState, type Screening } from "../../gen/clinic/screenings/v1/screenings_pb";
import type { ConvertScreeningRequestSchema } from "../../gen/clinic/screenings/v1/screenings_service_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { describeCallError, errorReason, fieldViolations } from "../shared/errors";
import { fieldErrorsFromViolations, type FieldErrors } from "../shared/form-errors";
import { addDays, parseWall, weekday } from "../shared/tz";
import { outcomeUnknown } from "./screening-model";

// ------------------------------------------------------------ when it shows ---

/**
 * What the screening page shows about the initial evaluation: "book" (the
 * form: completed, outcome PT evaluation, nothing booked yet), "booked" (an
 * evaluation is booked: its line), or "none" (any other screening).
 */
export type ConvertView = "book" | "booked" | "none";

export function convertView(s: Pick<Screening, "state" | "outcome" | "evaluationAppointment"> | undefined): ConvertView {
  if (!s) return "none";
  if (s.evaluationAppointment) return "booked";
  if (s.state === ScreeningState.COMPLETED && s.outcome === ScreeningOutcome.PT_EVALUATION) return "book";
  return "none";
}

// ------------------------------------------------------------ defaults ---

/**
 * Whether an appointment type is an initial evaluation: its name says
 * "evaluation" but not "re-" ("Initial evaluation", not "Re-evaluation").
 */
export function isInitialEvaluation(displayName: string): boolean {
  const n = displayName.toLowerCase();
  return n.includes("evaluation") && !n.includes("re-") && !/\breevaluation/.test(n);
}

/** Whether a therapist with these credentials may deliver a type (active; any one allowed credential, or none asked). */
export function typeFits(
  type: Pick<AppointmentType, "active" | "allowedCredentials">,
  member: Pick<StaffMember, "credentials"> | undefined,
): boolean {
  if (!type.active) return false;
  if (type.allowedCredentials.length === 0 || !member) return true;
  const have = new Set(member.credentials.map((c) => c.trim().toUpperCase()));
  return type.allowedCredentials.some((c) => have.has(c.trim().toUpperCase()));
}

/** The types a therapist may deliver, in the list's order. */
export function fittingTypes<T extends Pick<AppointmentType, "active" | "allowedCredentials">>(
  types: readonly T[],
  member: Pick<StaffMember, "credentials"> | undefined,
): T[] {
  return types.filter((t) => typeFits(t, member));
}

/**
 * The type chosen at first: `current` while it is offered, else the first
 * initial evaluation offered, else none ("": the person chooses).
 */
export function defaultTypeName(types: readonly Pick<AppointmentType, "name" | "displayName">[], current = ""): string {
  if (current && types.some((t) => t.name === current)) return current;
  return types.find((t) => isInitialEvaluation(t.displayName))?.name ?? "";
}

/** The therapist chosen at first: the screening's, when they are a therapist; else the first listed. */
export function defaultTherapist(therapists: readonly Pick<StaffMember, "name">[], screeningTherapist: string): string {
  if (screeningTherapist && therapists.some((t) => t.name === screeningTherapist)) return screeningTherapist;
  return therapists[0]?.name ?? "";
}

/** The locations a therapist's weekly hours are at, in the order they first appear. */
export function scheduleLocations(schedule: Pick<ProviderSchedule, "weeklyHours"> | undefined): string[] {
  return [...new Set((schedule?.weeklyHours ?? []).map((h) => h.location).filter(Boolean))];
}

/**
 * The location chosen at first: `current` when the therapist works there,
 * else the first location the therapist's weekly hours are at, else one of
 * their home locations, else `current`, else the first location.
 */
export function defaultLocation(
  locations: readonly Pick<Location, "name">[],
  options: { worksAt?: readonly string[]; home?: readonly string[]; current?: string } = {},
): string {
  const known = (name: string | undefined) => !!name && locations.some((l) => l.name === name);
  const worksAt = (options.worksAt ?? []).filter(known);
  if (known(options.current) && (worksAt.length === 0 || worksAt.includes(options.current!))) return options.current!;
  if (worksAt.length) return worksAt[0];
  const home = (options.home ?? []).find(known);
  if (home) return home;
  if (known(options.current)) return options.current!;
  return locations[0]?.name ?? "";
}

/** The next weekday (Monday to Friday) after `today` ("YYYY-MM-DD"): Friday → Monday. */
export function nextWeekday(today: string): string {
  let day = addDays(today, 1);
  while (weekday(day) === 0 || weekday(day) === 6) day = addDays(day, 1);
  return day;
}

// ------------------------------------------------------------ open times ---

/** How many days after an empty one are searched for the next open time. */
export const searchDays = 14;

export interface SlotQuery {
  appointmentType: string;
  location: string;
  therapist: string;
  /** "YYYY-MM-DD", the location's local day. */
  day: string;
}

function protoDate(day: string): { year: number; month: number; day: number } {
  const f = parseWall(day);
  if (!f) throw new RangeError(`not a date: "${day}"`);
  return { year: f.year, month: f.month, day: f.day };
}

/** FindAvailableSlots for one local day, one location, one therapist. */
export function slotsRequest(q: SlotQuery): MessageInitShape<typeof FindAvailableSlotsRequestSchema> {
  return {
    appointmentType: q.appointmentType,
    locations: [q.location],
    therapist: q.therapist,
    startDate: protoDate(q.day),
    endDate: protoDate(q.day),
  };
}

/** FindAvailableSlots for the next open time after `q.day`: the following `searchDays` days, the earliest slot only. */
export function nextOpenRequest(q: SlotQuery): MessageInitShape<typeof FindAvailableSlotsRequestSchema> {
  return {
    appointmentType: q.appointmentType,
    locations: [q.location],
    therapist: q.therapist,
    startDate: protoDate(addDays(q.day, 1)),
    endDate: protoDate(addDays(q.day, searchDays)),
    maxSlots: 1,
  };
}

/** Whether the fields a slot search needs are all chosen (and the day is a real date). */
export function canSearch(q: SlotQuery): boolean {
  return !!q.appointmentType && !!q.location && !!q.therapist && /^\d{4}-\d{2}-\d{2}$/.test(q.day) && !!parseWall(q.day);
}

/** The local day of a slot's local_start ("2026-03-10T09:00" → "2026-03-10"). */
export const slotDay = (localStart: string) => localStart.slice(0, 10);

/** The slots of a response that are the therapist's, on `day`, earliest first. */
export function slotsOfDay<T extends Pick<Slot, "therapist" | "localStart">>(slots: readonly T[], therapist: string, day: string): T[] {
  return slots
    .filter((s) => (!therapist || s.therapist === therapist) && slotDay(s.localStart) === day)
    .sort((a, b) => a.localStart.localeCompare(b.localStart));
}

/** Whether two slots are the same start of the same therapist. */
export function sameSlot(a: Pick<Slot, "therapist" | "localStart"> | undefined, b: Pick<Slot, "therapist" | "localStart"> | undefined): boolean {
  return !!a && !!b && a.therapist === b.therapist && a.localStart === b.localStart;
}

// ------------------------------------------------------------ in words ---

const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const months = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "2026-03-10" → "Tuesday 10 March 2026". */
export function dayWords(day: string): string {
  const f = parseWall(day.slice(0, 10));
  if (!f) return day;
  return `${weekdays[weekday(day.slice(0, 10))]} ${f.day} ${months[f.month - 1]} ${f.year}`;
}

/** A slot's button: its local start as "09:00" (the location's wall time, 24-hour as on the calendar). */
export function timeWords(localStart: string): string {
  const m = /T(\d{2}):(\d{2})/.exec(localStart);
  return m ? `${m[1]}:${m[2]}` : localStart;
}

/** "Tuesday 10 March 2026, 09:00 MST" (the zone's short name when known). */
export function whenWords(localStart: string, zoneName = ""): string {
  const when = `${dayWords(slotDay(localStart))}, ${timeWords(localStart)}`;
  return zoneName ? `${when} ${zoneName}` : when;
}

/** "No open times on Tuesday 10 March 2026; try another day." */
export function noOpenTimes(day: string): string {
  return `No open times on ${dayWords(day)}; try another day.`;
}

export interface BookedEvaluation {
  /** The appointment's local start, "2026-03-10T09:00". */
  localStart: string;
  /** The zone's short name ("MST"), or "". */
  zoneName: string;
  therapistName: string;
  locationName: string;
}

/**
 * "Initial evaluation booked: Tuesday 10 March 2026, 09:00 MST with Ann Lee
 * at Boulder – Pearl Street." (a part not known is left out, never shown as
 * an id).
 */
export function bookedLine(b: BookedEvaluation): string {
  let text = `Initial evaluation booked: ${whenWords(b.localStart, b.zoneName)}`;
  if (b.therapistName.trim()) text += ` with ${b.therapistName.trim()}`;
  if (b.locationName.trim()) text += ` at ${b.locationName.trim()}`;
  return `${text}.`;
}

/** What the page says about the contact request the screening came from, once converted. */
export function contactRequestLine(contactName: string): string {
  const who = contactName.trim();
  return who
    ? `The contact request from ${who} is marked converted.`
    : "The contact request this screening came from is marked converted.";
}

// ------------------------------------------------------------ the request ---

export interface ConvertValues {
  location: string;
  appointmentType: string;
  therapist: string;
  /** The chosen slot's start, passed back as FindAvailableSlots gave it. */
  startTime: Timestamp | undefined;
  notes: string;
}

export const maxNotes = 2000;

/** ConvertScreening. */
export function convertRequest(
  screening: string,
  v: ConvertValues,
  requestId: string,
): MessageInitShape<typeof ConvertScreeningRequestSchema> {
  return {
    name: screening,
    location: v.location,
    appointmentType: v.appointmentType,
    therapist: v.therapist,
    startTime: v.startTime ? { seconds: v.startTime.seconds, nanos: v.startTime.nanos } : undefined,
    notes: v.notes.trim(),
    requestId,
  };
}

/** What is sent, as a string: the same string means the same booking (and keeps its request_id for a retry). */
export function convertKey(screening: string, v: ConvertValues): string {
  return JSON.stringify([
    screening,
    v.location,
    v.appointmentType,
    v.therapist,
    v.startTime ? `${v.startTime.seconds}.${v.startTime.nanos}` : "",
    v.notes.trim(),
  ]);
}

/**
 * Whether a failed ConvertScreening may have booked (no answer: network,
 * timeout): sending the same booking again keeps its request_id, so it is
 * booked once. After any other error the next attempt takes a new one (the
 * service answers a reused request_id with its first answer).
 */
export function keepsRequestId(err: unknown): boolean {
  return outcomeUnknown(err);
}

// ------------------------------------------------------------ errors ---

/** The form's fields, named as ConvertScreeningRequest's (BadRequest violations name them). */
export const convertFields = ["location", "appointment_type", "therapist", "start_time", "notes"] as const;
export type ConvertField = (typeof convertFields)[number];

export const convertLabels: Record<ConvertField, string> = {
  location: "Location",
  appointment_type: "Appointment type",
  therapist: "Therapist",
  start_time: "Time",
  notes: "Notes",
};

/** Errors found before sending: a time chosen (and everything it needs), notes not too long. */
export function checkConvert(v: ConvertValues): FieldErrors<ConvertField> {
  const fields: Partial<Record<ConvertField, string>> = {};
  if (!v.location) fields.location = "Choose a location.";
  if (!v.appointmentType) fields.appointment_type = "Choose an appointment type.";
  if (!v.therapist) fields.therapist = "Choose a therapist.";
  if (!v.startTime) fields.start_time = "Choose one of the open times.";
  if ([...v.notes.trim()].length > maxNotes) fields.notes = `At most ${maxNotes.toLocaleString("en-US")} characters.`;
  return { fields, other: [] };
}

/** Resource names as people know them: "staff/…" → "Ann Lee", "locations/…" → "Boulder – Pearl Street". */
export type Names = ReadonlyMap<string, string>;

const collections = [
  "appointmentTypes",
  "appointments",
  "contactRequests",
  "holds",
  "locations",
  "patients",
  "screeningProtocols",
  "screenings",
  "staff",
];
const resourceSource = `\\b(?:${collections.join("|")})/[A-Za-z0-9_-][^\\s,;:()]*`;

/**
 * A server's message for people: the resource names it knows replaced by
 * names; undefined when an id would still show (the caller says it in its
 * own words instead).
 */
export function plainMessage(message: string, names: Names = new Map()): string | undefined {
  let text = message.trim();
  if (!text) return undefined;
  text = text.replace(new RegExp(resourceSource, "g"), (m) => {
    // "staff/x." : the period may end the sentence.
    const bare = m.replace(/[.]+$/, "");
    const known = names.get(bare);
    return known ? known + m.slice(bare.length) : m;
  });
  if (new RegExp(resourceSource).test(text)) return undefined;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const slotTakenMessage = "That time was just taken. The open times are shown again: choose another.";

/** The ErrorInfo reasons that mean the time is no longer open. */
const takenReasons = new Set(["SLOT_TAKEN", "SLOT_HELD"]);

/** What the page does after a failed ConvertScreening (besides showing the errors). */
export type ConvertFailure =
  /** The time was taken meanwhile: reload the day's open times. */
  | "taken"
  /** The patient has another appointment then: choose another time. */
  | "patient-busy"
  /** The screening's state does not allow it (converted meanwhile, another outcome), or the slot is not bookable: reload both. */
  | "precondition"
  /** Anything else: the form stays as it is. */
  | "other";

export function convertFailure(err: unknown): ConvertFailure {
  const e = ConnectError.from(err);
  const reason = errorReason(e);
  if (reason === "PATIENT_BUSY") return "patient-busy";
  if (e.code === Code.AlreadyExists || (reason && takenReasons.has(reason))) return "taken";
  if (e.code === Code.FailedPrecondition) return "precondition";
  return "other";
}

/**
 * A failed ConvertScreening onto the form, in clinic language: a taken time
 * or a busy patient at the times; BadRequest violations at the fields they
 * name (location, appointment_type, therapist, start_time, notes) and the
 * rest as general errors; any message with its ids replaced by `names` —
 * or, when ids would still show, in fixed words.
 */
export function convertFormErrors(err: unknown, context: { names?: Names; patientName?: string } = {}): FieldErrors<ConvertField> {
  const e = ConnectError.from(err);
  const names = context.names ?? new Map<string, string>();
  const errors: FieldErrors<ConvertField> = { fields: {}, other: [] };
  switch (convertFailure(e)) {
    case "taken":
      errors.fields.start_time = slotTakenMessage;
      return errors;
    case "patient-busy":
      errors.fields.start_time = `${context.patientName?.trim() || "The patient"} already has an appointment at that time; choose another time.`;
      return errors;
    default:
      break;
  }
  const violations = fieldViolations(e);
  if (violations) {
    const plain = violations.map((v) => ({
      field: v.field,
      description: plainMessage(v.description, names) ?? "is not valid",
    }));
    const sorted = fieldErrorsFromViolations(plain, convertFields);
    errors.fields = sorted.fields;
    errors.other = sorted.other;
  }
  if (Object.keys(errors.fields).length === 0 && errors.other.length === 0) errors.other.push(describeConvertError(e, names));
  return errors;
}

/** A failed ConvertScreening (or a failed search for open times) in words, without ids. */
export function describeConvertError(err: unknown, names: Names = new Map()): string {
  const e = ConnectError.from(err);
  switch (e.code) {
    case Code.FailedPrecondition:
      return (
        plainMessage(e.rawMessage, names) ??
        "This screening cannot be turned into an initial evaluation now: it may have been booked already, or the time is no longer bookable."
      );
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return plainMessage(e.rawMessage, names) ?? "The server refused what was sent; check the choices and try again.";
    case Code.NotFound:
      return "The screening, or something chosen for the evaluation, does not exist (any more). Reload the page.";
    case Code.AlreadyExists:
      return slotTakenMessage;
    case Code.Unknown:
    case Code.Internal:
      return "No answer came back; the evaluation may or may not be booked. Press the button again: it will not be booked twice.";
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.PermissionDenied:
    case Code.Unauthenticated:
      return describeCallError(e);
    default:
      return plainMessage(e.rawMessage, names) ?? `The request failed (${Code[e.code] ?? e.code}).`;
  }
}
