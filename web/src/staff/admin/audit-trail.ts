import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AuditEvent, ListAuditEventsResponse } from "../../gen/clinic/audit/v1/audit_pb";
import { appointments, callTimeoutMs, patients } from "../shared/api";
import { memberName } from "../account/auth-model";
import {
  actorWords,
  auditRequestFilters,
  auditSources,
  auditTime,
  checkAuditFilters,
  describeAction,
  describeFilters,
  emptyAuditFilters,
  eventSubject,
  filtersFromSearch,
  filtersToSearch,
  mergeTrails,
  outcomeOk,
  outcomeWords,
  practiceZone,
  resultsText,
  zoneName,
  roleWords,
  sourced,
  type AuditFilters,
  type AuditSource,
  type SourcedEvent,
  type TrailState,
} from "./audit-model";
import { loadLocations } from "../shared/directory";
import { describeCallError } from "../shared/errors";
import { ariaDescribedBy, ariaInvalid, fieldErrorText } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { onRouteChange } from "../router";
import { knownPatientLabel, loadPatientLabels, loadStaffMembers } from "../shared/pickers/names";
import type { PickDetail } from "../shared/pickers/picker-model";
import type { PickerCombobox } from "../shared/pickers/combobox";
import "../shared/pickers/patient-picker";
import "../shared/pickers/staff-picker";
import "../shared/no-access";
import "./admin.css";

/** Events read from each trail per page. */
const pageSize = 50;
type FilterKey = keyof AuditFilters;

const filterLabels: Record<FilterKey, string> = {
  resource: "Patient",
  actor: "Staff member",
  from: "From",
  to: "To (included)",
};

const trailNames: Record<AuditSource, string> = {
  patients: "patient records",
  appointments: "appointments",
};

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * <audit-trail>: Admin → Audit trail: PatientService.ListPatientAuditEvents
 * and AppointmentService.ListAppointmentAuditEvents merged newest first,
 * filtered by patient (patient picker), staff member (staff picker) and days
 * (kept in the URL), with "More". Events read as "who did what to whom":
 * names, plain actions, local times, outcomes in words; request ids and
 * addresses are in each row's details.
 */
export class AuditTrail extends LightElement {
  static override properties = {
    filters: { state: true },
    filterErrors: { state: true },
    trails: { state: true },
    failures: { state: true },
    loading: { state: true },
    error: { state: true },
    denied: { state: true },
    staffNames: { state: true },
    zone: { state: true },
    zoneIsPractice: { state: true },
    namesVersion: { state: true },
  };
  declare filters: AuditFilters;
  declare filterErrors: Partial<Record<FilterKey, string>>;
  /** What has been read of each trail. */
  declare trails: Partial<Record<AuditSource, TrailState>>;
  /** A trail that could not be read, in words (the other is still shown). */
  declare failures: Partial<Record<AuditSource, string>>;
  declare loading: boolean;
  /** Neither trail could be read. */
  declare error: string;
  declare denied: boolean;
  /** "staff/{id}" -> "Ann Lee". */
  declare staffNames: Map<string, string>;
  /** The time zone times are shown in (the practice's). */
  declare zone: string;
  /** Whether `zone` is the practice's (its locations'), not just the browser's. */
  declare zoneIsPractice: boolean;
  /** Bumped when patients' names arrive, to show them. */
  declare namesVersion: number;

  /** The filters of the events shown (what "More" continues). */
  private applied: AuditFilters = emptyAuditFilters();
  /** Names of the pickers' choices, as picked (saves reading them again). */
  private pickedActorLabel = "";
  private abort?: AbortController;
  private namesAbort?: AbortController;
  private unsubscribe?: () => void;
  private zoneReady: Promise<string> = Promise.resolve(browserZone);

  constructor() {
    super();
    this.filters = filtersFromSearch(location.search);
    this.filterErrors = {};
    this.trails = {};
    this.failures = {};
    this.loading = false;
    this.error = "";
    this.denied = false;
    this.staffNames = new Map();
    this.zone = browserZone;
    this.zoneIsPractice = false;
    this.namesVersion = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.zoneReady = loadLocations()
      .then((list) => {
        const zone = practiceZone(list.map((l) => l.timeZone), "");
        this.zoneIsPractice = zone !== "";
        this.zone = zone || browserZone;
        return this.zone;
      })
      .catch(() => browserZone);
    this.filterErrors = checkAuditFilters(this.filters);
    if (Object.keys(this.filterErrors).length === 0) void this.load();
    void this.loadStaffNames();
    // Back and forward between filtered views.
    this.unsubscribe = onRouteChange(() => {
      if (location.pathname !== "/staff/admin/audit") return;
      const filters = filtersFromSearch(location.search);
      if (filtersToSearch(filters) === filtersToSearch(this.applied)) return;
      this.filters = filters;
      this.filterErrors = checkAuditFilters(filters);
      if (Object.keys(this.filterErrors).length === 0) void this.load();
    });
  }

