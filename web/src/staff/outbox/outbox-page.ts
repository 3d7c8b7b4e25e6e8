import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Message } from "../../gen/clinic/notifications/v1/notifications_pb";
import { practiceZone, zoneName } from "../admin/audit-model";
import { loadLocations } from "../shared/directory";
import { callTimeoutMs } from "../shared/api";
import { LightElement, announcePage } from "../shared/light-element";
import { moreButton } from "../shared/more-button";
import { knownPatientLabel, loadPatientLabels } from "../shared/pickers/names";
import type { PickDetail } from "../shared/pickers/picker-model";
import type { PickerCombobox } from "../shared/pickers/combobox";
import { notifications } from "./outbox-api";
import {
  deal,
  emptyWords,
  filtersFromSearch,
  filtersToSearch,
  listMessagesRequest,
  messageRow,
  outboxCallError,
  stateChoices,
  unknownPatients,
  type MessageRow,
  type OutboxFilters,
} from "./outbox-model";
import "../shared/pickers/patient-picker";
import "../shared/no-access";
import "./outbox.css";

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** How many patients' names are read at once. */
const nameLanes = 3;

/**
 * <outbox-page>: the messages to patients at /staff/outbox?state=<state>&patient=<id>
 * (both kept in the address), for the front desk and admins:
 * NotificationService.ListMessages newest first, "More"; each message's
 * time in the practice's zone, the patient's name (GetPatient, a few at a
 * time, remembered), its kind, recipient, subject and delivery in words, and
 * "Show message": the text as it was sent and its calendar file's main facts.
 */
export class OutboxPage extends LightElement {
  static override properties = {
    filters: { state: true },
    messages: { state: true },
    nextPageToken: { state: true },
    loading: { state: true },
    loaded: { state: true },
    error: { state: true },
    denied: { state: true },
    zone: { state: true },
    zoneIsPractice: { state: true },
    open: { state: true },
    namesVersion: { state: true },
  };
  declare filters: OutboxFilters;
  declare messages: Message[];
  declare nextPageToken: string;
  declare loading: boolean;
  /** The first page has been read (for these filters). */
  declare loaded: boolean;
  declare error: string;
  declare denied: boolean;
  /** The zone times are shown in: the practice's (its locations'), else the browser's. */
  declare zone: string;
  declare zoneIsPractice: boolean;
  /** The messages whose text is shown. */
  declare open: Set<string>;
  /** Bumped when patients' names arrive, to show them. */
  declare namesVersion: number;

  private abort?: AbortController;
  /** The page a failed load asked for ("" for the first), for "Try again". */
  private failedToken = "";
  private zoneReady: Promise<string> = Promise.resolve(browserZone);

  constructor() {
    super();
    this.filters = filtersFromSearch(location.search);
    this.messages = [];
    this.nextPageToken = "";
    this.loading = true;
    this.loaded = false;
    this.error = "";
    this.denied = false;
    this.zone = browserZone;
    this.zoneIsPractice = false;
    this.open = new Set();
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
    void this.load();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Outbox");
  }

