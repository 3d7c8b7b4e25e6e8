// The contact-request queue's pure logic: how long ago someone asked, the
// enums in words, which states are open, the record-a-call form <-> request,
// links for a phone and an email, and times in a location's zone. No DOM, no
// network.
import { Code, ConnectError } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import {
  BodyArea,
  ContactChannel,
  ContactOutcome,
  ContactRequestState,
  ContactSource,
  type ContactRequest,
} from "../../gen/clinic/screenings/v1/screenings_pb";
import type {
  ListContactRequestsRequestSchema,
  RecordContactAttemptRequestSchema,
} from "../../gen/clinic/screenings/v1/screenings_service_pb";
import { describeCallError } from "../shared/errors";
import { fieldErrorsFrom, type FieldErrors } from "../shared/form-errors";

// ------------------------------------------------------------ who ---

/** Who works the queue (ListContactRequests, RecordContactAttempt): the front desk and admins. */
export function canWorkQueue(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && (roles.includes(StaffRole.FRONT_DESK) || roles.includes(StaffRole.ADMIN));
}

// ------------------------------------------------------------ how long ago ---

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/**
 * How long ago something happened, in the queue's words: "just now" (under a
 * minute, or a clock a little ahead), "5 min ago", "3 h ago", "1 day ago",
 * "12 days ago", then "2 months ago" (30-day months) and "1 year ago".
 */
export function formatAge(thenMs: number, nowMs: number): string {
  if (!Number.isFinite(thenMs) || !Number.isFinite(nowMs)) return "";
  const ms = nowMs - thenMs;
  if (ms < minute) return "just now";
  if (ms < hour) return `${Math.floor(ms / minute)} min ago`;
  if (ms < day) return `${Math.floor(ms / hour)} h ago`;
  const days = Math.floor(ms / day);
  if (days < 60) return days === 1 ? "1 day ago" : `${days} days ago`;
  if (days < 365) return `${Math.floor(days / 30)} months ago`;
  const years = Math.floor(days / 365);
  return years === 1 ? "1 year ago" : `${years} years ago`;
}

/** A timestamp in milliseconds, or NaN when it is missing. */
export function tsMs(ts: Timestamp | undefined): number {
  return ts ? timestampMs(ts) : NaN;
}

// ------------------------------------------------------------ words ---

export const stateWords: Record<ContactRequestState, string> = {
  [ContactRequestState.UNSPECIFIED]: "Unknown",
  [ContactRequestState.NEW]: "New",
  [ContactRequestState.CONTACTED]: "Contacted",
  [ContactRequestState.SCREENING_BOOKED]: "Screening booked",
  [ContactRequestState.CONVERTED]: "Converted",
  [ContactRequestState.NOT_INTERESTED]: "Not interested",
  [ContactRequestState.UNREACHABLE]: "Unreachable",
};

export const outcomeWords: Record<ContactOutcome, string> = {
  [ContactOutcome.UNSPECIFIED]: "Not recorded",
  [ContactOutcome.REACHED]: "Reached",
  [ContactOutcome.NO_ANSWER]: "No answer",
  [ContactOutcome.LEFT_MESSAGE]: "Left a message",
  [ContactOutcome.WRONG_NUMBER]: "Wrong number",
};

export const channelWords: Record<ContactChannel, string> = {
  [ContactChannel.UNSPECIFIED]: "No preference",
  [ContactChannel.PHONE]: "Phone call",
  [ContactChannel.SMS]: "Text message",
  [ContactChannel.EMAIL]: "Email",
};

export const bodyAreaWords: Record<BodyArea, string> = {
  [BodyArea.UNSPECIFIED]: "Not given",
  [BodyArea.KNEE]: "Knee",
  [BodyArea.HIP]: "Hip",
  [BodyArea.ANKLE_FOOT]: "Ankle or foot",
  [BodyArea.LOWER_BACK]: "Lower back",
  [BodyArea.SHOULDER]: "Shoulder",
  [BodyArea.NECK]: "Neck",
  [BodyArea.OTHER]: "Somewhere else",
};

export const sourceWords: Record<ContactSource, string> = {
  [ContactSource.UNSPECIFIED]: "Not recorded",
  [ContactSource.WEB_FORM]: "Web form",
  [ContactSource.PHONE]: "Phone call",
  [ContactSource.WALK_IN]: "Walk-in",
};

