import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AuditEvent } from "../../gen/clinic/audit/v1/audit_pb";
import { callTimeoutMs, patients, staff } from "../shared/api";
import { memberName } from "../account/auth-model";
import {
  auditRequestFilters,
  checkAuditFilters,
  emptyAuditFilters,
  filtersFromSearch,
  filtersToSearch,
  formatLocalTime,
  outcomeWords,
  roleWords,
  shortAction,
  type AuditFilters,
} from "./audit-model";
import { describeCallError } from "../shared/errors";
import { ariaDescribedBy, ariaInvalid, fieldErrorText } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { onRouteChange } from "../router";
import "../shared/no-access";
import { moreButton } from "../shared/more-button";

const pageSize = 100;
type FilterKey = keyof AuditFilters;

const filterLabels: Record<FilterKey, string> = {
  resource: "Patient",
  actor: "Staff member",
  from: "From",
  to: "To (included)",
};

/**
 * <audit-trail>: Admin → Audit trail: PatientService.ListPatientAuditEvents,
 * newest first, filtered by patient, staff member and dates (kept in the
 * URL), with "More".
 */
export class AuditTrail extends LightElement {
  static override properties = {
    filters: { state: true },
    filterErrors: { state: true },
    events: { state: true },
    nextPageToken: { state: true },
    loading: { state: true },
    error: { state: true },
    denied: { state: true },
    staffNames: { state: true },
  };
  declare filters: AuditFilters;
  declare filterErrors: Partial<Record<FilterKey, string>>;
  declare events: AuditEvent[];
  declare nextPageToken: string;
  declare loading: boolean;
  declare error: string;
  declare denied: boolean;
  /** "staff/{id}" -> "Ann Lee", to show names instead of ids. */
  declare staffNames: Map<string, string>;

  /** The filters of the events shown (what "More" continues). */
  private applied: AuditFilters = emptyAuditFilters();
  private abort?: AbortController;
  private unsubscribe?: () => void;

  constructor() {
    super();
    this.filters = filtersFromSearch(location.search);
    this.filterErrors = {};
    this.events = [];
    this.nextPageToken = "";
    this.loading = false;
    this.error = "";
    this.denied = false;
    this.staffNames = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
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
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Audit trail");
  }

  private async loadStaffNames(): Promise<void> {
    try {
      const names = new Map<string, string>();
      let pageToken = "";
      for (let i = 0; i < 5; i++) {
        const res = await staff.listStaffMembers(
          { pageSize: 200, pageToken, showDeactivated: true },
          { timeoutMs: callTimeoutMs },
        );
        for (const m of res.staffMembers) names.set(m.name, memberName(m));
        pageToken = res.nextPageToken;
        if (!pageToken) break;
      }
      this.staffNames = names;
    } catch {
      // Ids are shown instead.
    }
  }

