// Pure logic behind a therapist's "My day": who has one, the time window to
// ask for (today and the week ahead, in the locations' zones), and the
// appointments laid out by local day. No DOM, no network.
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import { addDays, dateRange, describeDate, todayIn, wallToMs } from "../shared/tz";
import type { AppointmentView } from "../patients/appointments-model";

/** My day is a therapist's page (and their home page). */
export function canHaveMyDay(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && roles.includes(StaffRole.THERAPIST);
}

/** The waitlist (its page, a patient's entries) is the front desk's and admins' (ListWaitlistEntries allows no one else). */
export function canSeeWaitlist(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && (roles.includes(StaffRole.FRONT_DESK) || roles.includes(StaffRole.ADMIN));
}

/** How many days "The week ahead" shows after today. */
export const weekAheadDays = 7;

/**
 * The zone My day counts days in: the therapist's first home location's,
 * else the first location's, else the browser's.
 */
export function homeZone(homeLocations: readonly string[], locations: readonly Location[], browserZone: string): string {
  for (const name of homeLocations) {
    const zone = locations.find((l) => l.name === name)?.timeZone;
    if (zone) return zone;
  }
  return locations.find((l) => l.timeZone)?.timeZone || browserZone;
}

/**
 * The instants ListAppointments is asked for: from the start of today to the
 * end of the 7th day after it, in every zone given (a therapist may work at
 * locations in several zones), so each appointment's own local day can be
 * told afterwards.
 */
export function myDayWindow(zones: readonly string[], nowMs: number): { startMs: number; endMs: number } {
  const list = zones.length ? [...new Set(zones)] : ["UTC"];
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const zone of list) {
    const today = todayIn(zone, nowMs);
    startMs = Math.min(startMs, wallToMs(`${today}T00:00`, zone));
    endMs = Math.max(endMs, wallToMs(`${addDays(today, weekAheadDays + 1)}T00:00`, zone));
  }
  return { startMs, endMs };
}

/** One day of the week ahead. */
export interface DayPlan {
  /** "YYYY-MM-DD". */
  date: string;
  /** "Wednesday, March 11, 2026". */
  label: string;
  /** Soonest first. */
  items: AppointmentView[];
}

export interface MyDayPlan {
  today: DayPlan;
  /** The 7 days after today, each listed (empty days too). */
  week: DayPlan[];
}

/**
 * The appointments by local day (each in its location's zone): today's, then
 * each of the next 7 days. `today` is the local date in the therapist's zone
 * (homeZone). Appointments outside those days are left out.
 */
export function planMyDay(views: readonly AppointmentView[], today: string, locale?: string): MyDayPlan {
  const days = dateRange(today, weekAheadDays + 1);
  const byDate = new Map<string, AppointmentView[]>(days.map((d) => [d, []]));
  for (const v of views) byDate.get(v.date)?.push(v);
  const plan = (date: string): DayPlan => ({
    date,
    label: describeDate(date, locale),
    items: (byDate.get(date) ?? []).sort((a, b) => a.startMs - b.startMs || a.wall.localeCompare(b.wall)),
  });
  return { today: plan(today), week: days.slice(1).map(plan) };
}

/** "3 appointments", "1 appointment", "No appointments". */
export function countWords(n: number): string {
  if (n === 0) return "No appointments";
  return `${n} appointment${n === 1 ? "" : "s"}`;
}
