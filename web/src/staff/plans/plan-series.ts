import { html, nothing } from "lit";
import { live } from "lit/directives/live.js";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppointmentType, Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { TherapyPlan } from "../../gen/clinic/therapy_plans/v1/therapy_plans_pb";
import type { DayOfWeek } from "../../gen/google/type/dayofweek_pb";
import { loadAppointmentTypes } from "../patients/appointment-directory";
import { callTimeoutMs } from "../shared/api";
import { loadLocations } from "../shared/directory";
import { describeCallError } from "../shared/errors";
import { FormState, ariaDescribedBy, ariaInvalid, fieldErrorText } from "../shared/form";
import { LightElement } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { isKnownZone, todayIn } from "../shared/tz";
import { dateToInput, outcomeUnknown } from "./plan-model";
import { therapistPlaces } from "./plan-data";
import { therapyPlans } from "./plans-api";
import {
  bookButtonWords,
  bookedWords,
  checkSeries,
  choiceWords,
  defaultFirstDate,
  defaultSeriesType,
  defaultWeekdays,
  previewWords,
  seriesFields,
  seriesFormErrors,
  seriesKey,
  seriesLabels,
  seriesLocation,
  seriesRequest,
  seriesView,
  toggleWeekday,
  weekdayChoices,
  type SeriesField,
  type SeriesValues,
  type SeriesView,
} from "./series-model";

const inputIds: Record<SeriesField, string> = {
  location: "series-location",
  appointment_type: "series-type",
  weekdays: "series-weekdays",
  time_of_day: "series-time",
  first_date: "series-first-date",
};

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * <plan-series .plan>: "Book the series" of an active plan — location (where
 * the plan's therapist works), appointment type (a follow-up), weekdays (as
 * many ticked as visits a week), time of day and first date; "Preview" →
 * ScheduleVisitSeries {preview: true}: the proposed visits in the location's
 * words (those not at the preferred day and time marked "nearest open time")
 * and the weeks with gaps; "Book these N visits" → the same with preview
 * false and a request_id (kept for a retry after no answer), then what was
 * booked. Sends `series-booked` (bubbling) after a booking.
 */
export class PlanSeries extends LightElement {
  static override properties = {
    plan: { attribute: false },
    locations: { state: true },
    types: { state: true },
    values: { state: true },
    loading: { state: true },
    loadError: { state: true },
    preview: { state: true },
    booked: { state: true },
    previewing: { state: true },
  };
  declare plan: TherapyPlan | undefined;
  declare locations: Location[];
  declare types: AppointmentType[];
  declare values: SeriesValues;
  declare loading: boolean;
  declare loadError: string;
  /** The last preview, for the values shown (cleared when they change). */
  declare preview: SeriesView | undefined;
  /** What the last booking booked. */
  declare booked: SeriesView | undefined;
  /** Which call the form is busy with. */
  declare previewing: boolean;

  private form = new FormState<SeriesField>(this, {
    fields: seriesFields,
    idOf: (f) => inputIds[f],
    summaryId: "series-problems",
    read: (e) => seriesFormErrors(e),
  });
  /** The request_id of the booking, and what it was for: kept while a booking of the same series is retried. */
  private requestId = "";
  private requestKey = "";
  private loadedFor = "";
  private abort?: AbortController;

  constructor() {
    super();
    this.plan = undefined;
    this.locations = [];
    this.types = [];
    this.values = { location: "", appointment_type: "", weekdays: [], time_of_day: "09:00", first_date: "" };
    this.loading = false;
    this.loadError = "";
    this.preview = undefined;
    this.booked = undefined;
    this.previewing = false;
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    this.loadedFor = "";
    super.disconnectedCallback();
  }

  protected override willUpdate(): void {
    if (this.plan && this.plan.name !== this.loadedFor) {
      this.loadedFor = this.plan.name;
      void this.load();
    }
  }

  private zoneOf(location: string): string {
    const zone = this.locations.find((l) => l.name === location)?.timeZone ?? "";
    return isKnownZone(zone) ? zone : browserZone();
  }

