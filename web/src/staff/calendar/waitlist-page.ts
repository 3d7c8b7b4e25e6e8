import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import "./calendar.css";
import type { AppointmentType, Location, WaitlistEntry } from "../../gen/clinic/appointments/v1/appointments_pb";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { appointmentTypes, appointments, callTimeoutMs, staff } from "../shared/api";
import { loadLocations } from "../shared/directory";
import { memberName } from "../account/auth-model";
import { LightElement, announcePage } from "../shared/light-element";
import { moreButton } from "../shared/more-button";
import { isKnownZone } from "../shared/tz";
import { allPages, loadPatientNames, patientName } from "./calendar-data";
import { calendarCallError, resourceId } from "./calendar-model";
import { listWaitlistRequest, removeQuestion, waitlistRow, type WaitlistRow } from "./waitlist-model";
import "../shared/no-access";
import "./waitlist-offers";

/**
 * <waitlist-page>: the waitlist at /staff/waitlist?location=<id>[&type=<id>]
 * (both kept in the URL), for the front desk and admins: choose a location
 * (and maybe a type); its entries in priority order (ListWaitlistEntries),
 * with the patient's name (a link to their record), the type, the
 * therapist wished for ("Anyone"), the latest date, the time of day, the
 * notes and when they were added; "Remove" asks first, then
 * DeleteWaitlistEntry. Entries are added from the booking dialog's
 * "Add to waitlist…". Below them, "Offers": the location's offers made from
 * freed times and their outcomes (<waitlist-offers>, ./waitlist-offers.ts).
 */
export class WaitlistPage extends LightElement {
  static override properties = {
    locationList: { state: true },
    locationName: { state: true },
    typeName: { state: true },
    types: { state: true },
    therapists: { state: true },
    entries: { state: true },
    nextPageToken: { state: true },
    loading: { state: true },
    error: { state: true },
    notice: { state: true },
    denied: { state: true },
    confirming: { state: true },
    removing: { state: true },
  };
  declare locationList: Location[];
  declare locationName: string;
  declare typeName: string;
  declare types: AppointmentType[];
  declare therapists: StaffMember[];
  declare entries: WaitlistEntry[];
  declare nextPageToken: string;
  declare loading: boolean;
  declare error: string;
  declare notice: string;
  declare denied: boolean;
  /** The entry whose removal is being asked about. */
  declare confirming: string;
  declare removing: boolean;

  private abort?: AbortController;
  private ready = false;

  constructor() {
    super();
    const q = new URLSearchParams(location.search);
    this.locationList = [];
    this.locationName = q.get("location") ? `locations/${q.get("location")}` : "";
    this.typeName = q.get("type") ? `appointmentTypes/${q.get("type")}` : "";
    this.types = [];
    this.therapists = [];
    this.entries = [];
    this.nextPageToken = "";
    this.loading = true;
    this.error = "";
    this.notice = "";
    this.denied = false;
    this.confirming = "";
    this.removing = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadAll();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Waitlist");
  }

  get currentLocation(): Location | undefined {
    return this.locationList.find((l) => l.name === this.locationName);
  }

  private get zone(): string {
    const z = this.currentLocation?.timeZone ?? "";
    return isKnownZone(z) ? z : "UTC";
  }

  /** Locations, types and therapists (for their names), then the entries. */
  private async loadAll(): Promise<void> {
    this.loading = true;
    this.error = "";
    try {
      const opts = { timeoutMs: callTimeoutMs };
      const [locs, types, therapists] = await Promise.all([
        loadLocations(),
        allPages(async (pageToken) => {
          const r = await appointmentTypes.listAppointmentTypes({ pageSize: 200, pageToken, showInactive: true }, opts);
          return { items: r.appointmentTypes, next: r.nextPageToken };
        }),
        allPages(async (pageToken) => {
          const r = await staff.listStaffMembers({ pageSize: 200, pageToken, role: StaffRole.THERAPIST }, opts);
          return { items: r.staffMembers, next: r.nextPageToken };
        }),
      ]);
      this.locationList = locs;
      this.types = types;
      this.therapists = therapists;
      if (!locs.some((l) => l.name === this.locationName)) this.locationName = locs[0]?.name ?? "";
      if (this.typeName && !types.some((t) => t.name === this.typeName)) this.typeName = "";
      this.ready = true;
      this.syncUrl();
      await this.loadEntries();
    } catch (err) {
      this.fail(err, "The waitlist could not be loaded.");
      this.loading = false;
    }
  }

