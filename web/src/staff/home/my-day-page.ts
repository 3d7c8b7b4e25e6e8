import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { Appointment } from "../../gen/clinic/appointments/v1/appointments_pb";
import { currentMember } from "../account/auth";
import { appointments, callTimeoutMs, patients } from "../shared/api";
import { describeCallError } from "../shared/errors";
import { LightElement, announcePage } from "../shared/light-element";
import { todayIn } from "../shared/tz";
import { loadAppointmentDirectory } from "../patients/appointment-directory";
import { appointmentView, type AppointmentView } from "../patients/appointments-model";
import { displayName } from "../patients/patient-model";
import { countWords, homeZone, myDayWindow, planMyDay, type DayPlan, type MyDayPlan } from "./my-day-model";
import type { Caseload } from "../../gen/clinic/therapy_plans/v1/therapy_plans_service_pb";
import { visitNotes, type VisitNote } from "../plans/caseload-model";
import { therapyPlans } from "../plans/plans-api";
import "./calendar-feed";

/** ListAppointments pages read at most (500 appointments each). */
const pageLimit = 10;
/** GetPatient calls in flight at once, for the patients' names. */
const nameConcurrency = 4;

/** Patients' names read during this visit of the app ("patients/…" -> "Maya Okafor"). */
const patientNames = new Map<string, string>();

