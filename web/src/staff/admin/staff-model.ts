// Pure logic behind the staff screens: form values <-> StaffMember, the
// update_mask of an edit, and server errors -> fields. No DOM, no network.
import { create } from "@bufbuild/protobuf";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import { StaffMemberSchema, type StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { assignableRoles } from "../account/auth-model";
import { describeCallError } from "../shared/errors";
import { fieldErrorsFrom, type FieldErrors } from "../shared/form-errors";

/** The editable fields, named as in update_mask. */
export const staffFields = ["given_name", "family_name", "email", "roles", "credentials", "home_locations"] as const;
export type StaffField = (typeof staffFields)[number];

export const staffFieldLabels: Record<StaffField, string> = {
  given_name: "Given name",
  family_name: "Family name",
  email: "Email",
  roles: "Roles",
  credentials: "Credentials",
  home_locations: "Home locations",
};

/** The form's state. Credentials are kept as typed; roles as the boxes ticked; home locations as chosen ("locations/…"). */
export interface StaffFormValues {
  given_name: string;
  family_name: string;
  email: string;
  roles: StaffRole[];
  credentials: string;
  home_locations: string[];
}

export type StaffFormErrors = FieldErrors<StaffField>;

export function emptyStaffValues(): StaffFormValues {
  return { given_name: "", family_name: "", email: "", roles: [], credentials: "", home_locations: [] };
}

/** "PT, DPT OCS" -> ["PT", "DPT", "OCS"]: split at commas and white space. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Credentials as typed -> the list to send (no duplicates). */
export function parseCredentials(text: string): string[] {
  return unique(splitList(text));
}

/** Home locations as chosen: resource names ("locations/…"), each once, in the order chosen. */
export function normalizeHomeLocations(list: readonly string[]): string[] {
  return unique(list.map((l) => l.trim()).filter(Boolean).map((l) => (l.startsWith("locations/") ? l : `locations/${l}`)));
}

/** Adds a home location (once). */
export function addHomeLocation(list: readonly string[], location: string): string[] {
  return normalizeHomeLocations([...list, location]);
}

/** Removes a home location. */
export function removeHomeLocation(list: readonly string[], location: string): string[] {
  return list.filter((l) => l !== location);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

/** Roles in the order the form lists them, without duplicates or "unspecified". */
export function normalizeRoles(roles: readonly StaffRole[]): StaffRole[] {
  const set = new Set(roles);
  const known = assignableRoles.filter((r) => set.has(r));
  const others = [...set].filter((r) => r !== StaffRole.UNSPECIFIED && !assignableRoles.includes(r));
  return [...known, ...others];
}

export function valuesFromMember(m: StaffMember): StaffFormValues {
  return {
    given_name: m.givenName,
    family_name: m.familyName,
    email: m.email,
    roles: normalizeRoles(m.roles),
    credentials: m.credentials.join(", "),
    home_locations: [...m.homeLocations],
  };
}

export function memberFromValues(v: StaffFormValues): StaffMember {
  return create(StaffMemberSchema, {
    givenName: v.given_name.trim(),
    familyName: v.family_name.trim(),
    email: v.email.trim(),
    roles: normalizeRoles(v.roles),
    credentials: parseCredentials(v.credentials),
    homeLocations: normalizeHomeLocations(v.home_locations),
  });
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The update_mask paths: the fields whose value differs from the one loaded. */
export function staffChangedPaths(before: StaffFormValues, after: StaffFormValues): StaffField[] {
  const a = memberFromValues(before);
  const b = memberFromValues(after);
  const changed: StaffField[] = [];
  if (a.givenName !== b.givenName) changed.push("given_name");
  if (a.familyName !== b.familyName) changed.push("family_name");
  if (a.email !== b.email) changed.push("email");
  if (!sameList([...a.roles].sort(), [...b.roles].sort())) changed.push("roles");
  if (!sameList(a.credentials, b.credentials)) changed.push("credentials");
  if (!sameList([...a.homeLocations].sort(), [...b.homeLocations].sort())) changed.push("home_locations");
  return changed;
}

/** Problems the form can see before sending: [field, message] pairs. */
export function checkStaffValues(v: StaffFormValues): StaffFormErrors {
  const errors: StaffFormErrors = { fields: {}, other: [] };
  if (!v.given_name.trim()) errors.fields.given_name = "required";
  if (!v.family_name.trim()) errors.fields.family_name = "required";
  if (!v.email.trim()) errors.fields.email = "required";
  if (normalizeRoles(v.roles).length === 0) errors.fields.roles = "choose at least one role";
  return errors;
}

/** Request paths above the form's fields: Create/UpdateStaffMember send `staff_member`. */
export const staffErrorPrefixes = ["staff_member."] as const;

/**
 * A failed Create/UpdateStaffMember as errors at the form's fields (from its
 * BadRequest details: "staff_member.email" -> email) and the rest.
 */
export function staffFormErrors(err: unknown): StaffFormErrors {
  return fieldErrorsFrom(err, staffFields, staffErrorPrefixes, (e) => describeCallError(e, "No such staff member."));
}

/** The fields of the change-password form. */
export const passwordFields = ["current_password", "new_password", "confirm_password"] as const;
export type PasswordField = (typeof passwordFields)[number];

/** Problems the change-password form can see before sending. */
export function checkPasswordChange(current: string, next: string, confirm: string): FieldErrors<PasswordField> {
  const errors: FieldErrors<PasswordField> = { fields: {}, other: [] };
  if (!current) errors.fields.current_password = "enter your current password";
  if (!next) errors.fields.new_password = "enter a new password";
  else if ([...next].length < 12) errors.fields.new_password = "must be at least 12 characters";
  if (next && confirm !== next) errors.fields.confirm_password = "does not match the new password";
  return errors;
}

/** A failed ChangePassword as errors at its fields (BadRequest "new_password" -> new_password) and the rest. */
export function passwordFormErrors(err: unknown): FieldErrors<PasswordField> {
  return fieldErrorsFrom(err, passwordFields);
}

/** "Chrome on Linux"-ish summary of a User-Agent, for the sessions table. */
export function describeUserAgent(ua: string): string {
  if (!ua) return "Unknown browser";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /OPR\//.test(ua)
      ? "Opera"
      : /Firefox\//.test(ua)
        ? "Firefox"
        : /HeadlessChrome\//.test(ua)
          ? "Headless Chrome"
          : /Chrom(e|ium)\//.test(ua)
            ? "Chrome"
            : /Safari\//.test(ua)
              ? "Safari"
              : "";
  const os = /Android/.test(ua)
    ? "Android"
    : /iPhone|iPad|iPod/.test(ua)
      ? "iOS"
      : /Windows/.test(ua)
        ? "Windows"
        : /Mac OS X|Macintosh/.test(ua)
          ? "macOS"
          : /CrOS/.test(ua)
            ? "ChromeOS"
            : /Linux/.test(ua)
              ? "Linux"
              : "";
  if (browser && os) return `${browser} on ${os}`;
  return browser || os || ua.slice(0, 60);
}
