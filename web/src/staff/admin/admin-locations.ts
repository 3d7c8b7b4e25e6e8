import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import { callTimeoutMs, locations } from "../shared/api";
import {
  checkLocationForm,
  emptyLocationForm,
  locationFields,
  locationForm,
  locationFromForm,
  languageOptions,
  locationMask,
  reminderLeadListWords,
  reminderLeadOptions,
  slotMinuteChoices,
  type LocationField,
  type LocationForm,
} from "./admin-model";
import { allPages } from "../calendar/calendar-data";
import { resourceId, timeOfDayToHhmm, weekdayNames, dayName } from "../calendar/calendar-model";
import { describeCallError } from "../shared/errors";
import { FormState } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { navigate, takeFlash } from "../router";
import { isKnownZone } from "../shared/tz";
import "../shared/no-access";
import "./admin.css";

/** Every IANA zone this browser knows (the select's options), with `current` kept even if it is an alias. */
export function zoneChoices(current: string): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  if (!zones.includes("UTC")) zones = [...zones, "UTC"];
  if (current && !zones.includes(current)) zones = [current, ...zones];
  return zones;
}

/** <admin-locations>: Admin → Locations: the list. */
export class AdminLocations extends LightElement {
  static override properties = {
    list: { state: true },
    loading: { state: true },
    error: { state: true },
    denied: { state: true },
    notice: { state: true },
  };
  declare list: Location[];
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
    announcePage(this, "Locations");
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.error = "";
    try {
      this.list = await allPages(async (pageToken) => {
        const r = await locations.listLocations({ pageSize: 200, pageToken }, { timeoutMs: callTimeoutMs });
        return { items: r.locations, next: r.nextPageToken };
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
        <h1>Locations</h1>
        <a href="/staff/admin/locations/new" class="button-link">New location</a>
      </div>
      <div role="status" aria-live="polite">
        ${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}
        ${this.loading ? html`<p aria-busy="true">Loading…</p>` : this.list.length === 0 ? html`<p>No locations yet.</p>` : nothing}
      </div>
      ${this.error ? html`<div class="notice error" role="alert"><p>${this.error}</p><button type="button" class="secondary" @click=${() => this.load()}>Try again</button></div>` : nothing}
      ${this.list.length
        ? html`<div class="overflow-auto">
            <table class="striped">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Time zone</th>
                  <th scope="col" class="hide-narrow">Opening hours</th>
                  <th scope="col" class="hide-narrow">Slots</th>
                </tr>
              </thead>
              <tbody>
                ${this.list.map(
                  (l) => html`<tr>
                    <th scope="row">
                      <a href="/staff/admin/locations/${encodeURIComponent(resourceId(l.name))}">${l.displayName}</a>
                      ${reminderLeadListWords(l.reminderLead) ? html`<small class="reminder-lead">${reminderLeadListWords(l.reminderLead)}</small>` : nothing}
                    </th>
                    <td>${l.timeZone}</td>
                    <td class="hide-narrow">
                      ${l.openingHours.length
                        ? l.openingHours.map((h) => html`${dayName(h.day).slice(0, 3)} ${timeOfDayToHhmm(h.open)}–${timeOfDayToHhmm(h.close)}<br />`)
                        : "—"}
                    </td>
                    <td class="hide-narrow">${l.slotMinutes} min</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        : nothing}
    `;
  }
}

const labels: Record<LocationField, string> = {
  display_name: "Name",
  address_lines: "Address",
  phone: "Phone",
  time_zone: "Time zone",
  opening_hours: "Opening hours",
  closures: "Closures",
  slot_minutes: "Slot grid",
  language: "Language of patient emails",
  reminder_lead: "Reminder before the visit",
};

/** <location-editor>: create (locationId "new") or edit a location. */
export class LocationEditor extends LightElement {
  static override properties = {
    locationId: { type: String },
    loc: { state: true },
    values: { state: true },
    loading: { state: true },
    notice: { state: true },
    loadError: { state: true },
    denied: { state: true },
  };
  declare locationId: string;
  declare loc: Location | undefined;
  declare values: LocationForm;
  declare loading: boolean;
  declare notice: string;
  declare loadError: string;
  declare denied: boolean;

  /** Saving, and the errors of the last try. */
  private form = new FormState<LocationField>(this, {
    fields: locationFields,
    prefixes: ["location."],
    idOf: (field) => `loc-${field}`,
    summaryId: "loc-problems",
    describe: (e) =>
      e.code === Code.Aborted ? "Someone else changed this location; reload to see their changes." : describeCallError(e),
  });
  private original: LocationForm = emptyLocationForm();
  private loadedId?: string;
  private requestId = newRequestId();

  constructor() {
    super();
    this.locationId = "new";
    this.loc = undefined;
    this.values = emptyLocationForm();
    this.loading = false;
    this.notice = "";
    this.loadError = "";
    this.denied = false;
  }

  private get isNew(): boolean {
    return this.locationId === "new";
  }

  protected override willUpdate(): void {
    if (this.locationId !== this.loadedId) {
      this.loadedId = this.locationId;
      this.notice = takeFlash();
      if (this.isNew) {
        this.values = emptyLocationForm();
        this.values.time_zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
        this.original = this.values;
      } else {
        void this.load();
      }
    }
  }

  protected override firstUpdated(): void {
    if (this.isNew) announcePage(this, "New location");
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.loadError = "";
    try {
      const l = await locations.getLocation({ name: `locations/${this.locationId}` }, { timeoutMs: callTimeoutMs });
      this.show(l);
      await this.updateComplete;
      announcePage(this, l.displayName || "Location");
    } catch (err) {
      const e = ConnectError.from(err);
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.loadError = e.code === Code.NotFound || e.code === Code.InvalidArgument ? "No such location." : describeCallError(e);
    } finally {
      this.loading = false;
    }
  }

  private show(l: Location): void {
    this.loc = l;
    this.original = locationForm(l);
    this.values = locationForm(l);
  }

  private set<K extends keyof LocationForm>(key: K, value: LocationForm[K]): void {
    this.values = { ...this.values, [key]: value };
    this.form.clearField(key as LocationField);
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (this.form.busy) return;
    this.notice = "";
    const check = checkLocationForm(this.values, isKnownZone);
    if (Object.keys(check).length) {
      await this.form.show({ fields: check, other: [] });
      return;
    }
    await this.form.run(
      async () => {
        if (this.isNew) {
          const created = await locations.createLocation(
            { location: locationFromForm(this.values), requestId: this.requestId },
            { timeoutMs: callTimeoutMs },
          );
          navigate(`/staff/admin/locations/${encodeURIComponent(resourceId(created.name))}`, { flash: "Location created." });
          return;
        }
        const current = this.loc!;
        const paths = locationMask(this.original, this.values);
        if (paths.length === 0) {
          this.notice = "Nothing to save: no field was changed.";
          return;
        }
        const location = locationFromForm(this.values);
        location.name = current.name;
        location.etag = current.etag;
        const updated = await locations.updateLocation({ location, updateMask: { paths } }, { timeoutMs: callTimeoutMs });
        this.show(updated);
        this.notice = "Saved.";
      },
      {
        onError: () => {
          if (this.isNew) this.requestId = newRequestId();
        },
      },
    );
  }

  private problems(): TemplateResult | typeof nothing {
    const reload = this.form.conflict
      ? html`<button type="button" class="secondary" @click=${() => this.load()}>Reload</button>`
      : nothing;
    return this.form.summary(this.isNew ? "The location was not created." : "The changes were not saved.", labels, reload);
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    if (!this.isNew && !this.loc) {
      return html`<p><a href="/staff/admin/locations">← Locations</a></p>
        <h1>Location</h1>
        ${this.loadError ? html`<div class="notice error" role="alert"><p>${this.loadError}</p></div>` : html`<p aria-busy="true">Loading…</p>`}`;
    }
    const f = this.values;
    const tz = this.form.aria("time_zone");
    const name = this.form.aria("display_name");
    const hoursAria = this.form.aria("opening_hours");
    const lead = this.form.aria("reminder_lead", "loc-reminder_lead-hint");
    return html`
      <p><a href="/staff/admin/locations">← Locations</a></p>
      <h1>${this.isNew ? "New location" : this.loc!.displayName}</h1>
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${this.problems()}
      <form novalidate @submit=${this.save}>
        <label for="loc-display_name">Name <small>(required)</small></label>
        <input id="loc-display_name" maxlength="100" required aria-invalid=${name.invalid} aria-describedby=${name.describedBy}
          .value=${f.display_name} @input=${(e: Event) => this.set("display_name", (e.target as HTMLInputElement).value)} />
        ${this.form.error("display_name")}
        <label for="loc-address_lines">Address <small>(one line per line, up to 4)</small></label>
        <textarea id="loc-address_lines" rows="3" aria-invalid=${this.form.aria("address_lines").invalid} aria-describedby=${this.form.aria("address_lines").describedBy}
          .value=${f.address_lines} @input=${(e: Event) => this.set("address_lines", (e.target as HTMLTextAreaElement).value)}></textarea>
        ${this.form.error("address_lines")}
        <div class="grid">
          <div>
            <label for="loc-phone">Phone</label>
            <input id="loc-phone" type="tel" maxlength="32" aria-invalid=${this.form.aria("phone").invalid} aria-describedby=${this.form.aria("phone").describedBy}
              .value=${f.phone} @input=${(e: Event) => this.set("phone", (e.target as HTMLInputElement).value)} />
            ${this.form.error("phone")}
          </div>
          <div>
            <label for="loc-time_zone">Time zone <small>(required)</small></label>
            <select id="loc-time_zone" aria-invalid=${tz.invalid} aria-describedby=${tz.describedBy}
              @change=${(e: Event) => this.set("time_zone", (e.target as HTMLSelectElement).value)}>
              ${zoneChoices(f.time_zone).map((z) => html`<option value=${z} ?selected=${z === f.time_zone}>${z}</option>`)}
            </select>
            ${this.form.error("time_zone")}
          </div>
          <div>
            <label for="loc-slot_minutes">Slot grid</label>
            <select id="loc-slot_minutes" aria-invalid=${this.form.aria("slot_minutes").invalid} aria-describedby=${this.form.aria("slot_minutes").describedBy}
              @change=${(e: Event) => this.set("slot_minutes", (e.target as HTMLSelectElement).value)}>
              ${slotMinuteChoices.map((m) => html`<option value=${String(m)} ?selected=${String(m) === f.slot_minutes}>every ${m} minutes</option>`)}
            </select>
            ${this.form.error("slot_minutes")}
          </div>
          <div>
            <label for="loc-language">Language of patient emails</label>
            <select id="loc-language" aria-invalid=${this.form.aria("language").invalid} aria-describedby=${this.form.aria("language").describedBy}
              @change=${(e: Event) => this.set("language", (e.target as HTMLSelectElement).value)}>
              ${languageOptions(f.language).map(
                ([code, name]) => html`<option value=${code} lang=${code} ?selected=${code === f.language}>${name}</option>`,
              )}
            </select>
            ${this.form.error("language")}
          </div>
        </div>
        <div class="reminder-lead-field">
          <label for="loc-reminder_lead">${labels.reminder_lead}</label>
          <select id="loc-reminder_lead" aria-invalid=${lead.invalid} aria-describedby=${lead.describedBy}
            @change=${(e: Event) => this.set("reminder_lead", (e.target as HTMLSelectElement).value)}>
            ${reminderLeadOptions(f.reminder_lead, "location").map(
              ([value, words]) => html`<option value=${value} ?selected=${value === f.reminder_lead}>${words}</option>`,
            )}
          </select>
          ${this.form.error("reminder_lead")}
          <small class="hint" id="loc-reminder_lead-hint">When patients of this location get their reminder email. An appointment type can set its own.</small>
        </div>
        <fieldset id="loc-opening_hours" aria-describedby=${hoursAria.describedBy}>
          <legend><strong>Opening hours</strong> <small class="muted">(local time; leave both empty when closed)</small></legend>
          ${this.form.error("opening_hours")}
          <table class="hours-table">
            <thead><tr><th scope="col">Day</th><th scope="col">Opens</th><th scope="col">Closes</th></tr></thead>
            <tbody>
              ${weekdayNames.map(([day, dayLabel]) => {
                const h = f.opening_hours[day] ?? { open: "", close: "" };
                const setHours = (key: "open" | "close", value: string) =>
                  this.set("opening_hours", { ...f.opening_hours, [day]: { ...h, [key]: value } });
                return html`<tr>
                  <th scope="row">${dayLabel}</th>
                  <td><input type="time" aria-label="${dayLabel} opens" .value=${h.open} @input=${(e: Event) => setHours("open", (e.target as HTMLInputElement).value)} /></td>
                  <td><input type="time" aria-label="${dayLabel} closes" .value=${h.close} @input=${(e: Event) => setHours("close", (e.target as HTMLInputElement).value)} /></td>
                </tr>`;
              })}
            </tbody>
          </table>
        </fieldset>
        <fieldset id="loc-closures" aria-describedby=${this.form.aria("closures").describedBy}>
          <legend><strong>Closures</strong> <small class="muted">(holidays: no appointments are offered)</small></legend>
          ${this.form.error("closures")}
          ${f.closures.map(
            (c, i) => html`<div class="grid closure-row">
              <input type="date" aria-label="Closure ${i + 1} date" .value=${c.date}
                @input=${(e: Event) => this.set("closures", f.closures.map((x, j) => (j === i ? { ...x, date: (e.target as HTMLInputElement).value } : x)))} />
              <input type="text" maxlength="100" aria-label="Closure ${i + 1} reason" placeholder="Reason, e.g. Thanksgiving" .value=${c.reason}
                @input=${(e: Event) => this.set("closures", f.closures.map((x, j) => (j === i ? { ...x, reason: (e.target as HTMLInputElement).value } : x)))} />
              <button type="button" class="secondary outline" aria-label="Remove closure ${i + 1}" @click=${() => this.set("closures", f.closures.filter((_, j) => j !== i))}>Remove</button>
            </div>`,
          )}
          <button type="button" class="secondary" @click=${() => this.set("closures", [...f.closures, { date: "", reason: "" }])}>Add closure</button>
        </fieldset>
        <div class="actions">
          <button type="submit" ?disabled=${this.form.busy || this.loading} aria-busy=${this.form.busy ? "true" : "false"}>
            ${this.isNew ? "Create location" : "Save changes"}
          </button>
          <a href="/staff/admin/locations">Cancel</a>
        </div>
      </form>
    `;
  }
}

customElements.define("admin-locations", AdminLocations);
customElements.define("location-editor", LocationEditor);