async function loadPatientNames(list: readonly string[], signal: AbortSignal): Promise<void> {
  const todo = [...new Set(list)].filter((n) => n && !patientNames.has(n));
  const next = async (): Promise<void> => {
    for (let name = todo.shift(); name; name = todo.shift()) {
      if (signal.aborted) return;
      try {
        const p = await patients.getPatient({ name }, { signal, timeoutMs: callTimeoutMs });
        patientNames.set(name, displayName(p) || "Patient");
      } catch (err) {
        if (signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
        // Shown as "Patient"; the link still opens the record.
      }
    }
  };
  await Promise.all(Array.from({ length: nameConcurrency }, next));
}

/**
 * <my-day-page>: a therapist's home page (/staff/my-day) — today's
 * appointments in order, then "The week ahead" by day: ListAppointments for
 * the signed-in therapist from the start of today to the end of the 7th day
 * after it, in the locations' zones; each with its local time, the patient
 * (a link to their page), type, state and location. Then "Your calendar in
 * your phone" (<calendar-feed-card>, ./calendar-feed.ts).
 */
export class MyDayPage extends LightElement {
  static override properties = {
    plan: { state: true },
    notes: { state: true },
    loading: { state: true },
    error: { state: true },
  };
  declare plan: MyDayPlan | undefined;
  /** Today's appointments of patients with an active plan: "Visit 4 of 12" and what is due. */
  declare notes: Map<string, VisitNote>;
  declare loading: boolean;
  declare error: string;

  private abort?: AbortController;

  constructor() {
    super();
    this.plan = undefined;
    this.notes = new Map();
    this.loading = false;
    this.error = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private async load(): Promise<void> {
    const me = currentMember();
    if (!me) return;
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    try {
      const names = await loadAppointmentDirectory();
      const locations = [...names.locations.values()];
      const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      const zone = homeZone(me.homeLocations, locations, browserZone);
      const now = Date.now();
      const zones = [zone, ...locations.map((l) => l.timeZone).filter(Boolean)];
      const { startMs, endMs } = myDayWindow(zones, now);
      // The therapist's plans (one GetCaseload), best effort: My day works without them.
      const caseload = therapyPlans
        .getCaseload({}, { signal: abort.signal, timeoutMs: callTimeoutMs })
        .catch((): Caseload | undefined => undefined);
      const list: Appointment[] = [];
      let pageToken = "";
      for (let i = 0; i < pageLimit; i++) {
        const res = await appointments.listAppointments(
          {
            therapist: me.name,
            startTime: timestampFromMs(startMs),
            endTime: timestampFromMs(endMs),
            pageSize: 500,
            pageToken,
          },
          { signal: abort.signal, timeoutMs: callTimeoutMs },
        );
        list.push(...res.appointments);
        pageToken = res.nextPageToken;
        if (!pageToken) break;
      }
      await loadPatientNames(
        list.map((a) => a.patient),
        abort.signal,
      );
      if (abort.signal.aborted) return;
      const views = list.map((a) => appointmentView(a, { ...names, patients: patientNames }, { browserZone }));
      this.plan = planMyDay(views, todayIn(zone, now));
      const plans = await caseload;
      if (abort.signal.aborted) return;
      this.notes = visitNotes(
        this.plan.today.items.map((v) => ({ name: v.name, patient: v.patient, startMs: v.startMs, state: v.state })),
        plans,
      );
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.plan = undefined;
      this.error = `Your appointments could not be loaded. ${describeCallError(err)}`;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
    await this.updateComplete;
    announcePage(this, "My day");
  }

  private planNote(v: AppointmentView): TemplateResult | typeof nothing {
    const note = this.notes.get(v.name);
    if (!note) return nothing;
    return html`<br /><span class="my-day-plan"
        >${note.visit ? html`<strong>${note.visit}</strong> · ` : nothing}<a href=${note.planHref}>${note.condition || "Plan of care"}</a></span
      >${note.due.map((d) => html` <span class="badge plan-due">${d}</span>`)}`;
  }

  private item(v: AppointmentView, withPlan = false): TemplateResult {
    return html`<li class="my-day-item ${v.active ? "" : "appointment-inactive"}">
      <time class="my-day-time" datetime=${new Date(v.startMs).toISOString()}
        >${v.timeRange}${v.zoneNote ? html` <small class="muted">${v.zoneNote}</small>` : nothing}</time
      >
      <div>
        <a href=${v.patientHref}><strong>${v.patientName}</strong></a>
        <br />${v.typeName} · ${v.locationName}
        <span class="badge appointment-state ${v.stateClass}">${v.stateLabel}</span>
        ${withPlan ? this.planNote(v) : nothing}
      </div>
    </li>`;
  }

  private list(day: DayPlan, empty: string, withPlan = false): TemplateResult {
    if (day.items.length === 0) return html`<p class="muted">${empty}</p>`;
    return html`<ol class="my-day-list">
      ${day.items.map((v) => this.item(v, withPlan))}
    </ol>`;
  }

  override render() {
    const plan = this.plan;
    const weekCount = plan ? plan.week.reduce((n, d) => n + d.items.length, 0) : 0;
    return html`<h1>My day</h1>
      <p class="muted">Your appointments, at each location's local time.</p>
      ${this.error
        ? html`<div class="notice error" role="alert">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
          </div>`
        : nothing}
      ${this.loading && !plan ? html`<p aria-busy="true">Loading your appointments…</p>` : nothing}
      ${plan
        ? html`<section class="my-day-today" aria-labelledby="my-day-today-title">
              <h2 id="my-day-today-title">Today, ${plan.today.label}</h2>
              ${plan.today.items.length ? html`<p class="muted">${countWords(plan.today.items.length)} today.</p>` : nothing}
              ${this.list(plan.today, "Nothing is booked for you today.", true)}
            </section>
            <section class="my-day-week" aria-labelledby="my-day-week-title">
              <h2 id="my-day-week-title">The week ahead</h2>
              ${weekCount === 0
                ? html`<p class="muted">Nothing is booked for you in the next 7 days.</p>`
                : plan.week.map(
                (d) => html`<section class="my-day-day" aria-labelledby="my-day-${d.date}">
                  <h3 id="my-day-${d.date}">${d.label}</h3>
                  ${this.list(d, "No appointments.")}
                </section>`,
              )}
            </section>`
        : nothing}
      <calendar-feed-card></calendar-feed-card>`;
  }
}

customElements.define("my-day-page", MyDayPage);
