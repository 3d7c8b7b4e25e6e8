// Wall-clock times in an IANA time zone <-> instants, with nothing but
// Intl.DateTimeFormat (no time zone library). Pure: no DOM, no network.
//
// A "wall" string is a local date and time without an offset, as the API's
// local_start: "2026-03-08T09:00" or "2026-03-08T09:00:00". A "date" string is
// "YYYY-MM-DD" (an <input type=date> value), a local day.
import { timestampDate, timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Timestamp } from "@bufbuild/protobuf/wkt";

/** The fields of a local date and time. */
export interface WallFields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number; // 0-23
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    // Throws RangeError for an unknown zone.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      era: "short",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA zone this browser knows. */
export function isKnownZone(zone: string): boolean {
  if (!zone) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** The local date and time in `zone` at the instant `ms` (milliseconds since the epoch). */
export function wallFields(ms: number, zone: string): WallFields {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  let year = get("year");
  if (parts.find((p) => p.type === "era")?.value === "BC") year = 1 - year;
  return {
    year,
    month: get("month"),
    day: get("day"),
    hour: get("hour") % 24,
    minute: get("minute"),
    second: get("second"),
  };
}

/** The zone's offset from UTC at instant `ms`, in minutes (east positive: Berlin in winter is 60). */
export function offsetMinutes(ms: number, zone: string): number {
  const w = wallFields(ms, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const whole = Math.floor(ms / 1000) * 1000;
  return Math.round((asUtc - whole) / 60000);
}

/** "+05:30", "-06:00": the zone's offset at `ms`, as the calendar's timeZone option takes it. */
export function offsetString(ms: number, zone: string): string {
  const m = offsetMinutes(ms, zone);
  const sign = m < 0 ? "-" : "+";
  const a = Math.abs(m);
  return `${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const pad4 = (n: number) => String(n).padStart(4, "0");

/** Reads "YYYY-MM-DDTHH:MM[:SS]" (or "YYYY-MM-DD HH:MM", or a date alone = midnight). */
export function parseWall(wall: string): WallFields | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(wall.trim());
  if (!m) return undefined;
  const f: WallFields = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
  };
  if (f.month < 1 || f.month > 12 || f.day < 1 || f.day > 31 || f.hour > 24 || f.minute > 59 || f.second > 59) {
    return undefined;
  }
  // 24:00 is the end of the day; anything after it is not a time.
  if (f.hour === 24 && (f.minute !== 0 || f.second !== 0)) return undefined;
  const check = new Date(Date.UTC(f.year, f.month - 1, f.day));
  if (check.getUTCDate() !== f.day) return undefined;
  return f;
}

/** "YYYY-MM-DDTHH:MM:SS" for wall fields. */
export function formatWall(f: WallFields): string {
  return `${pad4(f.year)}-${pad2(f.month)}-${pad2(f.day)}T${pad2(f.hour)}:${pad2(f.minute)}:${pad2(f.second)}`;
}

/** The local date and time in `zone` at `ms`, "YYYY-MM-DDTHH:MM:SS". */
export function wallString(ms: number, zone: string): string {
  return formatWall(wallFields(ms, zone));
}

/** How a wall time maps to instants on its day. */
export type WallKind =
  /** Exactly one instant (most times). */
  | "ok"
  /** Skipped by a daylight-saving change (spring forward): `instant` is the time it would be, moved forward by the gap. */
  | "gap"
  /** Happens twice (fall back): `instant` is the first, `later` the second. */
  | "overlap";

export interface ResolvedWall {
  instant: number;
  kind: WallKind;
  later?: number;
}

/**
 * The instant of a wall time in `zone`. A time that happens twice resolves to
 * the first; a time that does not exist resolves as a clock would read it
 * after the change (02:30 on a spring-forward day in New York -> 03:30 EDT).
 */
export function resolveWall(wall: string | WallFields, zone: string): ResolvedWall {
  const f = typeof wall === "string" ? parseWall(wall) : wall;
  if (!f) throw new RangeError(`not a local date and time: "${String(wall)}"`);
  const naive = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  // The offsets a day either side bracket any single change (real zones
  // change at most once in two days).
  const before = offsetMinutes(naive - 86_400_000, zone);
  const after = offsetMinutes(naive + 86_400_000, zone);
  const target = formatWall(normalize(f));
  const found = new Set<number>();
  for (const off of [before, after]) {
    const t = naive - off * 60_000;
    if (wallString(t, zone) === target) found.add(t);
  }
  const hits = [...found].sort((a, b) => a - b);
  if (hits.length === 1) return { instant: hits[0], kind: "ok" };
  if (hits.length > 1) return { instant: hits[0], kind: "overlap", later: hits[hits.length - 1] };
  // In the gap: read with the offset before the change, the clock shows the time after it.
  return { instant: naive - before * 60_000, kind: "gap" };
}

/** 24:00 of a day is 00:00 of the next. */
function normalize(f: WallFields): WallFields {
  if (f.hour !== 24) return f;
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day + 1));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 };
}

/** The instant (ms) of a wall time in `zone` (see resolveWall). */
export function wallToMs(wall: string | WallFields, zone: string): number {
  return resolveWall(wall, zone).instant;
}

/** A Timestamp for a wall time in `zone`. */
export function wallToTimestamp(wall: string | WallFields, zone: string): Timestamp {
  return timestampFromMs(wallToMs(wall, zone));
}

/** Milliseconds since the epoch of a Timestamp (0 when unset). */
export function timestampToMs(ts: Timestamp | undefined): number {
  return ts ? timestampDate(ts).getTime() : 0;
}

/** The wall time in `zone` of a Timestamp, "YYYY-MM-DDTHH:MM:SS". */
export function timestampToWall(ts: Timestamp | undefined, zone: string): string {
  return wallString(timestampToMs(ts), zone);
}

/** Today's date in `zone` ("YYYY-MM-DD"), at instant `now`. */
export function todayIn(zone: string, now = Date.now()): string {
  return wallString(now, zone).slice(0, 10);
}

/** A date string `days` later (or earlier) — calendar days, no time zone involved. */
export function addDays(date: string, days: number): string {
  const f = parseWall(date);
  if (!f) throw new RangeError(`not a date: "${date}"`);
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day + days));
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** Day of the week of a date string: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  const f = parseWall(date);
  if (!f) throw new RangeError(`not a date: "${date}"`);
  return new Date(Date.UTC(f.year, f.month - 1, f.day)).getUTCDay();
}

/** The first day of the week holding `date`; weeks start on `firstDay` (1 = Monday). */
export function weekStart(date: string, firstDay = 1): string {
  const back = (weekday(date) - firstDay + 7) % 7;
  return addDays(date, -back);
}

/** The local dates from `start` for `days` days. */
export function dateRange(start: string, days: number): string[] {
  return Array.from({ length: days }, (_, i) => addDays(start, i));
}

/** The instants [start, end) covering local dates `from` .. `from + days - 1` in `zone`. */
export function dayRangeMs(from: string, days: number, zone: string): { start: number; end: number } {
  return {
    start: wallToMs(`${from}T00:00`, zone),
    end: wallToMs(`${addDays(from, days)}T00:00`, zone),
  };
}

/** "09:05" for minutes since midnight (1440 -> "24:00"). */
export function minutesToHhmm(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** Minutes since midnight for "HH:MM" ("24:00" allowed), or undefined. */
export function hhmmToMinutes(value: string): number | undefined {
  const m = /^(\d{1,2}):(\d{2})(?::\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return undefined;
  return h * 60 + min;
}

/** A time for people: "Tue 10 Mar 2026, 09:00" of a wall string (no zone arithmetic). */
export function describeWall(wall: string, locale?: string): string {
  const f = parseWall(wall);
  if (!f) return wall;
  const d = new Date(Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute));
  return new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(d);
}

/** A date for people: "Tuesday, 10 March 2026". */
export function describeDate(date: string, locale?: string, long = true): string {
  const f = parseWall(date);
  if (!f) return date;
  return new Intl.DateTimeFormat(locale, {
    timeZone: "UTC",
    weekday: long ? "long" : "short",
    day: "numeric",
    month: long ? "long" : "short",
    year: "numeric",
  }).format(new Date(Date.UTC(f.year, f.month - 1, f.day)));
}

/** The zone's short name at an instant ("MST", "GMT+1"), for labels. */
export function zoneAbbreviation(ms: number, zone: string, locale?: string): string {
  try {
    const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" }).formatToParts(new Date(ms));
    return parts.find((p) => p.type === "timeZoneName")?.value ?? zone;
  } catch {
    return zone;
  }
}
