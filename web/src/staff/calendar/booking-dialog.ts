import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppointmentType, Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { Patient } from "../../gen/clinic/patients/v1/patients_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { appointments, callTimeoutMs, patients } from "../shared/api";
import { memberName } from "../account/auth-model";
import { rememberPatient } from "./calendar-data";
import { bookingErrorMessage, bookRequest, durationMinutes, validColor } from "./calendar-model";
import { FormState } from "../shared/form";
import type { FieldErrors } from "../shared/form-errors";
import { LightElement } from "../shared/light-element";
import {
  classifySearch,
  describeError,
  displayName,
  emptyValues,
  fieldLabels,
  patientFormErrors,
  patientFromValues,
  type FieldPath,
} from "../patients/patient-model";
import { newRequestId } from "../shared/request-id";
import { describeWall, parseWall, zoneAbbreviation, wallToMs } from "../shared/tz";

/** A therapist column of the calendar. */
export interface TherapistColumn {
  member: StaffMember;
}

/** The fields of the inline "new patient" form. */
const newPatientFields = ["given_name", "family_name", "birth_date", "phone", "email"] as const;
type NewPatientField = (typeof newPatientFields)[number];
type NewPatientValues = Record<NewPatientField, string>;
const emptyNewPatient = (): NewPatientValues => ({ given_name: "", family_name: "", birth_date: "", phone: "", email: "" });

/** Whether a type may be delivered by a therapist with these credentials. */
export function typeFits(type: AppointmentType, member: StaffMember | undefined): boolean {
  if (!type.active) return false;
  if (type.allowedCredentials.length === 0 || !member) return true;
  const have = new Set(member.credentials.map((c) => c.toUpperCase()));
  return type.allowedCredentials.some((c) => have.has(c.toUpperCase()));
}

/**
 * <booking-dialog>: a modal dialog to book a slot picked on the calendar (or
 * typed in): therapist, date and time (the location's wall time), type,
 * patient (search by name, phone or email, or create one inline), notes.
 * Fires "booked" (detail: the Appointment) and "slot-taken" (the calendar
 * should reload).
 */
export class BookingDialog extends LightElement {
  static override properties = {
    location: { attribute: false },
    zone: { attribute: false },
    therapists: { attribute: false },
    types: { attribute: false },
    therapist: { state: true },
    date: { state: true },
    time: { state: true },
    typeName: { state: true },
    notes: { state: true },
    query: { state: true },
    results: { state: true },
    searching: { state: true },
    searchError: { state: true },
    searched: { state: true },
    patient: { state: true },
    creating: { state: true },
    newPatient: { state: true },
    booking: { state: true },
    error: { state: true },
    taken: { state: true },
  };
  declare location: Location | undefined;
  declare zone: string;
  declare therapists: TherapistColumn[];
  declare types: AppointmentType[];
  declare therapist: string;
  declare date: string;
  declare time: string;
  declare typeName: string;
  declare notes: string;
  declare query: string;
  declare results: Patient[];
  declare searching: boolean;
  declare searchError: string;
  declare searched: boolean;
  declare patient: Patient | undefined;
  declare creating: boolean;
  declare newPatient: NewPatientValues;
  declare booking: boolean;
  declare error: string;
  declare taken: boolean;

  private requestId = newRequestId();
  private lastBody = "";
  private patientRequestId = newRequestId();
  /**
   * The inline "new patient" form: CreatePatient's errors at its fields; one
   * at a patient field this short form lacks is shown with the field's name.
   */
  private newPatientForm = new FormState<NewPatientField>(this, {
    idOf: (field) => `bk-np-${field}`,
    read: (e): FieldErrors<NewPatientField> => {
      const all = patientFormErrors(e);
      const fields: Partial<Record<NewPatientField, string>> = {};
      const other = [...all.other];
      for (const [path, message] of Object.entries(all.fields) as Array<[FieldPath, string]>) {
        if ((newPatientFields as readonly string[]).includes(path)) fields[path as NewPatientField] = message;
        else other.push(`${fieldLabels[path]}: ${message}`);
      }
      return { fields, other };
    },
    focus: (form) => {
      const first = newPatientFields.find((f) => form.fields[f]);
      return first ? `#bk-np-${first}` : "#bk-np-problem";
    },
  });

  constructor() {
    super();
    this.location = undefined;
    this.zone = "UTC";
    this.therapists = [];
    this.types = [];
    this.reset();
  }

