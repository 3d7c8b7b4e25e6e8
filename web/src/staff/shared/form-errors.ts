// A server error sorted into errors at the form's fields and the rest. The
// fields come from the error's google.rpc.BadRequest details (each violation
// names a request field: "staff_member.email", "roles[1]", "new_password"),
// never from its message text. Pure: no DOM.
import { describeCallError, fieldViolations, type FieldViolation } from "./errors";

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

/**
 * A failed call's errors at `fields` (from its BadRequest details) and the
 * rest. Without BadRequest details (another kind of error, or an older
 * server) the error is one general error, in the words of `describe`: its
 * message is shown as it is, not read for field names.
 */
export function fieldErrorsFrom<F extends string>(
  err: unknown,
  fields: readonly F[],
  prefixes: readonly string[] = [],
  describe: (err: unknown) => string = describeCallError,
): FieldErrors<F> {
  const violations = fieldViolations(err);
  const errors = violations ? fieldErrorsFromViolations(violations, fields, prefixes) : noFieldErrors<F>();
  if (Object.keys(errors.fields).length === 0 && errors.other.length === 0) errors.other.push(describe(err));
  return errors;
}
