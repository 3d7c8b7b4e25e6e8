// The pure logic of the Outbox (/staff/outbox): the filters and their
// address, the ListMessages request, a message in words (its kind, its
// delivery with the attempts and the relay's last answer, times in the
// practice's zone) and the main facts of its calendar file (RFC 5545), read
// here without a library. No DOM and no network.
import { create } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import { DeliveryState, Message_Kind, type Message } from "../../gen/clinic/notifications/v1/notifications_pb";
import { ListMessagesRequestSchema, type ListMessagesRequest } from "../../gen/clinic/notifications/v1/notifications_service_pb";
import { describeCallError } from "../shared/errors";
import { describeDate, describeWall, isKnownZone, timestampToMs, wallString, wallToMs, zoneAbbreviation } from "../shared/tz";

/** Who may read the outbox (the server says the same: front desk and admins). */
export function canSeeOutbox(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && (roles.includes(StaffRole.FRONT_DESK) || roles.includes(StaffRole.ADMIN));
}

// ------------------------------------------------------------ filters ---

/** What the page shows: one delivery state (UNSPECIFIED: all) and one patient ("" for everyone). */
export interface OutboxFilters {
  state: DeliveryState;
  /** "patients/{id}", or "". */
  patient: string;
}

export function emptyOutboxFilters(): OutboxFilters {
  return { state: DeliveryState.DELIVERY_STATE_UNSPECIFIED, patient: "" };
}

/** The state filter's choices: the value kept in the address, the state, and its label. */
export const stateChoices: ReadonlyArray<{ slug: string; state: DeliveryState; label: string }> = [
  { slug: "", state: DeliveryState.DELIVERY_STATE_UNSPECIFIED, label: "All" },
  { slug: "queued", state: DeliveryState.QUEUED, label: "Queued" },
  { slug: "sent", state: DeliveryState.SENT, label: "Sent" },
  { slug: "retrying", state: DeliveryState.RETRYING, label: "Retrying" },
  { slug: "given-up", state: DeliveryState.GIVEN_UP, label: "Given up" },
  { slug: "no-address", state: DeliveryState.NO_ADDRESS, label: "No address" },
];

const patientId = /^[A-Za-z0-9._~-]+$/;

