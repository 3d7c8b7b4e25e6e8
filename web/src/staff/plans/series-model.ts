// Pure logic behind "Book the series" on an active plan: the form's defaults
// (where the therapist works, a follow-up, as many weekdays as visits a week,
// the first day), ScheduleVisitSeries requests and their retry key, the
// preview and what was booked in the location's words, and errors at the
// fields. No DOM, no network.
import { create } from "@bufbuild/protobuf";
import type { AppointmentType, Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { TherapyPlan } from "../../gen/clinic/therapy_plans/v1/therapy_plans_pb";
import {
  ScheduleVisitSeriesRequestSchema,
  type ScheduleVisitSeriesRequest,
  type ScheduleVisitSeriesResponse,
} from "../../gen/clinic/therapy_plans/v1/therapy_plans_service_pb";
import { DayOfWeek } from "../../gen/google/type/dayofweek_pb";
import { TimeOfDaySchema } from "../../gen/google/type/timeofday_pb";
import { fieldErrorsFrom, type FieldErrors } from "../shared/form-errors";
import { addDays, hhmmToMinutes, parseWall, timestampToMs, wallString, weekday } from "../shared/tz";
import { dateToInput, dayWords, describePlanError, inputToDate, shortDateWords, wallWords } from "./plan-model";

/** The weekdays offered, Monday first: [value, short, long]. */
export const weekdayChoices: ReadonlyArray<[DayOfWeek, string, string]> = [
  [DayOfWeek.MONDAY, "Mon", "Monday"],
  [DayOfWeek.TUESDAY, "Tue", "Tuesday"],
  [DayOfWeek.WEDNESDAY, "Wed", "Wednesday"],
  [DayOfWeek.THURSDAY, "Thu", "Thursday"],
  [DayOfWeek.FRIDAY, "Fri", "Friday"],
  [DayOfWeek.SATURDAY, "Sat", "Saturday"],
  [DayOfWeek.SUNDAY, "Sun", "Sunday"],
];

const spread: Record<number, DayOfWeek[]> = {
  1: [DayOfWeek.MONDAY],
  2: [DayOfWeek.MONDAY, DayOfWeek.THURSDAY],
  3: [DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY],
  4: [DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY],
  5: [DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY],
  6: [DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY, DayOfWeek.SATURDAY],
};

/** The weekdays ticked at first: as many as visits a week, spread out (2 → Monday and Thursday). */
export function defaultWeekdays(visitsPerWeek: number): DayOfWeek[] {
  if (visitsPerWeek >= 7) return weekdayChoices.map(([d]) => d);
  return [...(spread[Math.max(1, Math.round(visitsPerWeek))] ?? spread[2])];
}

/** The active type whose name says "Follow-up" (else the first active one); "" when none. */
export function defaultSeriesType(types: readonly Pick<AppointmentType, "name" | "displayName" | "active">[]): string {
  const active = types.filter((t) => t.active);
  return (active.find((t) => /follow[\s-]?up/i.test(t.displayName)) ?? active[0])?.name ?? "";
}

/** The first day offered: tomorrow in the location's zone, and not before the plan's start. */
export function defaultFirstDate(today: string, planStart: string): string {
  const tomorrow = addDays(today, 1);
  return planStart && parseWall(planStart) && planStart > tomorrow ? planStart : tomorrow;
}

export const seriesFields = ["location", "appointment_type", "weekdays", "time_of_day", "first_date"] as const;
export type SeriesField = (typeof seriesFields)[number];

export const seriesLabels: Record<SeriesField, string> = {
  location: "Location",
  appointment_type: "Appointment type",
  weekdays: "Weekdays",
  time_of_day: "Time of day",
  first_date: "First date",
};

export interface SeriesValues {
  location: string;
  appointment_type: string;
  weekdays: DayOfWeek[];
  /** "HH:MM". */
  time_of_day: string;
  /** "YYYY-MM-DD". */
  first_date: string;
}

/** The weekdays in the order of the week (Monday first), without repeats. */
export function sortedWeekdays(days: readonly DayOfWeek[]): DayOfWeek[] {
  return [...new Set(days)].filter((d) => d >= DayOfWeek.MONDAY && d <= DayOfWeek.SUNDAY).sort((a, b) => a - b);
}

export function toggleWeekday(days: readonly DayOfWeek[], day: DayOfWeek, on: boolean): DayOfWeek[] {
  return sortedWeekdays(on ? [...days, day] : days.filter((d) => d !== day));
}

/** What is plainly missing before asking the server (every problem at once). */
export function checkSeries(v: SeriesValues): FieldErrors<SeriesField> {
  const fields: Partial<Record<SeriesField, string>> = {};
  if (!v.location) fields.location = "Choose a location.";
  if (!v.appointment_type) fields.appointment_type = "Choose an appointment type.";
  if (v.weekdays.length === 0) fields.weekdays = "Tick at least one weekday.";
  const minutes = hhmmToMinutes(v.time_of_day);
  if (minutes === undefined || minutes >= 24 * 60) fields.time_of_day = "Enter a time of day.";
  if (v.first_date.trim() && !inputToDate(v.first_date)) fields.first_date = "Enter a date.";
  return { fields, other: [] };
}

/** ScheduleVisitSeries for the plan and the form (a preview, or the booking with its request_id). */
export function seriesRequest(
  plan: Pick<TherapyPlan, "name">,
  v: SeriesValues,
  options: { preview: boolean; requestId?: string },
): ScheduleVisitSeriesRequest {
  const minutes = hhmmToMinutes(v.time_of_day) ?? 0;
  return create(ScheduleVisitSeriesRequestSchema, {
    name: plan.name,
    location: v.location,
    appointmentType: v.appointment_type,
    weekdays: sortedWeekdays(v.weekdays),
    timeOfDay: create(TimeOfDaySchema, { hours: Math.floor(minutes / 60), minutes: minutes % 60 }),
    firstDate: inputToDate(v.first_date),
    preview: options.preview,
    requestId: options.preview ? "" : (options.requestId ?? ""),
  });
}

/** What a series asks for: the same key → the same request_id when it is sent again. */
export function seriesKey(plan: Pick<TherapyPlan, "name">, v: SeriesValues): string {
  return JSON.stringify([plan.name, v.location, v.appointment_type, sortedWeekdays(v.weekdays), v.time_of_day, v.first_date]);
}

/** A failed ScheduleVisitSeries at the form's fields ("weekdays[1]" → weekdays) and the rest in words. */
export function seriesFormErrors(err: unknown): FieldErrors<SeriesField> {
  return fieldErrorsFrom(err, seriesFields, [], describePlanError);
}

export interface SeriesVisitView {
  /** "Monday 7 December 09:00". */
  words: string;
  /** The local start ("2026-12-07T09:00"). */
  local: string;
  preferred: boolean;
  booked: boolean;
  /** "visit 10 · progress note due", "visit 12 · re-evaluation due", or "visit 3". */
  purpose: string;
}

export interface SeriesGapView {
  /** "Week of Monday 14 December". */
  week: string;
  /** "1 visit missing". */
  missing: string;
  reason: string;
}

export interface SeriesView {
  visits: SeriesVisitView[];
  gaps: SeriesGapView[];
  /** How many are not at the preferred day and time. */
  moved: number;
  /** How many carry an appointment (booked). */
  booked: number;
}

/** The local start of a series visit: its local_start, else its instant in the zone. */
function visitLocal(v: ScheduleVisitSeriesResponse["visits"][number], zone: string): string {
  if (v.localStart && parseWall(v.localStart)) return v.localStart.slice(0, 16);
  try {
    return wallString(timestampToMs(v.startTime), zone || "UTC").slice(0, 16);
  } catch {
    return wallString(timestampToMs(v.startTime), "UTC").slice(0, 16);
  }
}

/** "visit 10 · progress note due" (VisitPurpose: 2 progress note, 3 re-evaluation). */
export function purposeWords(visitNumber: number, purpose: number): string {
  if (!visitNumber) return "";
  const due = purpose === 2 ? " · progress note due" : purpose === 3 ? " · re-evaluation due" : "";
  return `visit ${visitNumber}${due}`;
}

/** A series answer in the location's words (visits in order, the gaps by week). */
export function seriesView(res: ScheduleVisitSeriesResponse, thisYear?: number): SeriesView {
  const visits = res.visits
    .map((v) => ({
      local: visitLocal(v, res.timeZone),
      preferred: v.preferred,
      booked: !!v.appointment,
      purpose: purposeWords(v.visitNumber, v.purpose),
    }))
    .sort((a, b) => a.local.localeCompare(b.local))
    .map((v) => ({ ...v, words: wallWords(v.local, thisYear) }));
  const gaps = res.gaps.map((g) => {
    const week = dateToInput(g.weekStart);
    return {
      week: week ? `Week of ${dayWords(week, thisYear)}` : "A week",
      missing: `${g.missing} visit${g.missing === 1 ? "" : "s"} missing`,
      reason: g.reason,
    };
  });
  return {
    visits,
    gaps,
    moved: visits.filter((v) => !v.preferred).length,
    booked: visits.filter((v) => v.booked).length,
  };
}

/** "Book these 12 visits" / "Book this visit". */
export function bookButtonWords(n: number): string {
  return n === 1 ? "Book this visit" : `Book these ${n} visits`;
}

/** "12 visits booked, from Monday 7 December to Thursday 14 January." */
export function bookedWords(view: SeriesView): string {
  const booked = view.visits.filter((v) => v.booked);
  if (booked.length === 0) return "No visit was booked.";
  const first = booked[0].words;
  const last = booked[booked.length - 1].words;
  const n = booked.length;
  return n === 1 ? `1 visit booked: ${first}.` : `${n} visits booked, from ${first} to ${last}.`;
}

/** The preview's heading: "12 visits proposed, 2 at the nearest open time". */
export function previewWords(view: SeriesView): string {
  const n = view.visits.length;
  if (n === 0) return "No visit can be placed with these choices.";
  const head = `${n} visit${n === 1 ? "" : "s"} proposed`;
  return view.moved > 0 ? `${head}, ${view.moved} at the nearest open time.` : `${head}, all at the preferred days and time.`;
}

/**
 * The location a series is booked at first: where the therapist's weekly
 * hours are, else their first home location, else the first location.
 */
export function seriesLocation(
  locations: readonly Pick<Location, "name">[],
  worksAt: readonly string[],
  home: readonly string[],
): string {
  const usable = locations;
  const known = (n: string) => usable.some((l) => l.name === n);
  return worksAt.find(known) ?? home.find(known) ?? usable[0]?.name ?? "";
}

/** "Monday and Thursday at 09:00" of the form's choice, for the preview's note. */
export function choiceWords(v: SeriesValues): string {
  const names = sortedWeekdays(v.weekdays).map((d) => weekdayChoices.find(([x]) => x === d)?.[2] ?? "");
  const list = names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  return `${list || "any day"} at ${v.time_of_day}`;
}

/** The first date's words ("from 7 December 2026"), for the form's hint. */
export function firstDateWords(date: string): string {
  const d = shortDateWords(date);
  return d ? `from ${d}` : "";
}

/** The weekday (DayOfWeek) of a date. */
export function dayOfWeekOf(date: string): DayOfWeek {
  const w = weekday(date); // 0 Sunday
  return (w === 0 ? DayOfWeek.SUNDAY : w) as DayOfWeek;
}
