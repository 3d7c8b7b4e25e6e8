// The contact-request funnel report's pure logic (GetFunnelReport): who may
// see it, the date range (its default, its checks, the request), rates in
// words, row labels (never a "locations/…" id) and the widths of the total
// funnel's bars. No DOM, no network.
import type { MessageInitShape } from "@bufbuild/protobuf";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { FunnelRow } from "../../gen/clinic/screenings/v1/screenings_service_pb";
import type { GetFunnelReportRequestSchema } from "../../gen/clinic/screenings/v1/screenings_service_pb";
import type { FieldErrors } from "../shared/form-errors";

// ------------------------------------------------------------ who ---

/** Who may see the funnel (GetFunnelReport): the front desk and admins. */
export function canSeeFunnel(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && (roles.includes(StaffRole.FRONT_DESK) || roles.includes(StaffRole.ADMIN));
}

// ------------------------------------------------------------ dates ---

/** The longest range the service takes: end_date at most this many days after start_date. */
export const maxRangeDays = 366;

/** The default range's length: the last 30 days, today included. */
export const defaultRangeDays = 30;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** The form's fields, named as in GetFunnelReportRequest (server errors land on them too). */
export const rangeFields = ["start_date", "end_date"] as const;
export type RangeField = (typeof rangeFields)[number];

export interface RangeValues {
  /** "YYYY-MM-DD" (an <input type=date>'s value) or "". */
  start_date: string;
  end_date: string;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** A date as "YYYY-MM-DD". */
export function isoDate(d: CalendarDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** "YYYY-MM-DD" as a date, or undefined when it is not a real day ("2026-02-30"). */
export function parseIsoDate(text: string): CalendarDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return undefined;
  const check = new Date(Date.UTC(2000, month - 1, day));
  check.setUTCFullYear(year);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

function dayNumber(d: CalendarDate): number {
  const t = new Date(Date.UTC(2000, d.month - 1, d.day));
  t.setUTCFullYear(d.year);
  return Math.round(t.getTime() / 86_400_000);
}

/** Days from `a` to `b` (negative when b is before a). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return dayNumber(b) - dayNumber(a);
}

/** The browser's local date of `now`. */
export function localDate(now: Date): CalendarDate {
  return { year: now.getFullYear(), month: now.getMonth() + 1, day: now.getDate() };
}

/** `d` moved by `days` (negative: back). */
export function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(2000, d.month - 1, d.day));
  t.setUTCFullYear(d.year);
  t.setUTCDate(t.getUTCDate() + days);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The default range: the last 30 days up to today (local dates), today included. */
export function defaultRange(now: Date): RangeValues {
  const today = localDate(now);
  return { start_date: isoDate(addDays(today, -(defaultRangeDays - 1))), end_date: isoDate(today) };
}

/**
 * The range from the page's address (?from=YYYY-MM-DD&to=YYYY-MM-DD) when
 * both are real days, else the default range.
 */
export function rangeFromSearch(search: string, now: Date): RangeValues {
  const params = new URLSearchParams(search);
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  if (parseIsoDate(from) && parseIsoDate(to)) return { start_date: from, end_date: to };
  return defaultRange(now);
}

/** The page's address for a range. */
export function rangeSearch(v: RangeValues): string {
  return new URLSearchParams({ from: v.start_date, to: v.end_date }).toString();
}

/**
 * Errors found before sending: both dates required (and real days); from on
 * or before to; at most 366 days apart.
 */
export function checkRange(v: RangeValues): FieldErrors<RangeField> {
  const fields: Partial<Record<RangeField, string>> = {};
  const start = parseIsoDate(v.start_date);
  const end = parseIsoDate(v.end_date);
  if (!v.start_date.trim()) fields.start_date = "Enter the first day.";
  else if (!start) fields.start_date = "Enter a real date.";
  if (!v.end_date.trim()) fields.end_date = "Enter the last day.";
  else if (!end) fields.end_date = "Enter a real date.";
  if (start && end) {
    const days = daysBetween(start, end);
    if (days < 0) fields.end_date = "The last day must be on or after the first day.";
    else if (days > maxRangeDays) fields.end_date = `At most ${maxRangeDays} days after the first day.`;
  }
  return { fields, other: [] };
}

/** The GetFunnelReport request for a range that passed checkRange. */
export function funnelRequest(v: RangeValues): MessageInitShape<typeof GetFunnelReportRequestSchema> {
  const start = parseIsoDate(v.start_date);
  const end = parseIsoDate(v.end_date);
  if (!start || !end) throw new Error("funnelRequest: check the range first");
  return { startDate: { ...start }, endDate: { ...end } };
}

// ------------------------------------------------------------ words ---

/** A rate (0 to 1) as a percentage with one decimal ("12.5%"); "–" when it is not a number. */
export function formatRate(rate: number | undefined): string {
  if (rate === undefined || !Number.isFinite(rate)) return "–";
  const pct = Math.round(rate * 1000) / 10;
  return `${(Object.is(pct, -0) ? 0 : pct).toFixed(1)}%`;
}

/** A count with thousands separators ("1,234"). */
export function formatCount(n: number, locale = "en-US"): string {
  return new Intl.NumberFormat(locale).format(n);
}

/**
 * A row's location in words: the location's display name, "No location"
 * for none, "Unknown location" when it is not (or not yet) known — never
 * its "locations/{id}".
 */
export function locationLabel(location: string, displayNames: ReadonlyMap<string, string>): string {
  if (!location) return "No location";
  const name = displayNames.get(location)?.trim();
  return name || "Unknown location";
}

/** A row's campaign (the page the requests came from), "None" for none. */
export function campaignLabel(campaign: string): string {
  return campaign.trim() || "None";
}

// ------------------------------------------------------------ the chart ---

export interface FunnelStage {
  label: string;
  count: number;
  /** The bar's width, 0 to 100 (percent of the widest stage). */
  width: number;
}

type Counts = Pick<FunnelRow, "requests" | "contacted" | "screeningsBooked" | "screeningsDone" | "converted">;

/**
 * The total funnel's five stages and their bars' widths: each relative to the
 * widest (the requests, normally), rounded to one decimal; a stage with any
 * count at least 1% wide so it stays visible; all 0 when there is nothing.
 */
export function funnelStages(total: Counts | undefined): FunnelStage[] {
  const counts: Array<[string, number]> = [
    ["Requests", total?.requests ?? 0],
    ["Reached", total?.contacted ?? 0],
    ["Screenings booked", total?.screeningsBooked ?? 0],
    ["Screenings done", total?.screeningsDone ?? 0],
    ["Converted", total?.converted ?? 0],
  ];
  return barWidths(counts.map(([, c]) => c)).map((width, i) => ({ label: counts[i][0], count: counts[i][1], width }));
}

/** Bar widths (0 to 100) for counts: relative to the largest; any count > 0 at least 1. */
export function barWidths(counts: readonly number[]): number[] {
  const safe = counts.map((c) => (Number.isFinite(c) && c > 0 ? c : 0));
  const max = Math.max(0, ...safe);
  if (max === 0) return safe.map(() => 0);
  return safe.map((c) => (c === 0 ? 0 : Math.max(1, Math.round((c / max) * 1000) / 10)));
}

/** The chart's text alternative: "Funnel for the period: requests 40, reached 30, screening booked 12, screenings done 8, converted 5." */
export function funnelSummary(stages: readonly FunnelStage[]): string {
  return `Funnel for the period: ${stages.map((s) => `${s.label.toLowerCase()} ${formatCount(s.count)}`).join(", ")}.`;
}
