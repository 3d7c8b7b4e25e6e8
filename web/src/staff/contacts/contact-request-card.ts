import { html, nothing } from "lit";
import type { Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { ContactAttempt, ContactRequest } from "../../gen/clinic/screenings/v1/screenings_pb";
import { callTimeoutMs, screenings } from "../shared/api";
import { FormState, type FormStateOptions } from "../shared/form";
import { LightElement } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import {
  attemptFields,
  attemptFormErrors,
  attemptOutcomeUnknown,
  bodyAreaWords,
  channelWords,
  checkAttempt,
  contactName,
  contactRequestId,
  emptyAttempt,
  formatAge,
  formatTime,
  isOpen,
  mailtoHref,
  nextStateChoices,
  outcomeChoices,
  outcomeWords,
  patientHref,
  recordAttemptRequest,
  reloadAfter,
  sourceWords,
  stateWords,
  telHref,
  tsMs,
  words,
  type AttemptField,
  type AttemptValues,
} from "./contacts-model";

const attemptLabels: Record<AttemptField, string> = {
  outcome: "Outcome",
  note: "Note",
  next_state: "Then",
};

/** Sent (bubbling) with the updated request after a call was recorded. */
export type RecordedEvent = CustomEvent<ContactRequest>;

/**
 * <contact-request-card>: one request of the queue — who, how to reach them,
 * what hurts, the calls so far — and a form to record a call
 * (RecordContactAttempt). After a call it sends `contact-recorded` with the
 * updated request; after an error meaning the request changed meanwhile
 * (closed, stale etag), `contact-reload`. All text is rendered as text.
 */
export class ContactRequestCard extends LightElement {
  static override properties = {
    request: { attribute: false },
    location: { attribute: false },
    staffNames: { attribute: false },
    me: { attribute: false },
    now: { attribute: false },
    values: { state: true },
  };
  declare request: ContactRequest;
  declare location: Location | undefined;
  declare staffNames: Map<string, string>;
  /** The logged-in member's resource name ("staff/…"), to say "you". */
  declare me: string;
  declare now: number;
  declare values: AttemptValues;

  /** The request_id of the call being recorded; kept when retrying after no answer. */
  private requestId = "";

  private form = new FormState<AttemptField>(this, this.formOptions());

  /** Ids are per request ("cr-<uuid>-outcome"), read when rendering (the request arrives after construction). */
  private formOptions(): FormStateOptions<AttemptField> {
    const card = this;
    return {
      fields: attemptFields,
      idOf: (field) => `${card.idBase}-${field}`,
      get summaryId() {
        return `${card.idBase}-problems`;
      },
      read: attemptFormErrors,
    };
  }

  constructor() {
    super();
    this.staffNames = new Map();
    this.me = "";
    this.now = Date.now();
    this.values = emptyAttempt();
  }

  private get idBase(): string {
    return `cr-${contactRequestId(this.request?.name ?? "")}`;
  }

  private set(field: AttemptField, value: string): void {
    this.values = { ...this.values, [field]: value };
    // Other values are another call: a fresh request_id.
    this.requestId = "";
    this.form.clearField(field);
  }

  private async record(e: Event): Promise<void> {
    e.preventDefault();
    if (this.form.busy) return;
    const check = checkAttempt(this.values);
    if (Object.keys(check.fields).length > 0) {
      await this.form.show(check);
      return;
    }
    if (!this.requestId) this.requestId = newRequestId();
    const requestId = this.requestId;
    const updated = await this.form.run(
      () => screenings.recordContactAttempt(recordAttemptRequest(this.request, this.values, requestId), { timeoutMs: callTimeoutMs }),
      {
        onError: (err) => {
          if (!attemptOutcomeUnknown(err)) this.requestId = "";
          if (reloadAfter(err)) this.dispatchEvent(new CustomEvent("contact-reload", { bubbles: true }));
        },
      },
    );
    if (!updated) return;
    this.requestId = "";
    this.values = emptyAttempt();
    this.dispatchEvent(new CustomEvent("contact-recorded", { bubbles: true, detail: updated }) as RecordedEvent);
  }

  private staffName(name: string): string {
    if (!name) return "";
    if (name === this.me) return "you";
    return this.staffNames.get(name) ?? "a colleague";
  }

  private attempt(a: ContactAttempt) {
    const ms = tsMs(a.time);
    const by = this.staffName(a.staff);
    return html`<li>
      <time datetime=${Number.isFinite(ms) ? new Date(ms).toISOString() : nothing}>${formatTime(ms, this.location?.timeZone)}</time>:
      <strong>${words(outcomeWords, a.outcome)}</strong>${by ? html` <span class="muted">by ${by}</span>` : nothing}${a.note
        ? html`<br /><span class="attempt-note">${a.note}</span>`
        : nothing}
    </li>`;
  }

  private recordForm(name: string) {
    const id = this.idBase;
    const outcome = this.form.aria("outcome");
    const note = this.form.aria("note");
    const next = this.form.aria("next_state");
    return html`<form class="record-call" novalidate @submit=${this.record} aria-labelledby="${id}-record-title">
      <h3 id="${id}-record-title">Record a call</h3>
      ${this.form.summary("The call was not recorded.", attemptLabels)}
      <div class="grid">
        <div>
          <label for="${id}-outcome">Outcome</label>
          <select
            id="${id}-outcome"
            name="outcome"
            required
            aria-invalid=${outcome.invalid}
            aria-describedby=${outcome.describedBy}
            .value=${this.values.outcome}
            @change=${(e: Event) => this.set("outcome", (e.target as HTMLSelectElement).value)}
          >
            <option value="" ?selected=${this.values.outcome === ""}>Choose…</option>
            ${outcomeChoices.map(([v, label]) => html`<option value=${v} ?selected=${this.values.outcome === v}>${label}</option>`)}
          </select>
          ${this.form.error("outcome")}
        </div>
        <div>
          <label for="${id}-next_state">Then</label>
          <select
            id="${id}-next_state"
            name="next_state"
            aria-invalid=${next.invalid}
            aria-describedby=${next.describedBy}
            .value=${this.values.next_state}
            @change=${(e: Event) => this.set("next_state", (e.target as HTMLSelectElement).value)}
          >
            ${nextStateChoices.map(([v, label]) => html`<option value=${v} ?selected=${this.values.next_state === v}>${label}</option>`)}
          </select>
          ${this.form.error("next_state")}
        </div>
      </div>
      <label for="${id}-note">Note</label>
      <textarea
        id="${id}-note"
        name="note"
        rows="2"
        maxlength="1000"
        aria-invalid=${note.invalid}
        aria-describedby=${note.describedBy}
        .value=${this.values.note}
        @input=${(e: Event) => this.set("note", (e.target as HTMLTextAreaElement).value)}
      ></textarea>
      ${this.form.error("note")}
      <button
        type="submit"
        ?disabled=${this.form.busy}
        aria-busy=${this.form.busy ? "true" : "false"}
        aria-label="Record call for ${name}"
      >
        Record call
      </button>
    </form>`;
  }

  override render() {
    const r = this.request;
    if (!r) return nothing;
    const id = this.idBase;
    const name = contactName(r) || "(no name)";
    const created = tsMs(r.createTime);
    const zone = this.location?.timeZone;
    const tel = telHref(r.phone);
    const mailto = mailtoHref(r.email);
    const open = isOpen(r.state);
    const prefers = [words(channelWords, r.preferredChannel), r.preferredTimes.trim()].filter(Boolean).join(", ");
    const patient = patientHref(r.patient);
    return html`<article class="contact-request ${open ? "" : "closed"}" aria-labelledby="${id}-title">
      <header>
        <h2 id="${id}-title" class="contact-name">${name}</h2>
        <p class="contact-meta">
          <span class="badge state ${open ? "" : "closed"}">${words(stateWords, r.state)}</span>
          asked
          <time class="contact-age" datetime=${Number.isFinite(created) ? new Date(created).toISOString() : nothing} title=${formatTime(created, zone)}
            >${formatAge(created, this.now)}</time
          >
          <span class="muted">· ${words(sourceWords, r.source)}</span>
        </p>
      </header>
      <dl class="contact-details">
        <dt>Phone</dt>
        <dd>${r.phone ? (tel ? html`<a href=${tel}>${r.phone}</a>` : r.phone) : html`<span class="muted">none</span>`}</dd>
        <dt>Email</dt>
        <dd class="break">${r.email ? (mailto ? html`<a href=${mailto}>${r.email}</a>` : r.email) : html`<span class="muted">none</span>`}</dd>
        <dt>Prefers</dt>
        <dd>${prefers}</dd>
        <dt>Location</dt>
        <dd>${r.location ? (this.location?.displayName ?? r.location) : "Any location"}</dd>
        <dt>Where it hurts</dt>
        <dd>${words(bodyAreaWords, r.bodyArea)}</dd>
        <dt>Concern</dt>
        <dd class="concern">${r.concern || html`<span class="muted">not given</span>`}</dd>
        <dt>Campaign</dt>
        <dd class="break">${r.campaign || html`<span class="muted">none</span>`}</dd>
        <dt>Consent</dt>
        <dd>${r.consentToContact ? "Agreed to be contacted" : html`<span class="muted">not given</span>`}</dd>
        ${patient
          ? html`<dt>Patient</dt>
              <dd><a href=${patient} class="contact-patient">Patient record<span class="visually-hidden"> of ${name}</span></a></dd>`
          : nothing}
      </dl>
      <h3 class="attempts-title">Calls so far</h3>
      ${r.attempts.length
        ? html`<ol class="attempts">${r.attempts.map((a) => this.attempt(a))}</ol>`
        : html`<p class="muted">No calls yet.</p>`}
      ${open ? this.recordForm(name) : html`<p class="muted">Closed: this request takes no more calls.</p>`}
    </article>`;
  }
}

customElements.define("contact-request-card", ContactRequestCard);