/** The filters in the address ("?state=retrying&patient=<id>"); anything unknown is ignored. */
export function filtersFromSearch(search: string): OutboxFilters {
  const q = new URLSearchParams(search);
  const f = emptyOutboxFilters();
  const slug = q.get("state") ?? "";
  f.state = stateChoices.find((c) => c.slug === slug)?.state ?? DeliveryState.DELIVERY_STATE_UNSPECIFIED;
  const id = (q.get("patient") ?? "").replace(/^patients\//, "");
  if (id && patientId.test(id)) f.patient = `patients/${id}`;
  return f;
}

/** The address's query for the filters: "" without any, else "?state=…&patient=…". */
export function filtersToSearch(f: OutboxFilters): string {
  const q = new URLSearchParams();
  const slug = stateChoices.find((c) => c.state === f.state)?.slug ?? "";
  if (slug) q.set("state", slug);
  if (f.patient.startsWith("patients/")) q.set("patient", f.patient.slice("patients/".length));
  const s = q.toString();
  return s ? `?${s}` : "";
}

/** Messages read per page. */
export const outboxPageSize = 50;

/** ListMessages for the filters, from the first page or after `pageToken`. */
export function listMessagesRequest(f: OutboxFilters, pageToken = "", pageSize = outboxPageSize): ListMessagesRequest {
  return create(ListMessagesRequestSchema, { patient: f.patient, state: f.state, pageSize, pageToken });
}

const stateFilterWords: Partial<Record<DeliveryState, string>> = {
  [DeliveryState.QUEUED]: "waiting to be sent",
  [DeliveryState.SENT]: "sent",
  [DeliveryState.RETRYING]: "being retried",
  [DeliveryState.GIVEN_UP]: "given up on",
  [DeliveryState.NO_ADDRESS]: "without an email address",
};

/** What the page says when no message matches ("No messages to Grace Kim are being retried."). */
export function emptyWords(f: OutboxFilters, patientName?: string): string {
  const who = f.patient ? ` to ${patientName || "this patient"}` : "";
  const state = stateFilterWords[f.state];
  if (state) return `No messages${who} are ${state}.`;
  return f.patient ? `No messages${who} yet.` : "No messages to patients yet.";
}

// ------------------------------------------------------------ words ---

/** A message's kind in words: "confirmation", "change", "cancellation", "reminder". */
export function kindWords(kind: Message_Kind): string {
  switch (kind) {
    case Message_Kind.CONFIRMATION:
      return "confirmation";
    case Message_Kind.CHANGE:
      return "change";
    case Message_Kind.CANCELLATION:
      return "cancellation";
    case Message_Kind.REMINDER:
      return "reminder";
    case Message_Kind.WAITLIST_OFFER:
      return "waitlist offer";
    default:
      return "message";
  }
}

/** A delivery state in words: "queued", "sent", "retrying", "given up", "no address". */
export function stateWords(state: DeliveryState): string {
  switch (state) {
    case DeliveryState.QUEUED:
      return "queued";
    case DeliveryState.SENT:
      return "sent";
    case DeliveryState.RETRYING:
      return "retrying";
    case DeliveryState.GIVEN_UP:
      return "given up";
    case DeliveryState.NO_ADDRESS:
      return "no address";
    default:
      return "unknown";
  }
}

/** "1 attempt", "3 attempts". */
export function attemptsWords(n: number): string {
  return `${n} attempt${n === 1 ? "" : "s"}`;
}

/**
 * Where a message's delivery stands, with the attempts and the relay's last
 * answer: "sent: 250 accepted by smtp://127.0.0.1:2525", "retrying (2
 * attempts): SMTP: couldn't connect", "given up (5 attempts): …", "queued",
 * "no address: the patient has no email address". Attempts are said when
 * there were several (or, while retrying or given up, always).
 */
export function deliveryWords(m: Pick<Message, "state" | "attempts" | "lastResult">): string {
  const state = stateWords(m.state);
  const attempts = Math.max(0, m.attempts | 0);
  const said =
    attempts > 1 || (attempts > 0 && (m.state === DeliveryState.RETRYING || m.state === DeliveryState.GIVEN_UP))
      ? ` (${attemptsWords(attempts)})`
      : "";
  const result = m.lastResult.trim() || (m.state === DeliveryState.NO_ADDRESS ? "the patient has no email address" : "");
  return `${state}${said}${result ? `: ${result}` : ""}`;
}

/** The badge class of a state: problems stand out. */
export function stateClass(state: DeliveryState): string {
  switch (state) {
    case DeliveryState.SENT:
      return "sent";
    case DeliveryState.RETRYING:
    case DeliveryState.GIVEN_UP:
      return "bad";
    default:
      return "waiting";
  }
}

/** An instant in `zone` for people ("Tue, 10 Mar 2026, 09:00"), and as ISO for <time>. */
export function timeWords(ms: number, zone: string, locale?: string): { text: string; iso: string } {
  if (!Number.isFinite(ms) || ms === 0) return { text: "", iso: "" };
  return { text: describeWall(wallString(ms, zone).slice(0, 16), locale), iso: new Date(ms).toISOString() };
}

/** A Timestamp in `zone`, as timeWords. */
export function timestampWords(ts: Timestamp | undefined, zone: string, locale?: string): { text: string; iso: string } {
  return ts ? timeWords(timestampToMs(ts), zone, locale) : { text: "", iso: "" };
}

/** When the next attempt is due, for messages still waiting: "next attempt Tue, 10 Mar 2026, 09:05", else "". */
export function nextAttemptWords(m: Pick<Message, "state" | "nextAttemptTime">, zone: string, locale?: string): string {
  if (m.state !== DeliveryState.QUEUED && m.state !== DeliveryState.RETRYING) return "";
  const t = timestampWords(m.nextAttemptTime, zone, locale);
  return t.text ? `next attempt ${t.text}` : "";
}

/** What the page says when ListMessages fails. */
export function outboxCallError(err: unknown): string {
  const e = ConnectError.from(err);
  if (e.code === Code.Unimplemented) return "The outbox is not available on this server yet.";
  if (e.code === Code.Unavailable) return "The outbox could not be reached. Check the connection and try again.";
  return describeCallError(e, "The outbox could not be read.");
}

// ------------------------------------------------------------ the calendar file ---

/** A DTSTART or DTEND as written: an instant, an all-day date, or a floating wall time. */
export type IcsTime =
  | { kind: "instant"; ms: number; zone?: string }
  | { kind: "date"; date: string }
  | { kind: "floating"; wall: string };

/** The main facts of a calendar file (its first event). */
export interface IcsFacts {
  /** "REQUEST", "CANCEL" (upper case), or "". */
  method: string;
  /** undefined when the event has none. */
  sequence?: number;
  start?: IcsTime;
  end?: IcsTime;
  summary: string;
  location: string;
  /** "CONFIRMED", "CANCELLED", or "". */
  status: string;
  /** X-WR-TIMEZONE, the location's zone, when given. */
  timeZone: string;
}

/** RFC 5545 3.1: a line starting with a space or a tab continues the one before. */
export function unfoldIcs(text: string): string[] {
  return text
    .replace(/\r\n|\r/g, "\n")
    .replace(/\n[ \t]/g, "")
    .split("\n")
    .filter((l) => l.length > 0);
}

/** RFC 5545 3.3.11: "\\n" and "\\N" are new lines; "\\,", "\\;", "\\\\" the characters. */
export function unescapeIcsText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

interface IcsLine {
  name: string;
  params: Map<string, string>;
  value: string;
}

/** "DTSTART;TZID=\"America/Denver\":20261202T090000" -> name, parameters, value (quotes keep ":" and ";"). */
export function parseIcsLine(line: string): IcsLine | undefined {
  let i = 0;
  let quoted = false;
  const parts: string[] = [];
  let current = "";
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    if (!quoted && (c === ";" || c === ":")) {
      parts.push(current);
      current = "";
      if (c === ":") break;
      continue;
    }
    current += c;
  }
  if (i >= line.length) return undefined;
  const [name, ...rawParams] = parts;
  if (!name) return undefined;
  const params = new Map<string, string>();
  for (const p of rawParams) {
    const eq = p.indexOf("=");
    if (eq <= 0) continue;
    params.set(p.slice(0, eq).toUpperCase(), p.slice(eq + 1).replace(/^"(.*)"$/, "$1"));
  }
  return { name: name.toUpperCase(), params, value: line.slice(i + 1) };
}

