// Pure logic behind the scheduling admin pages: form values <-> Location,
// AppointmentType and ProviderSchedule, update masks, the reminder lead in
// words, and server errors that name a row (a BadRequest violation of
// "schedule.weekly_hours[2].end"). No DOM, no network.
import { create } from "@bufbuild/protobuf";
import { DurationSchema, type Duration } from "@bufbuild/protobuf/wkt";
import {
  AppointmentTypeSchema,
  ClosureSchema,
  LocationSchema,
  OpeningHoursSchema,
  ProviderScheduleSchema,
  ScheduleExceptionSchema,
  ScheduleException_Kind,
  WorkingHoursSchema,
  type AppointmentType,
  type Location,
  type ProviderSchedule,
} from "../../gen/clinic/appointments/v1/appointments_pb";
import { DayOfWeek } from "../../gen/google/type/dayofweek_pb";
import {
  durationMinutes,
  hhmmToTimeOfDay,
  minutesDuration,
  protoDateString,
  timeOfDayToHhmm,
  weekdayNames,
} from "../calendar/calendar-model";
import { inputToDate } from "../patients/patient-model";
import { describeCallError, fieldViolations, type FieldViolation } from "../shared/errors";

// ------------------------------------------------------------ reminder lead ---
//
// How long before a visit its reminder goes out (Location.reminder_lead and
// AppointmentType.reminder_lead, a google.protobuf.Duration). On the forms it
// is a choice: the value is the lead in whole seconds as a string ("172800"
// for 2 days), "" for unset (a location: the practice's default of 24 hours;
// a type: the location's setting).

const hourSeconds = 3600;
const daySeconds = 24 * hourSeconds;

/** The lead when neither the type nor the location sets one (the notifications service's default). */
export const defaultReminderLeadSeconds = 24 * hourSeconds;

/** The leads offered, in seconds: 1, 2, 3, 6, 12 hours; 1, 2, 3, 7 days (the server takes 1 hour to 14 days). */
export const reminderLeadChoices: readonly number[] = [
  ...[1, 2, 3, 6, 12].map((h) => h * hourSeconds),
  ...[1, 2, 3, 7].map((d) => d * daySeconds),
];

/** Whose lead it is: a location's (unset = the practice's default) or a type's (unset = the location's). */
export type ReminderLeadOwner = "location" | "type";

/** A lead's whole seconds; undefined when unset (or not a positive duration). */
export function reminderLeadSeconds(d: Duration | undefined): number | undefined {
  if (!d) return undefined;
  const s = Math.round(Number(d.seconds) + d.nanos / 1e9);
  return s > 0 ? s : undefined;
}

/** The form value of a lead: its seconds as a string, "" when unset. */
export function reminderLeadValue(d: Duration | undefined): string {
  const s = reminderLeadSeconds(d);
  return s === undefined ? "" : String(s);
}

/** The Duration a form value stands for; undefined for "" (unset: the default applies). */
export function reminderLeadDuration(value: string): Duration | undefined {
  const v = value.trim();
  if (!v) return undefined;
  const n = Math.round(Number(v));
  if (!Number.isFinite(n) || n <= 0) return undefined;
  return create(DurationSchema, { seconds: BigInt(n), nanos: 0 });
}

const counted = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;

/**
 * A length of time in words: whole days as days ("2 days", "7 days"),
 * whole hours as hours ("1 hour", "36 hours"), else hours and minutes
 * ("1 hour 30 minutes").
 */
export function durationWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s > 0 && s % daySeconds === 0) return counted(s / daySeconds, "day");
  if (s > 0 && s % hourSeconds === 0) return counted(s / hourSeconds, "hour");
  const h = Math.floor(s / hourSeconds);
  const m = Math.floor((s % hourSeconds) / 60);
  const rest = s % 60;
  const parts = [h ? counted(h, "hour") : "", m ? counted(m, "minute") : "", rest ? counted(rest, "second") : ""].filter(Boolean);
  return parts.join(" ") || "0 minutes";
}

/** What the unset choice is called: "Practice default (24 hours)" for a location, "Location's setting" for a type. */
export function reminderLeadDefaultLabel(owner: ReminderLeadOwner): string {
  return owner === "location" ? `Practice default (${counted(defaultReminderLeadSeconds / hourSeconds, "hour")})` : "Location’s setting";
}

/**
 * The "Reminder before the visit" select's options, [value, label]: the
 * default first, then the choices, shortest first; a stored lead that is
 * none of them (set through the API) is one more option, in words, in its
 * place by length, so that it shows as chosen and saving keeps it.
 */
