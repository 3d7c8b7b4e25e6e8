import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Caseload } from "../../gen/clinic/therapy_plans/v1/therapy_plans_service_pb";
import { currentMember } from "../account/auth";
import { loadTherapistNames } from "../patients/appointment-directory";
import { callTimeoutMs } from "../shared/api";
import { describeCallError } from "../shared/errors";
import { LightElement, announcePage } from "../shared/light-element";
import "../shared/no-access";
import {
  canChooseTherapist,
  caseloadPath,
  caseloadPatients,
  caseloadRows,
  caseloadTherapist,
  patientCountWords,
  type CaseloadRow,
} from "./caseload-model";
import "./plan-chart";
import { loadPatientNames } from "./plan-data";
import { therapyPlans } from "./plans-api";

/**
 * <caseload-page>: /staff/caseload[?therapist=<id>] — a therapist's patients
 * with active or on-hold plans (GetCaseload, one call), most urgent first:
 * the patient (GetPatient per distinct patient, a few at a time), condition,
 * visits used of planned and authorized, the next visit in the location's
 * time, the alerts, a sparkline of the goals' progress, and links to the plan
 * and the calendar. Admins choose the therapist (kept in the address).
 */
export class CaseloadPage extends LightElement {
  static override properties = {
    therapist: { state: true },
    therapists: { state: true },
    caseload: { state: true },
    names: { state: true },
    loading: { state: true },
    error: { state: true },
    denied: { state: true },
  };
  /** "staff/…" whose caseload is shown; "" until an admin chooses. */
  declare therapist: string;
  /** The therapists to choose from (admins): "staff/…" → name. */
  declare therapists: Map<string, string>;
  declare caseload: Caseload | undefined;
  declare names: Map<string, string>;
  declare loading: boolean;
  declare error: string;
  declare denied: boolean;

  private abort?: AbortController;
  /** The rows of the caseload and names shown (worked out again only when they change: new rows redraw the sparklines). */
  private rowsOf?: { caseload: Caseload | undefined; names: Map<string, string>; rows: CaseloadRow[] };

  private rows(): CaseloadRow[] {
    const kept = this.rowsOf;
    if (kept && kept.caseload === this.caseload && kept.names === this.names) return kept.rows;
    const rows = caseloadRows(this.caseload, this.names, new Date().getFullYear());
    this.rowsOf = { caseload: this.caseload, names: this.names, rows };
    return rows;
  }