/** A DATE or DATE-TIME value (with its TZID, if any) as an IcsTime; undefined when unreadable. */
export function parseIcsTime(value: string, params: Map<string, string> = new Map()): IcsTime | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, z] = m;
  const date = `${y}-${mo}-${d}`;
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (h === undefined) return { kind: "date", date };
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  const wall = `${date}T${h}:${mi}:${s === "60" ? "59" : s}`;
  if (z) return { kind: "instant", ms: Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) };
  // "TZID=/Europe/Berlin" (a globally unique id) is the same zone.
  const tzid = (params.get("TZID") ?? "").replace(/^\//, "");
  if (tzid && isKnownZone(tzid)) return { kind: "instant", ms: wallToMs(wall, tzid), zone: tzid };
  return { kind: "floating", wall };
}

/**
 * The main facts of a calendar file: the METHOD, and of its first VEVENT
 * the SEQUENCE, DTSTART, DTEND, SUMMARY, LOCATION and STATUS (lines
 * unfolded, text unescaped; what other components such as VTIMEZONE or
 * VALARM say is ignored). undefined when it is not a calendar file.
 */
export function parseIcs(text: string): IcsFacts | undefined {
  if (!text.trim()) return undefined;
  const facts: IcsFacts = { method: "", summary: "", location: "", status: "", timeZone: "" };
  const stack: string[] = [];
  let sawCalendar = false;
  let eventsSeen = 0;
  for (const raw of unfoldIcs(text)) {
    const line = parseIcsLine(raw);
    if (!line) continue;
    if (line.name === "BEGIN") {
      const component = line.value.trim().toUpperCase();
      stack.push(component);
      if (component === "VCALENDAR") sawCalendar = true;
      if (component === "VEVENT") eventsSeen++;
      continue;
    }
    if (line.name === "END") {
      stack.pop();
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === "VCALENDAR") {
      if (line.name === "METHOD" && !facts.method) facts.method = line.value.trim().toUpperCase();
      if (line.name === "X-WR-TIMEZONE" && !facts.timeZone) facts.timeZone = unescapeIcsText(line.value).trim();
      continue;
    }
    if (top !== "VEVENT" || eventsSeen !== 1) continue;
    switch (line.name) {
      case "SEQUENCE": {
        const n = Number(line.value.trim());
        if (Number.isInteger(n) && n >= 0) facts.sequence = n;
        break;
      }
      case "DTSTART":
        facts.start = parseIcsTime(line.value, line.params);
        break;
      case "DTEND":
        facts.end = parseIcsTime(line.value, line.params);
        break;
      case "SUMMARY":
        facts.summary = unescapeIcsText(line.value);
        break;
      case "LOCATION":
        facts.location = unescapeIcsText(line.value);
        break;
      case "STATUS":
        facts.status = line.value.trim().toUpperCase();
        break;
    }
  }
  return sawCalendar ? facts : undefined;
}

/** What the calendar file does, in words. */
export function methodWords(method: string): string {
  switch (method) {
    case "REQUEST":
      return "adds the appointment to the patient's calendar, or updates it";
    case "CANCEL":
      return "removes the appointment from the patient's calendar";
    case "":
      return "not said";
    default:
      return "";
  }
}

/** The calendar file's facts as the page shows them. */
export interface IcsWords {
  method: string;
  methodWords: string;
  /** "0", "2", or "" when not given. */
  sequence: string;
  /** "Wed, 2 Dec 2026, 09:00 MST" (the location's zone), or "". */
  start: string;
  /** The end: just its time when on the same day as the start ("09:45 MST"). */
  end: string;
  summary: string;
  location: string;
  /** "confirmed", "cancelled", or "". */
  status: string;
}