/** A value of an enum in words; a value this app does not know yet as its number. */
export function words<E extends number>(table: Record<E, string>, value: E): string {
  return table[value] ?? `Unknown (${value})`;
}

// ------------------------------------------------------------ states ---

/** The open queue: nobody reached yet, or a follow-up is pending. */
export const openStates: readonly ContactRequestState[] = [ContactRequestState.NEW, ContactRequestState.CONTACTED];

/** Every state a stored request can be in (the "show closed requests too" filter). */
export const allStates: readonly ContactRequestState[] = [
  ContactRequestState.NEW,
  ContactRequestState.CONTACTED,
  ContactRequestState.SCREENING_BOOKED,
  ContactRequestState.CONVERTED,
  ContactRequestState.NOT_INTERESTED,
  ContactRequestState.UNREACHABLE,
];

/** Whether a request is still in the queue (it takes further attempts). */
export function isOpen(state: ContactRequestState): boolean {
  return openStates.includes(state);
}

/** The ListContactRequests request: the open queue (states empty) or every state. */
export function listRequest(
  options: { showClosed: boolean; location?: string; pageToken?: string; pageSize?: number },
): MessageInitShape<typeof ListContactRequestsRequestSchema> {
  return {
    states: options.showClosed ? [...allStates] : [],
    location: options.location ?? "",
    pageSize: options.pageSize ?? 50,
    pageToken: options.pageToken ?? "",
  };
}

// ------------------------------------------------------------ a person ---

/** "Ann Example", or the given name alone. */
export function contactName(r: Pick<ContactRequest, "givenName" | "familyName">): string {
  return [r.givenName.trim(), r.familyName.trim()].filter(Boolean).join(" ");
}

/** The uuid of "contactRequests/{uuid}" (an id safe for element ids: other characters become "-"). */
export function contactRequestId(name: string): string {
  return name.replace(/^contactRequests\//, "").replace(/[^A-Za-z0-9_-]/g, "-");
}

/**
 * The staff app's page of the patient a request led to ("patients/{uuid}" ->
 * "/staff/patients/<uuid>"); "" when there is none or it is not a patient's
 * resource name (nothing else becomes a link).
 */
export function patientHref(patient: string): string {
  const m = /^patients\/([A-Za-z0-9][A-Za-z0-9_-]{0,127})$/.exec(patient.trim());
  return m ? `/staff/patients/${encodeURIComponent(m[1])}` : "";
}

/** A tel: link for a phone number as typed ("+1 (555) 010-0199" -> "tel:+15550100199"); "" if it has no digits. */
export function telHref(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, "").replace(/(?!^)\+/g, "");
  return /\d/.test(digits) ? `tel:${digits}` : "";
}

/** A mailto: link for one address (encoded, so "?" or "&" cannot add headers); "" if it is not an address. */
export function mailtoHref(email: string): string {
  const e = email.trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(e)) return "";
  return `mailto:${encodeURIComponent(e).replace(/%40/g, "@")}`;
}

// ------------------------------------------------------------ times ---

/**
 * A time for the queue: in the location's zone with its abbreviation when the
 * request names a location with a zone ("10 Mar 2026, 14:05 PST"), else in
 * the browser's zone.
 */
export function formatTime(ms: number, zone?: string, locale?: string): string {
  if (!Number.isFinite(ms)) return "";
  const options: Intl.DateTimeFormatOptions = {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  };
  if (zone) {
    try {
      return new Intl.DateTimeFormat(locale, { ...options, timeZone: zone, timeZoneName: "short" }).format(ms);
    } catch {
      // An unknown zone: the browser's.
    }
  }
  return new Intl.DateTimeFormat(locale, options).format(ms);
}

// ------------------------------------------------------------ record a call ---

/** What "then" may say after a call: keep the request open ("") or move it on. */
export const nextStateChoices: ReadonlyArray<[string, string]> = [
  ["", "Keep open"],
  ["screening_booked", "Screening booked"],
  ["not_interested", "Not interested"],
  ["unreachable", "Unreachable"],
  ["converted", "Converted"],
];

const nextStateValues: Record<string, ContactRequestState> = {
  "": ContactRequestState.UNSPECIFIED,
  screening_booked: ContactRequestState.SCREENING_BOOKED,
  not_interested: ContactRequestState.NOT_INTERESTED,
  unreachable: ContactRequestState.UNREACHABLE,
  converted: ContactRequestState.CONVERTED,
};