  /** The first page for the filters, or the next page after `pageToken`. */
  private async load(pageToken = ""): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    this.failedToken = pageToken;
    try {
      const res = await notifications.listMessages(listMessagesRequest(this.filters, pageToken), {
        signal: abort.signal,
        timeoutMs: callTimeoutMs,
      });
      await Promise.all([this.zoneReady, this.loadNames(res.messages, abort.signal)]);
      if (abort.signal.aborted) return;
      // A refresh keeps the messages that were open (and still are listed) open.
      if (!pageToken) this.open = new Set(res.messages.map((m) => m.name).filter((n) => this.open.has(n)));
      this.messages = pageToken ? [...this.messages, ...res.messages] : res.messages;
      this.nextPageToken = res.nextPageToken;
      this.loaded = true;
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.error = outboxCallError(e);
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  /** Reads the names of the messages' patients not known yet, a few at a time. */
  private async loadNames(messages: readonly Message[], signal: AbortSignal): Promise<void> {
    const unknown = unknownPatients(messages, knownPatientLabel);
    if (unknown.length === 0) return;
    await Promise.all(deal(unknown, nameLanes).map((lane) => loadPatientLabels(lane, signal)));
    if (!signal.aborted) this.namesVersion++;
  }

  private setFilters(filters: OutboxFilters): void {
    this.filters = filters;
    const url = "/staff/outbox" + filtersToSearch(filters);
    if (location.pathname + location.search !== url) history.replaceState(null, "", url);
    this.loaded = false;
    this.messages = [];
    this.nextPageToken = "";
    void this.load();
  }

  private onState(e: Event): void {
    const slug = (e.target as HTMLSelectElement).value;
    const choice = stateChoices.find((c) => c.slug === slug) ?? stateChoices[0];
    this.setFilters({ ...this.filters, state: choice.state });
  }

  private onPatient(e: CustomEvent<PickDetail>): void {
    if (e.detail.value === this.filters.patient) return;
    this.setFilters({ ...this.filters, patient: e.detail.value });
  }

  private clear(): void {
    this.querySelector<PickerCombobox>("patient-picker")?.reset();
    this.setFilters({ state: stateChoices[0].state, patient: "" });
  }

  /** Shows or hides a message's text (a disclosure: the focus stays on its button). */
  private toggle(row: MessageRow): void {
    const open = new Set(this.open);
    if (open.has(row.name)) open.delete(row.name);
    else open.add(row.name);
    this.open = open;
  }

  private zoneWords(): string {
    const name = zoneName(this.zone);
    return this.zoneIsPractice ? `Times are the clinic’s local time (${name}).` : `Times are this computer’s local time (${name}).`;
  }

  private detail(row: MessageRow, index: number) {
    const ics = row.ics;
    return html`<tr class="outbox-detail" ?hidden=${!this.open.has(row.name)}>
      <td colspan="7">
        <div class="outbox-message" id="outbox-msg-${index}">
          <p class="outbox-subject"><strong>Subject:</strong> ${row.subject}</p>
          <div class="outbox-body">${row.body || html`<span class="muted">(no text)</span>`}</div>
          ${ics
            ? html`<section class="outbox-ics">
                <h3>Calendar file</h3>
                <dl>
                  <dt>Method</dt>
                  <dd>${ics.method || "—"}${ics.methodWords ? html` <span class="muted">(${ics.methodWords})</span>` : nothing}</dd>
                  ${ics.sequence ? html`<dt>Sequence</dt><dd>${ics.sequence}</dd>` : nothing}
                  ${ics.start ? html`<dt>Starts</dt><dd>${ics.start}</dd>` : nothing}
                  ${ics.end ? html`<dt>Ends</dt><dd>${ics.end}</dd>` : nothing}
                  ${ics.summary ? html`<dt>Summary</dt><dd>${ics.summary}</dd>` : nothing}
                  ${ics.location ? html`<dt>Location</dt><dd>${ics.location}</dd>` : nothing}
                  ${ics.status ? html`<dt>Status</dt><dd>${ics.status}</dd>` : nothing}
                </dl>
              </section>`
            : row.icsUnreadable
              ? html`<p class="muted">A calendar file is attached, but it could not be read.</p>`
              : html`<p class="muted">No calendar file.</p>`}
        </div>
      </td>
    </tr>`;
  }

  private row(row: MessageRow, index: number) {
    const open = this.open.has(row.name);
    const patientHref = row.patient.startsWith("patients/")
      ? `/staff/patients/${encodeURIComponent(row.patient.slice("patients/".length))}`
      : "";
    return html`<tr class="outbox-row" data-message=${row.name} data-appointment=${row.appointment}>
        <td class="outbox-created"><time datetime=${row.created.iso}>${row.created.text}</time></td>
        <td>${patientHref ? html`<a href=${patientHref}>${row.patientName}</a>` : row.patientName}</td>
        <td class="outbox-kind">${row.kind}</td>
        <td class="outbox-to">${row.hasRecipient ? row.recipient : html`<span class="muted">${row.recipient}</span>`}</td>
        <td class="outbox-subject-cell">${row.subject}</td>
        <td class="outbox-delivery">
          <span class="badge outbox-state ${row.stateClass}">${row.delivery}</span>
          ${row.when ? html`<br /><small class="muted">${row.when}</small>` : nothing}
        </td>
        <td>
          <button
            type="button"
            class="secondary outline outbox-toggle"
            aria-label="${open ? "Hide message" : "Show message"}: ${row.subject}"
            aria-expanded=${open ? "true" : "false"}
            aria-controls="outbox-msg-${index}"
            @click=${() => this.toggle(row)}
          >
            ${open ? "Hide message" : "Show message"}
          </button>
        </td>
      </tr>
      ${this.detail(row, index)}`;
  }

  private table(rows: MessageRow[]) {
    return html`<div class="overflow-auto">
      <table class="outbox-table" aria-describedby="outbox-status">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Patient</th>
            <th scope="col">Kind</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
            <th scope="col">Delivery</th>
            <th scope="col"><span class="visually-hidden">Message</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows.map((r, i) => this.row(r, i))}
        </tbody>
      </table>
    </div>`;
  }

  private statusWords(count: number): string {
    if (this.loading && !this.loaded) return "Loading…";
    if (count === 0) return "";
    return `${count}${this.nextPageToken ? "+" : ""} message${count === 1 ? "" : "s"}, newest first.`;
  }

  override render() {
    if (this.denied) return html`<no-access audience="the front desk and admins"></no-access>`;
    const rows = this.messages.map((m) => messageRow(m, knownPatientLabel, this.zone));
    const stateSlug = stateChoices.find((c) => c.state === this.filters.state)?.slug ?? "";
    const patientLabel = this.filters.patient ? knownPatientLabel(this.filters.patient) : undefined;
    return html`
      <h1>Outbox</h1>
      <p>Messages to patients about their appointments: what was said, to whom, and whether it was delivered. ${this.zoneWords()}</p>
      <search aria-label="Messages">
        <form class="outbox-filters" @submit=${(e: Event) => e.preventDefault()}>
          <div class="grid">
            <div>
              <label for="outbox-state">Delivery</label>
              <select id="outbox-state" @change=${this.onState}>
                ${stateChoices.map((c) => html`<option value=${c.slug} ?selected=${c.slug === stateSlug}>${c.label}</option>`)}
              </select>
            </div>
            <patient-picker
              inputId="outbox-patient"
              label="Patient"
              includeArchived
              .value=${this.filters.patient}
              .valueLabel=${patientLabel ?? ""}
              hint="Type a name, a date of birth or the last digits of a phone number."
              @pick=${this.onPatient}
            ></patient-picker>
          </div>
          <div class="actions">
            <button type="button" class="secondary" ?disabled=${this.loading} @click=${() => this.load()}>Refresh</button>
            ${this.filters.patient || stateSlug
              ? html`<button type="button" class="secondary outline" @click=${this.clear}>Clear filters</button>`
              : nothing}
          </div>
        </form>
      </search>
      ${this.error
        ? html`<div class="notice error" role="alert" id="outbox-error">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => this.load(this.failedToken)}>Try again</button>
          </div>`
        : nothing}
      <p role="status" aria-live="polite" id="outbox-status" class=${this.loading && !this.loaded ? "" : "muted"} aria-busy=${this.loading && !this.loaded ? "true" : "false"}>
        ${this.statusWords(rows.length)}
      </p>
      ${this.loaded && rows.length === 0 && !this.error ? html`<p id="outbox-empty">${emptyWords(this.filters, patientLabel)}</p>` : nothing}
      ${rows.length > 0 ? this.table(rows) : nothing} ${moreButton(this.nextPageToken, this.loading, (token) => void this.load(token))}
    `;
  }
}

customElements.define("outbox-page", OutboxPage);
