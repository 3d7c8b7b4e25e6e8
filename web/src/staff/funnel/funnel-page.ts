import { html, nothing } from "lit";
import { ref } from "lit/directives/ref.js";
import { Code, ConnectError } from "@connectrpc/connect";
import type { FunnelReport, FunnelRow } from "../../gen/clinic/screenings/v1/screenings_service_pb";
import { callTimeoutMs, screenings } from "../shared/api";
import { loadLocationNames } from "../shared/directory";
import { FormState } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import "../shared/no-access";
import {
  campaignLabel,
  checkRange,
  formatCount,
  formatRate,
  funnelRequest,
  funnelStages,
  funnelSummary,
  locationLabel,
  rangeFields,
  rangeFromSearch,
  rangeSearch,
  type RangeField,
  type RangeValues,
} from "./funnel-model";

/**
 * Sets a bar's width through the CSSOM: the gateway's content security policy
 * (style-src 'self') refuses style attributes, which is what a template's
 * style binding (styleMap included, on its first render) writes.
 */
function widthOf(el: Element | undefined, percent: number): void {
  if (el instanceof HTMLElement) el.style.width = `${percent}%`;
}

const ids: Record<RangeField, string> = { start_date: "funnel-from", end_date: "funnel-to" };
const labels: Record<RangeField, string> = { start_date: "From", end_date: "To" };

/**
 * <funnel-page>: /staff/funnel — the contact-request funnel
 * (GetFunnelReport) over a date range (?from=&to=, by default the last 30
 * days): a row per location and campaign, the total, and the total funnel as
 * bars. For the front desk and admins.
 */
export class FunnelPage extends LightElement {
  static override properties = {
    values: { state: true },
    report: { state: true },
    loading: { state: true },
    denied: { state: true },
    locationNames: { state: true },
    locationsFailed: { state: true },
  };
  declare values: RangeValues;
  declare report: FunnelReport | undefined;
  declare loading: boolean;
  declare denied: boolean;
  declare locationNames: Map<string, string>;
  declare locationsFailed: boolean;

  private form = new FormState<RangeField>(this, {
    fields: rangeFields,
    idOf: (f) => ids[f],
    summaryId: "funnel-problems",
  });
  private abort?: AbortController;
  private announced = false;

