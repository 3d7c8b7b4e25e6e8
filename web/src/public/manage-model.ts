// The manage page's pure logic (manage.html, src/public/manage.ts): the
// link's token read from the address (`?t=` or `#t=`) and the address
// without it, the appointment's state in plain words, the FindOpenings and
// RescheduleManagedAppointment requests, and a failed call sorted into what
// the page does next. Days, times and error words come from
// ./booking-model.ts (imported, not repeated). No DOM, no network, nothing
// from the staff app.
import { Code, ConnectError } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import type {
  FindOpeningsRequestSchema,
  ManagedAppointment,
  RescheduleManagedAppointmentRequestSchema,
} from "../gen/clinic/booking/v1/booking_service_pb";
import {
  describeLoadError,
  errorReason,
  findOpeningsRequest,
  isManageToken,
  isRateLimited,
  sentence,
  takenReasons,
  todayIn,
  whenInWords,
  type LocalDate,
  type OpeningLike,
} from "./booking-model";

// ------------------------------------------------------------ the token ---

/** What the address holds: no token, something that is not one, or a token. */
export type TokenInAddress = { kind: "none" } | { kind: "malformed" } | { kind: "token"; token: string };

/** The `t` parameters of the query ("?t=…") and of the fragment ("#t=…"), in that order. */
function tParams(search: string, hash: string): string[] {
  const fromHash = hash.startsWith("#") ? hash.slice(1) : hash;
  return [...new URLSearchParams(search).getAll("t"), ...new URLSearchParams(fromHash).getAll("t")];
}

/**
 * The manage link's token from the page's address: `?t=<token>` (as the
 * confirmation links) or `#t=<token>`; the first that is a token (43
 * characters of base64url, spaces around it dropped). A `t` that is not one
 * is "malformed": it opens nothing, and the page says so without asking the
 * server. `isToken` tells another page's tokens (an offer's).
 */
export function tokenFrom(search: string, hash: string, isToken: (t: string) => boolean = isManageToken): TokenInAddress {
  const values = tParams(search, hash).map((v) => v.trim());
  const token = values.find(isToken);
  if (token) return { kind: "token", token };
  return values.length ? { kind: "malformed" } : { kind: "none" };
}

/**
 * The page's address without the token (for history.replaceState, so the
 * token neither stays in the browser's history nor goes out as a Referer):
 * `t` dropped from the query and the fragment, everything else kept.
 */
export function addressWithoutToken(pathname: string, search: string, hash: string): string {
  const query = new URLSearchParams(search);
  query.delete("t");
  const q = query.toString();
  const rawHash = hash.startsWith("#") ? hash.slice(1) : hash;
  let h = rawHash;
  if (/(^|&)t=/.test(rawHash)) {
    const fragment = new URLSearchParams(rawHash);
    fragment.delete("t");
    h = fragment.toString();
  }
  return pathname + (q ? `?${q}` : "") + (h ? `#${h}` : "");
}

// ------------------------------------------------------------ the state ---

type Appointment = Pick<
  ManagedAppointment,
  "summary" | "appointmentType" | "location" | "localStart" | "timeZone" | "active" | "cancelled" | "changeable"
>;

/**
 * - `changeable`: booked, and it may still be moved or cancelled online;
 * - `booked`: booked, but too late (or otherwise not possible) to change online;
 * - `cancelled`;
 * - `closed`: neither booked nor cancelled any more (e.g. checked in).
 */
export type ManagedState = "changeable" | "booked" | "cancelled" | "closed";

export function stateOf(a: Pick<Appointment, "active" | "cancelled" | "changeable">): ManagedState {
  if (a.cancelled) return "cancelled";
  if (!a.active) return "closed";
  return a.changeable ? "changeable" : "booked";
}

/** The state in plain words: a short title and what the person can do. */
export function stateInWords(a: Pick<Appointment, "active" | "cancelled" | "changeable">): { title: string; detail: string } {
  switch (stateOf(a)) {
    case "changeable":
      return { title: "You are booked.", detail: "You can choose another time or cancel the appointment here." };
    case "booked":
      return {
        title: "You are booked.",
        detail: "It can no longer be changed online. To change or cancel it, please call us.",
      };
    case "cancelled":
      return { title: "This appointment is cancelled.", detail: "To come another time, book a new appointment." };
    case "closed":
      return { title: "This appointment can no longer be changed online.", detail: "If you need help, call us." };
  }
}

