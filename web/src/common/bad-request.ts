// Reading a failed call's google.rpc.BadRequest details: which request fields
// were invalid and why. Framework-free and pure (no DOM, no Lit), so both the
// public site and the staff app use it.
import { ConnectError } from "@connectrpc/connect";
import { BadRequestSchema } from "../gen/google/rpc/error_details_pb";

/** One invalid field of a request: its path in the request ("patient.email") and what is wrong. */
export interface FieldViolation {
  field: string;
  description: string;
}

/** A server error, split into the fields it names and the rest. */
export interface FieldErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  other: string[];
}

export const noFieldErrors = <F extends string>(): FieldErrors<F> => ({ fields: {}, other: [] });

/**
 * The field violations of an error's google.rpc.BadRequest details, or
 * undefined when it has none (another kind of error, or an older server).
 */
export function fieldViolations(err: unknown): FieldViolation[] | undefined {
  const details = ConnectError.from(err).findDetails(BadRequestSchema);
  if (details.length === 0) return undefined;
  return details.flatMap((d) => d.fieldViolations.map(({ field, description }) => ({ field, description })));
}

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

/**
 * Sorts field violations into errors at `fields` and the rest. A violation
 * naming no field of the form goes to `other`, as its description (people do
 * not read request paths); several at one field are joined with "; ".
 */
export function fieldErrorsFromViolations<F extends string>(
  violations: readonly FieldViolation[],
  fields: readonly F[],
  prefixes: readonly string[] = [],
): FieldErrors<F> {
  const errors: FieldErrors<F> = { fields: {}, other: [] };
  for (const v of violations) {
    const field = v.field ? fieldForErrorPath(v.field, fields, prefixes) : undefined;
    const text = v.description.trim() || "is not valid";
    if (field) {
      const existing = errors.fields[field];
      errors.fields[field] = existing ? `${existing}; ${text}` : text;
    } else {
      errors.other.push(text);
    }
  }
  return errors;
}
