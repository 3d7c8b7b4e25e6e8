import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { PatientState, type Patient } from "../../gen/clinic/patients/v1/patients_pb";
import { callTimeoutMs, patients } from "../shared/api";
import { FormState } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import {
  canLookForSimilar,
  changedPaths,
  contactMethodOptions,
  describeError,
  displayName,
  emptyValues,
  errorPrefixes,
  fieldLabels,
  fieldPaths,
  formatBirthDate,
  identityChanged,
  identityKey,
  identityPaths,
  patientFromValues,
  patientId,
  sexAtBirthOptions,
  similarPatientsRequest,
  similarViews,
  valuesFromPatient,
  type FieldPath,
  type FormValues,
  type SimilarView,
} from "./patient-model";
import { formatPhone, phoneHref } from "./phone-model";
import { navigate, takeFlash } from "../router";
import { currentMember } from "../account/auth";
import { canSeeWaitlist } from "../home/my-day-model";
import "../screenings/patient-screenings";
import "./patient-appointments";
import "./patient-waitlist";
import "./patient-plans";

/** The id of a field's input ("f-address-postal_code"); its error text is "<id>-error". */
const inputId = (path: FieldPath) => "f-" + path.replace(/\./g, "-");

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

interface InputOptions {
  type?: string;
  required?: boolean;
  inputmode?: string;
  maxlength?: number;
  min?: string;
  max?: string;
  hint?: string;
}

/**
 * <patient-editor>: the create form (no patientId) or the edit form of one
 * patient (GetPatient, then UpdatePatient with an update_mask and the etag).
 */
export class PatientEditor extends LightElement {
  static override properties = {
    patientId: { type: String },
    patient: { state: true },
    values: { state: true },
    loading: { state: true },
    loadError: { state: true },
    notice: { state: true },
    confirmingArchive: { state: true },
    similar: { state: true },
  };
  declare patientId: string | undefined;
  declare patient: Patient | undefined;
  declare values: FormValues;
  declare loading: boolean;
  declare loadError: string;
  declare notice: string;
  declare confirmingArchive: boolean;
  /**
   * Likely duplicates (FindSimilarPatients): before creating, a choice
   * ("Use this patient" / "Create a new patient anyway"); after an edit, a
   * warning.
   */
  declare similar: SimilarView[];

  /** Saving, archiving, and the errors of the last try. */
  private form = new FormState<FieldPath>(this, {
    fields: fieldPaths,
    prefixes: errorPrefixes,
    idOf: inputId,
    summaryId: "form-problems",
    describe: describeError,
  });

  /** The values as loaded: what update_mask is computed against. */
  private original: FormValues = emptyValues();
  private requestId = newRequestId();
  private loadedId?: string;
  private abort?: AbortController;
  /** The identity (identityKey) "Create a new patient anyway" was chosen for. */
  private createAnywayFor = "";

  constructor() {
    super();
    this.patientId = undefined;
    this.patient = undefined;
    this.values = emptyValues();
    this.loading = false;
    this.loadError = "";
    this.notice = "";
    this.confirmingArchive = false;
    this.similar = [];
  }