  private reset(): void {
    this.therapist = "";
    this.date = "";
    this.time = "";
    this.typeName = "";
    this.notes = "";
    this.query = "";
    this.results = [];
    this.searching = false;
    this.searchError = "";
    this.searched = false;
    this.patient = undefined;
    this.creating = false;
    this.newPatient = emptyNewPatient();
    this.newPatientForm.clear();
    this.booking = false;
    this.error = "";
    this.taken = false;
    this.requestId = newRequestId();
    this.lastBody = "";
    this.patientRequestId = newRequestId();
  }

  private get dialog(): HTMLDialogElement | null {
    return this.querySelector("dialog");
  }

  /** Opens the dialog for a slot: a therapist ("staff/…") and a wall start ("YYYY-MM-DDTHH:MM[:SS]"). */
  async open(slot: { therapist?: string; wallStart?: string }): Promise<void> {
    this.reset();
    this.therapist = slot.therapist ?? this.therapists[0]?.member.name ?? "";
    if (slot.wallStart) {
      this.date = slot.wallStart.slice(0, 10);
      this.time = slot.wallStart.slice(11, 16);
    }
    const fitting = this.fittingTypes();
    this.typeName = fitting.length === 1 ? fitting[0].name : "";
    await this.updateComplete;
    const d = this.dialog;
    if (d && !d.open) d.showModal();
    this.querySelector<HTMLElement>(this.typeName ? "#bk-patient-search" : "#bk-type")?.focus();
  }

  close(): void {
    this.dialog?.close();
  }

  private fittingTypes(): AppointmentType[] {
    const member = this.therapists.find((t) => t.member.name === this.therapist)?.member;
    return this.types.filter((t) => typeFits(t, member));
  }

  private async search(e?: Event): Promise<void> {
    e?.preventDefault();
    const q = classifySearch(this.query);
    if (q.kind === "all") {
      this.searchError = "Type a name, phone number or email to search.";
      return;
    }
    this.searching = true;
    this.searchError = "";
    try {
      const res = await patients.listPatients(
        {
          pageSize: 20,
          namePrefix: q.kind === "name" ? q.value : "",
          phone: q.kind === "phone" ? q.value : "",
          email: q.kind === "email" ? q.value : "",
        },
        { timeoutMs: callTimeoutMs },
      );
      this.results = res.patients;
      res.patients.forEach(rememberPatient);
      this.searched = true;
      if (res.patients.length === 1) this.patient = res.patients[0];
    } catch (err) {
      this.searchError = describeError(err);
    } finally {
      this.searching = false;
    }
  }

  private async createPatient(): Promise<void> {
    if (this.newPatientForm.busy) return;
    await this.newPatientForm.run(
      async () => {
        const values = { ...emptyValues(), ...this.newPatient };
        const created = await patients.createPatient(
          { patient: patientFromValues(values), requestId: this.patientRequestId },
          { timeoutMs: callTimeoutMs },
        );
        rememberPatient(created);
        this.patient = created;
        this.results = [created];
        this.creating = false;
        this.newPatient = emptyNewPatient();
        this.patientRequestId = newRequestId();
        await this.updateComplete;
        this.querySelector<HTMLElement>("#bk-chosen")?.focus();
      },
      {
        // A changed form is a new request.
        onError: () => {
          this.patientRequestId = newRequestId();
        },
      },
    );
  }

  /** The inline form's general problem: the errors at no field of it, or a pointer to the fields. */
  private newPatientProblem(): string {
    const form = this.newPatientForm;
    if (form.other.length) return form.other.join(" ");
    return form.hasErrors ? "The patient was not created: check the fields marked." : "";
  }