  private fail(err: unknown, fallback: string): void {
    const e = ConnectError.from(err);
    if (e.code === Code.Canceled) return;
    if (e.code === Code.PermissionDenied) this.denied = true;
    else this.error = calendarCallError(e, fallback);
  }

  /** The entries of the location (and type), from the first page, or the next page after `pageToken`. */
  private async loadEntries(pageToken = ""): Promise<void> {
    if (!this.locationName) {
      this.entries = [];
      this.loading = false;
      return;
    }
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    try {
      const res = await appointments.listWaitlistEntries(listWaitlistRequest(this.locationName, this.typeName, pageToken), {
        signal: abort.signal,
        timeoutMs: callTimeoutMs,
      });
      await loadPatientNames(
        res.entries.map((e) => e.patient),
        abort.signal,
      );
      if (abort.signal.aborted) return;
      this.entries = pageToken ? [...this.entries, ...res.entries] : res.entries;
      this.nextPageToken = res.nextPageToken;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.fail(err, "The waitlist could not be loaded.");
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private syncUrl(): void {
    const q = new URLSearchParams();
    if (this.locationName) q.set("location", resourceId(this.locationName));
    if (this.typeName) q.set("type", resourceId(this.typeName));
    const url = `/staff/waitlist${q.size ? `?${q}` : ""}`;
    if (location.pathname + location.search !== url) history.replaceState(null, "", url);
  }

  private setLocation(name: string): void {
    this.locationName = name;
    this.confirming = "";
    this.notice = "";
    this.syncUrl();
    void this.loadEntries();
  }

  private setType(name: string): void {
    this.typeName = name;
    this.confirming = "";
    this.notice = "";
    this.syncUrl();
    void this.loadEntries();
  }

  private rows(): WaitlistRow[] {
    const typeById = new Map(this.types.map((t) => [t.name, t.displayName]));
    const therapistById = new Map(this.therapists.map((m) => [m.name, memberName(m)]));
    return this.entries.map((e) =>
      waitlistRow(e, { patient: patientName, type: (n) => typeById.get(n), therapist: (n) => therapistById.get(n) }, this.zone),
    );
  }

  private async askRemove(row: WaitlistRow): Promise<void> {
    this.confirming = row.name;
    this.notice = "";
    await this.updateComplete;
    this.querySelector<HTMLElement>(`[data-confirm="${CSS.escape(row.name)}"] button`)?.focus();
  }

  private async keep(row: WaitlistRow): Promise<void> {
    this.confirming = "";
    await this.updateComplete;
    this.querySelector<HTMLElement>(`[data-remove="${CSS.escape(row.name)}"]`)?.focus();
  }

  private async removeEntry(row: WaitlistRow): Promise<void> {
    if (this.removing) return;
    this.removing = true;
    this.error = "";
    try {
      await appointments.deleteWaitlistEntry({ name: row.name }, { timeoutMs: callTimeoutMs });
      this.confirming = "";
      this.notice = `${row.patientName} (${row.typeName}) was removed from the waitlist.`;
      await this.loadEntries();
    } catch (err) {
      const e = ConnectError.from(err);
      if (e.code === Code.NotFound) {
        // Removed meanwhile (or matched and booked): the list shows it is gone.
        this.confirming = "";
        this.notice = `${row.patientName} (${row.typeName}) is no longer on the waitlist.`;
        await this.loadEntries();
      } else {
        this.fail(e, "The entry was not removed. Try again.");
      }
    } finally {
      this.removing = false;
    }
    await this.updateComplete;
    this.querySelector<HTMLElement>(this.error ? "#wl-error" : "#wl-notice")?.focus();
  }

  private table(rows: WaitlistRow[]) {
    return html`<div class="overflow-auto">
      <table class="striped" id="wl-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Patient</th>
            <th scope="col">Type</th>
            <th scope="col">Therapist</th>
            <th scope="col">Latest date</th>
            <th scope="col">Time of day</th>
            <th scope="col">Notes</th>
            <th scope="col">Added</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r, i) => html`<tr data-entry=${r.name}>
              <td>${i + 1}</td>
              <th scope="row"><a href="/staff/patients/${encodeURIComponent(resourceId(r.patient))}">${r.patientName}</a></th>
              <td>${r.typeName}</td>
              <td>${r.therapistName}</td>
              <td>${r.latestDate}</td>
              <td>${r.timeOfDay}</td>
              <td class="notes">${r.notes}</td>
              <td>${r.added}</td>
              <td>
                ${this.confirming === r.name
                  ? html`<div class="confirm-remove" data-confirm=${r.name} role="group" aria-label=${removeQuestion(r)}>
                      <span>${removeQuestion(r)}</span>
                      <button type="button" class="contrast" ?disabled=${this.removing} aria-busy=${this.removing ? "true" : "false"} @click=${() => this.removeEntry(r)}>
                        Yes, remove
                      </button>
                      <button type="button" class="secondary" @click=${() => this.keep(r)}>Keep</button>
                    </div>`
                  : html`<button
                      type="button"
                      class="secondary outline"
                      data-remove=${r.name}
                      aria-label="Remove ${r.patientName} (${r.typeName}) from the waitlist"
                      @click=${() => this.askRemove(r)}
                    >
                      Remove
                    </button>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    const loc = this.currentLocation;
    const rows = this.rows();
    return html`
      <h1>Waitlist</h1>
      <p class="muted">
        Patients waiting for an earlier slot, highest priority first. Add a patient from the calendar's booking dialog ("Add to
        waitlist…").
      </p>
      <form class="waitlist-controls" @submit=${(e: Event) => e.preventDefault()}>
        <div>
          <label for="wl-location">Location</label>
          <select id="wl-location" ?disabled=${this.locationList.length === 0} @change=${(e: Event) => this.setLocation((e.target as HTMLSelectElement).value)}>
            ${this.locationList.map((l) => html`<option value=${l.name} ?selected=${l.name === this.locationName}>${l.displayName}</option>`)}
          </select>
        </div>
        <div>
          <label for="wl-type">Appointment type</label>
          <select id="wl-type" @change=${(e: Event) => this.setType((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.typeName}>All types</option>
            ${this.types.map((t) => html`<option value=${t.name} ?selected=${t.name === this.typeName}>${t.displayName}</option>`)}
          </select>
        </div>
      </form>
      ${this.error
        ? html`<div class="notice error" role="alert" id="wl-error" tabindex="-1">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => (this.ready ? this.loadEntries() : this.loadAll())}>Try again</button>
          </div>`
        : nothing}
      <div role="status" aria-live="polite" id="wl-notice" tabindex="-1">
        ${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}
      </div>
      ${this.loading && this.entries.length === 0
        ? html`<p aria-busy="true">Loading…</p>`
        : !loc && this.ready
          ? html`<p>No locations yet.</p>`
          : rows.length === 0
            ? html`<p id="wl-empty">Nobody is on the waitlist at ${loc?.displayName ?? "this location"}${this.typeName ? " for this type" : ""}.</p>`
            : html`<h2 class="visually-hidden">${loc?.displayName ?? ""}</h2>
                ${this.table(rows)} ${moreButton(this.nextPageToken, this.loading, (token) => void this.loadEntries(token))}`}
      ${this.ready && loc
        ? html`<waitlist-offers
            .location=${loc.name}
            .locationLabel=${loc.displayName}
            .appointmentType=${this.typeName}
            .zone=${this.zone}
            .typeNames=${new Map(this.types.map((t) => [t.name, t.displayName]))}
            .therapistNames=${new Map(this.therapists.map((m) => [m.name, memberName(m)]))}
          ></waitlist-offers>`
        : nothing}
    `;
  }
}

customElements.define("waitlist-page", WaitlistPage);