  private get isNew(): boolean {
    return !this.patientId;
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(): void {
    if (this.patientId && this.patientId !== this.loadedId) {
      this.loadedId = this.patientId;
      this.patient = undefined;
      this.notice = takeFlash();
      void this.load();
    }
  }

  protected override firstUpdated(): void {
    if (this.isNew) announcePage(this, "New patient");
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.loadError = "";
    this.form.clear();
    this.confirmingArchive = false;
    this.similar = [];
    try {
      const p = await patients.getPatient(
        { name: `patients/${this.patientId}` },
        { signal: abort.signal, timeoutMs: callTimeoutMs },
      );
      if (abort.signal.aborted) return;
      this.show(p);
      await this.updateComplete;
      announcePage(this, displayName(p) || "Patient");
    } catch (err) {
      if (abort.signal.aborted) return;
      this.patient = undefined;
      const code = ConnectError.from(err).code;
      // A malformed id is INVALID_ARGUMENT ("name: must look like patients/{uuid}").
      this.loadError =
        code === Code.NotFound || code === Code.InvalidArgument
          ? "No such patient: there is no patient at this address."
          : describeError(err);
      await this.updateComplete;
      announcePage(this, "Patient");
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private show(p: Patient): void {
    this.patient = p;
    this.original = valuesFromPatient(p);
    this.values = { ...this.original };
  }

  private setValue(path: FieldPath, value: string): void {
    this.values = { ...this.values, [path]: value };
    this.form.clearField(path);
    // Other details make other likely duplicates: the choice is asked again.
    if (this.isNew && this.similar.length && (identityPaths as readonly string[]).includes(path)) this.similar = [];
  }

  /**
   * FindSimilarPatients for the form's values; none when the form says too
   * little to compare or the call fails (the check only warns: saving goes
   * on, and the save reports what is wrong with the form).
   */
  private async findSimilar(values: FormValues, exclude = ""): Promise<SimilarView[]> {
    if (!canLookForSimilar(values)) return [];
    try {
      const res = await patients.findSimilarPatients(similarPatientsRequest(values, exclude), { timeoutMs: callTimeoutMs });
      return similarViews(res.matches);
    } catch {
      return [];
    }
  }

  private async onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    await this.save();
  }

  /** "Create a new patient anyway": creates with these very values, without asking again. */
  private async createAnyway(): Promise<void> {
    this.createAnywayFor = identityKey(this.values);
    this.similar = [];
    await this.save();
  }

  private async save(): Promise<void> {
    if (this.form.busy) return;
    this.notice = "";
    let asking = false;
    await this.form.run(async () => {
      if (this.isNew) {
        if (identityKey(this.values) !== this.createAnywayFor) {
          const similar = await this.findSimilar(this.values);
          if (similar.length) {
            this.similar = similar;
            asking = true;
            return;
          }
        }
        this.similar = [];
        const created = await patients.createPatient(
          { patient: patientFromValues(this.values), requestId: this.requestId },
          { timeoutMs: callTimeoutMs },
        );
        navigate(`/staff/patients/${encodeURIComponent(patientId(created.name))}`, {
          flash: "Patient created.",
        });
        return;
      }
      const current = this.patient;
      if (!current) return;
      const paths = changedPaths(this.original, this.values);
      if (paths.length === 0) {
        this.notice = "Nothing to save: no field was changed.";
        return;
      }
      const patient = patientFromValues(this.values);
      patient.name = current.name;
      patient.etag = current.etag;
      const checkSimilar = identityChanged(this.original, this.values);
      const values = { ...this.values };
      const updated = await patients.updatePatient(
        { patient, updateMask: { paths } },
        { timeoutMs: callTimeoutMs },
      );
      this.show(updated);
      this.notice = "Saved.";
      // Saved either way; a record that now looks like another patient's is worth a warning.
      this.similar = checkSimilar ? await this.findSimilar(values, current.name) : [];
    });
    if (asking) {
      // The first choice, "Use this patient", is the default.
      await this.updateComplete;
      this.querySelector<HTMLElement>("#similar-use-0")?.focus();
    } else if (!this.isNew && this.similar.length) {
      await this.updateComplete;
      this.querySelector<HTMLElement>("#similar-title")?.focus();
    }
  }

  /** The likely duplicates: a choice before creating, a warning after an edit. */
  private similarPanel(): TemplateResult | typeof nothing {
    if (this.similar.length === 0) return nothing;
    const creating = this.isNew;
    const one = this.similar.length === 1;
    return html`<section class="notice similar-patients" aria-labelledby="similar-title" aria-describedby="similar-intro">
      <h2 id="similar-title" tabindex="-1">${creating ? "Is this a patient you already have?" : "This record looks like another patient's"}</h2>
      <p id="similar-intro">
        ${creating
          ? one
            ? "A patient with these details is already on file. Use that record rather than creating a second one for the same person."
            : "Patients with these details are already on file. Use one of those records rather than creating a second one for the same person."
          : "Your changes are saved. If this is the same person as the patient below, one of the two records is a duplicate."}
      </p>
      <ul class="similar-list">
        ${this.similar.map(
          (m, i) => html`<li>
            <p>
              <strong id="similar-name-${i}">${m.displayName}</strong>
              ${m.birthDate ? html`<br />Born ${m.birthDate}` : nothing}
              ${m.phone ? html`<br />Phone ${m.phone}` : nothing}
              ${m.email ? html`<br />Email ${m.email}` : nothing}
              ${m.reasons ? html`<br /><small class="similar-reasons">${m.reasons}</small>` : nothing}
            </p>
            <a id="similar-use-${i}" class="button-link" href=${m.href} aria-describedby="similar-name-${i}"
              >${creating ? "Use this patient" : "Open this patient"}</a
            >
          </li>`,
        )}
      </ul>
      ${creating
        ? html`<div class="actions">
            <button type="button" class="secondary" ?disabled=${this.form.busy} @click=${() => this.createAnyway()}>
              Create a new patient anyway
            </button>
          </div>`
        : nothing}
    </section>`;
  }

  /** Date of birth, phone and email at a glance, above the sections. */
  private glance(p: Patient): TemplateResult {
    const born = formatBirthDate(p.birthDate);
    const phone = formatPhone(p.phone);
    const tel = phoneHref(p.phone);
    return html`<p class="patient-glance">
      ${born ? html`<span>Born ${born}</span>` : nothing}
      ${phone ? html`<span>Phone ${tel ? html`<a href=${tel}>${phone}</a>` : phone}</span>` : nothing}
      ${p.email ? html`<span>Email <a href="mailto:${p.email}">${p.email}</a></span>` : nothing}
    </p>`;
  }

  private async archive(): Promise<void> {
    const current = this.patient;
    if (!current || this.form.busy) return;
    this.notice = "";
    const done = await this.form.run(async () => {
      const archived = await patients.archivePatient(
        { name: current.name, etag: current.etag },
        { timeoutMs: callTimeoutMs },
      );
      this.show(archived);
      this.confirmingArchive = false;
      this.notice = "Patient archived. The record is kept but hidden from searches.";
      return true;
    });
    if (!done) this.confirmingArchive = false;
  }

  private input(path: FieldPath, options: InputOptions = {}): TemplateResult {
    const id = inputId(path);
    const aria = this.form.aria(path, ...(options.hint ? [`${id}-hint`] : []));
    return html`<div>
      <label for=${id}>${fieldLabels[path]}${options.required ? html` <small>(required)</small>` : nothing}</label>
      <input
        id=${id}
        name=${path}
        type=${options.type ?? "text"}
        autocomplete="off"
        inputmode=${options.inputmode ?? nothing}
        maxlength=${options.maxlength ?? nothing}
        min=${options.min ?? nothing}
        max=${options.max ?? nothing}
        ?required=${options.required}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        .value=${this.values[path]}
        @input=${(e: Event) => this.setValue(path, (e.target as HTMLInputElement).value)}
      />
      ${this.form.error(path)}
      ${options.hint ? html`<small id="${id}-hint">${options.hint}</small>` : nothing}
    </div>`;
  }

  private select(path: FieldPath, options: ReadonlyArray<[number, string]>): TemplateResult {
    const id = inputId(path);
    const aria = this.form.aria(path);
    return html`<div>
      <label for=${id}>${fieldLabels[path]}</label>
      <select
        id=${id}
        name=${path}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        @change=${(e: Event) => this.setValue(path, (e.target as HTMLSelectElement).value)}
      >
        ${options.map(
          ([value, label]) =>
            html`<option value=${String(value)} ?selected=${this.values[path] === String(value)}>${label}</option>`,
        )}
      </select>
      ${this.form.error(path)}
    </div>`;
  }

  private problems(): TemplateResult | typeof nothing {
    if (this.form.conflict) {
      return html`<div class="notice error" role="alert" id="form-problems" tabindex="-1">
        <p><strong>Someone else changed this record; reload.</strong> Reloading shows their
          changes; your unsaved edits here will be lost.</p>
        <button type="button" @click=${() => this.load()}>Reload</button>
      </div>`;
    }
    return this.form.summary(this.isNew ? "The patient was not created." : "The changes were not saved.", fieldLabels);
  }

  private archiveControls(): TemplateResult | typeof nothing {
    const p = this.patient;
    if (!p || p.state === PatientState.ARCHIVED) return nothing;
    if (!this.confirmingArchive) {
      return html`<button
        type="button"
        class="secondary outline"
        @click=${async () => {
          this.confirmingArchive = true;
          await this.updateComplete;
          this.querySelector<HTMLElement>("#archive-confirm")?.focus();
        }}
      >
        Archive patient
      </button>`;
    }
    return html`<div class="notice">
      <p id="archive-question">
        Archive ${displayName(p)}? The record is kept, but hidden from searches and matching.
      </p>
      <div class="actions">
        <button id="archive-confirm" type="button" class="contrast" aria-describedby="archive-question" ?disabled=${this.form.busy} @click=${() => this.archive()}>
          Yes, archive
        </button>
        <button type="button" class="secondary" @click=${() => (this.confirmingArchive = false)}>Cancel</button>
      </div>
    </div>`;
  }

  override render() {
    if (!this.isNew && !this.patient) {
      return html`<p><a href="/staff/patients">← Patients</a></p>
        <h1>Patient</h1>
        ${this.loadError
          ? html`<div class="notice error" role="alert">
              <p>${this.loadError}</p>
              <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
            </div>`
          : html`<p aria-busy="true">Loading…</p>`}`;
    }
    const p = this.patient;
    const archived = p?.state === PatientState.ARCHIVED;
    const title = this.isNew ? "New patient" : displayName(p!) || "Patient";
    return html`
      <p><a href="/staff/patients">← Patients</a></p>
      <h1>${title}</h1>
      ${archived
        ? html`<p class="notice">
            This patient is archived${p?.archiveTime
              ? ` (since ${new Date(Number(p.archiveTime.seconds) * 1000).toLocaleDateString()})`
              : ""}: hidden from searches unless archived patients are included.
          </p>`
        : nothing}
      <div role="status" aria-live="polite">
        ${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}
      </div>
      ${p
        ? html`${this.glance(p)} ${this.isNew ? nothing : this.similarPanel()}
            <patient-appointments .patient=${p.name}></patient-appointments>
            ${canSeeWaitlist(currentMember()?.roles) ? html`<patient-waitlist .patient=${p.name}></patient-waitlist>` : nothing}
            <patient-screenings .patient=${p.name}></patient-screenings>
            <patient-plans .patient=${p.name}></patient-plans>
            <h2>Details</h2>`
        : nothing}
      ${this.problems()}

      <form novalidate @submit=${this.onSubmit} aria-busy=${this.loading ? "true" : "false"}>
        <fieldset>
          <legend><strong>Name</strong></legend>
          <div class="grid">
            ${this.input("given_name", { required: true, maxlength: 100 })}
            ${this.input("family_name", { required: true, maxlength: 100 })}
          </div>
          ${this.input("preferred_name", { maxlength: 100 })}
        </fieldset>

        <fieldset>
          <legend><strong>Birth</strong></legend>
          <div class="grid">
            ${this.input("birth_date", { type: "date", required: true, min: "1900-01-01", max: today() })}
            ${this.select("sex_at_birth", sexAtBirthOptions)}
          </div>
        </fieldset>

        <fieldset>
          <legend><strong>Contact</strong></legend>
          <div class="grid">
            ${this.input("phone", { type: "tel", inputmode: "tel", maxlength: 32 })}
            ${this.input("email", { type: "email", inputmode: "email", maxlength: 254 })}
          </div>
          ${this.select("preferred_contact_method", contactMethodOptions)}
        </fieldset>

        <fieldset>
          <legend><strong>Address</strong></legend>
          ${this.input("address.line1", { maxlength: 200 })} ${this.input("address.line2", { maxlength: 200 })}
          <div class="grid">
            ${this.input("address.city", { maxlength: 200 })} ${this.input("address.region", { maxlength: 200 })}
          </div>
          <div class="grid">
            ${this.input("address.postal_code", { maxlength: 200 })}
            ${this.input("address.country_code", { maxlength: 2, hint: "Two letters, e.g. US." })}
          </div>
        </fieldset>

        <fieldset>
          <legend><strong>Emergency contact</strong></legend>
          <div class="grid">
            ${this.input("emergency_contact.name", { maxlength: 200 })}
            ${this.input("emergency_contact.relationship", { maxlength: 100 })}
          </div>
          ${this.input("emergency_contact.phone", { type: "tel", inputmode: "tel", maxlength: 32 })}
        </fieldset>

        <div>
          <label for=${inputId("notes")}>${fieldLabels.notes}</label>
          <textarea
            id=${inputId("notes")}
            name="notes"
            rows="4"
            maxlength="4000"
            aria-invalid=${this.form.aria("notes").invalid}
            aria-describedby=${this.form.aria("notes").describedBy}
            .value=${this.values.notes}
            @input=${(e: Event) => this.setValue("notes", (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          ${this.form.error("notes")}
        </div>

        ${this.isNew ? this.similarPanel() : nothing}
        <div class="actions">
          ${this.isNew && this.similar.length
            ? nothing
            : html`<button type="submit" ?disabled=${this.form.busy || this.loading} aria-busy=${this.form.busy ? "true" : "false"}>
                ${this.isNew ? "Create patient" : "Save changes"}
              </button>`}
          <a href="/staff/patients" class="secondary">Cancel</a>
        </div>
      </form>
      ${this.isNew ? nothing : html`<hr />${this.archiveControls()}`}
    `;
  }
}

customElements.define("patient-editor", PatientEditor);
