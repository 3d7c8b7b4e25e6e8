// The pure logic behind the front-desk calendar: appointment states -> how
// they look and what can be done when (check-in on the local day, no-show
// after the start, undo until the day ends; by role), appointments,
// their buffers and schedules -> calendar events in the location's wall
// time, a therapist's week as a list, where a therapist's calendar opens,
// the requests the calendar sends, and failures in the clinic's words
// (never the server's ids, RFC 3339 times or field paths).
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
  type StatusUndo,
  type WaitlistEntry,
} from "../../gen/clinic/appointments/v1/appointments_pb";
import {
  BookAppointmentRequestSchema,
  CancelAppointmentRequestSchema,
  ListAppointmentsRequestSchema,
  RescheduleAppointmentRequestSchema,
  UndoAppointmentStatusRequestSchema,
  type BookAppointmentRequest,
  type CancelAppointmentRequest,
  type ListAppointmentsRequest,
  type RescheduleAppointmentRequest,
  type UndoAppointmentStatusRequest,
} from "../../gen/clinic/appointments/v1/appointments_service_pb";
import { DayOfWeek } from "../../gen/google/type/dayofweek_pb";
import { TimeOfDaySchema, type TimeOfDay } from "../../gen/google/type/timeofday_pb";
import type { Date as ProtoDate } from "../../gen/google/type/date_pb";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import {
  addDays,
  dateRange,
  describeDate,
  dayRangeMs,
  hhmmToMinutes,
  minutesToHhmm,
  parseWall,
  timestampToMs,
  timestampToWall,
  todayIn,
  wallString,
  wallToMs,
  wallToTimestamp,
  weekday,
  weekStart,
} from "../shared/tz";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { errorReason, fieldViolations } from "../shared/errors";

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
export type Verb = "confirm" | "checkIn" | "complete" | "noShow" | "undoCheckIn" | "undoNoShow" | "cancel" | "reschedule";

export const verbLabels: Record<Verb, string> = {
  confirm: "Confirm",
  checkIn: "Check in",
  complete: "Complete",
  noShow: "Mark no-show",
  undoCheckIn: "Undo check-in",
  undoNoShow: "Undo no-show",
  cancel: "Cancel appointment",
  reschedule: "Reschedule",
};

const hourMs = 3_600_000;

/** The instant the local day of `ms` ends in `zone` (the next local midnight). */
export function localDayEndMs(ms: number, zone: string): number {
  return wallToMs(`${addDays(todayIn(zone, ms), 1)}T00:00`, zone);
}

/**
 * Whether a booked or confirmed appointment starting at `startMs` may be
 * checked in at `nowMs`: on its local day in the location's zone, or within
 * an hour of its start across midnight (as the server allows).
 */
export function checkInOpen(startMs: number, zone: string, nowMs: number): boolean {
  return todayIn(zone, nowMs) === todayIn(zone, startMs) || Math.abs(startMs - nowMs) <= hourMs;
}

/** Whether a no-show may be recorded at `nowMs`: once the start has passed, until the end of its local day. */
export function noShowOpen(startMs: number, zone: string, nowMs: number): boolean {
  return nowMs >= startMs && nowMs < localDayEndMs(startMs, zone);
}

/** Whether a check-in or no-show may be undone at `nowMs`: until the end of the appointment's local day. */
export function undoOpen(startMs: number, zone: string, nowMs: number): boolean {
  return nowMs < localDayEndMs(startMs, zone);
}

/**
 * The verbs allowed on an appointment in `state` starting at `startMs`, at
 * `nowMs`, in the location's `zone` (the server's state machine and its time
 * windows decide; this only hides buttons that would certainly fail): check
 * in on the local day (or within an hour across midnight), a no-show after
 * the start until the end of that day, an undo of either until the end of
 * that day.
 */
export function allowedVerbs(state: AppointmentState, startMs: number, nowMs: number, zone = "UTC"): Verb[] {
  const S = AppointmentState;
  const checkIn: Verb[] = checkInOpen(startMs, zone, nowMs) ? ["checkIn"] : [];
  const noShow: Verb[] = noShowOpen(startMs, zone, nowMs) ? ["noShow"] : [];
  switch (state) {
    case S.BOOKED:
      return ["confirm", ...checkIn, ...noShow, "reschedule", "cancel"];
    case S.CONFIRMED:
      return [...checkIn, ...noShow, "reschedule", "cancel"];
    case S.CHECKED_IN:
      return ["complete", ...(undoOpen(startMs, zone, nowMs) ? (["undoCheckIn"] as Verb[]) : [])];
    case S.NO_SHOW:
      return undoOpen(startMs, zone, nowMs) ? ["undoNoShow"] : [];
    default:
      return [];
  }
}

