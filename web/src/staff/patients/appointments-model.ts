// Pure logic behind the lists of appointments on a patient's page (and on a
// therapist's My day) and the patient's waitlist: appointments in words, in
// the location's wall time; upcoming and past; the waitlist entries in words;
// the "Add to waitlist" form <-> CreateWaitlistEntry. No DOM, no network.
import { create } from "@bufbuild/protobuf";
import {
  AppointmentState,
  TimeOfDayPreference,
  WaitlistEntrySchema,
  type Appointment,
  type AppointmentType,
  type Location,
  type WaitlistEntry,
} from "../../gen/clinic/appointments/v1/appointments_pb";
import {
  CreateWaitlistEntryRequestSchema,
  type CreateWaitlistEntryRequest,
} from "../../gen/clinic/appointments/v1/appointments_service_pb";
import { DateSchema, type Date as ProtoDate } from "../../gen/google/type/date_pb";
import { fieldErrorsFrom, type FieldErrors } from "../shared/form-errors";
import { describeCallError } from "../shared/errors";
import { addDays, describeDate, parseWall, timestampToMs, wallString, zoneAbbreviation } from "../shared/tz";
import { patientId } from "./patient-model";

// ------------------------------------------------------------ appointments ---

/** What names the resources an appointment refers to. */
export interface Names {
  locations: ReadonlyMap<string, Location>;
  types: ReadonlyMap<string, AppointmentType>;
  /** "staff/…" -> "Theo Rapp". */
  therapists: ReadonlyMap<string, string>;
  /** "patients/…" -> "Maya Okafor" (My day). */
  patients?: ReadonlyMap<string, string>;
}

const stateWords: Record<AppointmentState, string> = {
  [AppointmentState.UNSPECIFIED]: "Unknown",
  [AppointmentState.BOOKED]: "Booked",
  [AppointmentState.CONFIRMED]: "Confirmed",
  [AppointmentState.CHECKED_IN]: "Checked in",
  [AppointmentState.COMPLETED]: "Completed",
  [AppointmentState.NO_SHOW]: "No-show",
  [AppointmentState.CANCELLED]: "Cancelled",
};

/** An appointment's state in words ("Checked in"). */
export function stateLabel(state: AppointmentState): string {
  return stateWords[state] ?? stateWords[AppointmentState.UNSPECIFIED];
}

/** An appointment as the lists show it: every time is the location's wall time. */
export interface AppointmentView {
  /** "appointments/…". */
  name: string;
  /** "patients/…". */
  patient: string;
  /** The patient's page. */
  patientHref: string;
  /** The patient's name, when known ("Patient" otherwise). */
  patientName: string;
  startMs: number;
  endMs: number;
  /** The location's zone (the browser's when the location is unknown). */
  zone: string;
  /** The local start, "YYYY-MM-DDTHH:MM:SS". */
  wall: string;
  /** The local day, "YYYY-MM-DD". */
  date: string;
  /** "09:00". */
  time: string;
  /** "09:00–10:00". */
  timeRange: string;
  /** "Tuesday, March 10, 2026". */
  day: string;
  /** "Tue, Mar 10, 2026". */
  shortDay: string;
  /** The zone's abbreviation ("MST") when it is not the browser's zone; "" otherwise. */
  zoneNote: string;
  state: AppointmentState;
  stateLabel: string;
  /** A CSS class for the state: "state-checked-in". */
  stateClass: string;
  /** Booked, confirmed or checked in: it still holds its time. */
  active: boolean;
  typeName: string;
  therapistName: string;
  locationName: string;
  cancelReason: string;
}

/** "09:00" of a wall string (24-hour clock, as the calendar shows times). */
export function wallTime(wall: string): string {
  const f = parseWall(wall);
  if (!f) return "";
  return `${String(f.hour).padStart(2, "0")}:${String(f.minute).padStart(2, "0")}`;
}

