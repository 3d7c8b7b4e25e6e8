import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppointmentType } from "../../gen/clinic/appointments/v1/appointments_pb";
import { appointmentTypes, callTimeoutMs } from "../shared/api";
import {
  checkTypeForm,
  emptyTypeForm,
  typeFields,
  typeForm,
  typeFromForm,
  typeMask,
  type TypeField,
  type TypeForm,
} from "./admin-model";
import { allPages } from "../calendar/calendar-data";
import { durationMinutes, resourceId, validColor } from "../calendar/calendar-model";
import { describeCallError, parseFieldErrors } from "../shared/form-errors";
import { LightElement, announcePage } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { navigate, takeFlash } from "../router";
import "../shared/no-access";

/** Colours swatches through the CSSOM (a style="" attribute is refused by the CSP). */
export function paintSwatches(root: Element): void {
  for (const el of root.querySelectorAll<HTMLElement>(".swatch[data-color]")) {
    if (el.dataset.color) el.style.backgroundColor = el.dataset.color;
  }
}

/** <admin-appointment-types>: Admin → Appointment types: the list. */
export class AdminAppointmentTypes extends LightElement {
  static override properties = {
    list: { state: true },
    loading: { state: true },
    error: { state: true },
    denied: { state: true },
    notice: { state: true },
  };
  declare list: AppointmentType[];
  declare loading: boolean;
  declare error: string;
  declare denied: boolean;
  declare notice: string;

  constructor() {
    super();
    this.list = [];
    this.loading = true;
    this.error = "";
    this.denied = false;
    this.notice = takeFlash();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Appointment types");
  }

