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
import { describeCallError } from "../shared/errors";
import { fieldErrorsFrom, fieldForErrorPath, type FieldErrors } from "../shared/form-errors";

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

export function valuesFromPatient(p: Patient): FormValues {
  return {
    given_name: p.givenName,
    family_name: p.familyName,
    preferred_name: p.preferredName,
    birth_date: dateToInput(p.birthDate),
    sex_at_birth: String(p.sexAtBirth),
    phone: p.phone,
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
    "emergency_contact.phone": p.emergencyContact?.phone ?? "",
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

/** What the single search box searches by. */
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
