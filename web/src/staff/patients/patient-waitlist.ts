import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Location, WaitlistEntry } from "../../gen/clinic/appointments/v1/appointments_pb";
import { appointments, callTimeoutMs } from "../shared/api";
import { describeCallError } from "../shared/errors";
import { FormState } from "../shared/form";
import { LightElement } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { todayIn } from "../shared/tz";
import { loadAppointmentDirectory, type AppointmentDirectory } from "./appointment-directory";
import {
  checkWaitlist,
  defaultWaitlistValues,
  entriesOfPatient,
  timeOfDayOptions,
  waitlistFields,
  waitlistFormErrors,
  waitlistLabels,
  waitlistRequest,
  waitlistView,
  type WaitlistField,
  type WaitlistValues,
} from "./appointments-model";

/** ListWaitlistEntries pages read at most (200 entries each). */
const pageLimit = 20;

const inputId = (field: WaitlistField) => "wl-" + field;

/**
 * <patient-waitlist>: the Waitlist section of a patient's page, for the
 * front desk and admins — the patient's waitlist entries and "Add to
 * waitlist" (location, type, latest date, time of day, optional therapist,
 * notes -> CreateWaitlistEntry with a request_id kept for a retry).
 *
 * ListWaitlistEntries has no patient filter: every entry is read (all
 * locations, every page) and the patient's kept.
 */
export class PatientWaitlist extends LightElement {
  static override properties = {
    patient: { type: String },
    entries: { state: true },
    names: { state: true },
    loading: { state: true },
    error: { state: true },
    adding: { state: true },
    values: { state: true },
    notice: { state: true },
  };
  /** "patients/{id}". */
  declare patient: string;
  declare entries: WaitlistEntry[];
  declare names: AppointmentDirectory;
  declare loading: boolean;
  declare error: string;
  declare adding: boolean;
  declare values: WaitlistValues;
  declare notice: string;

  private form = new FormState<WaitlistField>(this, {
    fields: waitlistFields,
    prefixes: ["entry."],
    idOf: inputId,
    summaryId: "wl-problems",
    read: (err) => waitlistFormErrors(err),
  });
  private requestId = newRequestId();
  /** The values the request id was used for: the same values sent again keep it. */
  private requestIdFor = "";
  private loadedFor?: string;
  private abort?: AbortController;

  constructor() {
    super();
    this.patient = "";
    this.entries = [];
    this.names = { locations: new Map(), types: new Map(), therapists: new Map() };
    this.loading = false;
    this.error = "";
    this.adding = false;
    this.values = defaultWaitlistValues(todayIn("UTC"));
    this.notice = "";
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    this.loadedFor = undefined;
    super.disconnectedCallback();
  }