export function reminderLeadOptions(current: string, owner: ReminderLeadOwner): Array<readonly [string, string]> {
  const leads = [...reminderLeadChoices];
  const c = reminderLeadSeconds(reminderLeadDuration(current));
  if (c !== undefined && !leads.includes(c)) {
    leads.push(c);
    leads.sort((a, b) => a - b);
  }
  return [["", reminderLeadDefaultLabel(owner)] as const, ...leads.map((s) => [String(s), durationWords(s)] as const)];
}

/** A lead for the lists: "Reminder 2 days before"; "" when unset (the default applies). */
export function reminderLeadListWords(d: Duration | undefined): string {
  const s = reminderLeadSeconds(d);
  return s === undefined ? "" : `Reminder ${durationWords(s)} before`;
}

const sameLead = (a: Duration | undefined, b: Duration | undefined) => reminderLeadSeconds(a) === reminderLeadSeconds(b);

// ------------------------------------------------------------ locations ---

export interface DayHours {
  open: string; // "HH:MM" or "" (closed)
  close: string;
}

export interface LocationForm {
  display_name: string;
  /** One address line per text line. */
  address_lines: string;
  phone: string;
  time_zone: string;
  slot_minutes: string;
  /** Keyed by DayOfWeek (1 Monday … 7 Sunday). */
  opening_hours: Record<number, DayHours>;
  closures: Array<{ date: string; reason: string }>;
  /** The language of patients' emails: "en" (also for a location that has none) or "es". */
  language: string;
  /** The reminder lead in seconds ("7200"), "" for the practice's default. */
  reminder_lead: string;
}

export const locationFields = [
  "display_name",
  "address_lines",
  "phone",
  "time_zone",
  "opening_hours",
  "closures",
  "slot_minutes",
  "language",
  "reminder_lead",
] as const;
export type LocationField = (typeof locationFields)[number];

export const slotMinuteChoices = [5, 10, 15, 20, 30, 60];

/** The language of patient emails when a location names none. */
export const defaultLanguage = "en";

/** The languages patients' emails can be sent in: [code, name in that language]. */
export const languageChoices: ReadonlyArray<readonly [string, string]> = [
  ["en", "English"],
  ["es", "Español"],
];

/**
 * The language select's options: the known ones, and `current` as it is
 * when it is another (set through the API), so that saving keeps it.
 */
export function languageOptions(current: string): Array<readonly [string, string]> {
  const c = current.trim();
  if (!c || languageChoices.some(([code]) => code === c)) return [...languageChoices];
  return [...languageChoices, [c, c] as const];
}

export function emptyLocationForm(): LocationForm {
  const hours: Record<number, DayHours> = {};
  for (const [day] of weekdayNames) {
    const weekday = day >= DayOfWeek.MONDAY && day <= DayOfWeek.FRIDAY;
    hours[day] = weekday ? { open: "08:00", close: "18:00" } : { open: "", close: "" };
  }
  return {
    display_name: "",
    address_lines: "",
    phone: "",
    time_zone: "",
    slot_minutes: "15",
    opening_hours: hours,
    closures: [],
    language: defaultLanguage,
    reminder_lead: "",
  };
}

export function locationForm(l: Location): LocationForm {
  const hours: Record<number, DayHours> = {};
  for (const [day] of weekdayNames) hours[day] = { open: "", close: "" };
  for (const h of l.openingHours) hours[h.day] = { open: timeOfDayToHhmm(h.open), close: timeOfDayToHhmm(h.close) };
  return {
    display_name: l.displayName,
    address_lines: l.addressLines.join("\n"),
    phone: l.phone,
    time_zone: l.timeZone,
    slot_minutes: String(l.slotMinutes || 15),
    opening_hours: hours,
    closures: l.closures.map((c) => ({ date: protoDateString(c.date), reason: c.reason })),
    language: l.language.trim() || defaultLanguage,
    reminder_lead: reminderLeadValue(l.reminderLead),
  };
}

