// Pure logic of logging in: where to go after the login page (next=), what to
// say when login fails, and the roles of the member. No DOM and no network.
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";

export const loginPath = "/staff/login";
export const homePath = "/staff/patients";

/**
 * The page to open after logging in, from the login page's `next=`: only a
 * path of this app ("/staff" or "/staff/..."), on this site. Anything else
 * (another site "//evil.example", "https://...", "/\evil", "/staffing",
 * "/staff/../admin", the login page itself) gives the home page.
 */
export function sanitizeNext(next: string | null | undefined): string {
  if (typeof next !== "string" || next === "") return homePath;
  // Only a plain relative path: no scheme, no "//host", no backslashes
  // (browsers read "\" as "/"), no control characters or spaces.
  if (!next.startsWith("/") || next.startsWith("//")) return homePath;
  if (/[\\\u0000-\u0020\u007f]/.test(next)) return homePath;
  let url: URL;
  try {
    const base = "https://clinic.invalid";
    url = new URL(next, base);
    if (url.origin !== base) return homePath;
  } catch {
    return homePath;
  }
  const path = url.pathname;
  if (path !== "/staff" && !path.startsWith("/staff/")) return homePath;
  // Encoded slashes or dots could turn into another path when decoded later.
  if (/%2f|%5c|%2e/i.test(path)) return homePath;
  if (path.replace(/\/+$/, "") === loginPath) return homePath;
  return path + url.search + url.hash;
}

/**
 * The login page's address for someone who was on `current` (path + query),
 * with next= to come back to it when it is a safe page of this app.
 */
export function loginUrl(current?: string): string {
  if (!current) return loginPath;
  const next = sanitizeNext(current);
  const rejected = next === homePath && current.split(/[?#]/)[0] !== homePath;
  return rejected ? loginPath : `${loginPath}?next=${encodeURIComponent(next)}`;
}

/** The JSON error body of the gateway's /auth/... endpoints. */
export interface AuthErrorBody {
  code?: string;
  message?: string;
}

/** What to tell the person whose login failed with this HTTP answer. */
export function loginErrorMessage(status: number, body: AuthErrorBody | undefined, retryAfter: string | null): string {
  const message = typeof body?.message === "string" ? body.message.trim() : "";
  if (status === 401) return sentence(message || "wrong email or password");
  if (status === 429) {
    if (message) return sentence(message);
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds > 0) {
      const minutes = Math.ceil(seconds / 60);
      return `Too many failed login attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
    }
    return "Too many failed login attempts; try again later.";
  }
  if (status === 400 && message) return sentence(message);
  if (status >= 500 || status === 0) return "The server could not log you in right now. Try again in a moment.";
  return sentence(message || `Login failed (HTTP ${status}).`);
}

/** "wrong email or password" -> "Wrong email or password." */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : first + ".";
}

export const roleLabels: Record<StaffRole, string> = {
  [StaffRole.UNSPECIFIED]: "No role",
  [StaffRole.ADMIN]: "Admin",
  [StaffRole.FRONT_DESK]: "Front desk",
  [StaffRole.THERAPIST]: "Therapist",
};

/** The roles a member can be given, in the order forms list them. */
export const assignableRoles: readonly StaffRole[] = [StaffRole.FRONT_DESK, StaffRole.THERAPIST, StaffRole.ADMIN];

/** "Admin, Front desk". */
export function rolesText(roles: readonly StaffRole[]): string {
  return roles
    .filter((r) => r !== StaffRole.UNSPECIFIED)
    .map((r) => roleLabels[r] ?? `Role ${r}`)
    .join(", ");
}

export function hasRole(member: StaffMember | undefined, role: StaffRole): boolean {
  return !!member && member.roles.includes(role);
}

export const isAdmin = (member: StaffMember | undefined) => hasRole(member, StaffRole.ADMIN);

/** "Ann Lee". */
export function memberName(m: Pick<StaffMember, "givenName" | "familyName" | "email">): string {
  return `${m.givenName} ${m.familyName}`.trim() || m.email;
}

/** The id in "staff/{id}". */
export function staffId(name: string): string {
  return name.startsWith("staff/") ? name.slice("staff/".length) : name;
}