/** The local start of an appointment: its `local_start` when the service sent it, else computed in `zone`. */
function appointmentWall(a: Appointment, zone: string): string {
  const f = a.localStart ? parseWall(a.localStart) : undefined;
  if (f) {
    const pad = (n: number, w = 2) => String(n).padStart(w, "0");
    return `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
  }
  return wallString(timestampToMs(a.startTime), zone);
}

export interface ViewOptions {
  /** The browser's zone, to tell when the location's is another. */
  browserZone?: string;
  locale?: string;
}

/** An appointment in words (see AppointmentView). */
export function appointmentView(a: Appointment, names: Names, options: ViewOptions = {}): AppointmentView {
  const location = names.locations.get(a.location);
  const browserZone = options.browserZone ?? "UTC";
  const zone = location?.timeZone || browserZone;
  const startMs = timestampToMs(a.startTime);
  const endMs = a.endTime ? timestampToMs(a.endTime) : startMs;
  const wall = appointmentWall(a, zone);
  const endWall = a.endTime ? wallString(endMs, zone) : "";
  const time = wallTime(wall);
  const endTime = endWall ? wallTime(endWall) : "";
  const label = stateLabel(a.state);
  return {
    name: a.name,
    patient: a.patient,
    patientHref: `/staff/patients/${encodeURIComponent(patientId(a.patient))}`,
    patientName: names.patients?.get(a.patient) ?? "Patient",
    startMs,
    endMs,
    zone,
    wall,
    date: wall.slice(0, 10),
    time,
    timeRange: endTime && endTime !== time ? `${time}–${endTime}` : time,
    day: describeDate(wall.slice(0, 10), options.locale),
    shortDay: describeDate(wall.slice(0, 10), options.locale, false),
    zoneNote: zone !== browserZone ? zoneAbbreviation(startMs, zone, options.locale) : "",
    state: a.state,
    stateLabel: label,
    stateClass: "state-" + label.toLowerCase().replace(/[^a-z]+/g, "-"),
    active:
      a.state === AppointmentState.BOOKED || a.state === AppointmentState.CONFIRMED || a.state === AppointmentState.CHECKED_IN,
    typeName: names.types.get(a.appointmentType)?.displayName || "Appointment",
    therapistName: names.therapists.get(a.therapist) || "a therapist",
    locationName: location?.displayName || "a location",
    cancelReason: a.state === AppointmentState.CANCELLED ? a.cancelReason : "",
  };
}

/**
 * A patient's appointments split at `nowMs`: upcoming (not over yet, soonest
 * first) and past (most recent first).
 */
export function splitAppointments(views: readonly AppointmentView[], nowMs: number): { upcoming: AppointmentView[]; past: AppointmentView[] } {
  const upcoming = views.filter((v) => Math.max(v.endMs, v.startMs) > nowMs).sort((a, b) => a.startMs - b.startMs);
  const past = views.filter((v) => Math.max(v.endMs, v.startMs) <= nowMs).sort((a, b) => b.startMs - a.startMs);
  return { upcoming, past };
}

/** The calendar, ready to book for this patient ("patients/…"). */
export function bookHref(patient: string): string {
  return `/staff/calendar?patient=patients/${encodeURIComponent(patientId(patient))}`;
}

// ------------------------------------------------------------ waitlist ---

export const timeOfDayOptions: ReadonlyArray<[TimeOfDayPreference, string]> = [
  [TimeOfDayPreference.UNSPECIFIED, "Any time"],
  [TimeOfDayPreference.MORNING, "Mornings (before 12:00)"],
  [TimeOfDayPreference.AFTERNOON, "Afternoons (12:00 to 17:00)"],
  [TimeOfDayPreference.EVENING, "Evenings (from 17:00)"],
];

const timeOfDayShort: Record<TimeOfDayPreference, string> = {
  [TimeOfDayPreference.UNSPECIFIED]: "any time",
  [TimeOfDayPreference.MORNING]: "mornings",
  [TimeOfDayPreference.AFTERNOON]: "afternoons",
  [TimeOfDayPreference.EVENING]: "evenings",
};

/** "YYYY-MM-DD" of a google.type.Date, "" when unset. */
export function protoDateToString(d: ProtoDate | undefined): string {
  if (!d || !d.year || !d.month || !d.day) return "";
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** A waitlist entry in words. */
export interface WaitlistView {
  name: string;
  /** "Follow-up at Boulder – Pearl Street". */
  what: string;
  /** "with Theo Rapp", "any therapist". */
  who: string;
  /** "mornings". */
  when: string;
  /** "Until Tuesday, March 24, 2026". */
  until: string;
  priority: number;
  notes: string;
}

export function waitlistView(e: WaitlistEntry, names: Names, locale?: string): WaitlistView {
  const type = names.types.get(e.appointmentType)?.displayName || "Appointment";
  const location = names.locations.get(e.location)?.displayName || "a location";
  const latest = protoDateToString(e.latestDate);
  return {
    name: e.name,
    what: `${type} at ${location}`,
    who: e.therapist ? `with ${names.therapists.get(e.therapist) || "a chosen therapist"}` : "any therapist",
    when: timeOfDayShort[e.timeOfDay] ?? "any time",
    until: latest ? `until ${describeDate(latest, locale)}` : "",
    priority: e.priority,
    notes: e.notes,
  };
}

/** The entries of one patient, from lists of every patient's (ListWaitlistEntries has no patient filter). */
export function entriesOfPatient(entries: readonly WaitlistEntry[], patient: string): WaitlistEntry[] {
  const seen = new Set<string>();
  return entries.filter((e) => {
    if (e.patient !== patient || seen.has(e.name)) return false;
    seen.add(e.name);
    return true;
  });
}

/** The "Add to waitlist" form's fields, named as in WaitlistEntry. */
export const waitlistFields = ["location", "appointment_type", "latest_date", "time_of_day", "therapist", "notes"] as const;
export type WaitlistField = (typeof waitlistFields)[number];
export type WaitlistValues = Record<WaitlistField, string>;

export const waitlistLabels: Record<WaitlistField, string> = {
  location: "Location",
  appointment_type: "Appointment type",
  latest_date: "Latest date",
  time_of_day: "Time of day",
  therapist: "Therapist",
  notes: "Notes",
};

/** How far ahead "Latest date" starts: two weeks from today. */
export const defaultWaitDays = 14;

/**
 * The form at first: the first location and type offered, the latest date
 * two weeks after `today` ("YYYY-MM-DD", the location's today), any time,
 * any therapist.
 */
export function defaultWaitlistValues(today: string, location = "", appointmentType = ""): WaitlistValues {
  return {
    location,
    appointment_type: appointmentType,
    latest_date: addDays(today, defaultWaitDays),
    time_of_day: String(TimeOfDayPreference.UNSPECIFIED),
    therapist: "",
    notes: "",
  };
}

function dateFromInput(value: string): ProtoDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  return m ? create(DateSchema, { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }) : undefined;
}

/** CreateWaitlistEntry for the patient ("patients/…") and the form's values. */
export function waitlistRequest(patient: string, values: WaitlistValues, requestId: string): CreateWaitlistEntryRequest {
  return create(CreateWaitlistEntryRequestSchema, {
    entry: create(WaitlistEntrySchema, {
      patient,
      location: values.location,
      appointmentType: values.appointment_type,
      therapist: values.therapist,
      timeOfDay: Number(values.time_of_day) as TimeOfDayPreference,
      latestDate: dateFromInput(values.latest_date),
      notes: values.notes.trim(),
    }),
    requestId,
  });
}

/** What is plainly missing before sending (the server judges the rest). */
export function checkWaitlist(values: WaitlistValues): FieldErrors<WaitlistField> {
  const fields: Partial<Record<WaitlistField, string>> = {};
  if (!values.location) fields.location = "Choose a location.";
  if (!values.appointment_type) fields.appointment_type = "Choose an appointment type.";
  if (!dateFromInput(values.latest_date)) fields.latest_date = "Enter the latest date the patient would still want.";
  return { fields, other: [] };
}

/** A failed CreateWaitlistEntry at the form's fields ("entry.latest_date" -> latest_date) and the rest. */
export function waitlistFormErrors(err: unknown): FieldErrors<WaitlistField> {
  return fieldErrorsFrom(err, waitlistFields, ["entry."], (e) => describeCallError(e));
}
