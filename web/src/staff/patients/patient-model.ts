// Pure logic behind the patient screens: form values <-> Patient, the
// update_mask of an edit, the kind of a search, and server errors -> fields.
// No DOM and no network here.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  ContactMethod,
  EmergencyContactSchema,
  PatientSchema,
  PostalAddressSchema,
  SexAtBirth,
  type Patient,
} from "../../gen/clinic/patients/v1/patients_pb";
import { DateSchema, type Date as ProtoDate } from "../../gen/google/type/date_pb";
import {
  FindSimilarPatientsRequestSchema,
  type FindSimilarPatientsRequest,
  type SimilarPatient,
} from "../../gen/clinic/patients/v1/patients_service_pb";
import { describeCallError, fieldViolations } from "../shared/errors";
import { fieldErrorsFrom, fieldForErrorPath, type FieldErrors } from "../shared/form-errors";
import { formatPhone } from "./phone-model";

/** Every editable field, named by its path in Patient (as in update_mask). */
export const fieldPaths = [
  "given_name",
  "family_name",
  "preferred_name",
  "birth_date",
  "sex_at_birth",
  "phone",
  "email",
  "preferred_contact_method",
  "address.line1",
  "address.line2",
  "address.city",
  "address.region",
  "address.postal_code",
  "address.country_code",
  "emergency_contact.name",
  "emergency_contact.relationship",
  "emergency_contact.phone",
  "notes",
] as const;

export type FieldPath = (typeof fieldPaths)[number];

/** The form's state: every field as the string its input holds. */
export type FormValues = Record<FieldPath, string>;

export const fieldLabels: Record<FieldPath, string> = {
  given_name: "Given name",
  family_name: "Family name",
  preferred_name: "Preferred name",
  birth_date: "Date of birth",
  sex_at_birth: "Sex at birth",
  phone: "Phone",
  email: "Email",
  preferred_contact_method: "Preferred contact method",
  "address.line1": "Street and number",
  "address.line2": "Apartment, suite, building",
  "address.city": "City",
  "address.region": "State or region",
  "address.postal_code": "Postal code",
  "address.country_code": "Country code",
  "emergency_contact.name": "Emergency contact name",
  "emergency_contact.relationship": "Relationship",
  "emergency_contact.phone": "Emergency contact phone",
  notes: "Notes",
};

export const sexAtBirthOptions: ReadonlyArray<[SexAtBirth, string]> = [
  [SexAtBirth.UNSPECIFIED, "Not recorded"],
  [SexAtBirth.FEMALE, "Female"],
  [SexAtBirth.MALE, "Male"],
  [SexAtBirth.INTERSEX, "Intersex"],
];

export const contactMethodOptions: ReadonlyArray<[ContactMethod, string]> = [
  [ContactMethod.UNSPECIFIED, "No preference"],
  [ContactMethod.PHONE, "Phone call"],
  [ContactMethod.SMS, "Text message"],
  [ContactMethod.EMAIL, "Email"],
];

export function emptyValues(): FormValues {
  const values = {} as FormValues;
  for (const path of fieldPaths) values[path] = "";
  values.sex_at_birth = String(SexAtBirth.UNSPECIFIED);
  values.preferred_contact_method = String(ContactMethod.UNSPECIFIED);
  return values;
}

/** "YYYY-MM-DD" (an <input type=date> value) for a google.type.Date; "" when unset. */
export function dateToInput(date: ProtoDate | undefined): string {
  if (!date || date.year === 0 || date.month === 0 || date.day === 0) return "";
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** google.type.Date for "YYYY-MM-DD"; undefined for "" or anything else. */
export function inputToDate(value: string): ProtoDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim());
  if (!match) return undefined;
  return create(DateSchema, {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
  });
}

/**
 * The form's values for a patient. Phones are shown as people read them
 * ("(303) 555-0142" for a stored "+13035550142"); the server reads that form
 * back to the same number.
 */
export function valuesFromPatient(p: Patient): FormValues {
  return {
    given_name: p.givenName,
    family_name: p.familyName,
    preferred_name: p.preferredName,
    birth_date: dateToInput(p.birthDate),
    sex_at_birth: String(p.sexAtBirth),
    phone: formatPhone(p.phone),
    email: p.email,
    preferred_contact_method: String(p.preferredContactMethod),
    "address.line1": p.address?.line1 ?? "",
    "address.line2": p.address?.line2 ?? "",
    "address.city": p.address?.city ?? "",
    "address.region": p.address?.region ?? "",
    "address.postal_code": p.address?.postalCode ?? "",
    "address.country_code": p.address?.countryCode ?? "",
    "emergency_contact.name": p.emergencyContact?.name ?? "",
    "emergency_contact.relationship": p.emergencyContact?.relationship ?? "",
    "emergency_contact.phone": formatPhone(p.emergencyContact?.phone ?? ""),
    notes: p.notes,
  };
}

function anySet(values: FormValues, prefix: string): boolean {
  return fieldPaths.some((path) => path.startsWith(prefix) && values[path].trim() !== "");
}

/**
 * The Patient the form describes. Text is trimmed; an address or emergency
 * contact with every field empty is left unset.
 */
