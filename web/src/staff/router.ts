// History routing for /staff/...: a path becomes a Route; links under /staff
// are followed without reloading the page.
import { StaffRole } from "../gen/clinic/api/v1/access_pb";

export type Route =
  | { name: "home" }
  | { name: "login" }
  | { name: "account" }
  | { name: "admin" }
  | { name: "staff-list" }
  | { name: "staff-new" }
  | { name: "staff-member"; id: string }
  | { name: "audit" }
  | { name: "patients" }
  | { name: "patient-new" }
  | { name: "patient"; id: string }
  | { name: "calendar" }
  | { name: "my-day" }
  | { name: "waitlist" }
  | { name: "outbox" }
  | { name: "contacts" }
  | { name: "funnel" }
  | { name: "screenings" }
  | { name: "screening-new" }
  | { name: "screening"; id: string }
  | { name: "locations" }
  | { name: "location"; id: string }
  | { name: "appointment-types" }
  | { name: "appointment-type"; id: string }
  | { name: "schedules" }
  | { name: "schedule"; id: string }
  | { name: "caseload" }
  | { name: "plan-new" }
  | { name: "plan"; id: string }
  | { name: "placeholder"; title: string }
  | { name: "not-found" };

/** Parts of the back office not built yet, by path ("/staff/<slug>" → title); none at the moment. */
export const placeholders: Record<string, string> = {};

export function parseRoute(pathname: string): Route {
  const parts = pathname.replace(/\/+$/, "").split("/").filter(Boolean);
  if (parts[0] !== "staff") return { name: "not-found" };
  const rest = parts.slice(1).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  // "/staff": each member's home page (homePathFor), chosen once the app knows who is logged in.
  if (rest.length === 0) return { name: "home" };
  if (rest.length === 1 && rest[0] === "login") return { name: "login" };
  if (rest.length === 1 && rest[0] === "account") return { name: "account" };
  if (rest[0] === "admin") {
    if (rest.length === 1) return { name: "admin" };
    if (rest[1] === "audit" && rest.length === 2) return { name: "audit" };
    if (rest[1] === "locations") {
      if (rest.length === 2) return { name: "locations" };
      if (rest.length === 3 && rest[2] !== "") return { name: "location", id: rest[2] };
    }
    if (rest[1] === "appointment-types") {
      if (rest.length === 2) return { name: "appointment-types" };
      if (rest.length === 3 && rest[2] !== "") return { name: "appointment-type", id: rest[2] };
    }
    if (rest[1] === "schedules") {
      if (rest.length === 2) return { name: "schedules" };
      if (rest.length === 3 && rest[2] !== "") return { name: "schedule", id: rest[2] };
    }
    if (rest[1] === "staff") {
      if (rest.length === 2) return { name: "staff-list" };
      if (rest.length === 3 && rest[2] === "new") return { name: "staff-new" };
      if (rest.length === 3 && rest[2] !== "") return { name: "staff-member", id: rest[2] };
    }
    return { name: "not-found" };
  }
  if (rest.length === 1 && rest[0] === "calendar") return { name: "calendar" };
  if (rest.length === 1 && rest[0] === "my-day") return { name: "my-day" };
  if (rest.length === 1 && rest[0] === "waitlist") return { name: "waitlist" };
  if (rest.length === 1 && rest[0] === "outbox") return { name: "outbox" };
  if (rest.length === 1 && rest[0] === "contacts") return { name: "contacts" };
  if (rest.length === 1 && rest[0] === "funnel") return { name: "funnel" };
  if (rest[0] === "screenings") {
    if (rest.length === 1) return { name: "screenings" };
    if (rest.length === 2 && rest[1] === "new") return { name: "screening-new" };
    if (rest.length === 2 && rest[1] !== "") return { name: "screening", id: rest[1] };
  }
  if (rest.length === 1 && rest[0] === "caseload") return { name: "caseload" };
  if (rest[0] === "plans") {
    // "/staff/plans" was the placeholder's address: the caseload is where plans are listed.
    if (rest.length === 1) return { name: "caseload" };
    if (rest.length === 2 && rest[1] === "new") return { name: "plan-new" };
    if (rest.length === 2 && rest[1] !== "") return { name: "plan", id: rest[1] };
  }
  if (rest[0] === "patients") {
    if (rest.length === 1) return { name: "patients" };
    if (rest.length === 2 && rest[1] === "new") return { name: "patient-new" };
    if (rest.length === 2 && rest[1] !== "") return { name: "patient", id: rest[1] };
  }
  if (rest.length === 1 && rest[0] in placeholders) {
    return { name: "placeholder", title: placeholders[rest[0]] };
  }
  return { name: "not-found" };
}

/** Pages only admins may open. */
export function isAdminRoute(route: Route): boolean {
  return (
    route.name === "admin" ||
    route.name === "staff-list" ||
    route.name === "staff-new" ||
    route.name === "staff-member" ||
    route.name === "audit" ||
    route.name === "locations" ||
    route.name === "location" ||
    route.name === "appointment-types" ||
    route.name === "appointment-type" ||
    route.name === "schedules" ||
    route.name === "schedule"
  );
}

/**
 * A member's home page, where "/staff" and logging in without a next= page
 * lead: a therapist's own day ("My day"), everyone else's the patient list.
 */
export function homePathFor(roles: readonly StaffRole[] | undefined): string {
  return roles?.includes(StaffRole.THERAPIST) ? "/staff/my-day" : "/staff/patients";
}

/** The patient list: where the login page goes when no next= page was asked for. */
export const defaultLandingPath = "/staff/patients";

/**
 * Whether a login that landed on `landedPath` should go on to the member's
 * home page instead: the login page (`loginSearch`, its query) had no next=
 * page of its own — or asked for "/staff" — and so sent everyone to the
 * patient list.
 */
export function shouldGoHomeAfterLogin(loginSearch: string, landedPath: string, landedSearch = ""): boolean {
  if (landedPath.replace(/\/+$/, "") !== defaultLandingPath || landedSearch !== "") return false;
  const next = new URLSearchParams(loginSearch).get("next");
  return next === null || next === "" || next.replace(/\/+$/, "") === "/staff";
}

/** A one-shot message shown on the next page ("Patient created."). */
let flash = "";
export function takeFlash(): string {
  const message = flash;
  flash = "";
  return message;
}

const listeners = new Set<() => void>();
export function onRouteChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function navigate(url: string, options: { replace?: boolean; flash?: string } = {}): void {
  if (options.flash) flash = options.flash;
  if (options.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  for (const listener of listeners) listener();
}

/** Starts following clicks on same-origin /staff links and back/forward. */
let started = false;
export function startRouter(): void {
  if (started) return;
  started = true;
  window.addEventListener("popstate", () => {
    for (const listener of listeners) listener();
  });
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || !anchor.href || anchor.hasAttribute("download")) return;
    if (anchor.target && anchor.target !== "_self") return;
    const url = new URL(anchor.href);
    if (url.origin !== location.origin) return;
    if (url.pathname !== "/staff" && !url.pathname.startsWith("/staff/")) return;
    if (url.pathname === location.pathname && url.search === location.search && url.hash) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
}