  private async load(pageToken = ""): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    if (!pageToken) this.applied = { ...this.filters };
    this.loading = true;
    this.error = "";
    try {
      const res = await patients.listPatientAuditEvents(
        { pageSize, pageToken, ...auditRequestFilters(this.applied) },
        { signal: abort.signal, timeoutMs: callTimeoutMs },
      );
      if (abort.signal.aborted) return;
      this.events = pageToken ? [...this.events, ...res.auditEvents] : res.auditEvents;
      this.nextPageToken = res.nextPageToken;
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      if (e.code === Code.PermissionDenied) {
        this.denied = true;
        return;
      }
      this.error = describeCallError(e);
      if (!pageToken) {
        this.events = [];
        this.nextPageToken = "";
      }
    } finally {
      if (this.abort === abort) this.loading = false;
    }
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
    this.filters = emptyAuditFilters();
    this.filterErrors = {};
    history.pushState(null, "", "/staff/admin/audit");
    void this.load();
  }

  /** Shows only this actor's or resource's events (a link in the table). */
  private filterBy(e: Event, key: "actor" | "resource", value: string): void {
    e.preventDefault();
    this.filters = { ...emptyAuditFilters(), from: this.filters.from, to: this.filters.to, [key]: value };
    this.filterErrors = {};
    history.pushState(null, "", "/staff/admin/audit" + filtersToSearch(this.filters));
    void this.load();
    this.querySelector<HTMLElement>("#audit-status")?.focus();
  }

  private field(key: FilterKey, type: string, hint?: string, list?: string) {
    const id = `audit-${key}`;
    const error = this.filterErrors[key];
    return html`<div>
      <label for=${id}>${filterLabels[key]}</label>
      <input
        id=${id}
        name=${key}
        type=${type}
        autocomplete="off"
        spellcheck="false"
        list=${list ?? nothing}
        aria-invalid=${ariaInvalid(error)}
        aria-describedby=${ariaDescribedBy(id, error, ...(hint ? [`${id}-hint`] : []))}
        .value=${this.filters[key]}
        @input=${(e: Event) => this.setFilter(key, (e.target as HTMLInputElement).value)}
      />
      ${fieldErrorText(id, error)}
      ${hint ? html`<small class="hint" id="${id}-hint">${hint}</small>` : nothing}
    </div>`;
  }

  private actorCell(actor: string) {
    const name = this.staffNames.get(actor);
    if (!actor.startsWith("staff/")) return html`${actor}`;
    return html`<a
      href="/staff/admin/audit${filtersToSearch({ ...emptyAuditFilters(), actor })}"
      title="Only events by ${name ?? actor} (${actor})"
      @click=${(e: Event) => this.filterBy(e, "actor", actor)}
      >${name ?? actor}</a
    >`;
  }

  private resourceCell(ev: AuditEvent) {
    const r = ev.resource;
    const more = ev.resources.length;
    const isPatient = /^patients\/[^/]+$/.test(r);
    return html`${isPatient
        ? html`<a
            href="/staff/admin/audit${filtersToSearch({ ...emptyAuditFilters(), resource: r })}"
            title="Only events about this patient"
            @click=${(e: Event) => this.filterBy(e, "resource", r)}
            >${r}</a
          ><br /><small><a href="/staff/patients/${encodeURIComponent(r.slice("patients/".length))}">open patient</a></small>`
        : html`<span>${r}</span>`}${more > 0
        ? html`<br /><small>${more} result${more === 1 ? "" : "s"}</small>`
        : nothing}`;
  }

  private row(ev: AuditEvent) {
    const t = formatLocalTime(ev.eventTime);
    const ok = ev.outcome === "OK" || ev.outcome === "";
    return html`<tr>
      <td class="nowrap"><time datetime=${t.iso}>${t.text}</time></td>
      <td>${this.actorCell(ev.actor)}</td>
      <td>${ev.actorRoles.map(roleWords).join(", ")}</td>
      <td><span title=${ev.action}>${shortAction(ev.action)}</span></td>
      <td>${this.resourceCell(ev)}</td>
      <td><span class="badge ${ok ? "" : "bad"}">${outcomeWords(ev.outcome)}</span></td>
      <td><code>${ev.requestId}</code></td>
      <td class="nowrap">${ev.clientAddress}</td>
    </tr>`;
  }

  private describeApplied(): string {
    const f = this.applied;
    const parts: string[] = [];
    if (f.resource) parts.push(`about ${f.resource}`);
    if (f.actor) parts.push(`by ${this.staffNames.get(f.actor) ?? f.actor}`);
    if (f.from) parts.push(`from ${f.from}`);
    if (f.to) parts.push(`until ${f.to}`);
    return parts.length ? ` (${parts.join(", ")})` : "";
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    const count = this.events.length;
    const actors = [...this.staffNames.entries()].sort((a, b) => a[1].localeCompare(b[1]));
    return html`
      <h1>Audit trail</h1>
      <p>Every read and change of patient information, newest first. Times are local.</p>
      <search aria-label="Audit events">
        <form @submit=${this.onSubmit} novalidate>
          <div class="grid">
            ${this.field("resource", "text", "“patients/…” or just the id.")}
            ${this.field("actor", "text", actors.length ? "“staff/…”, or pick from the list." : "“staff/…” or just the id.", actors.length ? "audit-actors" : undefined)}
          </div>
          ${actors.length
            ? html`<datalist id="audit-actors">
                ${actors.map(([name, label]) => html`<option value=${name}>${label}</option>`)}
              </datalist>`
            : nothing}
          <div class="grid">${this.field("from", "date")} ${this.field("to", "date")}</div>
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
      <p role="status" aria-live="polite" id="audit-status" tabindex="-1">
        ${this.loading
          ? "Loading…"
          : `${count === 0 ? "No events" : `${count}${this.nextPageToken ? "+" : ""} event${count === 1 ? "" : "s"}`}${this.describeApplied()}.`}
      </p>
      ${count > 0
        ? html`<div class="overflow-auto">
            <table class="striped audit" aria-describedby="audit-status">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Roles</th>
                  <th scope="col">Action</th>
                  <th scope="col">Resource</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Request id</th>
                  <th scope="col">Client address</th>
                </tr>
              </thead>
              <tbody>
                ${this.events.map((ev) => this.row(ev))}
              </tbody>
            </table>
          </div>`
        : nothing}
      ${moreButton(this.nextPageToken, this.loading, (t) => this.load(t))}
    `;
  }
}

customElements.define("audit-trail", AuditTrail);