export function patientFromValues(values: FormValues): Patient {
  const v = (path: FieldPath) => values[path].trim();
  return create(PatientSchema, {
    givenName: v("given_name"),
    familyName: v("family_name"),
    preferredName: v("preferred_name"),
    birthDate: inputToDate(values.birth_date),
    sexAtBirth: Number(values.sex_at_birth) as SexAtBirth,
    phone: v("phone"),
    email: v("email"),
    preferredContactMethod: Number(values.preferred_contact_method) as ContactMethod,
    address: anySet(values, "address.")
      ? create(PostalAddressSchema, {
          line1: v("address.line1"),
          line2: v("address.line2"),
          city: v("address.city"),
          region: v("address.region"),
          postalCode: v("address.postal_code"),
          countryCode: v("address.country_code").toUpperCase(),
        })
      : undefined,
    emergencyContact: anySet(values, "emergency_contact.")
      ? create(EmergencyContactSchema, {
          name: v("emergency_contact.name"),
          relationship: v("emergency_contact.relationship"),
          phone: v("emergency_contact.phone"),
        })
      : undefined,
    notes: values.notes.replace(/\s+$/, ""),
  });
}

/**
 * The update_mask paths for an edit: the fields whose value differs from the
 * one loaded. Address and emergency contact are masked field by field.
 */
export function changedPaths(before: FormValues, after: FormValues): FieldPath[] {
  const norm = (path: FieldPath, s: string) => {
    const trimmed = path === "notes" ? s.replace(/\s+$/, "") : s.trim();
    return path === "address.country_code" ? trimmed.toUpperCase() : trimmed;
  };
  return fieldPaths.filter((path) => norm(path, before[path]) !== norm(path, after[path]));
}

/** How the patient list's search box reads what is typed (as the server does). */
export type PatientSearch =
  | { kind: "all" }
  | { kind: "email"; value: string }
  | { kind: "birth_date"; value: string }
  | { kind: "phone_digits"; value: string }
  | { kind: "name"; value: string };

/**
 * Reads the patient list's search box the way ListPatients reads `query`: a
 * date ("1990-04-02", "04/02/1990") is a date of birth; 4 to 15 digits with
 * only phone punctuation are the last digits of a phone number; anything else
 * is the start of a name (accents and case ignored by the server). An "@"
 * makes a whole email address, sent as `email`.
 */
export function readSearch(text: string): PatientSearch {
  const value = text.trim().replace(/\s+/g, " ").slice(0, 100);
  if (value === "") return { kind: "all" };
  if (value.includes("@")) return { kind: "email", value };
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d{1,2}\/\d{1,2}\/\d{4}$/.test(value)) {
    return { kind: "birth_date", value };
  }
  const digits = value.replace(/\D/g, "");
  if (/^[\d .()+-]+$/.test(value) && digits.length >= 4 && digits.length <= 15) {
    return { kind: "phone_digits", value };
  }
  return { kind: "name", value };
}

/** The ListPatients filters for a search: what is typed as `query`, or `email`. */
export function searchFilters(search: PatientSearch): { query: string; email: string } {
  switch (search.kind) {
    case "all":
      return { query: "", email: "" };
    case "email":
      return { query: "", email: search.value };
    default:
      return { query: search.value, email: "" };
  }
}

/** What the results are, in words: "Date of birth “1988-03-14”". */
export function describeSearch(search: PatientSearch): string {
  switch (search.kind) {
    case "all":
      return "All patients";
    case "email":
      return `Email “${search.value}”`;
    case "birth_date":
      return `Date of birth “${search.value}”`;
    case "phone_digits":
      return `Phone ending in “${search.value}”`;
    case "name":
      return `Name starting with “${search.value}”`;
  }
}

/**
 * A failed search in words. A search the server cannot read (INVALID_ARGUMENT
 * naming `query` or `email`, e.g. a date of birth in the future) says what is
 * wrong with it, never the request path.
 */
export function searchErrorMessage(err: unknown, search: PatientSearch): string {
  const violations = fieldViolations(err) ?? [];
  const about = violations.find((v) => /^(query|email|birth_date|phone|name_prefix)\b/.test(v.field));
  if (about) {
    const what =
      search.kind === "birth_date" ? "That date of birth" : search.kind === "email" ? "That email address" : "That search";
    const text = about.description.trim().replace(/\.$/, "");
    return `${what} ${text || "cannot be read"}.`;
  }
  return describeError(err);
}

/** What the single search box searches by (the booking dialog's patient search). */
export type SearchQuery =
  | { kind: "all" }
  | { kind: "name"; value: string }
  | { kind: "email"; value: string }
  | { kind: "phone"; value: string };

/**
 * Reads the search box: an "@" means an email; mostly digits (and phone
 * punctuation) means a phone number; anything else is the start of a name.
 */
