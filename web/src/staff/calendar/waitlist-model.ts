// The pure logic of the waitlist: the "Add to waitlist" form of the booking
// dialog (values, checks, the request, the server's errors at its fields)
// and the waitlist page's rows in words. No DOM and no network here.
import { create } from "@bufbuild/protobuf";
import { ConnectError } from "@connectrpc/connect";
import { TimeOfDayPreference, WaitlistEntrySchema, type WaitlistEntry } from "../../gen/clinic/appointments/v1/appointments_pb";
import {
  CreateWaitlistEntryRequestSchema,
  ListWaitlistEntriesRequestSchema,
  type CreateWaitlistEntryRequest,
  type ListWaitlistEntriesRequest,
} from "../../gen/clinic/appointments/v1/appointments_service_pb";
import { fieldViolations } from "../shared/errors";
import { fieldErrorsFromViolations, type FieldErrors } from "../shared/form-errors";
import { addDays, describeDate, parseWall, timestampToWall } from "../shared/tz";
import { calendarCallError, protoDateString, speakable, timeOfDayLabels, typePhrase } from "./calendar-model";

// ------------------------------------------------------------ the form ---

/** The fields of the "Add to waitlist" form, named as in the request's entry. */
export const waitlistFields = ["latest_date", "time_of_day", "therapist", "notes"] as const;
export type WaitlistField = (typeof waitlistFields)[number];

export const waitlistLabels: Record<WaitlistField, string> = {
  latest_date: "Latest date",
  time_of_day: "Time of day",
  therapist: "Therapist",
  notes: "Notes",
};

/** What the form holds (the patient, location and type come from the booking dialog). */
export interface WaitlistValues {
  /** "YYYY-MM-DD". */
  latestDate: string;
  timeOfDay: TimeOfDayPreference;
  /** "staff/…", or "" for anyone. */
  therapist: string;
  notes: string;
}

/** How many days ahead the latest date is at first. */
export const defaultWaitDays = 14;

/** The most characters the notes may have. */
export const maxWaitlistNotes = 500;

/** The form at first: the latest date two weeks after `today` (the location's), any time, any therapist. */
export function defaultWaitlistValues(today: string): WaitlistValues {
  return { latestDate: addDays(today, defaultWaitDays), timeOfDay: TimeOfDayPreference.UNSPECIFIED, therapist: "", notes: "" };
}

/** The time-of-day choices, as the form offers them. */
export const timeOfDayChoices: ReadonlyArray<[TimeOfDayPreference, string]> = [
  [TimeOfDayPreference.UNSPECIFIED, "Any time"],
  [TimeOfDayPreference.MORNING, "Mornings (before 12:00)"],
  [TimeOfDayPreference.AFTERNOON, "Afternoons (12:00 to 17:00)"],
  [TimeOfDayPreference.EVENING, "Evenings (from 17:00)"],
];

/** What the booking dialog must have chosen for a waitlist entry. */
export interface WaitlistContext {
  patient: string;
  location: string;
  appointmentType: string;
}

/**
 * What is plainly wrong before sending: the patient and type not chosen
 * yet (general errors), a latest date that is not a date or is before
 * `today`, notes too long.
 */
export function checkWaitlist(values: WaitlistValues, ctx: WaitlistContext, today: string): FieldErrors<WaitlistField> {
  const errors: FieldErrors<WaitlistField> = { fields: {}, other: [] };
  if (!ctx.patient) errors.other.push("Choose the patient first (search, or create a new one).");
  if (!ctx.appointmentType) errors.other.push("Choose the appointment type first.");
  if (!ctx.location) errors.other.push("Choose a location first.");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.latestDate) || !parseWall(values.latestDate)) {
    errors.fields.latest_date = "Choose the latest date the patient would still come.";
  } else if (values.latestDate < today) {
    errors.fields.latest_date = "The latest date cannot be in the past.";
  }
  if (values.notes.trim().length > maxWaitlistNotes) {
    errors.fields.notes = `At most ${maxWaitlistNotes} characters (now ${values.notes.trim().length}).`;
  }
  return errors;
}

/** Whether a check found anything. */
export const hasWaitlistErrors = (e: FieldErrors<WaitlistField>) => Object.keys(e.fields).length > 0 || e.other.length > 0;