  override disconnectedCallback(): void {
    this.unsubscribe?.();
    this.abort?.abort();
    this.namesAbort?.abort();
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Audit trail");
  }

  private async loadStaffNames(): Promise<void> {
    try {
      const members = await loadStaffMembers(true);
      this.staffNames = new Map(members.map((m) => [m.name, memberName(m)]));
    } catch {
      // Shown as "A staff member" instead.
    }
  }

  /** One page of a trail; empty pages that still have a next one are skipped. */
  private async readPage(source: AuditSource, pageToken: string, signal: AbortSignal): Promise<TrailState> {
    const request = { pageSize, pageToken, ...auditRequestFilters(this.applied, this.zone) };
    const options = { signal, timeoutMs: callTimeoutMs };
    let token = pageToken;
    for (let i = 0; i < 5; i++) {
      const res: ListAuditEventsResponse =
        source === "patients"
          ? await patients.listPatientAuditEvents({ ...request, pageToken: token }, options)
          : await appointments.listAppointmentAuditEvents({ ...request, pageToken: token }, options);
      if (res.auditEvents.length > 0 || !res.nextPageToken) return { events: sourced(source, res.auditEvents), next: res.nextPageToken };
      token = res.nextPageToken;
    }
    return { events: [], next: "" };
  }

  /** Reads the first page of both trails (a new search), or the next page of `more`. */
  private async load(more?: AuditSource[]): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const fresh = !more;
    if (fresh) {
      this.applied = { ...this.filters };
      this.namesAbort?.abort();
    }
    this.loading = true;
    this.error = "";
    await this.zoneReady;
    if (abort.signal.aborted) return;
    const sources = more ?? [...auditSources];
    const trails = fresh ? {} : { ...this.trails };
    const failures = fresh ? {} : { ...this.failures };
    try {
      const results = await Promise.allSettled(
        sources.map((s) => this.readPage(s, fresh ? "" : (this.trails[s]?.next ?? ""), abort.signal)),
      );
      if (abort.signal.aborted) return;
      let denied = false;
      results.forEach((r, i) => {
        const source = sources[i];
        if (r.status === "fulfilled") {
          trails[source] = { events: [...(trails[source]?.events ?? []), ...r.value.events], next: r.value.next };
          delete failures[source];
          return;
        }
        const e = ConnectError.from(r.reason);
        if (e.code === Code.PermissionDenied) denied = true;
        // The trail stops here; what was read of it stays.
        trails[source] = { events: trails[source]?.events ?? [], next: "" };
        failures[source] =
          e.code === Code.Unimplemented
            ? `The ${trailNames[source]}' events are not available on this server yet.`
            : `The ${trailNames[source]}' events could not be read: ${describeCallError(e)}`;
      });
      if (denied) {
        this.denied = true;
        return;
      }
      if (fresh && auditSources.every((s) => failures[s])) {
        this.error = "The audit trail could not be read. " + auditSources.map((s) => failures[s]).join(" ");
        this.trails = {};
        this.failures = {};
        return;
      }
      this.trails = trails;
      this.failures = failures;
      void this.loadNames();
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  /** Reads the names of the patients shown that are not known yet, then shows them. */
  private async loadNames(): Promise<void> {
    this.namesAbort?.abort();
    const abort = new AbortController();
    this.namesAbort = abort;
    const wanted = mergeTrails(this.trails).shown.flatMap((e) => eventSubject(e.event, this.applied.resource).patients);
    const unknown = wanted.filter((n) => knownPatientLabel(n) === undefined);
    if (unknown.length === 0) return;
    await loadPatientLabels(unknown, abort.signal);
    if (!abort.signal.aborted) this.namesVersion++;
  }

  private setFilter(key: FilterKey, value: string): void {
    this.filters = { ...this.filters, [key]: value };
    if (this.filterErrors[key]) {
      const errors = { ...this.filterErrors };
      delete errors[key];
      this.filterErrors = errors;
    }
  }

  private async onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    this.filterErrors = checkAuditFilters(this.filters);
    // A name typed but not chosen from the list is not a filter yet: say so rather than show everyone's events.
    const typed = (tag: string) => this.querySelector<PickerCombobox>(tag)?.unchosenText ?? "";
    if (!this.filters.resource && typed("patient-picker")) {
      this.filterErrors = { ...this.filterErrors, resource: "choose a patient from the list, or clear the field" };
    }
    if (!this.filters.actor && typed("staff-picker")) {
      this.filterErrors = { ...this.filterErrors, actor: "choose a staff member from the list, or clear the field" };
    }
    const bad = Object.keys(this.filterErrors) as FilterKey[];
    if (bad.length > 0) {
      await this.updateComplete;
      this.querySelector<HTMLElement>(`#audit-${bad[0]}`)?.focus();
      return;
    }
    const url = "/staff/admin/audit" + filtersToSearch(this.filters);
    if (url !== location.pathname + location.search) history.pushState(null, "", url);
    void this.load();
  }