  protected override updated(): void {
    paintSwatches(this);
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.error = "";
    try {
      this.list = await allPages(async (pageToken) => {
        const r = await appointmentTypes.listAppointmentTypes({ pageSize: 200, pageToken, showInactive: true }, { timeoutMs: callTimeoutMs });
        return { items: r.appointmentTypes, next: r.nextPageToken };
      });
    } catch (err) {
      const e = ConnectError.from(err);
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.error = describeCallError(e);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    return html`
      <div class="toolbar">
        <h1>Appointment types</h1>
        <a href="/staff/admin/appointment-types/new" class="button-link">New appointment type</a>
      </div>
      <div role="status" aria-live="polite">
        ${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}
        ${this.loading ? html`<p aria-busy="true">Loading…</p>` : this.list.length === 0 ? html`<p>No appointment types yet.</p>` : nothing}
      </div>
      ${this.error ? html`<div class="notice error" role="alert"><p>${this.error}</p></div>` : nothing}
      ${this.list.length
        ? html`<div class="overflow-auto">
            <table class="striped">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Duration</th>
                  <th scope="col" class="hide-narrow">Buffers</th>
                  <th scope="col" class="hide-narrow">Credentials</th>
                  <th scope="col" class="hide-narrow">Online</th>
                </tr>
              </thead>
              <tbody>
                ${this.list.map(
                  (t) => html`<tr>
                    <th scope="row">
                      <span class="swatch" data-color=${validColor(t.color) ?? ""}></span>
                      <a href="/staff/admin/appointment-types/${encodeURIComponent(resourceId(t.name))}">${t.displayName}</a>
                      ${t.active ? nothing : html` <span class="badge">retired</span>`}
                    </th>
                    <td>${durationMinutes(t.duration)} min</td>
                    <td class="hide-narrow">${durationMinutes(t.bufferBefore)} / ${durationMinutes(t.bufferAfter)} min</td>
                    <td class="hide-narrow">${t.allowedCredentials.join(", ") || "any"}</td>
                    <td class="hide-narrow">${t.bookableOnline ? `yes (${t.maxDaysAhead} days ahead)` : "no"}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : nothing}
    `;
  }
}

const labels: Record<TypeField, string> = {
  display_name: "Name",
  duration: "Duration (minutes)",
  buffer_before: "Buffer before (minutes)",
  buffer_after: "Buffer after (minutes)",
  allowed_credentials: "Allowed credentials",
  bookable_online: "Patients may book it online",
  min_notice: "Minimum notice for online booking (minutes)",
  max_days_ahead: "Online booking up to (days ahead)",
  color: "Calendar colour",
};

/** <appointment-type-editor>: create (typeId "new") or edit an appointment type. */
export class AppointmentTypeEditor extends LightElement {
  static override properties = {
    typeId: { type: String },
    type: { state: true },
    form: { state: true },
    saving: { state: true },
    errors: { state: true },
    other: { state: true },
    notice: { state: true },
    loadError: { state: true },
    denied: { state: true },
  };
  declare typeId: string;
  declare type: AppointmentType | undefined;
  declare form: TypeForm;
  declare saving: boolean;
  declare errors: Partial<Record<TypeField, string>>;
  declare other: string[];
  declare notice: string;
  declare loadError: string;
  declare denied: boolean;

  private original: TypeForm = emptyTypeForm();
  private loadedId?: string;
  private requestId = newRequestId();

  constructor() {
    super();
    this.typeId = "new";
    this.type = undefined;
    this.form = emptyTypeForm();
    this.saving = false;
    this.errors = {};
    this.other = [];
    this.notice = "";
    this.loadError = "";
    this.denied = false;
  }

  private get isNew(): boolean {
    return this.typeId === "new";
  }

  protected override willUpdate(): void {
    if (this.typeId !== this.loadedId) {
      this.loadedId = this.typeId;
      this.notice = takeFlash();
      if (this.isNew) this.form = this.original = emptyTypeForm();
      else void this.load();
    }
  }

  protected override firstUpdated(): void {
    if (this.isNew) announcePage(this, "New appointment type");
  }

  private async load(): Promise<void> {
    this.loadError = "";
    try {
      const t = await appointmentTypes.getAppointmentType({ name: `appointmentTypes/${this.typeId}` }, { timeoutMs: callTimeoutMs });
      this.show(t);
      await this.updateComplete;
      announcePage(this, t.displayName || "Appointment type");
    } catch (err) {
      const e = ConnectError.from(err);
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.loadError = e.code === Code.NotFound || e.code === Code.InvalidArgument ? "No such appointment type." : describeCallError(e);
    }
  }

  private show(t: AppointmentType): void {
    this.type = t;
    this.original = typeForm(t);
    this.form = typeForm(t);
  }

  private set<K extends TypeField>(key: K, value: TypeForm[K]): void {
    this.form = { ...this.form, [key]: value };
    if (this.errors[key]) {
      const rest = { ...this.errors };
      delete rest[key];
      this.errors = rest;
    }
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (this.saving) return;
    this.notice = "";
    this.other = [];
    this.errors = checkTypeForm(this.form);
    if (Object.keys(this.errors).length) {
      await this.updateComplete;
      this.querySelector<HTMLElement>("#type-problems")?.focus();
      return;
    }
    this.saving = true;
    try {
      if (this.isNew) {
        const created = await appointmentTypes.createAppointmentType(
          { appointmentType: typeFromForm(this.form), requestId: this.requestId },
          { timeoutMs: callTimeoutMs },
        );
        navigate(`/staff/admin/appointment-types/${encodeURIComponent(resourceId(created.name))}`, { flash: "Appointment type created." });
        return;
      }
      const paths = typeMask(this.original, this.form);
      if (paths.length === 0) {
        this.notice = "Nothing to save: no field was changed.";
        return;
      }
      const t = typeFromForm(this.form);
      t.name = this.type!.name;
      t.etag = this.type!.etag;
      const updated = await appointmentTypes.updateAppointmentType({ appointmentType: t, updateMask: { paths } }, { timeoutMs: callTimeoutMs });
      this.show(updated);
      this.notice = "Saved. Existing appointments keep their times.";
    } catch (err) {
      const ce = ConnectError.from(err);
      if (ce.code === Code.InvalidArgument) {
        const parsed = parseFieldErrors(ce.rawMessage, typeFields, ["appointment_type."]);
        this.errors = parsed.fields;
        this.other = parsed.other;
      } else if (ce.code === Code.Aborted) {
        this.other = ["Someone else changed this appointment type; reload to see their changes."];
      } else {
        this.other = [describeCallError(ce)];
      }
      if (this.isNew) this.requestId = newRequestId();
      await this.updateComplete;
      this.querySelector<HTMLElement>("#type-problems")?.focus();
    } finally {
      this.saving = false;
    }
  }

  private numberField(field: TypeField, min: number, max: number, hint = ""): TemplateResult {
    const id = `type-${field}`;
    const error = this.errors[field];
    const describedBy = [error ? `${id}-error` : "", hint ? `${id}-hint` : ""].filter(Boolean).join(" ");
    return html`<div>
      <label for=${id}>${labels[field]}</label>
      <input id=${id} type="number" inputmode="numeric" min=${min} max=${max} step="1"
        aria-invalid=${error ? "true" : nothing} aria-describedby=${describedBy || nothing}
        .value=${String(this.form[field])} @input=${(e: Event) => this.set(field, (e.target as HTMLInputElement).value as never)} />
      ${error ? html`<small class="field-error" id="${id}-error">${error}</small>` : nothing}
      ${hint ? html`<small class="hint" id="${id}-hint">${hint}</small>` : nothing}
    </div>`;
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    if (!this.isNew && !this.type) {
      return html`<p><a href="/staff/admin/appointment-types">← Appointment types</a></p>
        <h1>Appointment type</h1>
        ${this.loadError ? html`<div class="notice error" role="alert"><p>${this.loadError}</p></div>` : html`<p aria-busy="true">Loading…</p>`}`;
    }
    const f = this.form;
    const fieldErrors = Object.entries(this.errors) as Array<[TypeField, string]>;
    const err = (field: TypeField) =>
      this.errors[field] ? html`<small class="field-error" id="type-${field}-error">${this.errors[field]}</small>` : nothing;
    const inv = (field: TypeField) => (this.errors[field] ? "true" : nothing);
    const desc = (field: TypeField) => (this.errors[field] ? `type-${field}-error` : nothing);
    return html`
      <p><a href="/staff/admin/appointment-types">← Appointment types</a></p>
      <h1>${this.isNew ? "New appointment type" : this.type!.displayName}</h1>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${fieldErrors.length || this.other.length
        ? html`<div class="notice error" role="alert" id="type-problems" tabindex="-1">
            <p><strong>${this.isNew ? "The appointment type was not created." : "The changes were not saved."}</strong></p>
            <ul>${fieldErrors.map(([k, m]) => html`<li>${labels[k]}: ${m}</li>`)} ${this.other.map((m) => html`<li>${m}</li>`)}</ul>
          </div>`
        : nothing}
      <form novalidate @submit=${this.save}>
        <label for="type-display_name">Name <small>(required)</small></label>
        <input id="type-display_name" maxlength="100" required aria-invalid=${inv("display_name")} aria-describedby=${desc("display_name")}
          .value=${f.display_name} @input=${(e: Event) => this.set("display_name", (e.target as HTMLInputElement).value)} />
        ${err("display_name")}
        <div class="grid">
          ${this.numberField("duration", 5, 480)} ${this.numberField("buffer_before", 0, 120)} ${this.numberField("buffer_after", 0, 120)}
        </div>
        <label for="type-allowed_credentials">Allowed credentials</label>
        <input id="type-allowed_credentials" aria-invalid=${inv("allowed_credentials")}
          aria-describedby=${[this.errors.allowed_credentials ? "type-allowed_credentials-error" : "", "type-allowed_credentials-hint"].filter(Boolean).join(" ")}
          .value=${f.allowed_credentials} @input=${(e: Event) => this.set("allowed_credentials", (e.target as HTMLInputElement).value)} />
        ${err("allowed_credentials")}
        <small class="hint" id="type-allowed_credentials-hint">E.g. "PT, DPT": any one suffices. Empty: any therapist.</small>
        <fieldset>
          <legend><strong>Online booking</strong></legend>
          <label>
            <input type="checkbox" role="switch" .checked=${f.bookable_online} @change=${(e: Event) => this.set("bookable_online", (e.target as HTMLInputElement).checked)} />
            ${labels.bookable_online}
          </label>
          <div class="grid">${this.numberField("min_notice", 0, 525600, "E.g. 120 = two hours.")} ${this.numberField("max_days_ahead", 1, 365)}</div>
        </fieldset>
        <label for="type-color">Calendar colour</label>
        <input id="type-color" type="color" aria-invalid=${inv("color")} aria-describedby=${desc("color")}
          .value=${f.color} @input=${(e: Event) => this.set("color", (e.target as HTMLInputElement).value)} />
        ${err("color")}
        <div class="actions">
          <button type="submit" ?disabled=${this.saving} aria-busy=${this.saving ? "true" : "false"}>${this.isNew ? "Create appointment type" : "Save changes"}</button>
          <a href="/staff/admin/appointment-types">Cancel</a>
        </div>
      </form>
    `;
  }
}

customElements.define("admin-appointment-types", AdminAppointmentTypes);
customElements.define("appointment-type-editor", AppointmentTypeEditor);
