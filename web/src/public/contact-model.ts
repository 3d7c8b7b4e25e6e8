// The public "contact us" form's pure logic: the form's values -> the
// RequestContact request, a failed call -> errors at the fields and words for
// the person, and when a retry keeps its request_id. No DOM, no network, and
// nothing from the staff app (the public bundle stays small).
import { Code, ConnectError } from "@connectrpc/connect";
import type { MessageInitShape } from "@bufbuild/protobuf";
import {
  PainArea,
  PreferredContact,
  type RequestContactRequestSchema,
} from "../gen/clinic/booking/v1/booking_service_pb";
import type { Location } from "../gen/clinic/appointments/v1/appointments_pb";
import { fieldErrorsFromViolations, fieldViolations, type FieldErrors } from "../common/bad-request";

/** The page the form is on (the campaign the front desk sees). */
export const campaign = "conditions/inner-knee-pain";

/** The form's fields, named as in the request (and in its BadRequest violations). */
export const contactFields = [
  "given_name",
  "family_name",
  "phone",
  "email",
  "preferred_contact",
  "preferred_times",
  "location",
  "pain_area",
  "concern",
  "consent_to_contact",
] as const;
export type ContactField = (typeof contactFields)[number];

/** What a person typed and chose, as the form's controls hold it. */
export interface ContactFormValues {
  given_name: string;
  family_name: string;
  phone: string;
  email: string;
  /** "phone", "sms", "email" or "" (no preference). */
  preferred_contact: string;
  preferred_times: string;
  /** "locations/{id}" or "" (any). */
  location: string;
  /** A PainArea name in lower case ("knee") or "". */
  pain_area: string;
  concern: string;
  consent_to_contact: boolean;
  /** The honeypot: people never see it, so it stays empty. */
  website: string;
}

export const preferredContactValues: Record<string, PreferredContact> = {
  "": PreferredContact.UNSPECIFIED,
  phone: PreferredContact.PHONE,
  sms: PreferredContact.SMS,
  email: PreferredContact.EMAIL,
};

export const painAreaValues: Record<string, PainArea> = {
  "": PainArea.UNSPECIFIED,
  knee: PainArea.KNEE,
  hip: PainArea.HIP,
  ankle_foot: PainArea.ANKLE_FOOT,
  lower_back: PainArea.LOWER_BACK,
  shoulder: PainArea.SHOULDER,
  neck: PainArea.NECK,
  other: PainArea.OTHER,
};

/** The RequestContact request for these values. Text is trimmed; nothing else is changed. */
export function contactRequest(
  values: ContactFormValues,
  requestId: string,
): MessageInitShape<typeof RequestContactRequestSchema> {
  return {
    requestId,
    givenName: values.given_name.trim(),
    familyName: values.family_name.trim(),
    phone: values.phone.trim(),
    email: values.email.trim(),
    preferredContact: preferredContactValues[values.preferred_contact] ?? PreferredContact.UNSPECIFIED,
    preferredTimes: values.preferred_times.trim(),
    location: values.location,
    concern: values.concern.trim(),
    painArea: painAreaValues[values.pain_area] ?? PainArea.UNSPECIFIED,
    consentToContact: values.consent_to_contact,
    campaign,
    website: values.website,
  };
}

/**
 * A submission's identity: the same values sent again (a retry after a lost
 * answer) keep their request_id, so the practice gets one request; changed
 * values are a new submission.
 */
export function submissionKey(values: ContactFormValues): string {
  const request = contactRequest(values, "");
  return JSON.stringify(request);
}

/**
 * Whether the request may have been stored despite the error (no answer, a
 * timeout, a busy server): a retry of the same values then keeps the
 * request_id. A definite refusal (invalid input) starts afresh.
 */
export function outcomeUnknown(err: unknown): boolean {
  const code = ConnectError.from(err).code;
  return code !== Code.InvalidArgument && code !== Code.FailedPrecondition && code !== Code.PermissionDenied;
}

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

/** A failed call in words for the person (not for a developer). */
export function describeContactError(err: unknown): string {
  const e = ConnectError.from(err);
  if (isRateLimited(e)) return tooManyRequests;
  switch (e.code) {
    case Code.InvalidArgument:
    case Code.FailedPrecondition:
      return e.rawMessage ? sentence(e.rawMessage) : "Please check the form.";
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Unknown:
    case Code.Canceled:
      // No answer: the network, a timeout, or a busy or restarting server.
      return networkTrouble;
    default:
      return "Something went wrong on our side. Please try again in a moment, or call us.";
  }
}

/**
 * A failed call sorted into errors at the form's fields (from its
 * google.rpc.BadRequest details, never from its message) and the rest.
 */
export function contactErrors(err: unknown): FieldErrors<ContactField> {
  const e = ConnectError.from(err);
  const violations = e.code === Code.InvalidArgument ? fieldViolations(e) : undefined;
  const errors = violations
    ? fieldErrorsFromViolations(violations, contactFields)
    : { fields: {}, other: [] as string[] };
  if (Object.keys(errors.fields).length === 0 && errors.other.length === 0) {
    errors.other.push(describeContactError(e));
  }
  return errors;
}

/** "must not be empty" -> "Must not be empty." */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const capital = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(capital) ? capital : capital + ".";
}

/** A location as an option of the form: its name and address on one line. */
export function locationOption(l: Pick<Location, "name" | "displayName" | "addressLines">): { value: string; text: string } {
  const address = l.addressLines.map((s) => s.trim()).filter(Boolean).join(", ");
  const name = l.displayName.trim() || address || l.name;
  return { value: l.name, text: address && address !== name ? `${name} — ${address}` : name };
}