/** Who may use each verb (the services' access rules). */
const verbRoles: Record<Verb, StaffRole[]> = {
  confirm: [StaffRole.ADMIN, StaffRole.FRONT_DESK],
  checkIn: [StaffRole.ADMIN, StaffRole.FRONT_DESK, StaffRole.THERAPIST],
  complete: [StaffRole.ADMIN, StaffRole.FRONT_DESK, StaffRole.THERAPIST],
  noShow: [StaffRole.ADMIN, StaffRole.FRONT_DESK],
  undoCheckIn: [StaffRole.ADMIN, StaffRole.FRONT_DESK, StaffRole.THERAPIST],
  undoNoShow: [StaffRole.ADMIN, StaffRole.FRONT_DESK, StaffRole.THERAPIST],
  cancel: [StaffRole.ADMIN, StaffRole.FRONT_DESK],
  reschedule: [StaffRole.ADMIN, StaffRole.FRONT_DESK],
};

/** The verbs someone with `roles` may use (all of them when the roles are not known). */
export function verbsForRoles(verbs: Verb[], roles: readonly StaffRole[] | undefined): Verb[] {
  if (!roles || roles.length === 0) return verbs;
  return verbs.filter((v) => verbRoles[v].some((r) => roles.includes(r)));
}

/**
 * Why check-in is not offered for a booked or confirmed appointment (or ""
 * when it is, or for another state): "Check-in opens on Tuesday, 10 March 2026."
 */
