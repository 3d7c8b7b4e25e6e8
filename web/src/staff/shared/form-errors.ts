// A server error sorted into errors at the form's fields and the rest. The
// fields come from the error's google.rpc.BadRequest details (each violation
// names a request field: "staff_member.email", "roles[1]", "new_password"),
// never from its message text. Pure: no DOM.
import { describeCallError, fieldViolations } from "./errors";
import { fieldErrorsFromViolations, noFieldErrors, type FieldErrors } from "../../common/bad-request";

// The pure path matching and sorting live in common/ (the public site uses them too).
export {
  fieldErrorsFromViolations,
  fieldForErrorPath,
  noFieldErrors,
  type FieldErrors,
} from "../../common/bad-request";

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
