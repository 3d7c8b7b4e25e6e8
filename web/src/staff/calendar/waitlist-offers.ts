import { html, nothing, type PropertyValues } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import "./waitlist-offers.css";
import type { WaitlistOffer } from "../../gen/clinic/appointments/v1/appointments_pb";
import { appointments, callTimeoutMs } from "../shared/api";
import { LightElement } from "../shared/light-element";
import { loadPatientNames, patientName } from "./calendar-data";
import { calendarCallError, resourceId } from "./calendar-model";
import { listOffersRequest, offerRow, offersOfType, type OfferRow } from "./offers-model";

/**
 * <waitlist-offers>: the waitlist page's "Offers" section — the location's
 * newest offers made from freed times (ListWaitlistOffers, newest first),
 * each with the patient's name (a link to their record), the time offered in
 * the location's zone with the type and therapist, when it was made, and what
 * became of it ("Offered, held until 18:15", "Taken 17:02", "Lapsed 18:15 —
 * offered to the next person"). Loaded when the location changes, and on
 * "Refresh". Only the chosen type's offers when the page has one.
 */
export class WaitlistOffers extends LightElement {
  static override properties = {
    location: { type: String },
    locationLabel: { type: String },
    appointmentType: { type: String },
    zone: { type: String },
    typeNames: { attribute: false },
    therapistNames: { attribute: false },
    offers: { state: true },
    loading: { state: true },
    error: { state: true },
  };
  /** "locations/…". */
  declare location: string;
  declare locationLabel: string;
  /** "appointmentTypes/…", or "" for every type. */
  declare appointmentType: string;
  /** The location's IANA zone. */
  declare zone: string;
  declare typeNames: ReadonlyMap<string, string>;
  declare therapistNames: ReadonlyMap<string, string>;
  declare offers: WaitlistOffer[];
  declare loading: boolean;
  declare error: string;

  private abort?: AbortController;
  private loadedFor = "";

  constructor() {
    super();
    this.location = "";
    this.locationLabel = "";
    this.appointmentType = "";
    this.zone = "UTC";
    this.typeNames = new Map();
    this.therapistNames = new Map();
    this.offers = [];
    this.loading = false;
    this.error = "";
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("location") && this.location !== this.loadedFor) {
      this.loadedFor = this.location;
      void this.load();
    }
  }

  /** The location's newest offers, and the names of their patients. */
  async load(): Promise<void> {
    this.abort?.abort();
    if (!this.location) {
      this.offers = [];
      return;
    }
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    try {
      const res = await appointments.listWaitlistOffers(listOffersRequest(this.location), { signal: abort.signal, timeoutMs: callTimeoutMs });
      await loadPatientNames(
        res.offers.map((o) => o.patient),
        abort.signal,
      );
      if (abort.signal.aborted) return;
      this.offers = res.offers;
      this.hidden = false;
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      this.offers = [];
      if (e.code === Code.PermissionDenied) this.hidden = true;
      else if (e.code === Code.Unimplemented) this.error = "Offers are not available on this server yet.";
      else this.error = calendarCallError(e, "The offers could not be loaded.");
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private rows(): OfferRow[] {
    const now = Date.now();
    const names = {
      patient: patientName,
      type: (n: string) => this.typeNames.get(n),
      therapist: (n: string) => this.therapistNames.get(n),
    };
    return offersOfType(this.offers, this.appointmentType).map((o) => offerRow(o, names, this.zone, now, this.offers));
  }

  private table(rows: OfferRow[]) {
    return html`<div class="overflow-auto">
      <table class="striped" id="wl-offers">
        <thead>
          <tr>
            <th scope="col">Patient</th>
            <th scope="col">Time offered</th>
            <th scope="col">Sent</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr data-offer=${r.name} data-state=${r.state}>
              <th scope="row"><a href="/staff/patients/${encodeURIComponent(resourceId(r.patient))}">${r.patientName}</a></th>
              <td>${r.when}<br /><small class="muted">${r.what}</small></td>
              <td>${r.made}</td>
              <td><span class="offer-state offer-${r.state}">${r.stateWords}</span></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  override render() {
    const rows = this.rows();
    return html`<section class="waitlist-offers" aria-labelledby="wl-offers-title">
      <div class="toolbar">
        <h2 id="wl-offers-title">Offers</h2>
        <button type="button" class="secondary outline" id="wl-offers-refresh" ?disabled=${this.loading || !this.location} @click=${() => this.load()}>
          Refresh offers
        </button>
      </div>
      <p class="muted">
        When an appointment is cancelled, its time is offered by email to the first patient on the waitlist it suits, and held for them
        for a while; if they do not take it in time, the next one is offered. The newest offers first.
      </p>
      ${this.error
        ? html`<div class="notice error" role="alert" id="wl-offers-error">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
          </div>`
        : nothing}
      <div aria-live="polite" aria-busy=${this.loading ? "true" : "false"} id="wl-offers-status">
        ${this.loading && this.offers.length === 0
          ? html`<p aria-busy="true">Loading offers…</p>`
          : !this.error && rows.length === 0
            ? html`<p id="wl-offers-empty">No offers at ${this.locationLabel || "this location"}${this.appointmentType ? " for this type" : ""} yet.</p>`
            : nothing}
      </div>
      ${rows.length ? this.table(rows) : nothing}
    </section>`;
  }
}

customElements.define("waitlist-offers", WaitlistOffers);
