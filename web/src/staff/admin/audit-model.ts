// Pure logic of the audit trail page: the filters <-> the URL and the
// requests, the two trails (patient records, appointments) merged newest
// first, and how an event reads — who, what in plain words, which patients,
// when in local time, the outcome in words. No DOM, no network.
import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { AuditEvent } from "../../gen/clinic/audit/v1/audit_pb";
import { addDays, describeDate, isKnownZone, parseWall, wallToMs } from "../shared/tz";

// ------------------------------------------------------------ filters ---

/** The filters as chosen (dates as <input type=date> values, YYYY-MM-DD). */
export interface AuditFilters {
  /** "patients/…" or "". */
  resource: string;
  /** "staff/…" (or "anonymous", "service/…") or "". */
  actor: string;
  from: string;
  to: string;
}

export const emptyAuditFilters = (): AuditFilters => ({ resource: "", actor: "", from: "", to: "" });

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const isDate = (v: string) => isoDate.test(v) && parseWall(v) !== undefined;

/** The filters in the page's query string (?resource=&actor=&from=&to=). */
export function filtersFromSearch(search: string): AuditFilters {
  const params = new URLSearchParams(search);
  const date = (key: string) => {
    const v = (params.get(key) ?? "").trim();
    return isoDate.test(v) ? v : "";
  };
  return {
    resource: withPrefix(params.get("resource") ?? "", "patients"),
    actor: withPrefix(params.get("actor") ?? "", "staff"),
    from: date("from"),
    to: date("to"),
  };
}

export function filtersToSearch(f: AuditFilters): string {
  const params = new URLSearchParams();
  if (f.resource.trim()) params.set("resource", f.resource.trim());
  if (f.actor.trim()) params.set("actor", f.actor.trim());
  if (f.from) params.set("from", f.from);
  if (f.to) params.set("to", f.to);
  const s = params.toString();
  return s ? "?" + s : "";
}

/** "abc" -> "patients/abc"; a full name (or "anonymous") is kept. */
export function withPrefix(value: string, collection: string): string {
  const v = value.trim();
  if (!v) return "";
  return v.includes("/") || v === "anonymous" ? v : `${collection}/${v}`;
}

/** Which filter is wrong, in words, or empty when they can be sent. */
export function checkAuditFilters(f: AuditFilters): Partial<Record<keyof AuditFilters, string>> {
  const errors: Partial<Record<keyof AuditFilters, string>> = {};
  if (f.resource && !/^patients\/[^/\s]+$/.test(f.resource)) errors.resource = "choose a patient from the list";
  if (f.actor && !/^(staff\/[^/\s]+|anonymous|service\/[^/\s]+)$/.test(f.actor)) errors.actor = "choose a staff member from the list";
  if (f.from && !isDate(f.from)) errors.from = "not a date";
  if (f.to && !isDate(f.to)) errors.to = "not a date";
  if (!errors.from && !errors.to && f.from && f.to && f.to < f.from) errors.to = "is before the From date";
  return errors;
}

/**
 * The requests' filters (the same for both trails). The days are days in
 * `zone`: From at its midnight, To included (until the next midnight).
 */
export function auditRequestFilters(
  f: AuditFilters,
  zone: string,
): { resource: string; actor: string; startTime?: Timestamp; endTime?: Timestamp } {
  return {
    resource: f.resource,
    actor: f.actor,
    startTime: isDate(f.from) ? timestampFromMs(wallToMs(`${f.from}T00:00`, zone)) : undefined,
    endTime: isDate(f.to) ? timestampFromMs(wallToMs(`${addDays(f.to, 1)}T00:00`, zone)) : undefined,
  };
}