  protected override willUpdate(): void {
    if (this.patient && this.patient !== this.loadedFor) {
      this.loadedFor = this.patient;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    try {
      const directory = loadAppointmentDirectory();
      const all: WaitlistEntry[] = [];
      let pageToken = "";
      for (let i = 0; i < pageLimit; i++) {
        const res = await appointments.listWaitlistEntries({ pageSize: 200, pageToken }, { signal: abort.signal, timeoutMs: callTimeoutMs });
        all.push(...res.entries);
        pageToken = res.nextPageToken;
        if (!pageToken) break;
      }
      this.names = await directory;
      if (abort.signal.aborted) return;
      this.entries = entriesOfPatient(all, this.patient);
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.entries = [];
      this.error = `The waitlist could not be loaded. ${describeCallError(err)}`;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private activeLocations(): Location[] {
    return [...this.names.locations.values()];
  }

  private async openForm(): Promise<void> {
    const names = this.names.locations.size ? this.names : await loadAppointmentDirectory().catch(() => this.names);
    this.names = names;
    const location = this.activeLocations()[0];
    const type = [...names.types.values()].find((t) => t.active);
    this.values = defaultWaitlistValues(todayIn(location?.timeZone || "UTC"), location?.name ?? "", type?.name ?? "");
    this.form.clear();
    this.notice = "";
    this.adding = true;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#${inputId("location")}`)?.focus();
  }

  private setValue(field: WaitlistField, value: string): void {
    this.values = { ...this.values, [field]: value };
    this.form.clearField(field);
  }

  private async onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    if (this.form.busy) return;
    const missing = checkWaitlist(this.values);
    if (Object.keys(missing.fields).length) {
      await this.form.show(missing);
      return;
    }
    const key = JSON.stringify(this.values);
    if (key !== this.requestIdFor) {
      this.requestId = newRequestId();
      this.requestIdFor = key;
    }
    const created = await this.form.run(() =>
      appointments.createWaitlistEntry(waitlistRequest(this.patient, this.values, this.requestId), { timeoutMs: callTimeoutMs }),
    );
    if (!created) return;
    this.requestIdFor = "";
    this.entries = [...this.entries.filter((x) => x.name !== created.name), created];
    this.adding = false;
    this.notice = "Added to the waitlist.";
    await this.updateComplete;
    this.querySelector<HTMLElement>("#wl-notice")?.focus();
  }

  private select(field: WaitlistField, options: Array<[string, string]>, required = false): TemplateResult {
    const id = inputId(field);
    const aria = this.form.aria(field);
    return html`<div>
      <label for=${id}>${waitlistLabels[field]}${required ? nothing : html` <small>(optional)</small>`}</label>
      <select
        id=${id}
        name=${field}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        @change=${(e: Event) => this.setValue(field, (e.target as HTMLSelectElement).value)}
      >
        ${options.map(([value, label]) => html`<option value=${value} ?selected=${this.values[field] === value}>${label}</option>`)}
      </select>
      ${this.form.error(field)}
    </div>`;
  }

  private addForm(): TemplateResult {
    const locationOptions = this.activeLocations().map((l) => [l.name, l.displayName] as [string, string]);
    const typeOptions = [...this.names.types.values()]
      .filter((t) => t.active || t.name === this.values.appointment_type)
      .map((t) => [t.name, t.displayName] as [string, string]);
    const therapistOptions: Array<[string, string]> = [
      ["", "Any therapist"],
      ...[...this.names.therapists.entries()].sort((a, b) => a[1].localeCompare(b[1])),
    ];
    const dateAria = this.form.aria("latest_date", "wl-latest_date-hint");
    const notesAria = this.form.aria("notes");
    return html`<form class="waitlist-form" novalidate @submit=${this.onSubmit} aria-labelledby="wl-form-title">
      <h3 id="wl-form-title">Add to waitlist</h3>
      ${this.form.summary("The patient was not added to the waitlist.", waitlistLabels)}
      <div class="grid">
        ${this.select("location", [["", "Choose a location"], ...locationOptions], true)}
        ${this.select("appointment_type", [["", "Choose a type"], ...typeOptions], true)}
      </div>
      <div class="grid">
        <div>
          <label for=${inputId("latest_date")}>${waitlistLabels.latest_date}</label>
          <input
            id=${inputId("latest_date")}
            name="latest_date"
            type="date"
            aria-invalid=${dateAria.invalid}
            aria-describedby=${dateAria.describedBy}
            .value=${this.values.latest_date}
            @input=${(e: Event) => this.setValue("latest_date", (e.target as HTMLInputElement).value)}
          />
          ${this.form.error("latest_date")}
          <small id="wl-latest_date-hint">The last day the patient would still want an earlier appointment.</small>
        </div>
        ${this.select("time_of_day", timeOfDayOptions.map(([v, l]) => [String(v), l]), true)}
      </div>
      ${this.select("therapist", therapistOptions)}
      <div>
        <label for=${inputId("notes")}>${waitlistLabels.notes} <small>(optional)</small></label>
        <textarea
          id=${inputId("notes")}
          name="notes"
          rows="2"
          maxlength="500"
          aria-invalid=${notesAria.invalid}
          aria-describedby=${notesAria.describedBy}
          .value=${this.values.notes}
          @input=${(e: Event) => this.setValue("notes", (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        ${this.form.error("notes")}
      </div>
      <div class="actions">
        <button type="submit" ?disabled=${this.form.busy} aria-busy=${this.form.busy ? "true" : "false"}>Add to waitlist</button>
        <button type="button" class="secondary" @click=${() => (this.adding = false)}>Cancel</button>
      </div>
    </form>`;
  }

  private list(): TemplateResult {
    if (this.loading) return html`<p aria-busy="true">Loading the waitlist…</p>`;
    if (this.error) {
      return html`<div class="notice error">
        <p>${this.error}</p>
        <button type="button" class="secondary small" @click=${() => this.load()}>Try again</button>
      </div>`;
    }
    if (this.entries.length === 0) return html`<p class="muted">Not on the waitlist.</p>`;
    return html`<ul class="waitlist-entries">
      ${this.entries.map((e) => {
        const v = waitlistView(e, this.names);
        return html`<li>
          <strong>${v.what}</strong>, ${v.who}, ${v.when}${v.until ? html`, ${v.until}` : nothing}${v.priority
            ? html` <small class="muted">(priority ${v.priority})</small>`
            : nothing}${v.notes ? html`<br /><small>${v.notes}</small>` : nothing}
        </li>`;
      })}
    </ul>`;
  }

  override render() {
    return html`<section class="patient-waitlist" aria-labelledby="patient-waitlist-title">
      <div class="toolbar">
        <h2 id="patient-waitlist-title">Waitlist</h2>
        ${this.adding
          ? nothing
          : html`<button type="button" class="secondary" @click=${() => this.openForm()}>Add to waitlist</button>`}
      </div>
      <div role="status" aria-live="polite">
        ${this.notice ? html`<p class="notice ok" id="wl-notice" tabindex="-1">${this.notice}</p>` : nothing}
      </div>
      ${this.list()} ${this.adding ? this.addForm() : nothing}
    </section>`;
  }
}

customElements.define("patient-waitlist", PatientWaitlist);