  private clear(): void {
    for (const picker of this.querySelectorAll<PickerCombobox>("patient-picker, staff-picker")) picker.reset();
    this.filters = emptyAuditFilters();
    this.filterErrors = {};
    history.pushState(null, "", "/staff/admin/audit");
    void this.load();
  }

  /** Shows only this actor's or patient's events (a link in the table). */
  private filterBy(e: Event, key: "actor" | "resource", value: string): void {
    e.preventDefault();
    this.filters = { ...emptyAuditFilters(), from: this.filters.from, to: this.filters.to, [key]: value };
    this.filterErrors = {};
    history.pushState(null, "", "/staff/admin/audit" + filtersToSearch(this.filters));
    void this.load();
    this.querySelector<HTMLElement>("#audit-status")?.focus();
  }

  private dateField(key: "from" | "to") {
    const id = `audit-${key}`;
    const error = this.filterErrors[key];
    return html`<div>
      <label for=${id}>${filterLabels[key]}</label>
      <input
        id=${id}
        name=${key}
        type="date"
        aria-invalid=${ariaInvalid(error)}
        aria-describedby=${ariaDescribedBy(id, error)}
        .value=${this.filters[key]}
        @input=${(e: Event) => this.setFilter(key, (e.target as HTMLInputElement).value)}
      />
      ${fieldErrorText(id, error)}
    </div>`;
  }

  private patientLabel(name: string): string {
    return knownPatientLabel(name) ?? "A patient";
  }

  private actorCell(ev: AuditEvent) {
    const actor = ev.actor;
    const name = actorWords(actor, this.staffNames);
    const roles = ev.actorRoles.map(roleWords).join(", ");
    const who = actor.startsWith("staff/")
      ? html`<a
          href="/staff/admin/audit${filtersToSearch({ ...emptyAuditFilters(), actor })}"
          title="Only events by ${name}"
          @click=${(e: Event) => this.filterBy(e, "actor", actor)}
          >${name}</a
        >`
      : html`${name}`;
    return html`${who}${roles ? html`<small class="muted audit-roles">${roles}</small>` : nothing}`;
  }

  private patientLink(name: string) {
    const label = this.patientLabel(name);
    return html`<a
      href="/staff/admin/audit${filtersToSearch({ ...emptyAuditFilters(), resource: name })}"
      title="Only events about ${label}"
      @click=${(e: Event) => this.filterBy(e, "resource", name)}
      >${label}</a
    >`;
  }

  private patientCell(ev: AuditEvent) {
    const subject = eventSubject(ev, this.applied.resource);
    const names = subject.patients.map((n, i) => html`${i > 0 ? ", " : ""}${this.patientLink(n)}`);
    const more = subject.more > 0 ? html`${names.length ? " " : ""}and ${subject.more} more` : nothing;
    const results =
      subject.results !== undefined
        ? html`${names.length ? html`<br /><small class="muted">among ${resultsText(subject.results)}</small>` : resultsText(subject.results)}`
        : nothing;
    return names.length || subject.more || subject.results !== undefined ? html`${names}${more}${results}` : html`<span class="muted">—</span>`;
  }

  private detailsCell(e: SourcedEvent) {
    const ev = e.event;
    const records = eventSubject(ev, this.applied.resource).patients;
    return html`<details class="audit-details">
      <summary>Details</summary>
      <dl>
        <dt>Recorded by</dt>
        <dd>${e.source === "patients" ? "Patient records" : "Appointments"}</dd>
        ${ev.requestId ? html`<dt>Request</dt><dd><code>${ev.requestId}</code></dd>` : nothing}
        ${ev.clientAddress ? html`<dt>From address</dt><dd>${ev.clientAddress}</dd>` : nothing}
      </dl>
      ${records.map(
        (n) => html`<p><a href="/staff/patients/${encodeURIComponent(n.slice("patients/".length))}">Open ${this.patientLabel(n)}’s record</a></p>`,
      )}
    </details>`;
  }