  private async load(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.loadError = "";
    try {
      const [locations, types, places] = await Promise.all([loadLocations(), loadAppointmentTypes(), therapistPlaces(plan.therapist, abort.signal)]);
      if (abort.signal.aborted) return;
      this.locations = locations;
      this.types = types.filter((t) => t.active);
      const location = seriesLocation(locations, places.worksAt, places.home);
      this.values = {
        location,
        appointment_type: defaultSeriesType(this.types),
        weekdays: defaultWeekdays(plan.visitsPerWeek),
        time_of_day: "09:00",
        first_date: defaultFirstDate(todayIn(this.zoneOf(location)), dateToInput(plan.startDate)),
      };
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.loadError = `The locations and appointment types could not be loaded. ${describeCallError(err)}`;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private set<K extends keyof SeriesValues>(field: K, value: SeriesValues[K]): void {
    this.values = { ...this.values, [field]: value };
    this.form.clearField(field as SeriesField);
    this.preview = undefined;
  }

  private async showPreview(e: Event): Promise<void> {
    e.preventDefault();
    const plan = this.plan;
    if (!plan) return;
    this.booked = undefined;
    const problems = checkSeries(this.values);
    if (Object.keys(problems.fields).length) {
      await this.form.show(problems);
      return;
    }
    this.previewing = true;
    try {
      const res = await this.form.run(() =>
        therapyPlans.scheduleVisitSeries(seriesRequest(plan, this.values, { preview: true }), { timeoutMs: callTimeoutMs }),
      );
      if (!res) return;
      this.preview = seriesView(res, new Date().getFullYear());
    } finally {
      this.previewing = false;
    }
    await this.updateComplete;
    this.querySelector<HTMLElement>("#series-preview-title")?.focus();
  }

  private async book(): Promise<void> {
    const plan = this.plan;
    if (!plan || !this.preview) return;
    const key = seriesKey(plan, this.values);
    if (key !== this.requestKey || !this.requestId) {
      this.requestKey = key;
      this.requestId = newRequestId();
    }
    const requestId = this.requestId;
    const res = await this.form.run(
      () => therapyPlans.scheduleVisitSeries(seriesRequest(plan, this.values, { preview: false, requestId }), { timeoutMs: 60_000 }),
      {
        onError: (err) => {
          // A lost answer may have booked: the same series sent again keeps its request_id.
          if (!outcomeUnknown(err)) this.requestKey = "";
        },
      },
    );
    if (!res) return;
    this.requestKey = "";
    this.requestId = "";
    this.preview = undefined;
    this.booked = seriesView(res, new Date().getFullYear());
    this.dispatchEvent(new CustomEvent("series-booked", { bubbles: true, composed: true, detail: res }));
    await this.updateComplete;
    this.querySelector<HTMLElement>("#series-booked-title")?.focus();
  }

  private weekdaysField() {
    const error = this.form.fields.weekdays;
    const id = inputIds.weekdays;
    return html`<fieldset id=${id} class="series-weekdays" aria-invalid=${ariaInvalid(error)} aria-describedby=${ariaDescribedBy(id, error)}>
      <legend>Weekdays</legend>
      ${weekdayChoices.map(
        ([day, short, long]) =>
          html`<label class="weekday"
            ><input
              type="checkbox"
              name="weekday"
              value=${String(day)}
              .checked=${live(this.values.weekdays.includes(day))}
              @change=${(e: Event) => this.set("weekdays", toggleWeekday(this.values.weekdays, day as DayOfWeek, (e.target as HTMLInputElement).checked))}
            /><abbr title=${long}>${short}</abbr></label
          >`,
      )}
      ${fieldErrorText(id, error)}
    </fieldset>`;
  }

  private formView() {
    const a = (f: SeriesField) => this.form.aria(f);
    const v = this.values;
    return html`<form class="series-form" novalidate @submit=${this.showPreview}>
      ${this.form.summary("The series was not booked.", seriesLabels)}
      <div class="grid">
        <label for=${inputIds.location}
          >Location
          <select
            id=${inputIds.location}
            aria-invalid=${a("location").invalid}
            aria-describedby=${a("location").describedBy}
            @change=${(e: Event) => this.set("location", (e.target as HTMLSelectElement).value)}
          >
            ${this.locations.map((l) => html`<option value=${l.name} ?selected=${l.name === v.location}>${l.displayName}</option>`)}
          </select>
          ${this.form.error("location")}
        </label>
        <label for=${inputIds.appointment_type}
          >Appointment type
          <select
            id=${inputIds.appointment_type}
            aria-invalid=${a("appointment_type").invalid}
            aria-describedby=${a("appointment_type").describedBy}
            @change=${(e: Event) => this.set("appointment_type", (e.target as HTMLSelectElement).value)}
          >
            ${this.types.map((t) => html`<option value=${t.name} ?selected=${t.name === v.appointment_type}>${t.displayName}</option>`)}
          </select>
          ${this.form.error("appointment_type")}
        </label>
      </div>
      ${this.weekdaysField()}
      <div class="grid">
        <label for=${inputIds.time_of_day}
          >Time of day
          <input
            id=${inputIds.time_of_day}
            type="time"
            step="900"
            .value=${live(v.time_of_day)}
            aria-invalid=${a("time_of_day").invalid}
            aria-describedby=${a("time_of_day").describedBy}
            @input=${(e: Event) => this.set("time_of_day", (e.target as HTMLInputElement).value)}
          />
          ${this.form.error("time_of_day")}
        </label>
        <label for=${inputIds.first_date}
          >First date
          <input
            id=${inputIds.first_date}
            type="date"
            .value=${live(v.first_date)}
            aria-invalid=${a("first_date").invalid}
            aria-describedby=${a("first_date").describedBy}
            @input=${(e: Event) => this.set("first_date", (e.target as HTMLInputElement).value)}
          />
          ${this.form.error("first_date")}
        </label>
      </div>
      <p class="hint">
        ${this.plan?.visitsPerWeek ?? 0} visit${this.plan?.visitsPerWeek === 1 ? "" : "s"} a week for ${this.plan?.durationWeeks ?? 0}
        week${this.plan?.durationWeeks === 1 ? "" : "s"}, preferably ${choiceWords(v)} (the location's time); a week's visit that cannot be
        placed then goes to the nearest open time that week.
      </p>
      <button type="submit" class="secondary" ?disabled=${this.form.busy} aria-busy=${this.form.busy && this.previewing ? "true" : "false"}>
        Preview
      </button>
    </form>`;
  }

  private visitsList(view: SeriesView) {
    return html`<ol class="series-visits">
      ${view.visits.map(
        (visit) =>
          html`<li class=${visit.preferred ? "" : "not-preferred"}>
            ${visit.words}${visit.purpose ? html` <small class="muted">(${visit.purpose})</small>` : nothing}${visit.preferred ? nothing : html` <span class="badge nearest">nearest open time</span>`}
          </li>`,
      )}
    </ol>`;
  }

  private gapsList(view: SeriesView) {
    if (view.gaps.length === 0) return nothing;
    return html`<h4>Weeks with fewer visits</h4>
      <ul class="series-gaps">
        ${view.gaps.map((g) => html`<li><strong>${g.week}</strong>: ${g.missing}${g.reason ? ` — ${g.reason}` : ""}</li>`)}
      </ul>`;
  }

  private previewView(view: SeriesView) {
    const n = view.visits.length;
    return html`<section class="series-preview" aria-labelledby="series-preview-title">
      <h3 id="series-preview-title" tabindex="-1">Proposed visits</h3>
      <p>${previewWords(view)}</p>
      ${this.visitsList(view)} ${this.gapsList(view)}
      ${n > 0
        ? html`<button type="button" ?disabled=${this.form.busy} aria-busy=${this.form.busy && !this.previewing ? "true" : "false"} @click=${this.book}>
            ${bookButtonWords(n)}
          </button>`
        : nothing}
    </section>`;
  }

  private bookedView(view: SeriesView) {
    return html`<section class="series-booked" aria-labelledby="series-booked-title">
      <h3 id="series-booked-title" tabindex="-1">Booked</h3>
      <p class="notice ok" role="status">${bookedWords(view)}</p>
      ${this.visitsList({ ...view, visits: view.visits.filter((x) => x.booked) })} ${this.gapsList(view)}
      <button type="button" class="secondary outline small" @click=${() => (this.booked = undefined)}>Book more visits</button>
    </section>`;
  }

  override render() {
    return html`<section class="plan-series" aria-labelledby="plan-series-title">
      <h2 id="plan-series-title">Book the series</h2>
      ${this.loadError
        ? html`<div class="notice error" role="alert">
            <p>${this.loadError}</p>
            <button type="button" class="secondary small" @click=${() => this.load()}>Try again</button>
          </div>`
        : this.loading
          ? html`<p aria-busy="true">Loading…</p>`
          : this.booked
            ? this.bookedView(this.booked)
            : html`${this.formView()} ${this.preview ? this.previewView(this.preview) : nothing}`}
    </section>`;
  }
}

customElements.define("plan-series", PlanSeries);