  private async book(e: Event): Promise<void> {
    e.preventDefault();
    if (this.booking || !this.location) return;
    this.error = "";
    this.taken = false;
    const wallStart = `${this.date}T${this.time}`;
    const missing: string[] = [];
    if (!this.therapist) missing.push("a therapist");
    if (!parseWall(wallStart)) missing.push("a date and time");
    if (!this.typeName) missing.push("an appointment type");
    if (!this.patient) missing.push("a patient (search, or create a new one)");
    if (missing.length) {
      this.error = `Choose ${missing.join(", ")}.`;
      await this.focusError();
      return;
    }
    const body = JSON.stringify([this.therapist, wallStart, this.typeName, this.patient!.name, this.notes.trim()]);
    if (body !== this.lastBody) {
      this.requestId = newRequestId();
      this.lastBody = body;
    }
    this.booking = true;
    try {
      const appt = await appointments.bookAppointment(
        bookRequest({
          patient: this.patient!.name,
          therapist: this.therapist,
          location: this.location.name,
          appointmentType: this.typeName,
          wallStart,
          zone: this.zone,
          notes: this.notes,
          requestId: this.requestId,
        }),
        { timeoutMs: callTimeoutMs },
      );
      this.dispatchEvent(new CustomEvent("booked", { detail: appt, bubbles: true }));
      this.close();
    } catch (err) {
      const code = ConnectError.from(err).code;
      const { message, taken } = bookingErrorMessage(err);
      // The server names therapists by resource name; show their names.
      this.error = this.therapists.reduce((text, t) => text.split(t.member.name).join(memberName(t.member)), message);
      this.taken = taken;
      // Only a lost answer is retried with the same request_id.
      if (code !== Code.Unavailable && code !== Code.DeadlineExceeded) this.lastBody = "";
      if (taken) this.dispatchEvent(new CustomEvent("slot-taken", { bubbles: true }));
      await this.focusError();
    } finally {
      this.booking = false;
    }
  }

  private async focusError(): Promise<void> {
    await this.updateComplete;
    this.querySelector<HTMLElement>("#bk-error")?.focus();
  }

  private newPatientInput(field: NewPatientField, type = "text", extra: { required?: boolean; hint?: string } = {}): TemplateResult {
    const id = `bk-np-${field}`;
    const aria = this.newPatientForm.aria(field, ...(extra.hint ? [`${id}-hint`] : []));
    return html`<div>
      <label for=${id}>${fieldLabels[field]}${extra.required ? html` <small>(required)</small>` : nothing}</label>
      <input
        id=${id}
        type=${type}
        autocomplete="off"
        ?required=${extra.required}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        .value=${this.newPatient[field]}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === "Enter") {
            e.preventDefault();
            void this.createPatient();
          }
        }}
        @input=${(e: Event) => {
          this.newPatient = { ...this.newPatient, [field]: (e.target as HTMLInputElement).value };
          this.newPatientForm.clearField(field);
        }}
      />
      ${this.newPatientForm.error(field)}
      ${extra.hint ? html`<small class="hint" id="${id}-hint">${extra.hint}</small>` : nothing}
    </div>`;
  }

  private patientSection(): TemplateResult {
    if (this.creating) {
      const problem = this.newPatientProblem();
      return html`<fieldset class="inline-new-patient">
        <legend><strong>New patient</strong></legend>
        ${problem ? html`<p class="notice error" role="alert" id="bk-np-problem" tabindex="-1">${problem}</p>` : nothing}
        <div class="grid">
          ${this.newPatientInput("given_name", "text", { required: true })} ${this.newPatientInput("family_name", "text", { required: true })}
        </div>
        ${this.newPatientInput("birth_date", "date", { required: true })}
        <div class="grid">
          ${this.newPatientInput("phone", "tel", { hint: "A phone number or an email." })} ${this.newPatientInput("email", "email")}
        </div>
        <div class="actions">
          <button type="button" ?disabled=${this.newPatientForm.busy} aria-busy=${this.newPatientForm.busy ? "true" : "false"} @click=${this.createPatient}>
            Create patient
          </button>
          <button type="button" class="secondary" @click=${() => (this.creating = false)}>Back to search</button>
        </div>
      </fieldset>`;
    }
    return html`<fieldset>
      <legend><strong>Patient</strong></legend>
      <label for="bk-patient-search">Find patient</label>
      <fieldset role="group">
        <input
          id="bk-patient-search"
          type="search"
          autocomplete="off"
          placeholder="Name, phone or email"
          aria-describedby=${this.searchError ? "bk-search-error" : nothing}
          .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === "Enter") void this.search(e);
          }}
        />
        <button type="button" class="secondary" ?disabled=${this.searching} aria-busy=${this.searching ? "true" : "false"} @click=${this.search}>
          Search
        </button>
      </fieldset>
      ${this.searchError ? html`<small class="field-error" id="bk-search-error" role="alert">${this.searchError}</small>` : nothing}
      <div role="status" aria-live="polite">
        ${this.searched && this.results.length === 0 && !this.patient ? html`<p>No patient found.</p>` : nothing}
      </div>
      ${this.results.length > 0
        ? html`<fieldset class="patient-results">
            <legend>Choose the patient</legend>
            ${this.results.map(
              (p) => html`<label>
                <input
                  type="radio"
                  name="bk-patient"
                  .checked=${this.patient?.name === p.name}
                  @change=${() => (this.patient = p)}
                />
                ${displayName(p) || p.name}
                <small class="muted">${p.birthDate ? `born ${p.birthDate.year}-${String(p.birthDate.month).padStart(2, "0")}-${String(p.birthDate.day).padStart(2, "0")}` : ""}
                  ${p.phone ? ` · ${p.phone}` : ""}${p.email ? ` · ${p.email}` : ""}</small>
              </label>`,
            )}
          </fieldset>`
        : nothing}
      ${this.patient
        ? html`<p id="bk-chosen" tabindex="-1"><strong>Patient:</strong> ${displayName(this.patient)}</p>`
        : nothing}
      <button
        type="button"
        class="secondary outline"
        @click=${async () => {
          this.creating = true;
          const words = this.query.trim().split(/\s+/);
          if (classifySearch(this.query).kind === "name" && !this.newPatient.given_name) {
            this.newPatient = { ...this.newPatient, given_name: words[0] ?? "", family_name: words.slice(1).join(" ") };
          }
          await this.updateComplete;
          this.querySelector<HTMLElement>("#bk-np-given_name")?.focus();
        }}
      >
        New patient…
      </button>
    </fieldset>`;
  }