/** The filters in words, for the status line: "about Lucía Fernández, by Ann Lee, from Mon, 2 Mar 2026". */
export function describeFilters(f: AuditFilters, names: { patient?: string; actor?: string }, locale?: string): string {
  const parts: string[] = [];
  if (f.resource) parts.push(`about ${names.patient || "one patient"}`);
  if (f.actor) parts.push(`by ${names.actor || "one staff member"}`);
  if (f.from) parts.push(`from ${describeDate(f.from, locale, false)}`);
  if (f.to) parts.push(`until ${describeDate(f.to, locale, false)}`);
  return parts.join(", ");
}

// ------------------------------------------------------------ actions ---

const patientsService = "clinic.patients.v1.PatientService/";
const appointmentsService = "clinic.appointments.v1.AppointmentService/";

/**
 * Every audited RPC in plain words, as "<who> <did>" reads: "Ann Lee viewed
 * record". A unit test fails when PatientService or AppointmentService has an
 * RPC missing here.
 */
export const actionWords: Readonly<Record<string, string>> = {
  [patientsService + "GetPatient"]: "viewed record",
  [patientsService + "ListPatients"]: "searched patients",
  [patientsService + "CreatePatient"]: "created patient",
  [patientsService + "UpdatePatient"]: "changed record",
  [patientsService + "ExistingPatients"]: "checked that patients exist",
  [patientsService + "OptOutOfReminders"]: "stopped reminders by email link",
  [patientsService + "FindSimilarPatients"]: "checked for duplicates",
  [patientsService + "FindOrCreatePatient"]: "found or created patient",
  [patientsService + "ListPatientAuditEvents"]: "viewed audit trail",
  [patientsService + "ArchivePatient"]: "archived patient",
  [appointmentsService + "FindAvailableSlots"]: "searched open times",
  [appointmentsService + "HoldSlot"]: "held a time",
  [appointmentsService + "BookAppointment"]: "booked appointment",
  [appointmentsService + "GetAppointment"]: "viewed appointment",
  [appointmentsService + "ListAppointments"]: "listed appointments",
  [appointmentsService + "RescheduleAppointment"]: "moved appointment",
  [appointmentsService + "ConfirmAppointment"]: "confirmed appointment",
  [appointmentsService + "CheckInAppointment"]: "checked in",
  [appointmentsService + "CompleteAppointment"]: "completed appointment",
  [appointmentsService + "MarkNoShow"]: "marked no-show",
  [appointmentsService + "UndoAppointmentStatus"]: "undid check-in or no-show",
  [appointmentsService + "CancelAppointment"]: "cancelled appointment",
  [appointmentsService + "IssueManageToken"]: "issued manage link",
  [appointmentsService + "ResolveManageToken"]: "opened manage link",
  [appointmentsService + "CreateWaitlistEntry"]: "added to waitlist",
  [appointmentsService + "ListWaitlistEntries"]: "listed waitlist",
  [appointmentsService + "DeleteWaitlistEntry"]: "removed from waitlist",
  [appointmentsService + "ListWaitlistOffers"]: "listed waitlist offers",
  [appointmentsService + "ResolveWaitlistOffer"]: "opened waitlist offer link",
  [appointmentsService + "AcceptWaitlistOffer"]: "took waitlist offer",
  [appointmentsService + "ListAppointmentAuditEvents"]: "viewed audit trail",
  [appointmentsService + "ListAppointmentEvents"]: "read appointment events",
};

/** "clinic.patients.v1.PatientService/GetPatient" -> "GetPatient". */
export function shortAction(action: string): string {
  const slash = action.lastIndexOf("/");
  return slash >= 0 ? action.slice(slash + 1) : action;
}

/**
 * What an event's RPC did, in words ("booked appointment"). An RPC not in
 * the table (a newer server) reads as its name in words: "RefundPayment" ->
 * "refund payment".
 */
export function describeAction(action: string): string {
  const known = actionWords[action];
  if (known) return known;
  const words = shortAction(action)
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words || "did something";
}

// ------------------------------------------------------------ who, outcome ---

/** "STAFF_ROLE_FRONT_DESK" -> "Front desk". */
export function roleWords(role: string): string {
  const words = role.replace(/^STAFF_ROLE_/, "").toLowerCase().replace(/_/g, " ");
  return words ? words[0].toUpperCase() + words.slice(1) : role;
}

