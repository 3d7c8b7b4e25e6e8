// The pure logic behind the front-desk calendar: appointment states -> how
// they look and what can be done, appointments and schedules -> calendar
// events in the location's wall time, and the requests the calendar sends.
// No DOM and no network here.
import { create } from "@bufbuild/protobuf";
import { durationFromMs, durationMs, type Duration } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  AppointmentSchema,
  AppointmentSource,
  AppointmentState,
  ScheduleException_Kind,
  TimeOfDayPreference,
  type Appointment,
  type AppointmentType,
  type Location,
  type ProviderSchedule,
  type WaitlistEntry,
} from "../../gen/clinic/appointments/v1/appointments_pb";
import {
  BookAppointmentRequestSchema,
  CancelAppointmentRequestSchema,
  ListAppointmentsRequestSchema,
  RescheduleAppointmentRequestSchema,
  type BookAppointmentRequest,
  type CancelAppointmentRequest,
  type ListAppointmentsRequest,
  type RescheduleAppointmentRequest,
} from "../../gen/clinic/appointments/v1/appointments_service_pb";
import { DayOfWeek } from "../../gen/google/type/dayofweek_pb";
import { TimeOfDaySchema, type TimeOfDay } from "../../gen/google/type/timeofday_pb";
import type { Date as ProtoDate } from "../../gen/google/type/date_pb";
import {
  addDays,
  dateRange,
  dayRangeMs,
  hhmmToMinutes,
  minutesToHhmm,
  parseWall,
  timestampToWall,
  wallToTimestamp,
  weekday,
  weekStart,
} from "../shared/tz";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { errorReason } from "../shared/errors";

// ------------------------------------------------------------ states ---

export interface StateStyle {
  /** Shown to people: "Checked in". */
  label: string;
  /** The CSS class of the calendar event: "appt-checked-in". */
  className: string;
  /** Still holds the slot (booked, confirmed, checked in). */
  active: boolean;
  /** Drawn faded (done, no-show, cancelled). */
  faded: boolean;
}

const states: Record<AppointmentState, StateStyle> = {
  [AppointmentState.UNSPECIFIED]: { label: "Unknown", className: "appt-unknown", active: false, faded: true },
  [AppointmentState.BOOKED]: { label: "Booked", className: "appt-booked", active: true, faded: false },
  [AppointmentState.CONFIRMED]: { label: "Confirmed", className: "appt-confirmed", active: true, faded: false },
  [AppointmentState.CHECKED_IN]: { label: "Checked in", className: "appt-checked-in", active: true, faded: false },
  [AppointmentState.COMPLETED]: { label: "Completed", className: "appt-completed", active: false, faded: true },
  [AppointmentState.NO_SHOW]: { label: "No-show", className: "appt-no-show", active: false, faded: true },
  [AppointmentState.CANCELLED]: { label: "Cancelled", className: "appt-cancelled", active: false, faded: true },
};

/** How an appointment in this state looks on the calendar. */
export function stateStyle(state: AppointmentState): StateStyle {
  return states[state] ?? states[AppointmentState.UNSPECIFIED];
}

/** The verbs the front desk can use on an appointment. */
export type Verb = "confirm" | "checkIn" | "complete" | "noShow" | "cancel" | "reschedule";

export const verbLabels: Record<Verb, string> = {
  confirm: "Confirm",
  checkIn: "Check in",
  complete: "Complete",
  noShow: "Mark no-show",
  cancel: "Cancel appointment",
  reschedule: "Reschedule",
};

/**
 * The verbs allowed in a state (the server's state machine decides; this only
 * hides buttons that would certainly fail). A no-show needs the start to have
 * passed: `startMs` and `nowMs` decide that.
 */
export function allowedVerbs(state: AppointmentState, startMs: number, nowMs: number): Verb[] {
  const S = AppointmentState;
  switch (state) {
    case S.BOOKED:
      return ["confirm", "checkIn", ...(startMs <= nowMs ? (["noShow"] as Verb[]) : []), "reschedule", "cancel"];
    case S.CONFIRMED:
      return ["checkIn", ...(startMs <= nowMs ? (["noShow"] as Verb[]) : []), "reschedule", "cancel"];
    case S.CHECKED_IN:
      return ["complete"];
    default:
      return [];
  }
}

