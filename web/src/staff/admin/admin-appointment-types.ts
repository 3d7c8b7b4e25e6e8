import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppointmentType } from "../../gen/clinic/appointments/v1/appointments_pb";
import { appointmentTypes, callTimeoutMs } from "../shared/api";
import {
  checkTypeForm,
  emptyTypeForm,
  reminderLeadListWords,
  reminderLeadOptions,
  typeFields,
  typeForm,
  typeFromForm,
  typeMask,
  type TypeField,
  type TypeForm,
} from "./admin-model";
import { allPages } from "../calendar/calendar-data";
import { durationMinutes, resourceId, validColor } from "../calendar/calendar-model";
import { describeCallError } from "../shared/errors";
import { FormState } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { navigate, takeFlash } from "../router";
import "../shared/no-access";
import "./admin.css";

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
                      ${reminderLeadListWords(t.reminderLead) ? html`<small class="reminder-lead">${reminderLeadListWords(t.reminderLead)}</small>` : nothing}
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
  reminder_lead: "Reminder before the visit",
};

/** <appointment-type-editor>: create (typeId "new") or edit an appointment type. */
export class AppointmentTypeEditor extends LightElement {
  static override properties = {
    typeId: { type: String },
    type: { state: true },
    values: { state: true },
    notice: { state: true },
    loadError: { state: true },
    denied: { state: true },
  };
  declare typeId: string;
  declare type: AppointmentType | undefined;
  declare values: TypeForm;
  declare notice: string;
  declare loadError: string;
  declare denied: boolean;

  /** Saving, and the errors of the last try. */
  private form = new FormState<TypeField>(this, {
    fields: typeFields,
    prefixes: ["appointment_type."],
    idOf: (field) => `type-${field}`,
    summaryId: "type-problems",
    describe: (e) =>
      e.code === Code.Aborted ? "Someone else changed this appointment type; reload to see their changes." : describeCallError(e),
  });

  private original: TypeForm = emptyTypeForm();
  private loadedId?: string;
  private requestId = newRequestId();

  constructor() {
    super();
    this.typeId = "new";
    this.type = undefined;
    this.values = emptyTypeForm();
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
      if (this.isNew) this.values = this.original = emptyTypeForm();
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
    this.values = typeForm(t);
  }

  private set<K extends TypeField>(key: K, value: TypeForm[K]): void {
    this.values = { ...this.values, [key]: value };
    this.form.clearField(key);
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (this.form.busy) return;
    this.notice = "";
    const check = checkTypeForm(this.values);
    if (Object.keys(check).length) {
      await this.form.show({ fields: check, other: [] });
      return;
    }
    await this.form.run(
      async () => {
        if (this.isNew) {
          const created = await appointmentTypes.createAppointmentType(
            { appointmentType: typeFromForm(this.values), requestId: this.requestId },
            { timeoutMs: callTimeoutMs },
          );
          navigate(`/staff/admin/appointment-types/${encodeURIComponent(resourceId(created.name))}`, { flash: "Appointment type created." });
          return;
        }
        const paths = typeMask(this.original, this.values);
        if (paths.length === 0) {
          this.notice = "Nothing to save: no field was changed.";
          return;
        }
        const t = typeFromForm(this.values);
        t.name = this.type!.name;
        t.etag = this.type!.etag;
        const updated = await appointmentTypes.updateAppointmentType({ appointmentType: t, updateMask: { paths } }, { timeoutMs: callTimeoutMs });
        this.show(updated);
        this.notice = "Saved. Existing appointments keep their times.";
      },
      {
        onError: () => {
          if (this.isNew) this.requestId = newRequestId();
        },
      },
    );
  }

  private numberField(field: TypeField, min: number, max: number, hint = ""): TemplateResult {
    const id = `type-${field}`;
    const aria = this.form.aria(field, ...(hint ? [`${id}-hint`] : []));
    return html`<div>
      <label for=${id}>${labels[field]}</label>
      <input id=${id} type="number" inputmode="numeric" min=${min} max=${max} step="1"
        aria-invalid=${aria.invalid} aria-describedby=${aria.describedBy}
        .value=${String(this.values[field])} @input=${(e: Event) => this.set(field, (e.target as HTMLInputElement).value as never)} />
      ${this.form.error(field)}
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
    const f = this.values;
    const err = (field: TypeField) => this.form.error(field);
    const inv = (field: TypeField) => this.form.aria(field).invalid;
    const desc = (field: TypeField) => this.form.aria(field).describedBy;
    const lead = this.form.aria("reminder_lead", "type-reminder_lead-hint");
    return html`
      <p><a href="/staff/admin/appointment-types">← Appointment types</a></p>
      <h1>${this.isNew ? "New appointment type" : this.type!.displayName}</h1>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${this.form.summary(this.isNew ? "The appointment type was not created." : "The changes were not saved.", labels)}
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
          aria-describedby=${this.form.aria("allowed_credentials", "type-allowed_credentials-hint").describedBy}
          .value=${f.allowed_credentials} @input=${(e: Event) => this.set("allowed_credentials", (e.target as HTMLInputElement).value)} />
        ${err("allowed_credentials")}
        <small class="hint" id="type-allowed_credentials-hint">E.g. "PT, DPT": any one suffices. Empty: any therapist.</small>
        <fieldset>
          <legend><strong>Online booking</strong></legend>
          <label>
            <input id="type-bookable_online" type="checkbox" role="switch" aria-invalid=${inv("bookable_online")} aria-describedby=${desc("bookable_online")} .checked=${f.bookable_online} @change=${(e: Event) => this.set("bookable_online", (e.target as HTMLInputElement).checked)} />
            ${labels.bookable_online}
          </label>
          ${err("bookable_online")}
          <div class="grid">${this.numberField("min_notice", 0, 525600, "E.g. 120 = two hours.")} ${this.numberField("max_days_ahead", 1, 365)}</div>
        </fieldset>
        <label for="type-color">Calendar colour</label>
        <input id="type-color" type="color" aria-invalid=${inv("color")} aria-describedby=${desc("color")}
          .value=${f.color} @input=${(e: Event) => this.set("color", (e.target as HTMLInputElement).value)} />
        ${err("color")}
        <div class="reminder-lead-field">
          <label for="type-reminder_lead">${labels.reminder_lead}</label>
          <select id="type-reminder_lead" aria-invalid=${lead.invalid} aria-describedby=${lead.describedBy}
            @change=${(e: Event) => this.set("reminder_lead", (e.target as HTMLSelectElement).value)}>
            ${reminderLeadOptions(f.reminder_lead, "type").map(
              ([value, words]) => html`<option value=${value} ?selected=${value === f.reminder_lead}>${words}</option>`,
            )}
          </select>
          ${err("reminder_lead")}
          <small class="hint" id="type-reminder_lead-hint">Location’s setting: each location’s choice applies (24 hours when it has none).</small>
        </div>
        <div class="actions">
          <button type="submit" ?disabled=${this.form.busy} aria-busy=${this.form.busy ? "true" : "false"}>${this.isNew ? "Create appointment type" : "Save changes"}</button>
          <a href="/staff/admin/appointment-types">Cancel</a>
        </div>
      </form>
    `;
  }
}

customElements.define("admin-appointment-types", AdminAppointmentTypes);
customElements.define("appointment-type-editor", AppointmentTypeEditor);