export function checkInHint(state: AppointmentState, startMs: number, zone: string, nowMs: number): string {
  if (state !== AppointmentState.BOOKED && state !== AppointmentState.CONFIRMED) return "";
  if (checkInOpen(startMs, zone, nowMs)) return "";
  if (nowMs < startMs) return `Check-in opens on ${describeDate(todayIn(zone, startMs))}.`;
  return "The day of this appointment has passed: it can no longer be checked in or marked as a no-show.";
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

/** Day and Week are the calendar grid; List is one therapist's week as lines. */
export type ViewKind = "day" | "week" | "list";

/** The view of a URL's `view=` ("day" when absent or unknown). */
export function viewFromParam(value: string | null): ViewKind {
  return value === "week" || value === "list" ? value : "day";
}

/** The local dates a view shows: the day, or Monday–Sunday of its week (week and list). */
export function viewDates(date: string, view: ViewKind): string[] {
  return view === "day" ? [date] : dateRange(weekStart(date, 1), 7);
}

/** The date the previous / next button goes to. */
export function stepDate(date: string, view: ViewKind, direction: 1 | -1): string {
  return addDays(date, direction * (view === "day" ? 1 : 7));
}

/**
 * ListAppointments over the view's days (local days in `zone`): for a
 * location (the grid), or for a therapist at every location (the list).
 */
export function listAppointmentsRequest(
  location: string,
  date: string,
  view: ViewKind,
  zone: string,
  pageToken = "",
  therapist = "",
): ListAppointmentsRequest {
  const dates = viewDates(date, view);
  const range = dayRangeMs(dates[0], dates.length, zone);
  return create(ListAppointmentsRequestSchema, {
    locations: therapist ? [] : [location],
    therapist,
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

/** "09:00–09:45 Jane Doe — Follow-up with Theo Rapp (Booked)": an event's full line, for its tooltip. */
export function appointmentLine(
  a: Appointment,
  zone: string,
  typeName: string | undefined,
  patientName: string,
  therapistName?: string,
): string {
  const start = timestampToWall(a.startTime, zone).slice(11, 16);
  const end = timestampToWall(a.endTime, zone).slice(11, 16);
  const who = therapistName ? ` with ${therapistName}` : "";
  return `${start}–${end} ${patientName} — ${typeName ?? "Appointment"}${who} (${stateStyle(a.state).label})`;
}

/** Which side of an appointment a buffer is on. */
export type BufferSide = "before" | "after";

/**
 * The buffers of the appointments that hold their slot (booked, confirmed,
 * checked in), from their type's buffer_before / buffer_after: background
 * blocks in the therapist's column, in the location's wall time, that no
 * other appointment may start in. Their tooltip says what they are.
 */
export function bufferEvents(
  list: Appointment[],
  zone: string,
  typeOf: (name: string) => AppointmentType | undefined,
  patientName: (name: string) => string,
): CalendarEventInput[] {
  const out: CalendarEventInput[] = [];
  for (const a of list) {
    if (!stateStyle(a.state).active) continue;
    const type = typeOf(a.appointmentType);
    if (!type) continue;
    const color = validColor(type.color) ?? defaultTypeColor;
    const startMs = timestampToMs(a.startTime);
    const endMs = timestampToMs(a.endTime);
    const sides: Array<[BufferSide, number, number]> = [
      ["before", startMs - durationMinutes(type.bufferBefore) * 60_000, startMs],
      ["after", endMs, endMs + durationMinutes(type.bufferAfter) * 60_000],
    ];
    for (const [side, from, to] of sides) {
      if (to <= from) continue;
      const fromWall = wallString(from, zone);
      const toWall = wallString(to, zone);
      const minutes = Math.round((to - from) / 60_000);
      out.push({
        id: `buffer:${side}:${a.name}`,
        resourceId: a.therapist,
        start: fromWall,
        end: toWall,
        display: "background",
        backgroundColor: color,
        classNames: ["appt-buffer", `appt-buffer-${side}`],
        extendedProps: {
          kind: "buffer",
          appointment: a.name,
          side,
          title: `Buffer ${side} ${patientName(a.patient)}'s ${type.displayName} (${minutes} min, ${fromWall.slice(11, 16)}–${toWall.slice(11, 16)}): no appointment can start here`,
        },
      });
    }
  }
  return out;
}

/** One line of the list view. */
export interface ListLine {
  appointment: Appointment;
  /** "09:00". */
  start: string;
  /** "09:45". */
  end: string;
}

/** One day of the list view: its date and its appointments by start. */
export interface ListDay {
  date: string;
  lines: ListLine[];
}

/**
 * A therapist's week as the list view shows it: each local date of `dates`
 * with that therapist's appointments (cancelled ones only when asked for),
 * by start, times in the zone of each appointment's location.
 */
export function listDays(
  list: Appointment[],
  therapist: string,
  dates: string[],
  zoneOf: (location: string) => string,
  showCancelled: boolean,
): ListDay[] {
  const byDate = new Map<string, ListLine[]>(dates.map((d) => [d, []]));
  const mine = visibleAppointments(list, showCancelled)
    .filter((a) => a.therapist === therapist)
    .sort((a, b) => timestampToMs(a.startTime) - timestampToMs(b.startTime));
  for (const a of mine) {
    const zone = zoneOf(a.location);
    const start = timestampToWall(a.startTime, zone);
    byDate.get(start.slice(0, 10))?.push({ appointment: a, start: start.slice(11, 16), end: timestampToWall(a.endTime, zone).slice(11, 16) });
  }
  return dates.map((date) => ({ date, lines: byDate.get(date) ?? [] }));
}

// ------------------------------------------------------------ therapists ---

/** Whether a therapist works at a location on a weekday (weekly hours) or a date (extra hours). */
function worksOn(schedule: ProviderSchedule, location: string, date: string): boolean {
  const day = protoDay(weekday(date));
  return (
    schedule.weeklyHours.some((h) => h.location === location && h.day === day) ||
    schedule.exceptions.some(
      (e) => e.kind === ScheduleException_Kind.EXTRA_HOURS && e.location === location && protoDateString(e.date) === date,
    )
  );
}

/**
 * The location a therapist's calendar opens at: where their schedule has
 * them today (weekly hours or extra hours, "today" in each location's
 * zone), else their first home location, else the first location of their
 * weekly hours; "" when none of these is a known location.
 */
export function therapistLocation(
  schedule: ProviderSchedule | undefined,
  homeLocations: readonly string[],
  locations: ReadonlyArray<Pick<Location, "name" | "timeZone">>,
  nowMs: number,
): string {
  const known = new Map(locations.map((l) => [l.name, l]));
  if (schedule) {
    const candidates = [
      ...new Set([
        ...schedule.weeklyHours.map((h) => h.location),
        ...schedule.exceptions.filter((e) => e.kind === ScheduleException_Kind.EXTRA_HOURS).map((e) => e.location),
      ]),
    ];
    for (const name of candidates) {
      const loc = known.get(name);
      if (!loc) continue;
      const zone = loc.timeZone || "UTC";
      let today: string;
      try {
        today = todayIn(zone, nowMs);
      } catch {
        today = todayIn("UTC", nowMs);
      }
      if (worksOn(schedule, name, today)) return name;
    }
  }
  const home = homeLocations.find((n) => known.has(n));
  if (home) return home;
  return schedule?.weeklyHours.map((h) => h.location).find((n) => known.has(n)) ?? "";
}

/** The columns with `first` (the signed-in therapist) at the front, the rest in their order. */
export function ownColumnFirst<T extends { member: { name: string } }>(columns: readonly T[], first: string | undefined): T[] {
  if (!first) return [...columns];
  const own = columns.filter((c) => c.member.name === first);
  return [...own, ...columns.filter((c) => c.member.name !== first)];
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
/** The reason of a time held (HoldSlot) for another booking. */
export const slotHeldReason = "SLOT_HELD";
/** The reason of a patient who has another appointment then. */
export const patientBusyReason = "PATIENT_BUSY";

/** What a server message must not contain to be shown as it is: resource ids, RFC 3339 times, request field paths. */
const unspeakable = [
  /\b(appointments|staff|patients|locations|appointmentTypes|holds|waitlistEntries|screenings)\//,
  /T\d\d:\d\d/,
  /\b[a-z]+_[a-z0-9_]+\b/,
  /\b[a-z]+\.[a-z_]+(\[\d+\])?:/,
];

/**
 * A server message as it may be shown to people, or undefined when it
 * names resource ids ("appointments/…", "staff/…"), RFC 3339 times or
 * request fields ("start_time: …"): the server's words are for people, but
 * not all of them are yet.
 */
export function speakable(message: string | undefined): string | undefined {
  const m = (message ?? "").trim();
  if (!m || unspeakable.some((re) => re.test(m))) return undefined;
  return m.charAt(0).toUpperCase() + m.slice(1);
}

/** The speakable descriptions of an error's BadRequest violations ("" when none). */
function violationWords(e: ConnectError): string {
  return (fieldViolations(e) ?? [])
    .map((v) => speakable(v.description))
    .filter((x): x is string => !!x)
    .join(" ");
}

/** "a follow-up", "an initial evaluation": a type's name inside a sentence. */
export function typePhrase(displayName: string | undefined): string {
  const name = (displayName ?? "").trim();
  if (!name) return "this appointment";
  // "Follow-up" -> "follow-up", but "MRI review" stays.
  const lower = /^[A-Z][a-z]/.test(name) ? name.charAt(0).toLowerCase() + name.slice(1) : name;
  // An abbreviation is read letter by letter: "an MRI review".
  const first = lower.split(/[\s-]/)[0];
  const vowelSound = /^[A-Z]{2,}$/.test(first) ? /^[AEFHILMNORSX]/.test(first) : /^[aeiou]/i.test(lower);
  return `${vowelSound ? "an" : "a"} ${lower}`;
}

/** What a call failing with a code that is not about the request says. */
function codeWords(e: ConnectError): string | undefined {
  switch (e.code) {
    case Code.Aborted:
      return "Someone else changed this appointment meanwhile; it was reloaded.";
    case Code.PermissionDenied:
      return "You do not have permission to do this.";
    case Code.NotFound:
      return "It does not exist (any more).";
    case Code.Unavailable:
      return "The server could not be reached. Check the connection and try again.";
    case Code.DeadlineExceeded:
      return "The server took too long to answer. Try again.";
    case Code.ResourceExhausted:
      return "Too many requests just now; wait a moment and try again.";
    case Code.Unauthenticated:
      return "Your session has ended; log in again.";
    default:
      return undefined;
  }
}

/**
 * What a failed call of the calendar says, in words: the code's own words,
 * else the server's message when it is speakable, else `fallback`.
 */
export function calendarCallError(err: unknown, fallback = "The request failed. Try again."): string {
  const e = ConnectError.from(err);
  return codeWords(e) ?? (violationWords(e) || speakable(e.rawMessage) || fallback);
}

/** What the calendar knows about the time being booked or moved to, to speak of it. */
export interface SlotWords {
  /** "Theo Rapp". */
  therapistName?: string;
  /** "Jane Doe". */
  patientName?: string;
  /** The type's display name, "Follow-up". */
  typeName?: string;
  /** The location's display name. */
  locationName?: string;
  /** The wall start tried, "2026-03-10T11:15". */
  wallStart?: string;
  /**
   * The time was among the open times FindAvailableSlots gave just before:
   * then a conflict is a real race ("just taken"); otherwise it was never free.
   */
  wasOpen?: boolean;
}

/** What kind of failure a booking (or move) met, for what the dialog does next. */
export type BookingFailure = "taken" | "held" | "not-free" | "patient-busy" | "past" | "other";

/** "11:15" (the time of a wall string), or "that time". */
function atWords(wallStart: string | undefined): string {
  const m = /T(\d\d:\d\d)/.exec(wallStart ?? "");
  return m ? m[1] : "that time";
}

/**
 * What a failed booking or move says to the person at the desk, in the
 * clinic's words (never the server's ids or times), and what kind of
 * failure it was. The slot conflicts are told by their ErrorInfo reason:
 * SLOT_TAKEN (or ALREADY_EXISTS without a reason) after the time was seen
 * free is a real race — "That time was just taken" —, and otherwise the
 * therapist was simply not free then; SLOT_HELD is someone booking it right
 * now; PATIENT_BUSY the patient's other appointment. `taken` says the
 * calendar and the open times should be reloaded.
 */
export function bookingErrorMessage(err: unknown, words: SlotWords = {}): { message: string; taken: boolean; kind: BookingFailure } {
  const e = ConnectError.from(err);
  const reason = errorReason(e);
  const who = words.therapistName || "The therapist";
  const at = atWords(words.wallStart);
  const forType = words.typeName ? ` for ${typePhrase(words.typeName)}` : "";
  if (reason === patientBusyReason) {
    return { message: `${words.patientName || "The patient"} already has another appointment at ${at}.`, taken: false, kind: "patient-busy" };
  }
  if (reason === slotHeldReason) {
    return {
      message: `Someone is booking ${words.therapistName || "the therapist"} at ${at} right now: the time is held for a few minutes.`,
      taken: true,
      kind: "held",
    };
  }
  if (e.code === Code.AlreadyExists || reason === slotTakenReason) {
    if (words.wasOpen) {
      return {
        message: `That time was just taken: ${words.therapistName || "the therapist"} was booked at ${at} a moment ago.`,
        taken: true,
        kind: "taken",
      };
    }
    return {
      message: `${who} is not free at ${at}${forType}: another appointment or its buffer time is in the way.`,
      taken: true,
      kind: "not-free",
    };
  }
  const raw = e.rawMessage.toLowerCase();
  if (e.code === Code.FailedPrecondition || e.code === Code.OutOfRange) {
    if (raw.includes("in the past")) return { message: `${at === "that time" ? "That time" : at} has passed; choose a later time.`, taken: false, kind: "past" };
    if (raw.includes("outside")) {
      const where = words.locationName ? ` at ${words.locationName}` : "";
      return {
        message: `${at === "that time" ? "That time" : at} is outside ${words.therapistName ? `${words.therapistName}'s` : "the therapist's"} working hours${where}${forType}.`,
        taken: false,
        kind: "other",
      };
    }
    if (raw.includes("retired")) return { message: "This appointment type is no longer offered.", taken: false, kind: "other" };
    if (raw.includes("may not deliver")) {
      return { message: `${who} may not deliver ${typePhrase(words.typeName)}.`, taken: false, kind: "other" };
    }
    return { message: speakable(e.rawMessage) ?? "This time cannot be booked.", taken: false, kind: "other" };
  }
  if (e.code === Code.InvalidArgument) {
    return { message: violationWords(e) || speakable(e.rawMessage) || "Some of the details are not valid.", taken: false, kind: "other" };
  }
  return { message: calendarCallError(e, "The booking failed. Try again."), taken: false, kind: "other" };
}

/**
 * What a failed verb (confirm, check in, …) says. The server refuses a
 * verb out of its time window or state with FAILED_PRECONDITION; its words
 * may name ids and times, so each verb says it in its own words. `day` is
 * the appointment's local day in words.
 */
export function verbErrorMessage(err: unknown, verb: Verb, day = ""): string {
  const e = ConnectError.from(err);
  if (e.code === Code.FailedPrecondition) {
    const onDay = day ? ` (${day})` : "";
    switch (verb) {
      case "checkIn":
        return `Check-in is possible only on the day of the appointment${onDay}, while it is booked or confirmed.`;
      case "noShow":
        return `A no-show can be recorded only once the appointment has started, until the end of its day${onDay}.`;
      case "undoCheckIn":
      case "undoNoShow":
        return `A check-in or no-show can be undone only until the end of the appointment's day${onDay}, while it is still recorded.`;
      case "confirm":
        return "Only a booked appointment can be confirmed; this one has changed meanwhile.";
      case "complete":
        return "Only a checked-in appointment can be completed; this one has changed meanwhile.";
      case "cancel":
        return "This appointment can no longer be cancelled (it has changed meanwhile).";
      default:
        return speakable(e.rawMessage) ?? "This cannot be done in the appointment's current state.";
    }
  }
  if (e.code === Code.InvalidArgument) return violationWords(e) || speakable(e.rawMessage) || "Some of the details are not valid.";
  return calendarCallError(e, "That did not work. Try again.");
}

// ------------------------------------------------------------ waitlist ---

export const timeOfDayLabels: Record<TimeOfDayPreference, string> = {
  [TimeOfDayPreference.UNSPECIFIED]: "any time",
  [TimeOfDayPreference.MORNING]: "mornings",
  [TimeOfDayPreference.AFTERNOON]: "afternoons",
  [TimeOfDayPreference.EVENING]: "evenings",
};

/** "Jane Doe — mornings, until Wed, 1 Apr 2026, priority 10" for a waitlist match. */
export function describeWaitlistEntry(e: WaitlistEntry, patientName: string): string {
  const parts = [timeOfDayLabels[e.timeOfDay] ?? "any time"];
  const until = protoDateString(e.latestDate);
  if (until) parts.push(`until ${describeDate(until, undefined, false)}`);
  if (e.priority) parts.push(`priority ${e.priority}`);
  return `${patientName} — ${parts.join(", ")}${e.notes ? ` (${e.notes})` : ""}`;
}

// ------------------------------------------------------------ undo ---

/** UndoAppointmentStatus for an appointment, with its etag and the reason given. */
export function undoRequest(a: Pick<Appointment, "name" | "etag">, reason: string): UndoAppointmentStatusRequest {
  return create(UndoAppointmentStatusRequestSchema, { name: a.name, etag: a.etag, reason: reason.trim() });
}

/** The most characters an undo's reason may have. */
export const maxUndoReason = 500;

/** What is wrong with an undo's reason ("" when nothing): required, 1 to 500 characters. */
export function undoReasonError(reason: string, verb: "undoCheckIn" | "undoNoShow"): string {
  const r = reason.trim();
  if (!r) return `Say why the ${verb === "undoCheckIn" ? "check-in" : "no-show"} is undone.`;
  if (r.length > maxUndoReason) return `At most ${maxUndoReason} characters (now ${r.length}).`;
  return "";
}

/**
 * The appointment's last undone check-in or no-show in words: "Check-in
 * undone by Fran Desk at 10:42 (Tue, 10 Mar 2026): checked in the wrong
 * patient" — the time in the location's zone; "" when there is none.
 */
export function undoLine(undo: StatusUndo | undefined, staffName: string, zone: string): string {
  if (!undo || !undo.time) return "";
  const what = undo.undoneState === AppointmentState.NO_SHOW ? "No-show" : "Check-in";
  const wall = timestampToWall(undo.time, zone);
  const reason = undo.reason.trim();
  return `${what} undone by ${staffName || "a colleague"} at ${wall.slice(11, 16)} (${describeDate(wall.slice(0, 10), undefined, false)})${reason ? `: ${reason}` : ""}`;
}

/** The id in "appointments/{id}", "staff/{id}", "patients/{id}", ... */
export function resourceId(name: string): string {
  const i = name.lastIndexOf("/");
  return i >= 0 ? name.slice(i + 1) : name;
}
