// Reading a server's INVALID_ARGUMENT message ("new_password: too short",
// "staff_member.email: already used by another member"; several may be joined
// with "; " or newlines) into errors at the form's fields. Pure: no DOM.
import { Code, ConnectError } from "@connectrpc/connect";

/** A server error, split into the fields it names and the rest. */
export interface FieldErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  other: string[];
}

export const noFieldErrors = <F extends string>(): FieldErrors<F> => ({ fields: {}, other: [] });

const camelToSnake = (s: string) => s.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/**
 * The form field an error path refers to, or undefined. The path may be in
 * snake_case or lowerCamelCase, may start with one of `prefixes`
 * ("staff_member."), may index a repeated field ("roles[1]") and may go
 * deeper than the field ("birthDate.year" -> birth_date).
 */
export function fieldForErrorPath<F extends string>(
  path: string,
  fields: readonly F[],
  prefixes: readonly string[] = [],
): F | undefined {
  let p = path
    .split(".")
    .map((part) => camelToSnake(part.replace(/\[\d+\]$/, "")))
    .join(".");
  for (const prefix of prefixes) {
    if (p.startsWith(prefix)) {
      p = p.slice(prefix.length);
      break;
    }
  }
  let best: F | undefined;
  for (const field of fields) {
    if ((p === field || p.startsWith(field + ".")) && (!best || field.length > best.length)) {
      best = field;
    }
  }
  return best;
}

const fieldMessage = /^\s*([A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?(?:\.[A-Za-z_][A-Za-z0-9_]*(?:\[\d+\])?)*)\s*:\s*(.+)$/s;

/** Splits an INVALID_ARGUMENT message into errors at `fields` and the rest. */
export function parseFieldErrors<F extends string>(
  message: string,
  fields: readonly F[],
  prefixes: readonly string[] = [],
): FieldErrors<F> {
  const errors: FieldErrors<F> = { fields: {}, other: [] };
  const parts = message
    .split(/\n|;\s+(?=[A-Za-z_][A-Za-z0-9_.[\]]*\s*:)/)
    .map((s) => s.trim())
    .filter(Boolean);
  for (const part of parts) {
    const match = fieldMessage.exec(part);
    const field = match ? fieldForErrorPath(match[1], fields, prefixes) : undefined;
    if (match && field) {
      const existing = errors.fields[field];
      errors.fields[field] = existing ? `${existing}; ${match[2]}` : match[2];
    } else {
      errors.other.push(part);
    }
  }
  return errors;
}

/** What went wrong with a call, in words for the person using the app. */
export function describeCallError(err: unknown, notFound = "It does not exist (any more)."): string {
  const e = ConnectError.from(err);
  switch (e.code) {
    case Code.Unavailable:
      return "The server could not be reached. Check the connection and try again.";
    case Code.DeadlineExceeded:
      return "The server took too long to answer. Try again.";
    case Code.PermissionDenied:
      return "You do not have permission to do this.";
    case Code.Unauthenticated:
      return "Your session has ended; log in again.";
    case Code.NotFound:
      return notFound;
    case Code.Aborted:
      return "Someone else changed this record; reload to see their changes.";
    default:
      return e.rawMessage || `The request failed (${Code[e.code] ?? e.code}).`;
  }
}