  constructor() {
    super();
    this.therapist = "";
    this.therapists = new Map();
    this.caseload = undefined;
    this.names = new Map();
    this.loading = false;
    this.error = "";
    this.denied = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const me = currentMember();
    this.therapist = caseloadTherapist(location.search, me);
    if (canChooseTherapist(me?.roles)) {
      loadTherapistNames().then(
        (names) => (this.therapists = names),
        () => {
          // Without the list, the admin's own caseload (if a therapist) still shows.
        },
      );
    }
    void this.load();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.error = "";
    this.denied = false;
    if (!this.therapist) {
      this.caseload = undefined;
      this.loading = false;
      await this.updateComplete;
      announcePage(this, "Caseload");
      return;
    }
    this.loading = true;
    try {
      const me = currentMember();
      const request = { therapist: this.therapist === me?.name ? "" : this.therapist };
      const caseload = await therapyPlans.getCaseload(request, { signal: abort.signal, timeoutMs: callTimeoutMs });
      if (abort.signal.aborted) return;
      this.names = await loadPatientNames(caseloadPatients(caseload), abort.signal);
      if (abort.signal.aborted) return;
      this.caseload = caseload;
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      const e = ConnectError.from(err);
      this.caseload = undefined;
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.error = `The caseload could not be loaded. ${describeCallError(e)}`;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
    await this.updateComplete;
    announcePage(this, "Caseload");
  }

  private choose(e: Event): void {
    this.therapist = (e.target as HTMLSelectElement).value;
    history.replaceState(null, "", caseloadPath(this.therapist === currentMember()?.name ? "" : this.therapist));
    void this.load();
  }

  private chooser() {
    const me = currentMember();
    if (!canChooseTherapist(me?.roles)) return nothing;
    const options = [...this.therapists.entries()].sort((a, b) => a[1].localeCompare(b[1]));
    if (this.therapist && !this.therapists.has(this.therapist)) options.unshift([this.therapist, this.therapist === me?.name ? "You" : "The therapist chosen"]);
    return html`<label for="caseload-therapist" class="caseload-therapist"
      >Therapist
      <select id="caseload-therapist" @change=${this.choose}>
        <option value="" ?selected=${!this.therapist} disabled>Choose a therapist</option>
        ${options.map(([name, label]) => html`<option value=${name} ?selected=${name === this.therapist}>${label}</option>`)}
      </select>
    </label>`;
  }

  private row(r: CaseloadRow) {
    return html`<tr class=${r.urgencyClass}>
      <th scope="row"><a href=${r.patientHref}>${r.patientName}</a>${r.onHold ? html` <span class="badge plan-state plan-state-on-hold">On hold</span>` : nothing}</th>
      <td><a href=${r.planHref}>${r.condition}</a></td>
      <td class="caseload-visits">${r.visits}</td>
      <td class="caseload-next">${r.nextVisit || html`<span class="muted">None booked</span>`}</td>
      <td>
        ${r.alerts.length
          ? html`<ul class="caseload-alerts">
              ${r.alerts.map(
                (a) => html`<li class="plan-alert ${a.urgencyClass}"><strong>${a.kind}</strong>${a.message ? html`<br /><small>${a.message}</small>` : nothing}${a.due ? html` <small class="muted">(${a.due})</small>` : nothing}</li>`,
              )}
            </ul>`
          : html`<span class="muted">None</span>`}
      </td>
      <td class="caseload-goals"><goal-sparkline .spark=${r.spark}></goal-sparkline><br /><small class="muted">${r.goals}</small></td>
      <td class="nowrap"><a href=${r.planHref}>Plan</a> · <a href=${r.calendarHref}>${r.calendarLabel}</a></td>
    </tr>`;
  }

  override render() {
    if (this.denied) return html`<no-access audience="therapists (their own) and admins"></no-access>`;
    const me = currentMember();
    const rows = this.rows();
    const whose = this.therapist && this.therapist !== me?.name ? this.therapists.get(this.therapist) : "";
    return html`<div class="toolbar">
        <h1>Caseload${whose ? html`: ${whose}` : nothing}</h1>
        ${this.chooser()}
      </div>
      <p class="muted">Patients with an active or on-hold plan of care, most urgent first. Times are the location's.</p>
      ${this.error
        ? html`<div class="notice error" role="alert">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
          </div>`
        : nothing}
      ${!this.therapist ? html`<p>Choose a therapist to see their caseload.</p>` : nothing}
      ${this.loading ? html`<p aria-busy="true">Loading the caseload…</p>` : nothing}
      ${this.caseload && !this.loading
        ? html`<p id="caseload-count" role="status">${patientCountWords(rows.length)}.</p>
            ${rows.length
              ? html`<div class="overflow-auto">
                  <table class="caseload-table striped">
                    <thead>
                      <tr>
                        <th scope="col">Patient</th>
                        <th scope="col">Condition</th>
                        <th scope="col">Visits</th>
                        <th scope="col">Next visit</th>
                        <th scope="col">Alerts</th>
                        <th scope="col">Goals</th>
                        <th scope="col"><span class="visually-hidden">Links</span></th>
                      </tr>
                    </thead>
                    <tbody>
                      ${rows.map((r) => this.row(r))}
                    </tbody>
                  </table>
                </div>`
              : html`<p class="muted">No active plans of care. Plans are started from a patient's page or a completed screening.</p>`}`
        : nothing}`;
  }
}

customElements.define("caseload-page", CaseloadPage);