  override render() {
    const loc = this.location;
    const fitting = this.fittingTypes();
    const wall = `${this.date}T${this.time}`;
    const validWall = !!parseWall(wall);
    const zoneLabel = validWall ? zoneAbbreviation(wallToMs(wall, this.zone), this.zone) : this.zone;
    return html`<dialog aria-labelledby="bk-title" @close=${() => this.dispatchEvent(new CustomEvent("dialog-closed"))}>
      <article>
        <header>
          <button type="button" rel="prev" aria-label="Close dialog" @click=${() => this.close()}></button>
          <h2 id="bk-title">Book appointment</h2>
          <p class="muted">
            ${loc?.displayName ?? ""}${validWall ? html` · ${describeWall(wall)} <abbr title=${this.zone}>${zoneLabel}</abbr>` : nothing}
          </p>
        </header>
        <form novalidate @submit=${this.book}>
          ${this.error
            ? html`<div class="notice error" role="alert" id="bk-error" tabindex="-1">
                <p>${this.error}</p>
                ${this.taken ? html`<p>The calendar was refreshed; choose another time.</p>` : nothing}
              </div>`
            : nothing}
          <div class="grid">
            <div>
              <label for="bk-therapist">Therapist</label>
              <select id="bk-therapist" @change=${(e: Event) => (this.therapist = (e.target as HTMLSelectElement).value)}>
                ${this.therapists.map(
                  (t) => html`<option value=${t.member.name} ?selected=${t.member.name === this.therapist}>${memberName(t.member)}</option>`,
                )}
              </select>
            </div>
            <div>
              <label for="bk-date">Date</label>
              <input id="bk-date" type="date" required .value=${this.date} @input=${(e: Event) => (this.date = (e.target as HTMLInputElement).value)} />
            </div>
            <div>
              <label for="bk-time">Time <small>(${this.zone})</small></label>
              <input
                id="bk-time"
                type="time"
                required
                step=${(loc?.slotMinutes || 15) * 60}
                .value=${this.time}
                @input=${(e: Event) => (this.time = (e.target as HTMLInputElement).value)}
              />
            </div>
          </div>
          <label for="bk-type">Appointment type</label>
          <select id="bk-type" required @change=${(e: Event) => (this.typeName = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.typeName}>Choose…</option>
            ${fitting.map(
              (t) =>
                html`<option value=${t.name} ?selected=${t.name === this.typeName} data-color=${validColor(t.color) ?? ""}>
                  ${t.displayName} (${durationMinutes(t.duration)} min)
                </option>`,
            )}
          </select>
          ${this.patientSection()}
          <label for="bk-notes">Notes <small>(optional)</small></label>
          <textarea id="bk-notes" rows="2" maxlength="2000" .value=${this.notes} @input=${(e: Event) => (this.notes = (e.target as HTMLTextAreaElement).value)}></textarea>
          <footer class="actions">
            <button type="submit" ?disabled=${this.booking} aria-busy=${this.booking ? "true" : "false"}>Book</button>
            <button type="button" class="secondary" @click=${() => this.close()}>Close</button>
          </footer>
        </form>
      </article>
    </dialog>`;
  }
}

customElements.define("booking-dialog", BookingDialog);
