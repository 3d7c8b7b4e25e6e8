// The session: who is logged in, and the gateway's login endpoints. These are
// plain JSON over fetch, not Connect RPCs:
//   POST /auth/login {email, password} -> 200 {staffMember} + HttpOnly cookie,
//                                         401 / 429 {code, message}
//   POST /auth/logout                  -> 200, clears the cookie
//   GET  /auth/me                      -> 200 {staffMember} or 401
import { fromJson, type JsonValue } from "@bufbuild/protobuf";
import { StaffMemberSchema, type StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { loginErrorMessage, loginPath, loginUrl, type AuthErrorBody } from "./auth-model";
import { navigate } from "../router";

let member: StaffMember | undefined;
const listeners = new Set<() => void>();

/** The logged-in member, once /auth/me or /auth/login said who it is. */
export function currentMember(): StaffMember | undefined {
  return member;
}

export function setCurrentMember(m: StaffMember | undefined): void {
  member = m;
  for (const listener of listeners) listener();
}

export function onMemberChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A login that did not succeed, with the words to show. */
export class LoginError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "LoginError";
  }
}

const authTimeoutMs = 15_000;

function memberFrom(body: unknown): StaffMember {
  const json = (body as { staffMember?: JsonValue } | null)?.staffMember;
  if (!json || typeof json !== "object") throw new Error("the server's answer has no staffMember");
  return fromJson(StaffMemberSchema, json, { ignoreUnknownFields: true });
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/**
 * Asks the gateway who is logged in: the member, or undefined when there is
 * no valid session (401). Other failures throw.
 */
export async function fetchMe(signal?: AbortSignal): Promise<StaffMember | undefined> {
  const res = await fetch("/auth/me", {
    method: "GET",
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
    signal: signal ?? AbortSignal.timeout(authTimeoutMs),
  });
  if (res.status === 401) return undefined;
  if (!res.ok) throw new Error(`/auth/me answered HTTP ${res.status}`);
  return memberFrom(await readJson(res));
}

/** Logs in; on success the gateway has set the session cookie. */
export async function logIn(email: string, password: string): Promise<StaffMember> {
  let res: Response;
  try {
    res = await fetch("/auth/login", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ email, password }),
      signal: AbortSignal.timeout(authTimeoutMs),
    });
  } catch {
    throw new LoginError(0, "The server could not be reached. Check the connection and try again.");
  }
  const body = await readJson(res);
  if (!res.ok) {
    throw new LoginError(res.status, loginErrorMessage(res.status, body as AuthErrorBody, res.headers.get("Retry-After")));
  }
  return memberFrom(body);
}

/** Ends this session at the gateway (which clears the cookie). Never throws. */
export async function logOut(): Promise<void> {
  try {
    const res = await fetch("/auth/logout", {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      signal: AbortSignal.timeout(authTimeoutMs),
    });
    await res.arrayBuffer();
  } catch {
    // The session ends on its own; the login page comes next anyway.
  }
}

let redirecting = false;

/**
 * The session is gone (401 from /auth/me or any call): forget the member and
 * open the login page, which comes back here afterwards.
 */
export function sessionEnded(message?: string): void {
  if (redirecting || location.pathname === loginPath) return;
  redirecting = true;
  const here = location.pathname + location.search;
  setCurrentMember(undefined);
  navigate(loginUrl(here), { replace: true, flash: message });
  queueMicrotask(() => {
    redirecting = false;
  });
}

/** Logs out and opens the login page, with an optional message there. */
export async function logOutAndLeave(message?: string): Promise<void> {
  await logOut();
  setCurrentMember(undefined);
  navigate(loginPath, { flash: message });
}