/** Whether an appointment in this state can be dragged to another time. */
export function canMove(state: AppointmentState): boolean {
  return state === AppointmentState.BOOKED || state === AppointmentState.CONFIRMED;
}

// ------------------------------------------------------------ colours ---

/** "#RRGGBB" or undefined. */
export function validColor(color: string | undefined): string | undefined {
  return color && /^#[0-9a-fA-F]{6}$/.test(color) ? color.toLowerCase() : undefined;
}

/** Black or white text, whichever reads better on `background` ("#RRGGBB"). */
export function textColorOn(background: string): "#000000" | "#ffffff" {
  const c = validColor(background);
  if (!c) return "#000000";
  const channel = (i: number) => {
    const v = parseInt(c.slice(i, i + 2), 16) / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // Contrast with black (L+0.05)/0.05 vs with white 1.05/(L+0.05).
  return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "#000000" : "#ffffff";
}

export const defaultTypeColor = "#4a7ab5";

// ------------------------------------------------------------ times ---

/** "HH:MM" of a TimeOfDay ("" when unset). */
export function timeOfDayToHhmm(t: TimeOfDay | undefined): string {
  if (!t) return "";
  return minutesToHhmm(t.hours * 60 + t.minutes);
}

/** Minutes since midnight of a TimeOfDay (undefined when unset). */
export function timeOfDayMinutes(t: TimeOfDay | undefined): number | undefined {
  return t ? t.hours * 60 + t.minutes : undefined;
}

/** A TimeOfDay for "HH:MM" ("24:00" allowed), or undefined. */
export function hhmmToTimeOfDay(value: string): TimeOfDay | undefined {
  const m = hhmmToMinutes(value);
  if (m === undefined) return undefined;
  return create(TimeOfDaySchema, { hours: Math.floor(m / 60), minutes: m % 60 });
}

/** google.type.DayOfWeek of a JavaScript weekday (0 Sunday … 6 Saturday). */
export function protoDay(jsDay: number): DayOfWeek {
  return jsDay === 0 ? DayOfWeek.SUNDAY : (jsDay as DayOfWeek);
}

/** JavaScript weekday (0 Sunday) of a google.type.DayOfWeek. */
export function jsDay(day: DayOfWeek): number {
  return day === DayOfWeek.SUNDAY ? 0 : Number(day);
}

export const weekdayNames: ReadonlyArray<[DayOfWeek, string]> = [
  [DayOfWeek.MONDAY, "Monday"],
  [DayOfWeek.TUESDAY, "Tuesday"],
  [DayOfWeek.WEDNESDAY, "Wednesday"],
  [DayOfWeek.THURSDAY, "Thursday"],
  [DayOfWeek.FRIDAY, "Friday"],
  [DayOfWeek.SATURDAY, "Saturday"],
  [DayOfWeek.SUNDAY, "Sunday"],
];

export function dayName(day: DayOfWeek): string {
  return weekdayNames.find(([d]) => d === day)?.[1] ?? "—";
}

/** "YYYY-MM-DD" of a google.type.Date ("" when unset). */
export function protoDateString(d: ProtoDate | undefined): string {
  if (!d || !d.year || !d.month || !d.day) return "";
  return `${String(d.year).padStart(4, "0")}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
}

/** Whole minutes of a Duration (0 when unset). */
export function durationMinutes(d: Duration | undefined): number {
  return d ? Math.round(durationMs(d) / 60000) : 0;
}

export function minutesDuration(minutes: number): Duration {
  return durationFromMs(minutes * 60000);
}

// ------------------------------------------------------------ views ---

export type ViewKind = "day" | "week";

/** The local dates a view shows: the day, or Monday–Sunday of its week. */
export function viewDates(date: string, view: ViewKind): string[] {
  return view === "day" ? [date] : dateRange(weekStart(date, 1), 7);
}

/** The date the previous / next button goes to. */
export function stepDate(date: string, view: ViewKind, direction: 1 | -1): string {
  return addDays(date, direction * (view === "day" ? 1 : 7));
}

/** ListAppointments for a location over the view's days (local days in `zone`). */
export function listAppointmentsRequest(
  location: string,
  date: string,
  view: ViewKind,
  zone: string,
  pageToken = "",
): ListAppointmentsRequest {
  const dates = viewDates(date, view);
  const range = dayRangeMs(dates[0], dates.length, zone);
  return create(ListAppointmentsRequestSchema, {
    locations: [location],
    startTime: timestampFromMs(range.start),
    endTime: timestampFromMs(range.end),
    showCancelled: true,
    pageSize: 500,
    pageToken,
  });
}

/**
 * The weekdays (0 Sunday … 6 Saturday) the location is closed every week, to
 * hide in the week view; none when that would hide every day.
 */
export function closedWeekdays(location: Location | undefined): number[] {
  if (!location || location.openingHours.length === 0) return [];
  const open = new Set(location.openingHours.map((h) => jsDay(h.day)));
  const closed = [0, 1, 2, 3, 4, 5, 6].filter((d) => !open.has(d));
  return closed.length === 7 ? [] : closed;
}

/** The hours the calendar shows: from the earliest opening to the latest closing (default 07:00–19:00). */
export function visibleHours(location: Location | undefined): { min: string; max: string } {
  const opens = (location?.openingHours ?? []).map((h) => timeOfDayMinutes(h.open) ?? 0);
  const closes = (location?.openingHours ?? []).map((h) => timeOfDayMinutes(h.close) ?? 0);
  if (opens.length === 0) return { min: "07:00", max: "19:00" };
  const min = Math.max(0, Math.floor(Math.min(...opens) / 60) * 60 - 60);
  const max = Math.min(1440, Math.ceil(Math.max(...closes) / 60) * 60 + 60);
  return { min: minutesToHhmm(min), max: minutesToHhmm(max) };
}

// ------------------------------------------------------------ working hours ---

export interface Interval {
  /** Minutes since local midnight. */
  start: number;
  end: number;
}

function mergeIntervals(list: Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

function subtract(from: Interval[], cut: Interval[]): Interval[] {
  let out = from;
  for (const c of cut) {
    const next: Interval[] = [];
    for (const i of out) {
      if (c.end <= i.start || c.start >= i.end) {
        next.push(i);
        continue;
      }
      if (c.start > i.start) next.push({ start: i.start, end: c.start });
      if (c.end < i.end) next.push({ start: c.end, end: i.end });
    }
    out = next;
  }
  return out;
}

function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (end > start) out.push({ start, end });
    }
  }
  return mergeIntervals(out);
}

const interval = (start: TimeOfDay | undefined, end: TimeOfDay | undefined): Interval => ({
  start: timeOfDayMinutes(start) ?? 0,
  end: timeOfDayMinutes(end) ?? 1440,
});

/**
 * When a therapist works at a location on a local date: weekly hours and
 * extra hours, less breaks and time off, within the location's opening hours
 * (none on a closure day).
 */
export function workingIntervals(schedule: ProviderSchedule | undefined, location: Location, date: string): Interval[] {
  if (!schedule) return [];
  if (location.closures.some((c) => protoDateString(c.date) === date)) return [];
  const day = protoDay(weekday(date));
  const here = (loc: string) => loc === location.name;
  let work = mergeIntervals([
    ...schedule.weeklyHours.filter((h) => here(h.location) && h.day === day).map((h) => interval(h.start, h.end)),
    ...schedule.exceptions
      .filter((e) => e.kind === ScheduleException_Kind.EXTRA_HOURS && here(e.location) && protoDateString(e.date) === date)
      .map((e) => interval(e.start, e.end)),
  ]);
  const breaks = schedule.breaks.filter((b) => here(b.location) && b.day === day).map((b) => interval(b.start, b.end));
  const timeOff = schedule.exceptions
    .filter(
      (e) =>
        e.kind === ScheduleException_Kind.TIME_OFF &&
        (e.location === "" || here(e.location)) &&
        protoDateString(e.date) === date,
    )
    .map((e) => (e.start || e.end ? interval(e.start, e.end) : { start: 0, end: 1440 }));
  work = subtract(work, [...breaks, ...timeOff]);
  if (location.openingHours.length > 0) {
    const opening = location.openingHours.filter((h) => h.day === day).map((h) => interval(h.open, h.close));
    work = intersect(work, opening);
  }
  return work;
}

/** Whether a therapist works at this location on any of `dates` (or at all weekly, when dates is empty). */
export function worksAt(schedule: ProviderSchedule | undefined, location: Location, dates: string[] = []): boolean {
  if (!schedule) return false;
  if (schedule.weeklyHours.some((h) => h.location === location.name)) return true;
  return schedule.exceptions.some(
    (e) =>
      e.kind === ScheduleException_Kind.EXTRA_HOURS &&
      e.location === location.name &&
      (dates.length === 0 || dates.includes(protoDateString(e.date))),
  );
}

/** A plain event object as the calendar takes it (times are wall times, "floating"). */
export interface CalendarEventInput {
  id: string;
  resourceId: string;
  start: string;
  end: string;
  title?: string;
  display?: "auto" | "background";
  backgroundColor?: string;
  textColor?: string;
  classNames?: string[];
  editable?: boolean;
  extendedProps?: Record<string, unknown>;
}

/** Background events shading each therapist's working hours on `dates`. */
export function workingHourEvents(
  therapists: ReadonlyArray<{ name: string; schedule?: ProviderSchedule }>,
  location: Location,
  dates: string[],
): CalendarEventInput[] {
  const out: CalendarEventInput[] = [];
  for (const t of therapists) {
    for (const date of dates) {
      workingIntervals(t.schedule, location, date).forEach((i, n) => {
        out.push({
          id: `work:${t.name}:${date}:${n}`,
          resourceId: t.name,
          start: `${date}T${minutesToHhmm(i.start)}:00`,
          end: i.end >= 1440 ? `${addDays(date, 1)}T00:00:00` : `${date}T${minutesToHhmm(i.end)}:00`,
          display: "background",
          classNames: ["working-hours"],
        });
      });
    }
  }
  return out;
}

/** The wall-clock start ("YYYY-MM-DDTHH:MM:SS") of an appointment in the zone. */
export function appointmentWallStart(a: Appointment, zone: string): string {
  return timestampToWall(a.startTime, zone);
}

/** A calendar event for an appointment, in the location's wall time. */
export function appointmentEvent(
  a: Appointment,
  zone: string,
  type: AppointmentType | undefined,
  patientName: string,
): CalendarEventInput {
  const style = stateStyle(a.state);
  const color = validColor(type?.color) ?? defaultTypeColor;
  return {
    id: a.name,
    resourceId: a.therapist,
    start: appointmentWallStart(a, zone),
    end: timestampToWall(a.endTime, zone),
    title: `${patientName} — ${type?.displayName ?? "Appointment"} (${style.label})`,
    backgroundColor: color,
    textColor: textColorOn(color),
    classNames: ["appt", style.className, ...(style.faded ? ["appt-faded"] : [])],
    editable: canMove(a.state),
    extendedProps: { kind: "appointment" },
  };
}

/**
 * Which appointments the calendar draws: cancelled ones only when asked to
 * (they no longer hold the slot).
 */
export function visibleAppointments(list: Appointment[], showCancelled: boolean): Appointment[] {
  return list.filter((a) => showCancelled || a.state !== AppointmentState.CANCELLED);
}

// ------------------------------------------------------------ requests ---

export interface BookingInput {
  patient: string;
  therapist: string;
  location: string;
  appointmentType: string;
  /** The wall-clock start in the location's zone. */
  wallStart: string;
  zone: string;
  notes?: string;
  requestId: string;
}

/** BookAppointment for a slot picked on the calendar. */
export function bookRequest(input: BookingInput): BookAppointmentRequest {
  return create(BookAppointmentRequestSchema, {
    appointment: create(AppointmentSchema, {
      patient: input.patient,
      therapist: input.therapist,
      location: input.location,
      appointmentType: input.appointmentType,
      startTime: wallToTimestamp(input.wallStart, input.zone),
      source: AppointmentSource.FRONT_DESK,
      notes: (input.notes ?? "").trim(),
    }),
    requestId: input.requestId,
  });
}

/** RescheduleAppointment to a new wall-clock start (and maybe another therapist). */
export function rescheduleRequest(
  a: Appointment,
  wallStart: string,
  zone: string,
  requestId: string,
  therapist?: string,
): RescheduleAppointmentRequest {
  return create(RescheduleAppointmentRequestSchema, {
    name: a.name,
    startTime: wallToTimestamp(wallStart, zone),
    therapist: therapist && therapist !== a.therapist ? therapist : "",
    etag: a.etag,
    requestId,
  });
}

export function cancelRequest(a: Appointment, reason: string): CancelAppointmentRequest {
  return create(CancelAppointmentRequestSchema, { name: a.name, reason: reason.trim(), etag: a.etag });
}

/** The calendar's duration: {years, months, days, seconds}. */
export interface CalendarDelta {
  years?: number;
  months?: number;
  days?: number;
  seconds?: number;
}

/**
 * The wall-clock start after a drag: the old wall start moved by the drag's
 * delta, in wall-clock terms (a day later is the same clock time, even
 * across a daylight-saving change).
 */
export function movedWallStart(oldWall: string, delta: CalendarDelta): string {
  const f = parseWall(oldWall);
  if (!f) throw new RangeError(`not a local date and time: "${oldWall}"`);
  const d = new Date(
    Date.UTC(
      f.year + (delta.years ?? 0),
      f.month - 1 + (delta.months ?? 0),
      f.day + (delta.days ?? 0),
      f.hour,
      f.minute,
      f.second + (delta.seconds ?? 0),
    ),
  );
  return d.toISOString().slice(0, 19);
}

/** "YYYY-MM-DDTHH:MM:SS" of a date string the calendar gives ("2026-03-10T09:15:00", maybe with more). */
export function calendarWall(dateStr: string): string | undefined {
  const f = parseWall(dateStr.slice(0, 19));
  if (!f) return undefined;
  return dateStr.slice(0, 10) + "T" + [f.hour, f.minute, f.second].map((n) => String(n).padStart(2, "0")).join(":");
}

/** The wall string of a Date whose local fields are the wall time (what the calendar passes to callbacks). */
export function wallOfLocalDate(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

// ------------------------------------------------------------ errors ---

/** The google.rpc.ErrorInfo reason of a booking or move whose slot another booking holds. */
export const slotTakenReason = "SLOT_TAKEN";

/**
 * What a failed booking or move says to the person at the desk. A slot
 * taken meanwhile is said so, with the server's message: ALREADY_EXISTS (a
 * conflict with another booking, whatever its ErrorInfo reason: SLOT_TAKEN,
 * or the database's exclusion constraint), or any error whose reason is
 * SLOT_TAKEN.
 */
export function bookingErrorMessage(err: unknown): { message: string; taken: boolean } {
  const e = ConnectError.from(err);
  if (e.code === Code.AlreadyExists || errorReason(e) === slotTakenReason) {
    return {
      message: `That time was just taken: ${e.rawMessage.replace(/^slot taken:\s*/i, "") || "another appointment holds it"}`,
      taken: true,
    };
  }
  switch (e.code) {
    case Code.FailedPrecondition:
    case Code.InvalidArgument:
    case Code.OutOfRange:
      return { message: e.rawMessage || "The server refused this booking.", taken: false };
    case Code.Aborted:
      return { message: "Someone else changed this appointment; the calendar was reloaded.", taken: false };
    case Code.PermissionDenied:
      return { message: "You do not have permission to do this.", taken: false };
    case Code.NotFound:
      return { message: e.rawMessage || "It does not exist (any more).", taken: false };
    case Code.Unavailable:
      return { message: "The server could not be reached. Check the connection and try again.", taken: false };
    case Code.DeadlineExceeded:
      return { message: "The server took too long to answer. Try again.", taken: false };
    default:
      return { message: e.rawMessage || `The request failed (${Code[e.code] ?? e.code}).`, taken: false };
  }
}

// ------------------------------------------------------------ waitlist ---

const timeOfDayLabels: Record<TimeOfDayPreference, string> = {
  [TimeOfDayPreference.UNSPECIFIED]: "any time",
  [TimeOfDayPreference.MORNING]: "mornings",
  [TimeOfDayPreference.AFTERNOON]: "afternoons",
  [TimeOfDayPreference.EVENING]: "evenings",
};

/** "Jane Doe — mornings, until 2026-04-01, priority 10" for a waitlist match. */
export function describeWaitlistEntry(e: WaitlistEntry, patientName: string): string {
  const parts = [timeOfDayLabels[e.timeOfDay] ?? "any time"];
  const until = protoDateString(e.latestDate);
  if (until) parts.push(`until ${until}`);
  if (e.priority) parts.push(`priority ${e.priority}`);
  return `${patientName} — ${parts.join(", ")}${e.notes ? ` (${e.notes})` : ""}`;
}

/** The id in "appointments/{id}", "staff/{id}", "patients/{id}", ... */
export function resourceId(name: string): string {
  const i = name.lastIndexOf("/");
  return i >= 0 ? name.slice(i + 1) : name;
}