/** The Location a form describes (without name and etag). Closed days are left out. */
export function locationFromForm(f: LocationForm): Location {
  return create(LocationSchema, {
    displayName: f.display_name.trim(),
    addressLines: f.address_lines
      .split("\n")
      .map((s) => s.trim())
      .filter(Boolean),
    phone: f.phone.trim(),
    timeZone: f.time_zone.trim(),
    slotMinutes: Number(f.slot_minutes) || 0,
    openingHours: weekdayNames
      .filter(([day]) => f.opening_hours[day]?.open && f.opening_hours[day]?.close)
      .map(([day]) =>
        create(OpeningHoursSchema, {
          day,
          open: hhmmToTimeOfDay(f.opening_hours[day].open),
          close: hhmmToTimeOfDay(f.opening_hours[day].close),
        }),
      ),
    closures: f.closures
      .filter((c) => c.date || c.reason.trim())
      .map((c) => create(ClosureSchema, { date: inputToDate(c.date), reason: c.reason.trim() })),
    language: f.language.trim() || defaultLanguage,
    reminderLead: reminderLeadDuration(f.reminder_lead),
  });
}

/** Client-side checks before sending (the server checks everything again). */
export function checkLocationForm(f: LocationForm, knownZone: (z: string) => boolean): Partial<Record<LocationField, string>> {
  const errors: Partial<Record<LocationField, string>> = {};
  if (!f.display_name.trim()) errors.display_name = "is required";
  if (!f.time_zone.trim()) errors.time_zone = "is required";
  else if (!knownZone(f.time_zone.trim())) errors.time_zone = "is not a known IANA time zone";
  const bad = weekdayNames.filter(([day]) => {
    const h = f.opening_hours[day];
    if (!h || (!h.open && !h.close)) return false;
    if (!h.open || !h.close) return true;
    return h.close !== "24:00" && h.close <= h.open;
  });
  if (bad.length) errors.opening_hours = `${bad.map(([, n]) => n).join(", ")}: opening must be before closing (leave both empty when closed)`;
  if (f.closures.some((c) => (c.reason.trim() || c.date) && !inputToDate(c.date))) errors.closures = "every closure needs a date";
  return errors;
}

/** The update_mask of an edit: the location fields that changed. */
export function locationMask(before: LocationForm, after: LocationForm): LocationField[] {
  const a = locationFromForm(before);
  const b = locationFromForm(after);
  const same = (x: unknown, y: unknown) => JSON.stringify(x, bigintSafe) === JSON.stringify(y, bigintSafe);
  const out: LocationField[] = [];
  if (a.displayName !== b.displayName) out.push("display_name");
  if (!same(a.addressLines, b.addressLines)) out.push("address_lines");
  if (a.phone !== b.phone) out.push("phone");
  if (a.timeZone !== b.timeZone) out.push("time_zone");
  if (!same(plainHours(a), plainHours(b))) out.push("opening_hours");
  if (!same(plainClosures(a), plainClosures(b))) out.push("closures");
  if (a.slotMinutes !== b.slotMinutes) out.push("slot_minutes");
  if (a.language !== b.language) out.push("language");
  if (!sameLead(a.reminderLead, b.reminderLead)) out.push("reminder_lead");
  return out;
}

const bigintSafe = (_k: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);
const plainHours = (l: Location) => l.openingHours.map((h) => [h.day, timeOfDayToHhmm(h.open), timeOfDayToHhmm(h.close)]);
const plainClosures = (l: Location) => l.closures.map((c) => [protoDateString(c.date), c.reason]);

// ------------------------------------------------------------ appointment types ---

export interface TypeForm {
  display_name: string;
  duration: string; // minutes
  buffer_before: string;
  buffer_after: string;
  /** Comma- or space-separated: "PT, DPT". */
  allowed_credentials: string;
  bookable_online: boolean;
  min_notice: string; // minutes
  max_days_ahead: string;
  color: string;
  /** The reminder lead in seconds ("172800"), "" for the location's setting. */
  reminder_lead: string;
}

export const typeFields = [
  "display_name",
  "duration",
  "buffer_before",
  "buffer_after",
  "allowed_credentials",
  "bookable_online",
  "min_notice",
  "max_days_ahead",
  "color",
  "reminder_lead",
] as const;
export type TypeField = (typeof typeFields)[number];

export function emptyTypeForm(): TypeForm {
  return {
    display_name: "",
    duration: "45",
    buffer_before: "0",
    buffer_after: "0",
    allowed_credentials: "",
    bookable_online: false,
    min_notice: "120",
    max_days_ahead: "60",
    color: "#4a7ab5",
    reminder_lead: "",
  };
}

export function typeForm(t: AppointmentType): TypeForm {
  return {
    display_name: t.displayName,
    duration: String(durationMinutes(t.duration)),
    buffer_before: String(durationMinutes(t.bufferBefore)),
    buffer_after: String(durationMinutes(t.bufferAfter)),
    allowed_credentials: t.allowedCredentials.join(", "),
    bookable_online: t.bookableOnline,
    min_notice: String(durationMinutes(t.minNotice)),
    max_days_ahead: String(t.maxDaysAhead || ""),
    color: t.color || "#4a7ab5",
    reminder_lead: reminderLeadValue(t.reminderLead),
  };
}