/**
 * Who did it, for people: a staff member's name (from `staffNames`), "Someone
 * online (not logged in)", "Online booking" for service/booking — never an id.
 */
export function actorWords(actor: string, staffNames: ReadonlyMap<string, string>): string {
  if (actor.startsWith("staff/")) return staffNames.get(actor) ?? "A staff member";
  if (actor === "anonymous" || actor === "") return "Someone online (not logged in)";
  if (actor.startsWith("service/")) {
    const service = actor.slice("service/".length).replace(/[-_]/g, " ");
    return service === "booking" ? "Online booking" : `The ${service} service`;
  }
  return "Someone";
}

const outcomes: Readonly<Record<string, string>> = {
  OK: "done",
  CANCELLED: "stopped: the caller gave up",
  UNKNOWN: "failed: unknown error",
  INVALID_ARGUMENT: "refused: invalid request",
  DEADLINE_EXCEEDED: "failed: took too long",
  NOT_FOUND: "failed: not found",
  ALREADY_EXISTS: "refused: already taken",
  PERMISSION_DENIED: "refused: no access",
  RESOURCE_EXHAUSTED: "refused: too many requests",
  FAILED_PRECONDITION: "refused: not possible now",
  ABORTED: "refused: changed meanwhile",
  OUT_OF_RANGE: "refused: out of range",
  UNIMPLEMENTED: "failed: not supported",
  INTERNAL: "failed: server error",
  UNAVAILABLE: "failed: service unavailable",
  DATA_LOSS: "failed: data loss",
  UNAUTHENTICATED: "refused: not logged in",
};

/** Whether the call did what was asked. */
export function outcomeOk(outcome: string): boolean {
  return outcome === "OK" || outcome === "";
}

/** The outcome in words: "OK" -> "done", "PERMISSION_DENIED" -> "refused: no access". */
export function outcomeWords(outcome: string): string {
  if (outcomeOk(outcome)) return "done";
  return outcomes[outcome] ?? `failed: ${outcome.toLowerCase().replace(/_/g, " ")}`;
}

// ------------------------------------------------------------ patients ---

const patientName = /^patients\/[^/]+$/;

/** The patients an event concerns: its resource if a patient, and the patients among `resources`. */
export function eventPatients(ev: Pick<AuditEvent, "resource" | "resources">): string[] {
  const all = [ev.resource, ...ev.resources].filter((r) => patientName.test(r));
  return [...new Set(all)];
}

/** Whether the event is a search or a list (its resource is a collection: "patients"). */
export function isSearch(ev: Pick<AuditEvent, "resource">): boolean {
  return ev.resource !== "" && !ev.resource.includes("/");
}

/**
 * Which patients the Patient column names: for a search, how many results
 * (and the filtered patient, when among them); otherwise the patients
 * concerned, at most `max`, and how many more.
 */
export function eventSubject(
  ev: Pick<AuditEvent, "resource" | "resources">,
  filteredPatient = "",
  max = 3,
): { patients: string[]; more: number; results?: number } {
  const patients = eventPatients(ev);
  if (isSearch(ev)) {
    return {
      patients: filteredPatient && patients.includes(filteredPatient) ? [filteredPatient] : [],
      more: 0,
      results: ev.resources.length,
    };
  }
  const shown = patients.length > max ? patients.slice(0, max - 1) : patients;
  return { patients: shown, more: patients.length - shown.length };
}

/** "1 result", "12 results". */
export function resultsText(n: number): string {
  return `${n} result${n === 1 ? "" : "s"}`;
}

// ------------------------------------------------------------ times ---

/**
 * The zone the page shows times in: the locations' zone when they all share
 * one (the practice's), else `fallback` (the browser's).
 */
export function practiceZone(zones: readonly string[], fallback: string): string {
  const known = [...new Set(zones.filter(isKnownZone))];
  return known.length === 1 ? known[0] : fallback;
}

