// Pure logic of the pickers (<location-picker>, <staff-picker>,
// <patient-picker>): matching names as a person types them, what each
// option says, and moving through a list of options with the keyboard.
// No DOM, no network.
import type { Location } from "../../../gen/clinic/appointments/v1/appointments_pb";
import { PatientState, type Patient } from "../../../gen/clinic/patients/v1/patients_pb";
import { StaffRole } from "../../../gen/clinic/api/v1/access_pb";
import { StaffState, type StaffMember } from "../../../gen/clinic/staff/v1/staff_pb";
import type { Date as ProtoDate } from "../../../gen/google/type/date_pb";
import { memberName, rolesText } from "../../account/auth-model";

/** One choice of a picker: the resource name it stands for and what a person reads. */
export interface PickerOption {
  /** The resource name: "locations/…", "staff/…", "patients/…". */
  value: string;
  /** The name shown, and put in the input once chosen. */
  label: string;
  /** A second line: roles, date of birth, "deactivated". */
  detail?: string;
}

/** What a picker's `pick` event carries: the chosen resource name ("" when cleared) and its name. */
export interface PickDetail {
  value: string;
  label: string;
}

/** "Fernández  Lucía" -> "fernandez lucia": lower case, accents and extra spaces dropped. */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s\u2013\u2014-]+/g, " ")
    .trim();
}

/**
 * Whether every word typed starts a word of the name, in any order, ignoring
 * case and accents: "lu fer" and "fernandez" match "Lucía Fernández".
 * Nothing typed matches everything.
 */
export function nameMatches(name: string, typed: string): boolean {
  const words = foldForSearch(name).split(" ").filter(Boolean);
  const wanted = foldForSearch(typed).split(" ").filter(Boolean);
  return wanted.every((w) => words.some((n) => n.startsWith(w)));
}

/** Locations sorted by display name (the order a person looks for them). */
export function sortLocations(list: readonly Location[]): Location[] {
  return [...list].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** A location's name for people: its display name, never its resource name. */
export function locationLabel(name: string, list: readonly Location[]): string {
  if (!name) return "";
  return list.find((l) => l.name === name)?.displayName || "Unknown location";
}

/** A staff member as a picker option: the name, and the roles (and "deactivated") below. */
export function staffOption(m: StaffMember): PickerOption {
  const roles = rolesText(m.roles);
  const gone = m.state === StaffState.DEACTIVATED ? "deactivated" : "";
  return { value: m.name, label: memberName(m), detail: [roles, gone].filter(Boolean).join(" · ") };
}

/**
 * The members whose name (or email) matches what was typed, with `role` if
 * given, sorted by name; at most `limit`.
 */
export function matchStaff(
  members: readonly StaffMember[],
  typed: string,
  options: { role?: StaffRole; limit?: number } = {},
): StaffMember[] {
  const role = options.role ?? StaffRole.UNSPECIFIED;
  return members
    .filter((m) => role === StaffRole.UNSPECIFIED || m.roles.includes(role))
    .filter((m) => nameMatches(memberName(m), typed) || (typed.includes("@") && foldForSearch(m.email).startsWith(foldForSearch(typed))))
    .sort((a, b) => memberName(a).localeCompare(memberName(b)))
    .slice(0, options.limit ?? 50);
}

const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** A date of birth in words: "9 Sep 2001" ("" when unknown). No time zone is involved. */
export function birthDateWords(d: ProtoDate | undefined): string {
  if (!d || !d.year || !d.month || !d.day || d.month > 12) return "";
  return `${d.day} ${monthNames[d.month - 1]} ${d.year}`;
}

/** A patient's name as people say it: "Lucía Fernández", with a preferred name in brackets. */
export function patientLabel(p: Patient): string {
  const full = `${p.givenName} ${p.familyName}`.trim();
  const named = p.preferredName && p.preferredName !== p.givenName ? `${full} (${p.preferredName})` : full;
  return named || "Unnamed patient";
}

/** A patient as a picker option: the name, and "born 9 Sep 2001" (and "archived") below. */
export function patientOption(p: Patient): PickerOption {
  const born = birthDateWords(p.birthDate);
  const detail = [born ? `born ${born}` : "", p.state === PatientState.ARCHIVED ? "archived" : ""].filter(Boolean).join(" · ");
  return { value: p.name, label: patientLabel(p), detail };
}

/** The fewest characters typed before the patient search asks the server. */
export const minPatientQuery = 2;

/**
 * What to send as ListPatients' `query` for the text typed (the server reads
 * a date of birth, the last digits of a phone or the start of a name), or
 * undefined while too little is typed.
 */
export function patientQuery(typed: string): string | undefined {
  const q = typed.trim().replace(/\s+/g, " ").slice(0, 100);
  return [...q].length >= minPatientQuery ? q : undefined;
}

/** The live region's words after a search: "3 patients found." / "No match." */
export function resultsWords(count: number, noun: [string, string], more = false): string {
  if (count === 0) return `No ${noun[1]} found.`;
  return `${count}${more ? "+" : ""} ${count === 1 ? noun[0] : noun[1]} found. Use the arrow keys to choose.`;
}

/**
 * The option made active by a key in an open list of `count` options
 * (-1: none): ArrowDown / ArrowUp move and wrap around, Home / End go to the
 * ends; any other key leaves it.
 */
export function moveActive(active: number, count: number, key: string): number {
  if (count <= 0) return -1;
  switch (key) {
    case "ArrowDown":
      return active < 0 || active >= count - 1 ? 0 : active + 1;
    case "ArrowUp":
      return active <= 0 ? count - 1 : active - 1;
    case "Home":
      return 0;
    case "End":
      return count - 1;
    default:
      return Math.min(active, count - 1);
  }
}
