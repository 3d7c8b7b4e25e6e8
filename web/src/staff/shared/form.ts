// The plumbing every form of the staff app shares: a busy flag for the submit
// button, errors at fields and general errors, a run() that calls the API and
// sorts what went wrong, and the markup of a field's error (aria-invalid,
// aria-describedby) and of the summary at the top of the form.
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { describeCallError } from "./errors";
import { fieldErrorsFrom, type FieldErrors } from "./form-errors";

// ------------------------------------------------------------ one field ---

/** The id of the element that shows the error of the input `inputId`. */
export const errorIdFor = (inputId: string) => `${inputId}-error`;

/** aria-invalid for an input with this error (none when there is no error). */
export function ariaInvalid(error: string | undefined): "true" | typeof nothing {
  return error ? "true" : nothing;
}

/** aria-describedby for an input: its error (when there is one), then its hints. */
export function ariaDescribedBy(inputId: string, error: string | undefined, ...hintIds: string[]): string | typeof nothing {
  return [error ? errorIdFor(inputId) : "", ...hintIds].filter(Boolean).join(" ") || nothing;
}

/**
 * The error text under an input, which the input names in aria-describedby
 * (see ariaDescribedBy); `data-error-for` names the input too.
 */
export function fieldErrorText(inputId: string, error: string | undefined): TemplateResult | typeof nothing {
  return error
    ? html`<small class="field-error" id=${errorIdFor(inputId)} data-error-for=${inputId}>${error}</small>`
    : nothing;
}

// ------------------------------------------------------------ a form ---

type Host = ReactiveControllerHost & HTMLElement;

export interface FormStateOptions<F extends string> {
  /** The form's fields, named as in the request ("given_name", "address.city"). */
  fields?: readonly F[];
  /** Request paths above the fields ("patient."), left out when matching. */
  prefixes?: readonly string[];
  /** The id of a field's input (default: the field's name). */
  idOf?: (field: F) => string;
  /** The id of the error summary, focused when errors are shown. */
  summaryId?: string;
  /** Where focus goes when errors are shown, instead of the summary (a selector). */
  focus?: (form: FormState<F>) => string | undefined;
  /** A general error in words (default: describeCallError). */
  describe?: (err: ConnectError) => string;
  /** Sorts an error into field errors and the rest (default: its BadRequest details). */
  read?: (err: ConnectError) => FieldErrors<F>;
}

export interface RunOptions {
  /** A general error in words, for this call (default: the form's). */
  describe?: (err: ConnectError) => string;
  /** Called with the error after it is sorted, e.g. to take a new request_id. */
  onError?: (err: ConnectError) => void;
}

/**
 * A Lit reactive controller holding a form's busy flag and errors:
 *
 *   private form = new FormState(this, { fields, prefixes: ["patient."], idOf, summaryId });
 *   await this.form.run(() => patients.createPatient(...));
 *
 * run() clears the errors, sets `busy` while the call runs (ignores a second
 * submit meanwhile), and on failure sorts the error: BadRequest violations
 * at the fields they name, the rest in `other`; ABORTED also sets `conflict`.
 * Then focus moves to the summary, so a screen reader reads it.
 */
export class FormState<F extends string = string> implements ReactiveController {
  busy = false;
  fields: Partial<Record<F, string>> = {};
  other: string[] = [];
  /** The last error was ABORTED: someone else changed the record (a stale etag). */
  conflict = false;

  constructor(
    private readonly host: Host,
    private readonly options: FormStateOptions<F> = {},
  ) {
    host.addController(this);
  }

  /** Nothing to set up: the controller only holds the form's state for the host's render. */
  hostConnected(): void {}

  get hasErrors(): boolean {
    return Object.keys(this.fields).length > 0 || this.other.length > 0;
  }

  /** The id of a field's input. */
  idOf(field: F): string {
    return this.options.idOf ? this.options.idOf(field) : field;
  }

  clear(): void {
    this.fields = {};
    this.other = [];
    this.conflict = false;
    this.host.requestUpdate();
  }

