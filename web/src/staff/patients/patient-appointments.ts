import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Appointment } from "../../gen/clinic/appointments/v1/appointments_pb";
import { appointments, callTimeoutMs } from "../shared/api";
import { describeCallError } from "../shared/errors";
import { LightElement } from "../shared/light-element";
import { loadAppointmentDirectory } from "./appointment-directory";
import { appointmentView, bookHref, splitAppointments, type AppointmentView } from "./appointments-model";

/** How many past appointments are listed before "Show all". */
const shortPast = 5;
/** ListAppointments pages read at most (500 appointments each). */
const pageLimit = 20;

/**
 * <patient-appointments>: the Appointments section of a patient's page —
 * "Book" (the calendar, with this patient chosen), then the upcoming and
 * past appointments (ListAppointments by patient, cancelled ones too, every
 * page), each with its local time in the location's zone, type, therapist,
 * location and state. Loaded on its own: the patient's page works without it.
 */
export class PatientAppointments extends LightElement {
  static override properties = {
    patient: { type: String },
    views: { state: true },
    loading: { state: true },
    error: { state: true },
    showAllPast: { state: true },
  };
  /** "patients/{id}". */
  declare patient: string;
  declare views: AppointmentView[];
  declare loading: boolean;
  declare error: string;
  declare showAllPast: boolean;

  private loadedFor?: string;
  private abort?: AbortController;

  constructor() {
    super();
    this.patient = "";
    this.views = [];
    this.loading = false;
    this.error = "";
    this.showAllPast = false;
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    this.loadedFor = undefined;
    super.disconnectedCallback();
  }

  protected override willUpdate(): void {
    if (this.patient && this.patient !== this.loadedFor) {
      this.loadedFor = this.patient;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    try {
      const directory = loadAppointmentDirectory();
      const list: Appointment[] = [];
      let pageToken = "";
      for (let i = 0; i < pageLimit; i++) {
        const res = await appointments.listAppointments(
          { patient: this.patient, showCancelled: true, pageSize: 500, pageToken },
          { signal: abort.signal, timeoutMs: callTimeoutMs },
        );
        list.push(...res.appointments);
        pageToken = res.nextPageToken;
        if (!pageToken) break;
      }
      const names = await directory;
      if (abort.signal.aborted) return;
      const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      this.views = list.map((a) => appointmentView(a, names, { browserZone }));
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.views = [];
      this.error = `The appointments could not be loaded. ${describeCallError(err)}`;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  /** Reloads the list (after a booking elsewhere, or "Try again"). */
  reload(): void {
    void this.load();
  }

  private table(views: AppointmentView[], id: string) {
    return html`<div class="overflow-auto">
      <table class="striped appointment-table" aria-labelledby=${id}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Appointment</th>
            <th scope="col">Therapist</th>
            <th scope="col">Location</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          ${views.map(
            (v) => html`<tr class=${v.active ? "" : "appointment-inactive"}>
              <th scope="row">
                <time datetime=${new Date(v.startMs).toISOString()}
                  ><span class="nowrap">${v.shortDay},</span> <span class="nowrap">${v.timeRange}</span></time
                >${v.zoneNote
                  ? html` <small class="muted">${v.zoneNote}</small>`
                  : nothing}
              </th>
              <td>${v.typeName}</td>
              <td>${v.therapistName}</td>
              <td>${v.locationName}</td>
              <td>
                <span class="badge appointment-state ${v.stateClass}">${v.stateLabel}</span>${v.cancelReason
                  ? html`<br /><small class="muted">${v.cancelReason}</small>`
                  : nothing}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private lists() {
    if (this.loading) return html`<p aria-busy="true">Loading appointments…</p>`;
    if (this.error) {
      return html`<div class="notice error">
        <p>${this.error}</p>
        <button type="button" class="secondary small" @click=${() => this.load()}>Try again</button>
      </div>`;
    }
    const { upcoming, past } = splitAppointments(this.views, Date.now());
    const shownPast = this.showAllPast ? past : past.slice(0, shortPast);
    return html`<h3 id="patient-upcoming-title">Upcoming</h3>
      ${upcoming.length === 0
        ? html`<p class="muted">No upcoming appointments.</p>`
        : this.table(upcoming, "patient-upcoming-title")}
      <h3 id="patient-past-title">Past</h3>
      ${past.length === 0
        ? html`<p class="muted">No past appointments.</p>`
        : html`${this.table(shownPast, "patient-past-title")}
          ${past.length > shownPast.length
            ? html`<button type="button" class="secondary outline small" @click=${() => (this.showAllPast = true)}>
                Show all ${past.length} past appointments
              </button>`
            : nothing}`}`;
  }

  override render() {
    return html`<section class="patient-appointments" aria-labelledby="patient-appointments-title">
      <div class="toolbar">
        <h2 id="patient-appointments-title">Appointments</h2>
        <a class="button-link" href=${bookHref(this.patient)}>Book</a>
      </div>
      ${this.lists()}
    </section>`;
  }
}

customElements.define("patient-appointments", PatientAppointments);