/** CreateWaitlistEntry for the form's values, with a request_id. */
export function waitlistRequest(values: WaitlistValues, ctx: WaitlistContext, requestId: string): CreateWaitlistEntryRequest {
  const d = parseWall(values.latestDate);
  return create(CreateWaitlistEntryRequestSchema, {
    entry: create(WaitlistEntrySchema, {
      patient: ctx.patient,
      location: ctx.location,
      appointmentType: ctx.appointmentType,
      therapist: values.therapist,
      timeOfDay: values.timeOfDay,
      latestDate: d ? { year: d.year, month: d.month, day: d.day } : undefined,
      notes: values.notes.trim(),
    }),
    requestId,
  });
}

/** The key of a waitlist request's body: the same key after an error that may have added it keeps the request_id. */
export function waitlistKey(values: WaitlistValues, ctx: WaitlistContext): string {
  return JSON.stringify([ctx.patient, ctx.location, ctx.appointmentType, values.therapist, values.timeOfDay, values.latestDate, values.notes.trim()]);
}

/**
 * CreateWaitlistEntry's errors at the form's fields (BadRequest violations
 * of `entry.latest_date`, `entry.notes`, …); the rest, and any other error,
 * in words (never a field path or an id).
 */
export function waitlistFormErrors(err: unknown): FieldErrors<WaitlistField> {
  const e = ConnectError.from(err);
  const violations = fieldViolations(e);
  if (violations) {
    const sorted = fieldErrorsFromViolations(violations, waitlistFields, ["entry."]);
    const other = sorted.other.map((m) => speakable(m)).filter((m): m is string => !!m);
    const fields: Partial<Record<WaitlistField, string>> = {};
    for (const [f, m] of Object.entries(sorted.fields) as Array<[WaitlistField, string]>) fields[f] = speakable(m) ?? "This is not valid.";
    if (Object.keys(fields).length || other.length) return { fields, other };
  }
  return { fields: {}, other: [calendarCallError(e, "The patient was not added to the waitlist. Try again.")] };
}

/**
 * What the dialog says once the entry is made: "Jane Doe is on the
 * waitlist at Denver – Highlands for a follow-up until Tue, 24 Mar 2026
 * (mornings, with Theo Rapp)."
 */
export function waitlistAddedMessage(
  entry: Pick<WaitlistEntry, "timeOfDay" | "latestDate" | "therapist">,
  words: { patientName: string; locationName: string; typeName: string; therapistName?: string },
): string {
  const until = protoDateString(entry.latestDate);
  const prefs = [timeOfDayLabels[entry.timeOfDay] ?? "any time", ...(entry.therapist && words.therapistName ? [`with ${words.therapistName}`] : [])];
  return `${words.patientName} is on the waitlist at ${words.locationName} for ${typePhrase(words.typeName)}${
    until ? ` until ${describeDate(until, undefined, false)}` : ""
  } (${prefs.join(", ")}).`;
}

// ------------------------------------------------------------ the page ---

/** ListWaitlistEntries for a location (and maybe one type), one page. */
export function listWaitlistRequest(location: string, appointmentType = "", pageToken = ""): ListWaitlistEntriesRequest {
  return create(ListWaitlistEntriesRequestSchema, { location, appointmentType, pageSize: 200, pageToken });
}

/** A waitlist entry as the page shows it. */
export interface WaitlistRow {
  name: string;
  patient: string;
  patientName: string;
  typeName: string;
  therapistName: string;
  latestDate: string;
  timeOfDay: string;
  notes: string;
  added: string;
  priority: number;
}

/** An entry in words: names for ids, dates for people ("Tue, 24 Mar 2026"), "Anyone" for no therapist. */
export function waitlistRow(
  e: WaitlistEntry,
  names: { patient: (name: string) => string; type: (name: string) => string | undefined; therapist: (name: string) => string | undefined },
  zone: string,
): WaitlistRow {
  const latest = protoDateString(e.latestDate);
  return {
    name: e.name,
    patient: e.patient,
    patientName: names.patient(e.patient),
    typeName: names.type(e.appointmentType) ?? "Appointment",
    therapistName: e.therapist ? (names.therapist(e.therapist) ?? "A therapist") : "Anyone",
    latestDate: latest ? describeDate(latest, undefined, false) : "—",
    timeOfDay: capitalize(timeOfDayLabels[e.timeOfDay] ?? "any time"),
    notes: e.notes,
    added: e.createTime ? describeDate(timestampToWall(e.createTime, zone).slice(0, 10), undefined, false) : "—",
    priority: e.priority,
  };
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The question before removing an entry: "Remove Jane Doe (follow-up) from the waitlist?". */
export function removeQuestion(row: Pick<WaitlistRow, "patientName" | "typeName">): string {
  return `Remove ${row.patientName} (${row.typeName}) from the waitlist?`;
}