  constructor() {
    super();
    this.values = rangeFromSearch(location.search, new Date());
    this.report = undefined;
    this.loading = false;
    this.denied = false;
    this.locationNames = new Map();
    this.locationsFailed = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    loadLocationNames().then(
      (names) => (this.locationNames = names),
      () => (this.locationsFailed = true),
    );
    void this.show({ focusErrors: false });
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private onInput(field: RangeField, e: Event): void {
    this.values = { ...this.values, [field]: (e.target as HTMLInputElement).value };
    this.form.clearField(field);
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    void this.show();
  }

  /** Checks the range, then loads the report (the form's errors: the range's, or the server's). */
  private async show(options: { focusErrors?: boolean } = {}): Promise<void> {
    if (this.loading) return;
    const errors = checkRange(this.values);
    if (Object.keys(errors.fields).length > 0) {
      if (options.focusErrors === false) {
        this.form.fields = errors.fields;
        this.requestUpdate();
      } else {
        await this.form.show(errors);
      }
      await this.announce();
      return;
    }
    const search = "?" + rangeSearch(this.values);
    if (location.pathname + location.search !== "/staff/funnel" + search) history.replaceState(null, "", "/staff/funnel" + search);
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    const report = await this.form.run(async () => {
      try {
        return await screenings.getFunnelReport(funnelRequest(this.values), { signal: abort.signal, timeoutMs: callTimeoutMs });
      } catch (err) {
        const code = ConnectError.from(err).code;
        if (code === Code.PermissionDenied) this.denied = true;
        throw err;
      }
    });
    if (this.abort !== abort) return;
    this.loading = false;
    this.report = report;
    await this.announce();
  }

  private async announce(): Promise<void> {
    if (this.announced) return;
    this.announced = true;
    await this.updateComplete;
    announcePage(this, "Funnel");
  }

  private statusText(): string {
    if (this.loading) return "Loading…";
    if (!this.report) return "";
    if (this.report.rows.length === 0 || (this.report.total?.requests ?? 0) === 0) return "No contact requests in this period.";
    const n = this.report.rows.length;
    return `${n} ${n === 1 ? "row" : "rows"}, most requests first.`;
  }

  private field(field: RangeField) {
    const id = ids[field];
    const aria = this.form.aria(field);
    return html`<div>
      <label for=${id}>${labels[field]}</label>
      <input
        id=${id}
        type="date"
        required
        .value=${this.values[field]}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        @input=${(e: Event) => this.onInput(field, e)}
        @change=${(e: Event) => this.onInput(field, e)}
      />
      ${this.form.error(field)}
    </div>`;
  }

  private row(r: FunnelRow) {
    return html`<tr>
      <td>${locationLabel(r.location, this.locationNames)}</td>
      <td>${campaignLabel(r.campaign)}</td>
      ${this.counts(r)}
    </tr>`;
  }

  private counts(r: FunnelRow) {
    return html`<td class="num">${formatCount(r.requests)}</td>
      <td class="num">${formatCount(r.contacted)}</td>
      <td class="num">${formatCount(r.screeningsBooked)}</td>
      <td class="num">${formatCount(r.screeningsDone)}</td>
      <td class="num">${formatCount(r.converted)}</td>
      <td class="num">${formatRate(r.bookingRate)}</td>
      <td class="num">${formatRate(r.conversionRate)}</td>`;
  }

  private chart(total: FunnelRow | undefined) {
    const stages = funnelStages(total);
    return html`<figure class="funnel-chart">
      <figcaption id="funnel-chart-title"><strong>Total funnel</strong></figcaption>
      <div role="img" aria-label=${funnelSummary(stages)} class="funnel-bars">
        ${stages.map(
          (s) => html`<div class="funnel-stage">
            <span class="funnel-stage-label">${s.label}: <strong>${formatCount(s.count)}</strong></span>
            <div class="funnel-track">
              <div class="funnel-bar" ${ref((el) => widthOf(el, s.width))}></div>
            </div>
          </div>`,
        )}
      </div>
    </figure>`;
  }

  private results() {
    const report = this.report;
    if (!report || this.loading) return nothing;
    // The status above says "No contact requests in this period."
    if (report.rows.length === 0 || (report.total?.requests ?? 0) === 0) return nothing;
    const total = report.total;
    return html`
      ${this.locationsFailed
        ? html`<div class="notice error"><p>The location names could not be loaded; rows show "Unknown location".</p></div>`
        : nothing}
      <div class="overflow-auto">
        <table class="funnel-table striped" aria-describedby="funnel-status">
          <caption class="visually-hidden">Contact requests by location and campaign</caption>
          <thead>
            <tr>
              <th scope="col">Location</th>
              <th scope="col">Campaign</th>
              <th scope="col" class="num">Requests</th>
              <th scope="col" class="num">Reached</th>
              <th scope="col" class="num">Screenings booked</th>
              <th scope="col" class="num">Screenings done</th>
              <th scope="col" class="num">Converted</th>
              <th scope="col" class="num">Booking rate</th>
              <th scope="col" class="num">Conversion rate</th>
            </tr>
          </thead>
          <tbody>
            ${report.rows.map((r) => this.row(r))}
          </tbody>
          ${total
            ? html`<tfoot>
                <tr class="funnel-total">
                  <th scope="row" colspan="2">Total</th>
                  ${this.counts(total)}
                </tr>
              </tfoot>`
            : nothing}
        </table>
      </div>
      ${this.chart(total)}
    `;
  }

  override render() {
    if (this.denied) return html`<no-access audience="the front desk and admins"></no-access>`;
    return html`
      <h1>Funnel</h1>
      <p class="muted">
        Contact requests received in a period, by location and campaign: how many were reached, had a screening booked, had
        it done and converted to treatment.
      </p>
      ${this.form.summary("The report was not shown.", labels)}
      <form class="funnel-range" novalidate @submit=${this.onSubmit} aria-label="Period">
        ${this.field("start_date")} ${this.field("end_date")}
        <div>
          <button type="submit" ?disabled=${this.loading} aria-busy=${this.loading ? "true" : "false"}>Show</button>
        </div>
      </form>
      <p role="status" aria-live="polite" id="funnel-status">${this.statusText()}</p>
      ${this.results()}
    `;
  }
}

customElements.define("funnel-page", FunnelPage);