export function classifySearch(text: string): SearchQuery {
  const value = text.trim();
  if (value === "") return { kind: "all" };
  if (value.includes("@")) return { kind: "email", value };
  const compact = value.replace(/\s/g, "");
  const digits = compact.replace(/\D/g, "").length;
  const letters = compact.replace(/[^\p{L}]/gu, "").length;
  if (digits >= 3 && letters <= 1 && digits / compact.length >= 0.6) {
    return { kind: "phone", value };
  }
  return { kind: "name", value: value.slice(0, 100) };
}

/** The id in "patients/{id}". */
export function patientId(name: string): string {
  return name.startsWith("patients/") ? name.slice("patients/".length) : name;
}

export function displayName(p: Patient): string {
  const full = `${p.givenName} ${p.familyName}`.trim();
  return p.preferredName && p.preferredName !== p.givenName ? `${full} (${p.preferredName})` : full;
}

/** A date of birth for people: "Mar 14, 1988" (in the browser's language); "" when unset. */
export function formatBirthDate(date: ProtoDate | undefined, locale?: string): string {
  if (!date || date.year === 0 || date.month === 0 || date.day === 0) return "";
  return new Intl.DateTimeFormat(locale, { timeZone: "UTC", dateStyle: "medium" }).format(
    new Date(Date.UTC(date.year, date.month - 1, date.day)),
  );
}

// ------------------------------------------------------------ duplicates ---

/** The fields FindSimilarPatients compares: who the person is. */
export const identityPaths = ["given_name", "family_name", "birth_date", "phone", "email"] as const satisfies readonly FieldPath[];

/**
 * Whether the form says enough to look for likely duplicates: a date of birth
 * (the service needs one) and a name, phone or email to compare.
 */
export function canLookForSimilar(values: FormValues): boolean {
  if (!inputToDate(values.birth_date)) return false;
  return ["given_name", "family_name", "phone", "email"].some((p) => values[p as FieldPath].trim() !== "");
}

/**
 * FindSimilarPatients for the form's values: only the names, date of birth,
 * phone and email (the service reads no more). `exclude` is the patient being
 * edited ("patients/{id}").
 */
export function similarPatientsRequest(values: FormValues, exclude = ""): FindSimilarPatientsRequest {
  const v = (path: FieldPath) => values[path].trim();
  return create(FindSimilarPatientsRequestSchema, {
    patient: create(PatientSchema, {
      givenName: v("given_name"),
      familyName: v("family_name"),
      birthDate: inputToDate(values.birth_date),
      phone: v("phone"),
      email: v("email"),
    }),
    exclude,
  });
}

/**
 * The identity fields as one string, to tell whether "Create a new patient
 * anyway" was chosen for these very values (a change asks again).
 */
export function identityKey(values: FormValues): string {
  return JSON.stringify(identityPaths.map((p) => values[p].trim().toLowerCase()));
}

/** Whether an edit changes who the record describes (worth a duplicate check). */
export function identityChanged(before: FormValues, after: FormValues): boolean {
  return identityKey(before) !== identityKey(after);
}

/** One likely duplicate, as the warning shows it. */
export interface SimilarView {
  /** "patients/{id}". */
  name: string;
  /** The link to the patient's page. */
  href: string;
  displayName: string;
  birthDate: string;
  phone: string;
  email: string;
  /** "Same date of birth, same phone". */
  reasons: string;
}

/** The service's matches as the warning lists them (best first, as given). */
export function similarViews(matches: readonly SimilarPatient[], locale?: string): SimilarView[] {
  return matches
    .filter((m) => m.patient)
    .map((m) => {
      const p = m.patient!;
      const reasons = m.reasons.map((r) => r.trim()).filter(Boolean).join(", ");
      return {
        name: p.name,
        href: `/staff/patients/${encodeURIComponent(patientId(p.name))}`,
        displayName: displayName(p) || "(no name)",
        birthDate: formatBirthDate(p.birthDate, locale),
        phone: formatPhone(p.phone),
        email: p.email,
        reasons: reasons ? reasons[0].toUpperCase() + reasons.slice(1) : "",
      };
    });
}

/** A server error, split into the form fields it names and the rest. */
export type FormErrors = FieldErrors<FieldPath>;

/** Request paths above the form's fields: CreatePatient and UpdatePatient send `patient`. */
export const errorPrefixes = ["patient."] as const;

/**
 * The form field an error path refers to: "patient.email", "email",
 * "patient.address.postal_code", "birthDate.year" (-> birth_date). Undefined
 * when no field of the form matches.
 */
export function fieldForPath(path: string): FieldPath | undefined {
  return fieldForErrorPath(path, fieldPaths, errorPrefixes);
}

/**
 * A failed CreatePatient / UpdatePatient as errors at the form's fields
 * (from the error's BadRequest details: "patient.email" -> email) and the
 * rest; without details, the error in words (describeError).
 */
export function patientFormErrors(err: unknown): FormErrors {
  return fieldErrorsFrom(err, fieldPaths, errorPrefixes, describeError);
}

/** What went wrong with a call, in words for the person at the desk. */
export function describeError(err: unknown): string {
  const e = ConnectError.from(err);
  switch (e.code) {
    case Code.PermissionDenied:
    case Code.Unauthenticated:
      return "You are not allowed to do this.";
    default:
      return describeCallError(e, "No such patient.");
  }
}
