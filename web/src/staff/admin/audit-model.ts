// Pure logic of the audit trail page: the filters <-> the URL and the
// request, and how an event's fields read. No DOM, no network.
import { timestampFromDate, timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

/** The filters as typed (dates as <input type=date> values, YYYY-MM-DD). */
export interface AuditFilters {
  resource: string;
  actor: string;
  from: string;
  to: string;
}

export const emptyAuditFilters = (): AuditFilters => ({ resource: "", actor: "", from: "", to: "" });

const isoDate = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The filters in the page's query string (?resource=&actor=&from=&to=). */
export function filtersFromSearch(search: string): AuditFilters {
  const params = new URLSearchParams(search);
  const date = (key: string) => {
    const v = (params.get(key) ?? "").trim();
    return isoDate.test(v) ? v : "";
  };
  return {
    resource: (params.get("resource") ?? "").trim(),
    actor: (params.get("actor") ?? "").trim(),
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

/** Midnight at the start of a local calendar day ("2025-03-01"), or undefined. */
export function localDayStart(day: string): Date | undefined {
  const m = isoDate.exec(day);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (d.getFullYear() !== Number(m[1]) || d.getMonth() !== Number(m[2]) - 1 || d.getDate() !== Number(m[3])) {
    return undefined;
  }
  return d;
}

/** "abc" -> "patients/abc"; a full name is kept. */
export function withPrefix(value: string, collection: string): string {
  const v = value.trim();
  if (!v) return "";
  return v.includes("/") ? v : `${collection}/${v}`;
}

/** Which filter is wrong, in words, or empty when they can be sent. */
export function checkAuditFilters(f: AuditFilters): Partial<Record<keyof AuditFilters, string>> {
  const errors: Partial<Record<keyof AuditFilters, string>> = {};
  const resource = withPrefix(f.resource, "patients");
  if (resource && !/^patients(\/[^/\s]+)?$/.test(resource)) {
    errors.resource = 'a patient, as "patients/…" (or just the id)';
  }
  const actor = withPrefix(f.actor, "staff");
  if (actor && !/^(staff\/[^/\s]+|anonymous|service\/[^/\s]+)$/.test(actor)) {
    errors.actor = 'a staff member, as "staff/…" (or just the id)';
  }
  if (f.from && !localDayStart(f.from)) errors.from = "not a date";
  if (f.to && !localDayStart(f.to)) errors.to = "not a date";
  if (!errors.from && !errors.to && f.from && f.to && f.to < f.from) errors.to = "is before the From date";
  return errors;
}

/** The request's filters: the "to" day is included (until the next midnight). */
export function auditRequestFilters(f: AuditFilters): {
  resource: string;
  actor: string;
  startTime?: Timestamp;
  endTime?: Timestamp;
} {
  const start = f.from ? localDayStart(f.from) : undefined;
  const toDay = f.to ? localDayStart(f.to) : undefined;
  const end = toDay ? new Date(toDay.getFullYear(), toDay.getMonth(), toDay.getDate() + 1) : undefined;
  return {
    resource: withPrefix(f.resource, "patients"),
    actor: withPrefix(f.actor, "staff"),
    startTime: start ? timestampFromDate(start) : undefined,
    endTime: end ? timestampFromDate(end) : undefined,
  };
}

/** "clinic.patients.v1.PatientService/GetPatient" -> "GetPatient". */
export function shortAction(action: string): string {
  const slash = action.lastIndexOf("/");
  return slash >= 0 ? action.slice(slash + 1) : action;
}

/** "STAFF_ROLE_FRONT_DESK" -> "Front desk". */
export function roleWords(role: string): string {
  const words = role.replace(/^STAFF_ROLE_/, "").toLowerCase().replace(/_/g, " ");
  return words ? words[0].toUpperCase() + words.slice(1) : role;
}

/** A timestamp as a local date and time ("2025-03-01 14:05:09"), and as ISO for <time>. */
export function formatLocalTime(ts: Timestamp | undefined): { text: string; iso: string } {
  if (!ts) return { text: "", iso: "" };
  const d = timestampDate(ts);
  const pad = (n: number) => String(n).padStart(2, "0");
  const text = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return { text, iso: d.toISOString() };
}

/** "OK" or a status name as words: "NOT_FOUND" -> "Not found". */
export function outcomeWords(outcome: string): string {
  if (!outcome || outcome === "OK") return outcome || "OK";
  const words = outcome.toLowerCase().replace(/_/g, " ");
  return words[0].toUpperCase() + words.slice(1);
}