export const outcomeChoices: ReadonlyArray<[string, string]> = [
  ["reached", "Reached"],
  ["no_answer", "No answer"],
  ["left_message", "Left a message"],
  ["wrong_number", "Wrong number"],
];

const outcomeValues: Record<string, ContactOutcome> = {
  reached: ContactOutcome.REACHED,
  no_answer: ContactOutcome.NO_ANSWER,
  left_message: ContactOutcome.LEFT_MESSAGE,
  wrong_number: ContactOutcome.WRONG_NUMBER,
};

/** The record-a-call form's fields, named as in RecordContactAttemptRequest. */
export const attemptFields = ["outcome", "note", "next_state"] as const;
export type AttemptField = (typeof attemptFields)[number];

export interface AttemptValues {
  /** An outcome choice ("reached") or "" (not chosen). */
  outcome: string;
  note: string;
  /** A next-state choice ("screening_booked") or "" (keep open). */
  next_state: string;
}

export const emptyAttempt = (): AttemptValues => ({ outcome: "", note: "", next_state: "" });

/** Errors found before sending: an outcome is required; a note is at most 1,000 characters. */
export function checkAttempt(v: AttemptValues): FieldErrors<AttemptField> {
  const fields: Partial<Record<AttemptField, string>> = {};
  if (!outcomeValues[v.outcome]) fields.outcome = "Choose what happened.";
  if ([...v.note.trim()].length > 1000) fields.note = "At most 1,000 characters.";
  return { fields, other: [] };
}

/** The RecordContactAttempt request for a call on request `r`. */
export function recordAttemptRequest(
  r: Pick<ContactRequest, "name" | "etag">,
  v: AttemptValues,
  requestId: string,
): MessageInitShape<typeof RecordContactAttemptRequestSchema> {
  return {
    name: r.name,
    outcome: outcomeValues[v.outcome] ?? ContactOutcome.UNSPECIFIED,
    note: v.note.trim(),
    nextState: nextStateValues[v.next_state] ?? ContactRequestState.UNSPECIFIED,
    etag: r.etag,
    requestId,
  };
}

/** A failed RecordContactAttempt in words (a closed request, a stale etag, ...). */
export function describeAttemptError(err: unknown): string {
  const e = ConnectError.from(err);
  switch (e.code) {
    case Code.FailedPrecondition:
      return `This request is closed and takes no more calls${e.rawMessage ? ` (${e.rawMessage})` : ""}. The list was reloaded.`;
    case Code.Aborted:
      return "Someone else recorded a call on this request meanwhile. The list was reloaded; check it and record again if needed.";
    case Code.NotFound:
      return "This request does not exist any more. The list was reloaded.";
    default:
      return describeCallError(e);
  }
}

/** A failed RecordContactAttempt sorted into the form's fields (BadRequest) and the rest. */
export function attemptFormErrors(err: unknown): FieldErrors<AttemptField> {
  return fieldErrorsFrom(err, attemptFields, [], describeAttemptError);
}

/** Whether the list should be reloaded after this error (the request changed or closed meanwhile). */
export function reloadAfter(err: unknown): boolean {
  const code = ConnectError.from(err).code;
  return code === Code.FailedPrecondition || code === Code.Aborted || code === Code.NotFound;
}

/**
 * Whether the call may have been recorded despite the error (no answer): a
 * retry then keeps its request_id so it is recorded once.
 */
export function attemptOutcomeUnknown(err: unknown): boolean {
  const code = ConnectError.from(err).code;
  return code === Code.Unavailable || code === Code.DeadlineExceeded || code === Code.Unknown || code === Code.Internal;
}

/** What the queue says after a call was recorded. */
export function recordedMessage(r: Pick<ContactRequest, "givenName" | "familyName" | "state">, showingClosed: boolean): string {
  const who = contactName(r) || "the request";
  const state = words(stateWords, r.state);
  if (isOpen(r.state)) return `Call recorded for ${who}: ${state.toLowerCase()}, still in the queue.`;
  return showingClosed
    ? `Call recorded for ${who}: ${state.toLowerCase()}; the request is closed.`
    : `Call recorded for ${who}: ${state.toLowerCase()}; the request left the open queue.`;
}
