// The public "Book a free screening" flow's pure logic (book.html,
// src/public/book.ts): the 14-day window in the location's zone, openings
// grouped by local day, dates and times in words read from the API's
// local_start strings ("2026-12-01T09:00") — never through the browser's own
// time zone —, the details the browser checks before moving on, the
// BookOnline request and its retry key, and a failed call sorted into what
// the page does next. No DOM, no network, nothing from the staff app.
import { Code, ConnectError } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import type {
  BookOnlineRequestSchema,
  BookableType,
  FindOpeningsRequestSchema,
} from "../gen/clinic/booking/v1/booking_service_pb";
import { ErrorInfoSchema } from "../gen/google/rpc/error_details_pb";
import { fieldForErrorPath, fieldViolations, type FieldErrors } from "../common/bad-request";

// ------------------------------------------------------------------ days ---

/** A local calendar day (as google.type.Date). */
export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

/** How many days the flow offers (FindOpenings takes at most 14 at a time). */
export const windowDays = 14;

const pad2 = (n: number) => String(n).padStart(2, "0");

/** "2026-12-01". */
export function isoDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, "0")}-${pad2(d.month)}-${pad2(d.day)}`;
}

/** "2026-12-01" (or the date part of "2026-12-01T09:00") -> a real day, or undefined. */
export function parseIsoDate(s: string): LocalDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T|$)/.exec(s.trim());
  if (!m) return undefined;
  return realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The day if year/month/day name one (no 31 April), else undefined. */
export function realDate(year: number, month: number, day: number): LocalDate | undefined {
  if (![year, month, day].every(Number.isInteger) || year < 1000 || month < 1 || month > 12 || day < 1) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** The day n days after d (n may be negative). Calendar arithmetic, no zone (years from 1000 on). */
export function addDays(d: LocalDate, n: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + n));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(d: LocalDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

/**
 * Today in `zone` at the instant `nowMs` (the location's today, whatever the
 * browser's zone). An unknown zone falls back to UTC.
 */
export function todayIn(zone: string, nowMs: number): LocalDate {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone: zone || "UTC",
      year: "numeric",
      month: "numeric",
      day: "numeric",
    }).formatToParts(new Date(nowMs));
  } catch {
    const t = new Date(nowMs);
    return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day") };
}

/** The days offered: `windowDays` days from `today` on. */
export function windowFrom(today: LocalDate): LocalDate[] {
  return Array.from({ length: windowDays }, (_, i) => addDays(today, i));
}

/** FindOpenings for the whole window at once: its first day to its last. */
export function findOpeningsRequest(
  appointmentType: string,
  location: string,
  first: LocalDate,
  last: LocalDate = addDays(first, windowDays - 1),
): MessageInitShape<typeof FindOpeningsRequestSchema> {
  return { appointmentType, location, startDate: { ...first }, endDate: { ...last } };
}

// -------------------------------------------------------------- openings ---

/** What the flow needs of an opening (clinic.booking.v1.Opening). */
export interface OpeningLike {
  startTime?: Timestamp;
  localStart: string;
  timeZone: string;
  therapist: string;
}

/** The local day of a local start: "2026-12-01T09:00" -> "2026-12-01". */
export const dayOf = (localStart: string) => localStart.slice(0, 10);

/** Openings by local day ("2026-12-01"), each day's earliest first. */
export function groupByDay<T extends { localStart: string }>(openings: readonly T[]): Map<string, T[]> {
  const days = new Map<string, T[]>();
  for (const o of [...openings].sort((a, b) => (a.localStart < b.localStart ? -1 : a.localStart > b.localStart ? 1 : 0))) {
    const key = dayOf(o.localStart);
    const list = days.get(key);
    if (list) list.push(o);
    else days.set(key, [o]);
  }
  return days;
}

/** A day of the window and how many open times it has. */
export interface DayCount {
  date: string;
  count: number;
}

export function dayCounts(days: readonly LocalDate[], byDay: ReadonlyMap<string, readonly unknown[]>): DayCount[] {
  return days.map((d) => ({ date: isoDate(d), count: byDay.get(isoDate(d))?.length ?? 0 }));
}

/** The first day with open times, if any. */
export function firstOpenDay(days: readonly DayCount[]): string | undefined {
  return days.find((d) => d.count > 0)?.date;
}

/** The next day after `date` with open times, if any (to suggest when a day has none). */
export function nextOpenDay(days: readonly DayCount[], date: string): string | undefined {
  return days.find((d) => d.date > date && d.count > 0)?.date;
}

/**
 * The openings with one day's replaced by `fresh` (reloaded after a time was
 * taken), still earliest first.
 */
export function replaceDay<T extends { localStart: string }>(openings: readonly T[], date: string, fresh: readonly T[]): T[] {
  const kept = openings.filter((o) => dayOf(o.localStart) !== date);
  return [...kept, ...fresh.filter((o) => dayOf(o.localStart) === date)].sort((a, b) =>
    a.localStart < b.localStart ? -1 : a.localStart > b.localStart ? 1 : 0,
  );
}

// -------------------------------------------------------------- in words ---

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

/**
 * "Tuesday 1 December"; with the year ("Friday 1 January 2027") when it is
 * not `currentYear` (omit currentYear to always show it).
 */
export function dayInWords(date: string | LocalDate, currentYear?: number): string {
  const d = typeof date === "string" ? parseIsoDate(date) : date;
  if (!d) return String(date);
  const base = `${weekdays[weekday(d)]} ${d.day} ${months[d.month - 1]}`;
  return currentYear === d.year ? base : `${base} ${d.year}`;
}

/** A day button's short parts: { weekday: "Tue", day: "1", month: "Dec" }. */
export function dayShort(date: string): { weekday: string; day: string; month: string } {
  const d = parseIsoDate(date);
  if (!d) return { weekday: "", day: date, month: "" };
  return { weekday: weekdays[weekday(d)].slice(0, 3), day: String(d.day), month: months[d.month - 1].slice(0, 3) };
}

/** "2026-12-01T09:00" -> "9:00 AM"; "…T12:30" -> "12:30 PM"; "…T00:15" -> "12:15 AM". */
export function timeInWords(localStart: string): string {
  const m = /T(\d{2}):(\d{2})/.exec(localStart);
  if (!m) return localStart;
  const h = Number(m[1]);
  return `${h % 12 === 0 ? 12 : h % 12}:${m[2]} ${h < 12 ? "AM" : "PM"}`;
}

/** "Tuesday 1 December at 9:00 AM" (the year when it is not currentYear). */
export function whenInWords(localStart: string, currentYear?: number): string {
  return `${dayInWords(dayOf(localStart), currentYear)} at ${timeInWords(localStart)}`;
}

/** "Free screening, Tuesday 1 December at 9:00 AM, Boulder – Pearl Street". */
export function bookingSummary(typeName: string, localStart: string, locationName: string, currentYear?: number): string {
  return [typeName, whenInWords(localStart, currentYear), locationName].filter((s) => s.trim()).join(", ");
}

/** "2 April 1990". */
export function birthDateInWords(d: LocalDate): string {
  return `${d.day} ${months[d.month - 1]} ${d.year}`;
}

// ------------------------------------------------------------ the choice ---

export const freeScreening = "Free screening";

/** The type chosen at first: "Free screening" if offered, else the first. */
export function defaultType(types: readonly Pick<BookableType, "name" | "displayName">[]): string {
  const wanted = freeScreening.toLowerCase();
  return (types.find((t) => t.displayName.trim().toLowerCase() === wanted) ?? types[0])?.name ?? "";
}

/** "Free screening · 30 minutes" (the type as its choice reads). */
export function typeLabel(t: Pick<BookableType, "displayName" | "minutes">): string {
  return t.minutes > 0 ? `${t.displayName} · ${t.minutes} minutes` : t.displayName;
}

/**
 * The campaign from the page's query (`?campaign=conditions/inner-knee-pain`,
 * as the landing page links): lower-case words, digits, "-", "_" and "/",
 * up to 100 characters; anything else is dropped (no campaign).
 */
export function campaignFrom(search: string): string {
  const value = new URLSearchParams(search).get("campaign") ?? "";
  return /^[a-z0-9](?:[a-z0-9_-]|\/(?!\/))*$/.test(value) && value.length <= 100 && !value.endsWith("/") ? value : "";
}

// ---------------------------------------------------------- manage link ---

/**
 * A manage link's secret as BookOnline answers it (manage_token): 43
 * characters of base64url (256 bits, no padding). Anything else opens
 * nothing, so the manage page does not ask the server about it.
 */
export const manageTokenPattern = /^[A-Za-z0-9_-]{43}$/;

export const isManageToken = (token: string) => manageTokenPattern.test(token);

/**
 * The confirmation's manage link: `href` "/manage.html?t=<token>" and, as its
 * text (so it can be copied), the whole address on `origin`; undefined when
 * the answer had no token (the page then says to call).
 */
export function manageLink(origin: string, token: string): { href: string; text: string } | undefined {
  const t = token.trim();
  if (!isManageToken(t)) return undefined;
  const href = `/manage.html?t=${t}`;
  return { href, text: origin.replace(/\/+$/, "") + href };
}

// -------------------------------------------------------------- details ---

/** The details form's fields, named as in the request's violations (person.given_name -> given_name). */
export const detailFields = ["given_name", "family_name", "birth_date", "email", "phone", "consent_to_contact"] as const;
export type DetailField = (typeof detailFields)[number];

/** What the person typed, as the details form holds it. */
export interface DetailValues {
  given_name: string;
  family_name: string;
  /** Date of birth as three small fields. */
  birth_day: string;
  birth_month: string;
  birth_year: string;
  email: string;
  phone: string;
  consent_to_contact: boolean;
  /** The honeypot: people never see it, so it stays empty. */
  website: string;
}

const wholeNumber = (s: string) => (/^\s*\d{1,4}\s*$/.test(s) ? Number(s) : NaN);

/** The date of birth the three fields name, or undefined (missing, or not a real day). */
export function birthDate(v: Pick<DetailValues, "birth_day" | "birth_month" | "birth_year">): LocalDate | undefined {
  const year = wholeNumber(v.birth_year);
  if (!(year >= 1000)) return undefined;
  return realDate(year, wholeNumber(v.birth_month), wholeNumber(v.birth_day));
}

/**
 * What the browser checks before the person moves on (what is plainly
 * missing; the server judges the rest, e.g. a date of birth in the future or
 * an email it cannot use).
 */
export function checkDetails(v: DetailValues): FieldErrors<DetailField> {
  const fields: Partial<Record<DetailField, string>> = {};
  if (!v.given_name.trim()) fields.given_name = "Enter your first name.";
  if (!v.family_name.trim()) fields.family_name = "Enter your last name.";
  const parts = [v.birth_day, v.birth_month, v.birth_year].map((s) => s.trim());
  if (parts.every((s) => !s)) fields.birth_date = "Enter your date of birth.";
  else if (!birthDate(v)) fields.birth_date = "Enter a real date of birth: day, month and year, for example 2 4 1990.";
  if (!v.email.trim() && !v.phone.trim()) fields.email = "Enter an email address or a phone number, so we can reach you.";
  if (!v.consent_to_contact) fields.consent_to_contact = "Tick the box: we may only contact you about the appointment if you agree.";
  return { fields, other: [] };
}

/** What BookOnline needs of the chosen time. */
export interface ChosenTime {
  /** "appointmentTypes/{id}". */
  appointmentType: string;
  /** "locations/{id}". */
  location: string;
  opening: OpeningLike;
}

/** The BookOnline request. Text is trimmed; the therapist and start come back from the opening unchanged. */
export function bookRequest(
  chosen: ChosenTime,
  v: DetailValues,
  campaign: string,
  requestId: string,
): MessageInitShape<typeof BookOnlineRequestSchema> {
  const born = birthDate(v);
  return {
    requestId,
    appointmentType: chosen.appointmentType,
    location: chosen.location,
    therapist: chosen.opening.therapist,
    startTime: chosen.opening.startTime,
    person: {
      givenName: v.given_name.trim(),
      familyName: v.family_name.trim(),
      birthDate: born ? { ...born } : undefined,
      email: v.email.trim(),
      phone: v.phone.trim(),
    },
    consentToContact: v.consent_to_contact,
    campaign,
    website: v.website,
  };
}

/**
 * A booking's identity: the same booking sent again (a retry after an
 * error) keeps its request_id; another time, or changed details, is a new
 * booking with a new one.
 */
export function bookingKey(chosen: ChosenTime, v: DetailValues, campaign: string): string {
  const { startTime, ...rest } = bookRequest(chosen, v, campaign, "");
  const start = startTime ? `${String(startTime.seconds)}.${startTime.nanos ?? 0}` : "";
  return JSON.stringify({ ...rest, startTime: start });
}

/**
 * Whether a retry of the same booking after this error keeps its request_id:
 * yes when the booking may have been made (no answer, a timeout, a busy or
 * rate-limited server); no after a definite refusal.
 */
export function keepsRequestId(err: unknown): boolean {
  const code = ConnectError.from(err).code;
  return ![Code.InvalidArgument, Code.FailedPrecondition, Code.PermissionDenied, Code.AlreadyExists, Code.NotFound].includes(code);
}

// --------------------------------------------------------------- errors ---
// (Worded as the contact form's, src/public/contact-model.ts; repeated here,
// not imported, so that the two pages share no chunk but the runtime's.)

export const tooManyRequests = "Too many requests from this connection; please try again in a minute.";
export const networkTrouble =
  "We could not reach the clinic just now. Check your connection and try again; your details are still here.";

/** Whether an error is the gateway's rate limit (429). */
export function isRateLimited(err: unknown): boolean {
  const e = ConnectError.from(err);
  if (e.code === Code.ResourceExhausted) return true;
  // A 429 whose body was not a Connect error: connect-web calls it Unavailable "HTTP 429".
  return e.code === Code.Unavailable && /^HTTP 429\b/.test(e.rawMessage);
}

/** "must not be empty" -> "Must not be empty." */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const capital = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : capital + ".";
}

/** The google.rpc.ErrorInfo reason of an error ("SLOT_TAKEN"), if it has one. */
export function errorReason(err: unknown): string | undefined {
  for (const info of ConnectError.from(err).findDetails(ErrorInfoSchema)) {
    if (info.reason) return info.reason;
  }
  return undefined;
}

/** Reasons that mean the time can no longer be had: show the other times. */
export const takenReasons = ["SLOT_TAKEN", "SLOT_HELD", "PATIENT_BUSY"] as const;

export const takenMessage = "That time was just taken. Here are the nearest other times.";

/** The steps of the flow, in order. */
export const steps = ["where", "time", "details", "confirm"] as const;
export type Step = (typeof steps)[number];

/** Which step a violation of a request field other than the person's belongs to. */
const choiceSteps: Record<string, Step> = {
  appointment_type: "where",
  location: "where",
  start_time: "time",
  therapist: "time",
  person: "details",
};

/** The seconds the server asked to wait (Retry-After of a 429), if it said. */
export function retryAfterSeconds(err: unknown): number | undefined {
  const value = ConnectError.from(err).metadata.get("retry-after");
  const n = value && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return n > 0 ? n : undefined;
}

/** A 429 in words, with the wait when the server said it and it is short. */
export function rateLimitMessage(err: unknown): string {
  const s = retryAfterSeconds(err);
  if (s !== undefined && s <= 90) {
    return `Too many requests from this connection; please try again in ${s} second${s === 1 ? "" : "s"}.`;
  }
  return tooManyRequests;
}

/** A failed load (locations, types, open times) in words. */
export function describeLoadError(err: unknown): string {
  const e = ConnectError.from(err);
  if (isRateLimited(e)) return rateLimitMessage(e);
  switch (e.code) {
    case Code.InvalidArgument:
    case Code.FailedPrecondition:
      return e.rawMessage ? sentence(e.rawMessage) : "This cannot be booked online. Please call the front desk.";
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Unknown:
    case Code.Canceled:
      return "We could not reach the clinic just now. Check your connection and try again.";
    default:
      return "Something went wrong on our side. Please try again in a moment, or call us.";
  }
}

/** What the page does after BookOnline failed. */
export type BookingFailure =
  /** The time was just taken: reload that day's openings and show them with `message`. */
  | { kind: "taken"; message: string }
  /**
   * The server refused some fields: show `fields` at the details form and
   * `other` in words, on `step` (the earliest step with a problem; "time"
   * means: choose another time, after reloading the day).
   */
  | { kind: "invalid"; step: Step; fields: Partial<Record<DetailField, string>>; other: string[] }
  /** Anything else: `message` on the confirm step; `retry` if sending the same booking again may work. */
  | { kind: "message"; message: string; retry: boolean };

/** A failed BookOnline sorted into what the page does next. */
export function classifyBookingError(err: unknown): BookingFailure {
  const e = ConnectError.from(err);
  const reason = errorReason(e);
  if (e.code === Code.AlreadyExists || (reason && (takenReasons as readonly string[]).includes(reason))) {
    return { kind: "taken", message: takenMessage };
  }
  if (isRateLimited(e)) return { kind: "message", message: rateLimitMessage(e), retry: true };
  if (e.code === Code.InvalidArgument) {
    const violations = fieldViolations(e);
    if (violations?.length) {
      const fields: Partial<Record<DetailField, string>> = {};
      const other: string[] = [];
      let step: Step = "confirm";
      const atLeast = (s: Step) => {
        if (steps.indexOf(s) < steps.indexOf(step)) step = s;
      };
      for (const v of violations) {
        const text = v.description.trim() || "is not valid";
        const field = v.field ? fieldForErrorPath(v.field, detailFields, ["person."]) : undefined;
        if (field) {
          fields[field] = fields[field] ? `${fields[field]}; ${text}` : text;
          atLeast("details");
          continue;
        }
        const at = choiceSteps[v.field.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase()).split(/[.[]/)[0]];
        if (at) atLeast(at);
        other.push(sentence(text));
      }
      return { kind: "invalid", step, fields, other };
    }
    return { kind: "message", message: e.rawMessage ? sentence(e.rawMessage) : "Please check your details.", retry: false };
  }
  switch (e.code) {
    case Code.FailedPrecondition:
      return {
        kind: "message",
        message: e.rawMessage ? sentence(e.rawMessage) : "This time cannot be booked online. Please call the front desk.",
        retry: false,
      };
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Unknown:
    case Code.Canceled:
      return { kind: "message", message: networkTrouble, retry: true };
    default:
      return { kind: "message", message: "Something went wrong on our side. Please try again in a moment, or call us.", retry: true };
  }
}