function icsTimeParts(t: IcsTime | undefined, zone: string, locale?: string): { day: string; time: string; date: string } | undefined {
  if (!t) return undefined;
  if (t.kind === "date") {
    return { day: describeDate(t.date, locale, false), time: "", date: t.date };
  }
  if (t.kind === "floating") {
    const text = describeWall(t.wall.slice(0, 16), locale);
    return { day: text, time: t.wall.slice(11, 16), date: t.wall.slice(0, 10) };
  }
  const wall = wallString(t.ms, zone);
  const abbreviation = zoneAbbreviation(t.ms, zone, locale);
  const time = `${wall.slice(11, 16)}${abbreviation ? ` ${abbreviation}` : ""}`;
  return { day: `${describeWall(wall.slice(0, 16), locale)}${abbreviation ? ` ${abbreviation}` : ""}`, time, date: wall.slice(0, 10) };
}

/**
 * The facts in words. Times are shown in the zone the file names (a TZID,
 * else X-WR-TIMEZONE: the location's), else in `fallbackZone`.
 */
export function icsWords(facts: IcsFacts, fallbackZone: string, locale?: string): IcsWords {
  const named = [facts.start?.kind === "instant" ? facts.start.zone : undefined, facts.timeZone].find(
    (z): z is string => !!z && isKnownZone(z),
  );
  const zone = named ?? fallbackZone;
  const start = icsTimeParts(facts.start, zone, locale);
  const end = icsTimeParts(facts.end, zone, locale);
  const status = facts.status === "CONFIRMED" ? "confirmed" : facts.status === "CANCELLED" ? "cancelled" : facts.status.toLowerCase();
  return {
    method: facts.method,
    methodWords: methodWords(facts.method),
    sequence: facts.sequence === undefined ? "" : String(facts.sequence),
    start: start?.day ?? "",
    end: end ? (start && end.time && end.date === start.date ? end.time : end.day) : "",
    summary: facts.summary,
    location: facts.location,
    status,
  };
}

// ------------------------------------------------------------ rows ---

/** A message as the page shows it: words only (the names are for links and keys). */
export interface MessageRow {
  /** "messages/…": the row's key. */
  name: string;
  /** "appointments/…": not shown (a data attribute, for finding an appointment's messages). */
  appointment: string;
  /** "patients/…": the link to the record. */
  patient: string;
  patientName: string;
  created: { text: string; iso: string };
  kind: string;
  /** The email, or "no email address". */
  recipient: string;
  hasRecipient: boolean;
  subject: string;
  delivery: string;
  stateClass: string;
  /** "next attempt …" while waiting, "sent Tue, …" once sent, else "". */
  when: string;
  body: string;
  /** The calendar file's facts, when it has one that could be read. */
  ics?: IcsWords;
  /** A calendar file was attached but could not be read. */
  icsUnreadable: boolean;
}

/** A message in words. `patientName` names a patient ("patients/…" -> "Grace Kim"), undefined while unknown. */
export function messageRow(
  m: Message,
  patientName: (name: string) => string | undefined,
  zone: string,
  locale?: string,
): MessageRow {
  const facts = m.ics ? parseIcs(m.ics) : undefined;
  const sent = m.state === DeliveryState.SENT ? timestampWords(m.sendTime, zone, locale).text : "";
  return {
    name: m.name,
    appointment: m.appointment,
    patient: m.patient,
    patientName: (m.patient && patientName(m.patient)) || "A patient",
    created: timestampWords(m.createTime, zone, locale),
    kind: kindWords(m.kind),
    recipient: m.recipient || "no email address",
    hasRecipient: !!m.recipient,
    subject: m.subject || "(no subject)",
    delivery: deliveryWords(m),
    stateClass: stateClass(m.state),
    when: sent ? `sent ${sent}` : nextAttemptWords(m, zone, locale),
    body: m.body,
    ics: facts ? icsWords(facts, zone, locale) : undefined,
    icsUnreadable: !!m.ics.trim() && !facts,
  };
}

/** The patients of `messages` whose names are not known yet, each once. */
export function unknownPatients(messages: readonly Pick<Message, "patient">[], known: (name: string) => string | undefined): string[] {
  return [...new Set(messages.map((m) => m.patient))].filter((n) => /^patients\/[^/]+$/.test(n) && known(n) === undefined);
}

/** `items` dealt into at most `lanes` lists, in turn (to read a few at a time). */
export function deal<T>(items: readonly T[], lanes: number): T[][] {
  const n = Math.max(1, Math.min(lanes, items.length));
  const out: T[][] = Array.from({ length: n }, () => []);
  items.forEach((item, i) => out[i % n].push(item));
  return items.length ? out : [];
}