/** A zone's name for people: "Mountain Time" (or its abbreviation, "MST", where the browser has no such name). */
export function zoneName(zone: string, locale?: string, at = Date.now()): string {
  for (const timeZoneName of ["longGeneric", "short"] as const) {
    try {
      const parts = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName }).formatToParts(new Date(at));
      const name = parts.find((p) => p.type === "timeZoneName")?.value;
      if (name) return name;
    } catch {
      // Try the next kind of name.
    }
  }
  return zone;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function format(zone: string, locale: string | undefined, kind: "date" | "time"): Intl.DateTimeFormat {
  const key = `${zone}|${locale ?? ""}|${kind}`;
  let f = dateFormats.get(key);
  if (!f) {
    f =
      kind === "date"
        ? new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric" })
        : new Intl.DateTimeFormat(locale, { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });
    dateFormats.set(key, f);
  }
  return f;
}

/** An event's time in `zone`, for people ("Tue, 3 Mar 2026" and "14:05:09") and as ISO for <time>. */
export function auditTime(ts: Timestamp | undefined, zone: string, locale?: string): { date: string; time: string; iso: string } {
  if (!ts) return { date: "", time: "", iso: "" };
  const d = timestampDate(ts);
  return { date: format(zone, locale, "date").format(d), time: format(zone, locale, "time").format(d), iso: d.toISOString() };
}

/** A timestamp as a local date and time ("2025-03-01 14:05:09"), and as ISO for <time>. */
export function formatLocalTime(ts: Timestamp | undefined): { text: string; iso: string } {
  if (!ts) return { text: "", iso: "" };
  const d = timestampDate(ts);
  const pad = (n: number) => String(n).padStart(2, "0");
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return { text, iso: d.toISOString() };
}

// ------------------------------------------------------------ two trails, merged ---

/** Where an event comes from: PatientService's trail or AppointmentService's. */
export type AuditSource = "patients" | "appointments";
export const auditSources: readonly AuditSource[] = ["patients", "appointments"];

export interface SourcedEvent {
  source: AuditSource;
  event: AuditEvent;
  /** The event's time, ms since the epoch. */
  ms: number;
}

/** What has been read of one trail: its events so far (newest first) and the next page's token. */
export interface TrailState {
  events: SourcedEvent[];
  /** "" once the trail is read to its end (or could not be read). */
  next: string;
}

export function sourced(source: AuditSource, events: readonly AuditEvent[]): SourcedEvent[] {
  return events.map((event) => ({ source, event, ms: event.eventTime ? timestampDate(event.eventTime).getTime() : 0 }));
}

/**
 * The two trails merged newest first, as far as it is known to be complete:
 * a trail with more pages may still hold events older than its last one
 * read but newer than what the other has read, so only events at or after
 * the latest such "frontier" are shown. `more` names the trails whose next
 * page "More" must read (those whose frontier holds the list back).
 */
export function mergeTrails(trails: Readonly<Partial<Record<AuditSource, TrailState>>>): { shown: SourcedEvent[]; more: AuditSource[] } {
  const all: SourcedEvent[] = [];
  let cut = -Infinity;
  const frontier = new Map<AuditSource, number>();
  for (const source of auditSources) {
    const t = trails[source];
    if (!t) continue;
    all.push(...t.events);
    if (t.next) {
      const oldest = t.events.length ? Math.min(...t.events.map((e) => e.ms)) : Infinity;
      frontier.set(source, oldest);
      cut = Math.max(cut, oldest);
    }
  }
  const order = (s: AuditSource) => auditSources.indexOf(s);
  const shown = all
    .filter((e) => e.ms >= cut)
    .sort((a, b) => b.ms - a.ms || order(a.source) - order(b.source));
  const more = [...frontier.entries()].filter(([, ms]) => ms === cut).map(([s]) => s);
  return { shown, more };
}
