import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
// The calendar component (vkurko/calendar, MIT). Its CSS is a file Vite
// bundles into the staff stylesheet: nothing is injected at run time, so it
// works under the gateway's `style-src 'self'` (the component only sets
// element.style properties, which CSP allows).
import { createCalendar, destroyCalendar, Interaction, ResourceTimeGrid, type Calendar } from "@event-calendar/core";
import "@event-calendar/core/index.css";
import type { Appointment, AppointmentType, Location, ProviderSchedule } from "../../gen/clinic/appointments/v1/appointments_pb";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { appointmentTypes, appointments, callTimeoutMs, locations, schedules, staff } from "../shared/api";
import { memberName } from "../account/auth-model";
import { allPages, loadPatientNames, patientName } from "./calendar-data";
import {
  appointmentEvent,
  appointmentWallStart,
  bookingErrorMessage,
  calendarWall,
  closedWeekdays,
  listAppointmentsRequest,
  movedWallStart,
  rescheduleRequest,
  resourceId,
  stateStyle,
  stepDate,
  validColor,
  viewDates,
  visibleAppointments,
  visibleHours,
  workingHourEvents,
  worksAt,
  type CalendarDelta,
  type ViewKind,
} from "./calendar-model";
import { describeCallError } from "../shared/errors";
import { LightElement, announcePage } from "../shared/light-element";
import "./booking-dialog";
import "./appointment-dialog";
import type { BookingDialog } from "./booking-dialog";
import type { AppointmentDialog } from "./appointment-dialog";
import { newRequestId } from "../shared/request-id";
import { describeDate, isKnownZone, offsetString, parseWall, timestampToWall, todayIn, zoneAbbreviation } from "../shared/tz";
import "../shared/no-access";

interface Therapist {
  member: StaffMember;
  schedule?: ProviderSchedule;
}

/** The location id in "locations/{id}". */
const locationId = (name: string) => resourceId(name);

/**
 * <calendar-page>: the front-desk calendar at /staff/calendar. A location
 * and a date (kept in the URL), a day or week view with one column per
 * therapist who works there, appointments coloured by type and styled by
 * state, working hours shaded. Every time is the location's wall time (its
 * IANA zone), whatever the browser's zone.
 */
export class CalendarPage extends LightElement {
  static override properties = {
    locationList: { state: true },
    locationName: { state: true },
    date: { state: true },
    view: { state: true },
    showCancelled: { state: true },
    therapists: { state: true },
    types: { state: true },
    appts: { state: true },
    loading: { state: true },
    error: { state: true },
    notice: { state: true },
    denied: { state: true },
  };
  declare locationList: Location[];
  declare locationName: string;
  declare date: string;
  declare view: ViewKind;
  declare showCancelled: boolean;
  declare therapists: Therapist[];
  declare types: AppointmentType[];
  declare appts: Appointment[];
  declare loading: boolean;
  declare error: string;
  declare notice: string;
  declare denied: boolean;

  private calendar?: Calendar;
  private abort?: AbortController;
  private loadingAppts?: AbortController;
  private ready = false;

  constructor() {
    super();
    const q = new URLSearchParams(location.search);
    this.locationList = [];
    this.locationName = q.get("location") ? `locations/${q.get("location")}` : "";
    const d = q.get("date") ?? "";
    this.date = /^\d{4}-\d{2}-\d{2}$/.test(d) && parseWall(d) ? d : "";
    this.view = q.get("view") === "week" ? "week" : "day";
    this.showCancelled = q.get("cancelled") === "1";
    this.therapists = [];
    this.types = [];
    this.appts = [];
    this.loading = true;
    this.error = "";
    this.notice = "";
    this.denied = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadAll();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    this.loadingAppts?.abort();
    if (this.calendar) void destroyCalendar(this.calendar);
    this.calendar = undefined;
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Calendar");
  }

  get currentLocation(): Location | undefined {
    return this.locationList.find((l) => l.name === this.locationName);
  }

  /** The location's IANA zone (UTC if it has none this browser knows). */
  get zone(): string {
    const z = this.currentLocation?.timeZone ?? "";
    return isKnownZone(z) ? z : "UTC";
  }