/** "PT, DPT  ot" -> ["PT", "DPT", "OT"] (upper case, no repeats). */
export function parseCredentials(text: string): string[] {
  const out: string[] = [];
  for (const c of text.split(/[\s,;]+/)) {
    const v = c.trim().toUpperCase();
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

const minutes = (s: string) => {
  const n = Number(s.trim());
  return Number.isFinite(n) ? Math.round(n) : 0;
};

export function typeFromForm(f: TypeForm): AppointmentType {
  return create(AppointmentTypeSchema, {
    displayName: f.display_name.trim(),
    duration: minutesDuration(minutes(f.duration)),
    bufferBefore: minutesDuration(minutes(f.buffer_before)),
    bufferAfter: minutesDuration(minutes(f.buffer_after)),
    allowedCredentials: parseCredentials(f.allowed_credentials),
    bookableOnline: f.bookable_online,
    minNotice: minutesDuration(minutes(f.min_notice)),
    maxDaysAhead: minutes(f.max_days_ahead),
    color: f.color.trim().toLowerCase(),
    reminderLead: reminderLeadDuration(f.reminder_lead),
  });
}

export function checkTypeForm(f: TypeForm): Partial<Record<TypeField, string>> {
  const errors: Partial<Record<TypeField, string>> = {};
  if (!f.display_name.trim()) errors.display_name = "is required";
  const d = Number(f.duration);
  if (!Number.isInteger(d) || d < 5 || d > 480) errors.duration = "must be 5 to 480 minutes";
  for (const k of ["buffer_before", "buffer_after"] as const) {
    const b = Number(f[k]);
    if (!Number.isInteger(b) || b < 0 || b > 120) errors[k] = "must be 0 to 120 minutes";
  }
  const ahead = Number(f.max_days_ahead);
  if (!Number.isInteger(ahead) || ahead < 1 || ahead > 365) errors.max_days_ahead = "must be 1 to 365 days";
  const notice = Number(f.min_notice);
  if (!Number.isInteger(notice) || notice < 0) errors.min_notice = "must be 0 or more minutes";
  if (!/^#[0-9a-fA-F]{6}$/.test(f.color.trim())) errors.color = 'must look like "#RRGGBB"';
  return errors;
}

export function typeMask(before: TypeForm, after: TypeForm): TypeField[] {
  const a = typeFromForm(before);
  const b = typeFromForm(after);
  const out: TypeField[] = [];
  if (a.displayName !== b.displayName) out.push("display_name");
  if (durationMinutes(a.duration) !== durationMinutes(b.duration)) out.push("duration");
  if (durationMinutes(a.bufferBefore) !== durationMinutes(b.bufferBefore)) out.push("buffer_before");
  if (durationMinutes(a.bufferAfter) !== durationMinutes(b.bufferAfter)) out.push("buffer_after");
  if (a.allowedCredentials.join(",") !== b.allowedCredentials.join(",")) out.push("allowed_credentials");
  if (a.bookableOnline !== b.bookableOnline) out.push("bookable_online");
  if (durationMinutes(a.minNotice) !== durationMinutes(b.minNotice)) out.push("min_notice");
  if (a.maxDaysAhead !== b.maxDaysAhead) out.push("max_days_ahead");
  if (a.color !== b.color) out.push("color");
  if (!sameLead(a.reminderLead, b.reminderLead)) out.push("reminder_lead");
  return out;
}

// ------------------------------------------------------------ schedules ---

export interface HoursRow {
  location: string;
  day: string; // DayOfWeek as a string, "1".."7"
  start: string;
  end: string;
}

export interface ExceptionRow {
  kind: string; // ScheduleException_Kind as a string
  date: string;
  location: string; // "" = every location (time off)
  start: string; // "" with end "" = whole day
  end: string;
  reason: string;
}

export interface ScheduleForm {
  weekly_hours: HoursRow[];
  breaks: HoursRow[];
  exceptions: ExceptionRow[];
}

export type ScheduleSection = keyof ScheduleForm;

export function scheduleForm(s: ProviderSchedule | undefined): ScheduleForm {
  const rows = (list: ProviderSchedule["weeklyHours"]) =>
    list.map((h) => ({ location: h.location, day: String(h.day), start: timeOfDayToHhmm(h.start), end: timeOfDayToHhmm(h.end) }));
  return {
    weekly_hours: rows(s?.weeklyHours ?? []),
    breaks: rows(s?.breaks ?? []),
    exceptions: (s?.exceptions ?? []).map((e) => ({
      kind: String(e.kind),
      date: protoDateString(e.date),
      location: e.location,
      start: timeOfDayToHhmm(e.start),
      end: timeOfDayToHhmm(e.end),
      reason: e.reason,
    })),
  };
}

export function emptyHoursRow(location = "", day: DayOfWeek = DayOfWeek.MONDAY): HoursRow {
  return { location, day: String(day), start: "09:00", end: "17:00" };
}

export function emptyExceptionRow(): ExceptionRow {
  return { kind: String(ScheduleException_Kind.TIME_OFF), date: "", location: "", start: "", end: "", reason: "" };
}

/** The whole ProviderSchedule a form describes (UpdateProviderSchedule replaces it). */
export function scheduleFromForm(f: ScheduleForm, name: string, etag: string): ProviderSchedule {
  const hours = (rows: HoursRow[]) =>
    rows.map((r) =>
      create(WorkingHoursSchema, {
        location: r.location,
        day: Number(r.day) as DayOfWeek,
        start: hhmmToTimeOfDay(r.start),
        end: hhmmToTimeOfDay(r.end),
      }),
    );
  return create(ProviderScheduleSchema, {
    name,
    etag,
    weeklyHours: hours(f.weekly_hours),
    breaks: hours(f.breaks),
    exceptions: f.exceptions.map((e) =>
      create(ScheduleExceptionSchema, {
        kind: Number(e.kind) as ScheduleException_Kind,
        date: inputToDate(e.date),
        location: e.location,
        start: e.start ? hhmmToTimeOfDay(e.start) : undefined,
        end: e.end ? hhmmToTimeOfDay(e.end) : undefined,
        reason: e.reason.trim(),
      }),
    ),
  });
}

/** Row problems found before sending: section -> row index -> message. */
export type RowErrors = Partial<Record<ScheduleSection, Record<number, string>>>;

export function checkScheduleForm(f: ScheduleForm): RowErrors {
  const errors: RowErrors = {};
  const add = (section: ScheduleSection, i: number, message: string) => {
    (errors[section] ??= {})[i] = message;
  };
  const checkRows = (section: "weekly_hours" | "breaks") =>
    f[section].forEach((r, i) => {
      if (!r.location) add(section, i, "choose a location");
      else if (!r.start || !r.end) add(section, i, "needs a start and an end");
      else if (r.end !== "24:00" && r.end <= r.start) add(section, i, "the end must be after the start");
    });
  checkRows("weekly_hours");
  checkRows("breaks");
  f.exceptions.forEach((e, i) => {
    if (!inputToDate(e.date)) add("exceptions", i, "needs a date");
    else if (Number(e.kind) === ScheduleException_Kind.EXTRA_HOURS && !e.location) add("exceptions", i, "extra hours need a location");
    else if (Number(e.kind) === ScheduleException_Kind.EXTRA_HOURS && (!e.start || !e.end)) add("exceptions", i, "extra hours need a start and an end");
    else if (!!e.start !== !!e.end) add("exceptions", i, "give both start and end, or neither (the whole day)");
    else if (e.start && e.end && e.end !== "24:00" && e.end <= e.start) add("exceptions", i, "the end must be after the start");
  });
  return errors;
}

export function hasRowErrors(e: RowErrors): boolean {
  return Object.values(e).some((rows) => rows && Object.keys(rows).length > 0);
}

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
const sections: readonly string[] = ["weekly_hours", "breaks", "exceptions"];

/**
 * Sorts field violations naming rows ("schedule.weekly_hours[2].end": "must
 * be after start") into row errors ("end: must be after start" at row 2 of
 * weekly_hours); the others' descriptions are returned as `other`.
 */
export function rowErrorsFromViolations(violations: readonly FieldViolation[]): { rows: RowErrors; other: string[] } {
  const rows: RowErrors = {};
  const other: string[] = [];
  for (const v of violations) {
    const description = v.description.trim() || "is not valid";
    const m = /^(?:schedule\.)?([A-Za-z_]+)\[(\d+)\](?:\.([A-Za-z_.]+))?$/.exec(v.field.trim());
    const section = m ? camelToSnake(m[1]) : "";
    if (m && sections.includes(section)) {
      const i = Number(m[2]);
      const text = m[3] ? `${camelToSnake(m[3])}: ${description}` : description;
      const bucket = (rows[section as ScheduleSection] ??= {});
      bucket[i] = bucket[i] ? `${bucket[i]}; ${text}` : text;
    } else {
      other.push(description);
    }
  }
  return { rows, other };
}

/**
 * A failed UpdateProviderSchedule as row errors (from its BadRequest details)
 * and the rest; without details, the error in words.
 */
export function scheduleRowErrors(err: unknown): { rows: RowErrors; other: string[] } {
  const violations = fieldViolations(err);
  if (!violations) return { rows: {}, other: [describeCallError(err)] };
  return rowErrorsFromViolations(violations);
}

// ------------------------------------------------------------ schedules: many days at once ---

/** Monday to Friday, as the rows' `day` values ("1" … "5"). */
export const mondayToFriday: readonly string[] = [
  DayOfWeek.MONDAY,
  DayOfWeek.TUESDAY,
  DayOfWeek.WEDNESDAY,
  DayOfWeek.THURSDAY,
  DayOfWeek.FRIDAY,
].map(String);

/** Every day of the week, Monday first, as the rows' `day` values. */
export const allWeekdays: readonly string[] = weekdayNames.map(([d]) => String(d));

const dayOrder = (day: string) => allWeekdays.indexOf(day);

/**
 * Rows ordered for reading: grouped by location (in the order the locations
 * first appear), then Monday to Sunday, then by start.
 */
export function sortHoursRows(rows: readonly HoursRow[]): HoursRow[] {
  const locations: string[] = [];
  for (const r of rows) if (!locations.includes(r.location)) locations.push(r.location);
  return [...rows].sort(
    (a, b) =>
      locations.indexOf(a.location) - locations.indexOf(b.location) ||
      dayOrder(a.day) - dayOrder(b.day) ||
      a.start.localeCompare(b.start),
  );
}

/** "Same hours Monday to Friday" as filled in: a location and one start and end. */
export interface SameHours {
  location: string;
  start: string;
  end: string;
}
export type SameHoursField = keyof SameHours;

/** What is wrong with "Same hours …" before applying it, per field. */
export function checkSameHours(v: SameHours): Partial<Record<SameHoursField, string>> {
  const errors: Partial<Record<SameHoursField, string>> = {};
  if (!v.location) errors.location = "choose a location";
  if (!v.start) errors.start = "give a start";
  if (!v.end) errors.end = "give an end";
  else if (v.start && v.end !== "24:00" && v.end <= v.start) errors.end = "must be after the start";
  return errors;
}

/**
 * The same hours on several days at one location, in one go: the rows at
 * that location on those days are replaced by one row a day; every other row
 * (other days, other locations) is kept.
 */
export function setSameHours(rows: readonly HoursRow[], v: SameHours, days: readonly string[] = mondayToFriday): HoursRow[] {
  const kept = rows.filter((r) => !(r.location === v.location && days.includes(r.day)));
  const added = days.map((day) => ({ location: v.location, day, start: v.start, end: v.end }));
  return sortHoursRows([...kept, ...added]);
}

/**
 * "Copy this day to…": the rows of the day of row `index`, at its location,
 * copied to each of `days` (replacing what those days had at that location).
 * The other locations' rows are kept.
 */
export function copyDayTo(rows: readonly HoursRow[], index: number, days: readonly string[]): HoursRow[] {
  const source = rows[index];
  if (!source) return [...rows];
  const targets = days.filter((d) => d !== source.day);
  const sameDay = rows.filter((r) => r.location === source.location && r.day === source.day);
  const kept = rows.filter((r) => !(r.location === source.location && targets.includes(r.day)));
  const copies = targets.flatMap((day) => sameDay.map((r) => ({ ...r, day })));
  return sortHoursRows([...kept, ...copies]);
}

/** Days in words: "Monday to Friday", "Monday to Sunday", "Tuesday and Thursday", "Monday, Wednesday and Friday". */
export function daysWords(days: readonly string[]): string {
  const sorted = [...new Set(days)].filter((d) => dayOrder(d) >= 0).sort((a, b) => dayOrder(a) - dayOrder(b));
  const names = sorted.map((d) => weekdayNames[dayOrder(d)][1]);
  if (sorted.length >= 3 && dayOrder(sorted[sorted.length - 1]) - dayOrder(sorted[0]) === sorted.length - 1) {
    return `${names[0]} to ${names[names.length - 1]}`;
  }
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