  private row(e: SourcedEvent) {
    const ev = e.event;
    const t = auditTime(ev.eventTime, this.zone);
    const ok = outcomeOk(ev.outcome);
    return html`<tr>
      <td><time datetime=${t.iso}><span class="audit-date">${t.date}</span> <span class="audit-clock">${t.time}</span></time></td>
      <td>${this.actorCell(ev)}</td>
      <td>${describeAction(ev.action)}</td>
      <td>${this.patientCell(ev)}</td>
      <td><span class="badge ${ok ? "" : "bad"}">${outcomeWords(ev.outcome)}</span></td>
      <td>${this.detailsCell(e)}</td>
    </tr>`;
  }

  private zoneWords(): string {
    const name = zoneName(this.zone);
    return this.zoneIsPractice ? `Times are the clinic’s local time (${name}).` : `Times are this computer’s local time (${name}).`;
  }

  private describeApplied(): string {
    const f = this.applied;
    const words = describeFilters(f, {
      patient: f.resource ? knownPatientLabel(f.resource) : undefined,
      actor: f.actor ? (this.staffNames.get(f.actor) ?? (this.pickedActorLabel || undefined)) : undefined,
    });
    return words ? ` (${words})` : "";
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    const { shown, more } = mergeTrails(this.trails);
    const count = shown.length;
    const failures = auditSources.map((s) => this.failures[s]).filter(Boolean);
    return html`
      <h1>Audit trail</h1>
      <p>Every read and change of patient records and appointments, newest first. ${this.zoneWords()}</p>
      <search aria-label="Audit events">
        <form @submit=${this.onSubmit} novalidate>
          <div class="grid">
            <patient-picker
              inputId="audit-resource"
              label=${filterLabels.resource}
              includeArchived
              .value=${this.filters.resource}
              .valueLabel=${this.filters.resource ? (knownPatientLabel(this.filters.resource) ?? "") : ""}
              .error=${this.filterErrors.resource ?? ""}
              hint="Type a name, a date of birth or the last digits of a phone number."
              @pick=${(e: CustomEvent<PickDetail>) => this.setFilter("resource", e.detail.value)}
            ></patient-picker>
            <staff-picker
              inputId="audit-actor"
              label=${filterLabels.actor}
              includeDeactivated
              .value=${this.filters.actor}
              .valueLabel=${this.staffNames.get(this.filters.actor) ?? ""}
              .error=${this.filterErrors.actor ?? ""}
              hint="Type a name."
              @pick=${(e: CustomEvent<PickDetail>) => {
                this.pickedActorLabel = e.detail.label;
                this.setFilter("actor", e.detail.value);
              }}
            ></staff-picker>
          </div>
          <div class="grid">${this.dateField("from")} ${this.dateField("to")}</div>
          <div class="actions">
            <button type="submit">Show events</button>
            <button type="button" class="secondary" @click=${this.clear}>Clear filters</button>
          </div>
        </form>
      </search>
      ${this.error
        ? html`<div class="notice error" role="alert">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
          </div>`
        : nothing}
      ${failures.length && !this.error
        ? html`<div class="notice error" role="alert">
            ${failures.map((f) => html`<p>${f}</p>`)}
            <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
          </div>`
        : nothing}
      <p role="status" aria-live="polite" id="audit-status" tabindex="-1">
        ${this.loading
          ? "Loading…"
          : `${count === 0 ? "No events" : `${count}${more.length ? "+" : ""} event${count === 1 ? "" : "s"}`}${this.describeApplied()}.`}
      </p>
      ${count > 0
        ? html`<div class="audit-scroll">
            <table class="striped audit-table" aria-describedby="audit-status">
              <thead>
                <tr>
                  <th scope="col" class="audit-col-time">Time</th>
                  <th scope="col" class="audit-col-who">Who</th>
                  <th scope="col" class="audit-col-action">Action</th>
                  <th scope="col" class="audit-col-patient">Patient</th>
                  <th scope="col" class="audit-col-outcome">Outcome</th>
                  <th scope="col" class="audit-col-details">Details</th>
                </tr>
              </thead>
              <tbody>
                ${shown.map((e) => this.row(e))}
              </tbody>
            </table>
          </div>`
        : nothing}
      ${more.length
        ? html`<button type="button" class="secondary" ?disabled=${this.loading} aria-busy=${this.loading ? "true" : "false"} @click=${() => this.load(more)}>
            More
          </button>`
        : nothing}
    `;
  }
}

customElements.define("audit-trail", AuditTrail);