  /** The therapists with hours at this location (in the days shown), by name. */
  get columns(): Therapist[] {
    const loc = this.currentLocation;
    if (!loc) return [];
    const dates = this.date ? viewDates(this.date, this.view) : [];
    const working = this.therapists.filter((t) => worksAt(t.schedule, loc, dates));
    // Someone with an appointment here this week gets a column too.
    const withAppts = new Set(this.appts.map((a) => a.therapist));
    const extra = this.therapists.filter((t) => !working.includes(t) && withAppts.has(t.member.name));
    return [...working, ...extra].sort((a, b) => memberName(a.member).localeCompare(memberName(b.member)));
  }

  private async loadAll(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    const opts = { signal: abort.signal, timeoutMs: callTimeoutMs };
    try {
      const [locs, types, members] = await Promise.all([
        allPages(async (pageToken) => {
          const r = await locations.listLocations({ pageSize: 200, pageToken }, opts);
          return { items: r.locations, next: r.nextPageToken };
        }),
        allPages(async (pageToken) => {
          const r = await appointmentTypes.listAppointmentTypes({ pageSize: 200, pageToken, showInactive: true }, opts);
          return { items: r.appointmentTypes, next: r.nextPageToken };
        }),
        allPages(async (pageToken) => {
          const r = await staff.listStaffMembers({ pageSize: 200, pageToken, role: StaffRole.THERAPIST }, opts);
          return { items: r.staffMembers, next: r.nextPageToken };
        }),
      ]);
      const therapists = await Promise.all(
        members.map(async (member): Promise<Therapist> => {
          try {
            const schedule = await schedules.getProviderSchedule({ name: `${member.name}/schedule` }, opts);
            return { member, schedule };
          } catch (err) {
            if (ConnectError.from(err).code === Code.NotFound) return { member };
            throw err;
          }
        }),
      );
      if (abort.signal.aborted) return;
      this.locationList = locs;
      this.types = types;
      this.therapists = therapists;
      if (!locs.some((l) => l.name === this.locationName)) this.locationName = locs[0]?.name ?? "";
      if (!this.date) this.date = todayIn(this.zone);
      this.ready = true;
      this.syncUrl();
      await this.loadAppointments();
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.error = describeCallError(e);
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  /** ListAppointments for the location and the days shown (every page), then the patients' names. */
  async loadAppointments(): Promise<void> {
    const loc = this.currentLocation;
    if (!loc || !this.date) {
      this.appts = [];
      this.syncCalendar();
      return;
    }
    this.loadingAppts?.abort();
    const abort = new AbortController();
    this.loadingAppts = abort;
    this.loading = true;
    this.error = "";
    const zone = this.zone;
    try {
      const list = await allPages(async (pageToken) => {
        const r = await appointments.listAppointments(listAppointmentsRequest(loc.name, this.date, this.view, zone, pageToken), {
          signal: abort.signal,
          timeoutMs: callTimeoutMs,
        });
        return { items: r.appointments, next: r.nextPageToken };
      });
      await loadPatientNames(
        list.map((a) => a.patient),
        abort.signal,
      );
      if (abort.signal.aborted) return;
      this.appts = list;
      this.syncCalendar();
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.error = describeCallError(e);
    } finally {
      if (this.loadingAppts === abort) this.loading = false;
    }
  }

  private syncUrl(): void {
    const q = new URLSearchParams();
    if (this.locationName) q.set("location", locationId(this.locationName));
    if (this.date) q.set("date", this.date);
    if (this.view === "week") q.set("view", "week");
    if (this.showCancelled) q.set("cancelled", "1");
    const url = `/staff/calendar?${q}`;
    if (location.pathname + location.search !== url) history.replaceState(null, "", url);
  }

  // ------------------------------------------------------------ the calendar ---

  private calendarOptions(): Calendar.Options {
    const loc = this.currentLocation;
    const zone = this.zone;
    const columns = this.columns;
    const dates = this.date ? viewDates(this.date, this.view) : [];
    const typeById = new Map(this.types.map((t) => [t.name, t]));
    const events = loc
      ? [
          ...workingHourEvents(
            columns.map((c) => ({ name: c.member.name, schedule: c.schedule })),
            loc,
            dates,
          ),
          ...visibleAppointments(this.appts, this.showCancelled).map((a) =>
            appointmentEvent(a, zone, typeById.get(a.appointmentType), patientName(a.patient)),
          ),
        ]
      : [];
    const hours = visibleHours(loc);
    return {
      view: this.view === "day" ? "resourceTimeGridDay" : "resourceTimeGridWeek",
      date: this.date || undefined,
      // The location's current UTC offset: "today" and the now line are the
      // location's; event times are given as wall times without an offset
      // ("floating"), so they show exactly as the location's clock reads.
      timeZone: offsetString(Date.now(), zone),
      firstDay: 1,
      hiddenDays: this.view === "week" ? (closedWeekdays(loc) as Calendar.dayOfWeek[]) : [],
      headerToolbar: { start: "", center: "", end: "" },
      allDaySlot: false,
      datesAboveResources: this.view === "week",
      nowIndicator: true,
      pointer: true,
      slotDuration: { minutes: loc?.slotMinutes || 15 },
      slotLabelInterval: { minutes: 60 },
      slotMinTime: hours.min,
      slotMaxTime: hours.max,
      flexibleSlotTimeLimits: true,
      scrollTime: hours.min,
      slotHeight: 20,
      height: "70vh",
      editable: true,
      eventDurationEditable: false,
      selectable: false,
      slotLabelFormat: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
      eventTimeFormat: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
      dayHeaderFormat: { weekday: "short", day: "numeric", month: "short" },
      resources: columns.map((c) => ({ id: c.member.name, title: memberName(c.member) })),
      events,
      eventContent: (info) => this.eventContent(info),
      eventDidMount: (info) => this.eventDidMount(info),
      resourceLabelDidMount: (info) => {
        info.el.dataset.resource = String(info.resource.id);
      },
      dateClick: (info) => this.onDateClick(info),
      eventClick: (info) => this.onEventClick(info),
      eventDrop: (info) => void this.onEventDrop(info),
    };
  }

  private syncCalendar(): void {
    const host = this.querySelector<HTMLElement>("#calendar-host");
    if (!host || !this.ready) return;
    const options = this.calendarOptions();
    // Week view: wide enough for every therapist on every day; the page scrolls sideways on a phone.
    const days = this.view === "week" ? 7 - (options.hiddenDays?.length ?? 0) : 1;
    host.style.setProperty("--calendar-columns", String(Math.max(1, days * Math.max(1, this.columns.length))));
    host.classList.toggle("calendar-week", this.view === "week");
    if (!this.calendar) {
      this.calendar = createCalendar(host, [ResourceTimeGrid, Interaction], options);
      for (const [key, value] of Object.entries(options)) {
        if (typeof value !== "function") this.sentOptions.set(key, JSON.stringify(value));
      }
      return;
    }
    // Only what changed (callbacks are set once, at creation).
    for (const [key, value] of Object.entries(options) as Array<[keyof Calendar.Options, unknown]>) {
      if (typeof value === "function") continue;
      const json = JSON.stringify(value);
      if (this.sentOptions.get(key) === json) continue;
      this.sentOptions.set(key, json);
      this.calendar.setOption(key, value as never);
    }
  }

  /** The options last given to the calendar, as JSON. */
  private sentOptions = new Map<string, string>();

  private eventContent(info: Calendar.EventContentInfo): Calendar.Content | undefined {
    if (info.event.display === "background") return undefined;
    const a = this.appts.find((x) => x.name === info.event.id);
    if (!a) return undefined;
    const type = this.types.find((t) => t.name === a.appointmentType);
    const style = stateStyle(a.state);
    const time = document.createElement("time");
    time.textContent = info.timeText;
    const who = document.createElement("strong");
    who.textContent = patientName(a.patient);
    const what = document.createElement("span");
    what.textContent = type?.displayName ?? "Appointment";
    const state = document.createElement("span");
    state.className = "appt-state";
    state.textContent = style.label;
    const nodes: Node[] = [time, document.createTextNode(" "), who, document.createElement("br"), what, document.createTextNode(" · "), state];
    return { domNodes: nodes };
  }

  private eventDidMount(info: Calendar.EventDidMountInfo): void {
    if (info.event.display === "background") return;
    const a = this.appts.find((x) => x.name === info.event.id);
    if (!a) return;
    const type = this.types.find((t) => t.name === a.appointmentType);
    const therapist = this.therapists.find((t) => t.member.name === a.therapist);
    info.el.dataset.appointment = a.name;
    info.el.dataset.state = stateStyle(a.state).className;
    info.el.setAttribute("role", "button");
    info.el.setAttribute(
      "aria-label",
      `${info.timeText} ${patientName(a.patient)}, ${type?.displayName ?? "appointment"} with ${
        therapist ? memberName(therapist.member) : "therapist"
      }, ${stateStyle(a.state).label}`,
    );
  }

  private get bookingDialog(): BookingDialog | null {
    return this.querySelector("booking-dialog");
  }

  private get appointmentDialog(): AppointmentDialog | null {
    return this.querySelector("appointment-dialog");
  }

  private onDateClick(info: Calendar.DateClickInfo): void {
    if (!info.resource) return;
    const wall = calendarWall(info.dateStr);
    if (!wall) return;
    void this.bookingDialog?.open({ therapist: String(info.resource.id), wallStart: wall });
  }

  private onEventClick(info: Calendar.EventClickInfo): void {
    const a = this.appts.find((x) => x.name === info.event.id);
    if (a) void this.appointmentDialog?.open(a);
  }

  private async onEventDrop(info: Calendar.EventDropInfo): Promise<void> {
    const a = this.appts.find((x) => x.name === info.event.id);
    if (!a) {
      info.revert();
      return;
    }
    const zone = this.zone;
    const newWall = movedWallStart(appointmentWallStart(a, zone), info.delta as CalendarDelta);
    const therapist = info.newResource ? String(info.newResource.id) : undefined;
    this.notice = "";
    this.error = "";
    try {
      const moved = await appointments.rescheduleAppointment(rescheduleRequest(a, newWall, zone, newRequestId(), therapist), {
        timeoutMs: callTimeoutMs,
      });
      this.notice = `${patientName(a.patient)} moved to ${describeDateTime(timestampToWall(moved.startTime, zone))}.`;
      await this.loadAppointments();
    } catch (err) {
      info.revert();
      this.error = `Not moved. ${bookingErrorMessage(err).message}`;
      await this.updateComplete;
      this.querySelector<HTMLElement>("#calendar-error")?.focus();
      void this.loadAppointments();
    }
  }

  // ------------------------------------------------------------ controls ---

  private setLocation(name: string): void {
    this.locationName = name;
    this.syncUrl();
    void this.loadAppointments();
  }

  private setDate(date: string): void {
    if (!parseWall(date)) return;
    this.date = date;
    this.syncUrl();
    void this.loadAppointments();
  }

  private setView(view: ViewKind): void {
    this.view = view;
    this.syncUrl();
    void this.loadAppointments();
  }

  private onBooked(e: CustomEvent<Appointment>): void {
    const a = e.detail;
    this.notice = `Booked ${patientName(a.patient)} for ${describeDateTime(timestampToWall(a.startTime, this.zone))}.`;
    void this.loadAppointments();
  }

  private legend() {
    const active = this.types.filter((t) => t.active);
    if (active.length === 0) return nothing;
    return html`<ul class="calendar-legend" aria-label="Appointment types">
      ${active.map(
        (t) => html`<li><span class="swatch" data-color=${validColor(t.color) ?? ""}></span>${t.displayName}</li>`,
      )}
      <li><span class="swatch working"></span>Working hours</li>
    </ul>`;
  }

  protected override updated(): void {
    // Swatch colours through the CSSOM (a style="" attribute is refused by the CSP).
    for (const el of this.querySelectorAll<HTMLElement>(".swatch[data-color]")) {
      if (el.dataset.color) el.style.backgroundColor = el.dataset.color;
    }
    if (this.ready) this.syncCalendar();
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    const loc = this.currentLocation;
    const zone = this.zone;
    const unit = this.view === "day" ? "day" : "week";
    const dates = this.date ? viewDates(this.date, this.view) : [];
    const heading =
      dates.length === 0
        ? ""
        : this.view === "day"
          ? describeDate(dates[0])
          : `${describeDate(dates[0], undefined, false)} – ${describeDate(dates[dates.length - 1], undefined, false)}`;
    const columns = this.columns;
    return html`
      <div class="toolbar">
        <h1>Calendar</h1>
        <button type="button" class="secondary" ?disabled=${!loc || columns.length === 0} @click=${() => this.bookingDialog?.open({ wallStart: `${this.date}T09:00` })}>
          Book appointment…
        </button>
      </div>
      <form class="calendar-controls" @submit=${(e: Event) => e.preventDefault()}>
        <div>
          <label for="cal-location">Location</label>
          <select id="cal-location" ?disabled=${this.locationList.length === 0} @change=${(e: Event) => this.setLocation((e.target as HTMLSelectElement).value)}>
            ${this.locationList.map((l) => html`<option value=${l.name} ?selected=${l.name === this.locationName}>${l.displayName}</option>`)}
          </select>
        </div>
        <div>
          <label for="cal-date">Date</label>
          <input id="cal-date" type="date" .value=${this.date} @change=${(e: Event) => this.setDate((e.target as HTMLInputElement).value)} />
        </div>
        <div role="group" aria-label="Move" class="calendar-steps">
          <button type="button" class="secondary outline" aria-label="Previous ${unit}" @click=${() => this.setDate(stepDate(this.date, this.view, -1))}>
            ‹
          </button>
          <button type="button" class="secondary outline" @click=${() => this.setDate(todayIn(zone))}>Today</button>
          <button type="button" class="secondary outline" aria-label="Next ${unit}" @click=${() => this.setDate(stepDate(this.date, this.view, 1))}>›</button>
        </div>
        <div role="group" aria-label="View" class="calendar-views">
          <button type="button" class=${this.view === "day" ? "" : "secondary outline"} aria-pressed=${this.view === "day" ? "true" : "false"} @click=${() => this.setView("day")}>
            Day
          </button>
          <button type="button" class=${this.view === "week" ? "" : "secondary outline"} aria-pressed=${this.view === "week" ? "true" : "false"} @click=${() => this.setView("week")}>
            Week
          </button>
        </div>
        <label class="calendar-cancelled">
          <input
            type="checkbox"
            role="switch"
            .checked=${this.showCancelled}
            @change=${(e: Event) => {
              this.showCancelled = (e.target as HTMLInputElement).checked;
              this.syncUrl();
            }}
          />
          Show cancelled
        </label>
      </form>
      <h2 class="calendar-title" id="calendar-title">
        ${heading}${loc ? html` <small class="muted">· ${loc.displayName} · times in ${zone} (${zoneAbbreviation(Date.now(), zone)})</small>` : nothing}
      </h2>
      ${this.error
        ? html`<div class="notice error" role="alert" id="calendar-error" tabindex="-1">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => (this.ready ? this.loadAppointments() : this.loadAll())}>Try again</button>
          </div>`
        : nothing}
      <div role="status" aria-live="polite" id="calendar-status">
        ${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}
        ${this.loading
          ? html`<p aria-busy="true">Loading…</p>`
          : !loc && this.ready
            ? html`<p>No locations yet.</p>`
            : loc && columns.length === 0
              ? html`<p>No therapist works at ${loc.displayName} ${this.view === "day" ? "on this day" : "this week"}.</p>`
              : html`<p class="muted">
                  ${this.appts.filter((a) => stateStyle(a.state).active).length} active appointment(s). Click an empty time to book;
                  click an appointment for details; drag it to move it.
                </p>`}
      </div>
      ${this.legend()}
      <div class="calendar-scroll" aria-labelledby="calendar-title" role="region">
        <div id="calendar-host"></div>
      </div>
      <booking-dialog
        .location=${loc}
        .zone=${zone}
        .therapists=${columns.length ? columns : this.therapists}
        .types=${this.types}
        @booked=${this.onBooked}
        @slot-taken=${() => this.loadAppointments()}
      ></booking-dialog>
      <appointment-dialog
        .location=${loc}
        .zone=${zone}
        .therapists=${this.therapists.map((t) => t.member)}
        .types=${this.types}
        @changed=${() => this.loadAppointments()}
      ></appointment-dialog>
    `;
  }
}

function describeDateTime(wall: string): string {
  return `${describeDate(wall.slice(0, 10), undefined, false)} ${wall.slice(11, 16)}`;
}

customElements.define("calendar-page", CalendarPage);