  /** Forgets a field's error (when it is edited). */
  clearField(field: F): void {
    if (this.fields[field] === undefined) return;
    const rest = { ...this.fields };
    delete rest[field];
    this.fields = rest;
    this.host.requestUpdate();
  }

  /** Shows errors found without the server (or any others) and moves focus to them. */
  async show(errors: FieldErrors<F>): Promise<void> {
    this.fields = { ...errors.fields };
    this.other = [...errors.other];
    this.conflict = false;
    this.host.requestUpdate();
    await this.focusErrors();
  }

  /** Sorts a failed call's error into the form (see the class comment) and shows it. */
  async fail(err: unknown, options: RunOptions = {}): Promise<void> {
    const e = ConnectError.from(err);
    const describe = options.describe ?? this.options.describe ?? ((x: ConnectError) => describeCallError(x));
    const errors = this.options.read
      ? this.options.read(e)
      : fieldErrorsFrom<F>(e, this.options.fields ?? [], this.options.prefixes ?? [], (x) => describe(ConnectError.from(x)));
    this.conflict = e.code === Code.Aborted;
    this.fields = errors.fields;
    this.other = errors.other;
    options.onError?.(e);
    this.host.requestUpdate();
    await this.focusErrors();
  }

  /**
   * Runs a call: clears the errors, is busy meanwhile, sorts a failure into
   * the form. Returns the action's result, or undefined if it failed or the
   * form was busy already.
   */
  async run<T>(action: () => Promise<T>, options: RunOptions = {}): Promise<T | undefined> {
    if (this.busy) return undefined;
    this.fields = {};
    this.other = [];
    this.conflict = false;
    this.busy = true;
    this.host.requestUpdate();
    try {
      return await action();
    } catch (err) {
      await this.fail(err, options);
      return undefined;
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  private async focusErrors(): Promise<void> {
    await this.host.updateComplete;
    const selector = this.options.focus?.(this) ?? (this.options.summaryId ? `#${this.options.summaryId}` : undefined);
    if (selector) this.host.querySelector<HTMLElement>(selector)?.focus();
  }

  // -------------------------------------------------------- rendering ---

  /** aria-invalid and aria-describedby of a field's input (`hintIds` after the error). */
  aria(field: F, ...hintIds: string[]): { invalid: "true" | typeof nothing; describedBy: string | typeof nothing } {
    const error = this.fields[field];
    return { invalid: ariaInvalid(error), describedBy: ariaDescribedBy(this.idOf(field), error, ...hintIds) };
  }

  /** The error text under a field's input, or nothing. */
  error(field: F): TemplateResult | typeof nothing {
    return fieldErrorText(this.idOf(field), this.fields[field]);
  }

  /**
   * The summary at the top of the form (role=alert, focused after a failed
   * submit): `title`, then each field's error as a link to its input, then
   * the other errors; `extra` after the list (a Reload button).
   */
  summary(title: string, labels: Record<F, string>, extra: TemplateResult | typeof nothing = nothing): TemplateResult | typeof nothing {
    if (!this.hasErrors) return nothing;
    const fields = Object.entries(this.fields) as Array<[F, string]>;
    const id = this.options.summaryId ?? "form-problems";
    return html`<div class="notice error" role="alert" id=${id} tabindex="-1" aria-labelledby="${id}-title">
      <p id="${id}-title"><strong>${title}</strong></p>
      <ul>
        ${fields.map(
          ([field, message]) =>
            html`<li><a href="#${this.idOf(field)}" @click=${(e: Event) => this.focusField(e, field)}>${labels[field]}</a>: ${message}</li>`,
        )}
        ${this.other.map((message) => html`<li>${message}</li>`)}
      </ul>
      ${extra}
    </div>`;
  }

  /** Focuses a field's input (the first control inside, for a fieldset of checkboxes). */
  private focusField(e: Event, field: F): void {
    e.preventDefault();
    const el = this.host.querySelector<HTMLElement>(`#${CSS.escape(this.idOf(field))}`);
    const control = el?.matches("input, select, textarea, button")
      ? el
      : (el?.querySelector<HTMLElement>("input, select, textarea, button") ?? el);
    control?.focus();
  }
}