/** What, where and when: the service's summary, or the time in words if it sent none. */
export function summaryOf(a: Pick<Appointment, "summary" | "localStart">, currentYear?: number): string {
  const s = a.summary.trim();
  if (s) return s;
  return a.localStart ? `${whenInWords(a.localStart, currentYear)}.` : "";
}

/** After a move: "Your appointment is moved to Tuesday 1 December at 10:00 AM." */
export function movedMessage(localStart: string, currentYear?: number): string {
  return `Your appointment is moved to ${whenInWords(localStart, currentYear)}.`;
}

export const cancelledMessage = "Your appointment is cancelled. Thank you for letting us know.";

// --------------------------------------------------------- another time ---

/** The window of other times: the next 14 days from today in the appointment's zone, same type and location. */
export function openingsRequestFor(
  a: Pick<Appointment, "appointmentType" | "location" | "timeZone">,
  nowMs: number,
): { today: LocalDate; request: MessageInitShape<typeof FindOpeningsRequestSchema> } {
  const today = todayIn(a.timeZone, nowMs);
  return { today, request: findOpeningsRequest(a.appointmentType, a.location, today) };
}

/** The openings other than the appointment's own time (moving there would change nothing). */
export function otherOpenings<T extends { localStart: string }>(openings: readonly T[], localStart: string): T[] {
  return openings.filter((o) => o.localStart !== localStart);
}

/** RescheduleManagedAppointment: the opening's therapist and start passed back unchanged. */
export function rescheduleRequest(
  token: string,
  opening: Pick<OpeningLike, "therapist" | "startTime">,
  requestId: string,
): MessageInitShape<typeof RescheduleManagedAppointmentRequestSchema> {
  return { token, therapist: opening.therapist, startTime: opening.startTime, requestId };
}

/** A move's identity: the same opening tried again keeps its request_id. */
export function moveKey(opening: Pick<OpeningLike, "therapist" | "startTime" | "localStart">): string {
  const t = opening.startTime;
  return `${opening.therapist}|${t ? `${String(t.seconds)}.${t.nanos ?? 0}` : opening.localStart}`;
}

// --------------------------------------------------------------- errors ---

/** The service's words for a link that opens nothing (NOT_FOUND, whatever the reason). */
export const goneMessage = "This link does not open an appointment (any more).";
export const goneHelp = "If you need help, call us.";

export const takenMessage = "That time was just taken. Please choose another time.";
export const lockedMessage = "This appointment can no longer be changed online. To change or cancel it, please call us.";

/** What the page does after a failed call. */
export type ManageFailure =
  /** The link opens nothing (any more): say so instead of the appointment. */
  | { kind: "gone"; message: string }
  /** Moving: that time cannot be had; back to the times, that day reloaded. */
  | { kind: "taken"; message: string }
  /** It can no longer be changed online: show the appointment without the actions, and `message`. */
  | { kind: "locked"; message: string }
  /** Anything else: `message`; `retry` if doing the same again may work. */
  | { kind: "message"; message: string; retry: boolean };

/** A failed GetManagedAppointment ("load"), RescheduleManagedAppointment ("move") or CancelManagedAppointment ("cancel"). */
export function classifyManageError(err: unknown, action: "load" | "move" | "cancel"): ManageFailure {
  const e = ConnectError.from(err);
  if (e.code === Code.NotFound) return { kind: "gone", message: goneMessage };
  if (action === "move") {
    const reason = errorReason(e);
    if (e.code === Code.AlreadyExists || (reason && (takenReasons as readonly string[]).includes(reason))) {
      return { kind: "taken", message: takenMessage };
    }
    // The time is no opening (any more): its words, and the other times.
    if (e.code === Code.InvalidArgument) {
      return { kind: "taken", message: e.rawMessage ? `${sentence(e.rawMessage)} Please choose another time.` : takenMessage };
    }
  }
  if (isRateLimited(e)) return { kind: "message", message: describeLoadError(e), retry: true };
  if (e.code === Code.FailedPrecondition) {
    return { kind: "locked", message: e.rawMessage ? sentence(e.rawMessage) : lockedMessage };
  }
  const retry = [Code.Unavailable, Code.DeadlineExceeded, Code.Unknown, Code.Canceled, Code.Internal, Code.Aborted].includes(e.code);
  return { kind: "message", message: describeLoadError(e), retry };
}
