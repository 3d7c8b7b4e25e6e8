import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
// The calendar component (vkurko/calendar, MIT). Its CSS is a file Vite
// bundles into the staff stylesheet: nothing is injected at run time, so it
// works under the gateway's `style-src 'self'` (the component only sets
// element.style properties, which CSP allows).
import { createCalendar, destroyCalendar, Interaction, ResourceTimeGrid, type Calendar } from "@event-calendar/core";
import "@event-calendar/core/index.css";
// The calendar's own rules (buffers, the week view's larger rows, the list view).
import "./calendar.css";
import type { Appointment, AppointmentType, Location, ProviderSchedule } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { Patient } from "../../gen/clinic/patients/v1/patients_pb";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { appointmentTypes, appointments, callTimeoutMs, locations, schedules, staff } from "../shared/api";
import { currentMember } from "../account/auth";
import { hasRole, memberName } from "../account/auth-model";
import { displayName } from "../patients/patient-model";
import { allPages, knownPatientName, loadPatient, loadPatientNames, patientName, rememberStaff } from "./calendar-data";
import {
  appointmentEvent,
  appointmentLine,
  appointmentWallStart,
  bookingErrorMessage,
  bufferEvents,
  calendarCallError,
  calendarWall,
  closedWeekdays,
  listAppointmentsRequest,
  listDays,
  movedWallStart,
  ownColumnFirst,
  rescheduleRequest,
  resourceId,
  stateStyle,
  stepDate,
  therapistLocation,
  validColor,
  viewDates,
  viewFromParam,
  visibleAppointments,
  visibleHours,
  workingHourEvents,
  worksAt,
  type CalendarDelta,
  type ViewKind,
} from "./calendar-model";
import { LightElement, announcePage } from "../shared/light-element";
import "./booking-dialog";
import "./appointment-dialog";
// The waitlist page lives with the calendar; defined here too, so the app has it whenever it has the calendar.
import "./waitlist-page";
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

/** "patients/{id}" of the calendar's ?patient= ("patients/{id}" or the bare id), or "". */
function patientParam(value: string | null): string {
  const v = (value ?? "").trim();
  const id = v.startsWith("patients/") ? v.slice("patients/".length) : v;
  return /^[A-Za-z0-9_-]{1,64}$/.test(id) ? `patients/${id}` : "";
}

/** Rows of 15 minutes (the slot grid) are this many pixels high: taller in the week view, where columns are narrow. */
const slotHeights: Record<ViewKind, number> = { day: 24, week: 32, list: 24 };

/**
 * <calendar-page>: the front-desk calendar at /staff/calendar. A location
 * and a date (kept in the URL), a day or week view with one column per
 * therapist who works there, appointments coloured by type and styled by
 * state, their buffers hatched, working hours shaded; or a list of one
 * therapist's week. Every time is the location's wall time (its IANA zone),
 * whatever the browser's zone. A therapist's calendar opens where they work
 * today, with their own column first. With ?patient=patients/<id> it books
 * for that patient (a banner says so; the booking dialog has them chosen).
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
    listTherapist: { state: true },
    bookingFor: { state: true },
    bookingForProblem: { state: true },
    dialogLocationName: { state: true },
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
  /** The therapist whose week the list view shows ("staff/…"). */
  declare listTherapist: string;
  /** The patient being booked for (?patient=), once read. */
  declare bookingFor: Patient | undefined;
  declare bookingForProblem: string;
  /** The location of the appointment the appointment dialog shows (the list view spans locations). */
  declare dialogLocationName: string;

  private calendar?: Calendar;
  /** ?location= was given: a therapist's calendar does not move to where they work today. */
  private locationFromUrl = false;
  /** "patients/{id}" of ?patient=. */
  private bookingForName = "";
  private abort?: AbortController;
  private loadingAppts?: AbortController;
  private ready = false;

  constructor() {
    super();
    const q = new URLSearchParams(location.search);
    this.locationList = [];
    this.locationName = q.get("location") ? `locations/${q.get("location")}` : "";
    this.locationFromUrl = !!this.locationName;
    const d = q.get("date") ?? "";
    this.date = /^\d{4}-\d{2}-\d{2}$/.test(d) && parseWall(d) ? d : "";
    this.view = viewFromParam(q.get("view"));
    this.showCancelled = q.get("cancelled") === "1";
    this.listTherapist = q.get("therapist") ? `staff/${q.get("therapist")}` : "";
    this.bookingForName = patientParam(q.get("patient"));
    this.bookingFor = undefined;
    this.bookingForProblem = "";
    this.dialogLocationName = "";
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

  /** The signed-in member's name when they are a therapist ("staff/…"), else "". */
  get ownTherapist(): string {
    const me = currentMember();
    return me && hasRole(me, StaffRole.THERAPIST) ? me.name : "";
  }

  /** The therapists with hours at this location (in the days shown), by name; the signed-in therapist first. */
  get columns(): Therapist[] {
    const loc = this.currentLocation;
    if (!loc) return [];
    const dates = this.date ? viewDates(this.date, this.view) : [];
    const working = this.therapists.filter((t) => worksAt(t.schedule, loc, dates));
    // Someone with an appointment here this week gets a column too.
    const withAppts = new Set(this.appts.filter((a) => a.location === loc.name).map((a) => a.therapist));
    const extra = this.therapists.filter((t) => !working.includes(t) && withAppts.has(t.member.name));
    const sorted = [...working, ...extra].sort((a, b) => memberName(a.member).localeCompare(memberName(b.member)));
    return ownColumnFirst(sorted, this.ownTherapist);
  }

  /** Every therapist, by name (the signed-in one first): the list view's choice. */
  get allTherapists(): Therapist[] {
    const sorted = [...this.therapists].sort((a, b) => memberName(a.member).localeCompare(memberName(b.member)));
    return ownColumnFirst(sorted, this.ownTherapist);
  }

  /** A location's IANA zone (UTC if this browser does not know it). */
  zoneOf(name: string): string {
    const z = this.locationList.find((l) => l.name === name)?.timeZone ?? "";
    return isKnownZone(z) ? z : this.zone;
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
      therapists.forEach((t) => rememberStaff(t.member));
      const me = currentMember();
      if (me) rememberStaff(me);
      // A therapist's calendar opens where they work today (or at their home location).
      const own = this.ownTherapist;
      if (own && !this.locationFromUrl) {
        const mine = therapists.find((t) => t.member.name === own);
        const where = therapistLocation(mine?.schedule, me?.homeLocations ?? [], locs, Date.now());
        if (where) this.locationName = where;
      }
      if (!locs.some((l) => l.name === this.locationName)) this.locationName = locs[0]?.name ?? "";
      if (!this.date) this.date = todayIn(this.zone);
      if (!this.therapists.some((t) => t.member.name === this.listTherapist)) {
        this.listTherapist = own || this.columns[0]?.member.name || this.allTherapists[0]?.member.name || "";
      }
      this.ready = true;
      this.syncUrl();
      void this.loadBookingFor(abort.signal);
      await this.loadAppointments();
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = ConnectError.from(err);
      if (e.code === Code.Canceled) return;
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.error = calendarCallError(e, "The calendar could not be loaded.");
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  /** The patient of ?patient=, for the banner and the booking dialog. */
  private async loadBookingFor(signal: AbortSignal): Promise<void> {
    if (!this.bookingForName) return;
    const p = await loadPatient(this.bookingForName, signal);
    if (signal.aborted) return;
    this.bookingFor = p;
    this.bookingForProblem = p ? "" : "The patient to book for could not be read; search for them in the booking dialog.";
  }

  /** Stops booking for the patient of ?patient=. */
  private stopBookingFor(): void {
    this.bookingFor = undefined;
    this.bookingForName = "";
    this.bookingForProblem = "";
    this.syncUrl();
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
    // The list view is one therapist's week, at every location.
    const therapist = this.view === "list" ? this.listTherapist : "";
    if (this.view === "list" && !therapist) {
      this.appts = [];
      this.loading = false;
      return;
    }
    try {
      const list = await allPages(async (pageToken) => {
        const r = await appointments.listAppointments(listAppointmentsRequest(loc.name, this.date, this.view, zone, pageToken, therapist), {
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
      else this.error = calendarCallError(e, "The appointments could not be loaded.");
    } finally {
      if (this.loadingAppts === abort) this.loading = false;
    }
  }

  private syncUrl(): void {
    const q = new URLSearchParams();
    if (this.locationName) q.set("location", locationId(this.locationName));
    if (this.date) q.set("date", this.date);
    if (this.view !== "day") q.set("view", this.view);
    if (this.view === "list" && this.listTherapist) q.set("therapist", resourceId(this.listTherapist));
    if (this.showCancelled) q.set("cancelled", "1");
    if (this.bookingForName) q.set("patient", this.bookingForName);
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
    const shown = visibleAppointments(this.appts, this.showCancelled).filter((a) => !loc || a.location === loc.name);
    const events = loc
      ? [
          ...workingHourEvents(
            columns.map((c) => ({ name: c.member.name, schedule: c.schedule })),
            loc,
            dates,
          ),
          ...bufferEvents(shown, zone, (name) => typeById.get(name), patientName),
          ...shown.map((a) => appointmentEvent(a, zone, typeById.get(a.appointmentType), patientName(a.patient))),
        ]
      : [];
    const hours = visibleHours(loc);
    return {
      view: this.view === "week" ? "resourceTimeGridWeek" : "resourceTimeGridDay",
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
      // Rows per slot: a 20-minute appointment has room for the patient's name and the type.
      slotHeight: Math.round((slotHeights[this.view] * (loc?.slotMinutes || 15)) / 15),
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
    if (!this.ready) return;
    if (!host || this.view === "list") {
      // The list view draws no grid.
      this.dropCalendar();
      return;
    }
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

  private dropCalendar(): void {
    if (this.calendar) void destroyCalendar(this.calendar);
    this.calendar = undefined;
    this.sentOptions.clear();
  }

  /** The options last given to the calendar, as JSON. */
  private sentOptions = new Map<string, string>();

  private therapistName(name: string): string {
    const t = this.therapists.find((x) => x.member.name === name);
    return t ? memberName(t.member) : "the therapist";
  }

  /**
   * An appointment's text: the time, the patient's name, the type and the
   * state in the day view; in the week view (narrow columns) the name and
   * the type only, each on its own line and wrapped rather than cut — the
   * tooltip has the whole line.
   */
  private eventContent(info: Calendar.EventContentInfo): Calendar.Content | undefined {
    if (info.event.display === "background") return undefined;
    const a = this.appts.find((x) => x.name === info.event.id);
    if (!a) return undefined;
    const type = this.types.find((t) => t.name === a.appointmentType);
    const style = stateStyle(a.state);
    const who = document.createElement("strong");
    who.className = "appt-who";
    who.textContent = patientName(a.patient);
    const what = document.createElement("span");
    what.className = "appt-what";
    what.textContent = type?.displayName ?? "Appointment";
    if (this.view === "week") return { domNodes: [who, what] };
    // Two lines (the event's body lays out its children as a column).
    const time = document.createElement("time");
    time.textContent = info.timeText;
    const state = document.createElement("span");
    state.className = "appt-state";
    state.textContent = style.label;
    const first = document.createElement("div");
    first.append(time, " ", who);
    const second = document.createElement("div");
    second.append(what, " · ", state);
    return { domNodes: [first, second] };
  }

  private eventDidMount(info: Calendar.EventDidMountInfo): void {
    if (info.event.display === "background") {
      const props = info.event.extendedProps ?? {};
      if (props.kind === "buffer") {
        info.el.dataset.bufferOf = String(props.appointment ?? "");
        info.el.dataset.buffer = String(props.side ?? "");
        info.el.title = String(props.title ?? "Buffer time");
      }
      return;
    }
    const a = this.appts.find((x) => x.name === info.event.id);
    if (!a) return;
    const type = this.types.find((t) => t.name === a.appointmentType);
    const therapist = this.therapistName(a.therapist);
    info.el.dataset.appointment = a.name;
    info.el.dataset.state = stateStyle(a.state).className;
    info.el.setAttribute("role", "button");
    info.el.title = appointmentLine(a, this.zone, type?.displayName, patientName(a.patient), therapist);
    info.el.setAttribute(
      "aria-label",
      `${info.timeText} ${patientName(a.patient)}, ${type?.displayName ?? "appointment"} with ${therapist}, ${stateStyle(a.state).label}`,
    );
  }

  private get bookingDialog(): BookingDialog | null {
    return this.querySelector("booking-dialog");
  }

  private get appointmentDialog(): AppointmentDialog | null {
    return this.querySelector("appointment-dialog");
  }

  private openBooking(slot: { therapist?: string; wallStart?: string }): void {
    void this.bookingDialog?.open({ ...slot, patient: this.bookingFor });
  }

  private onDateClick(info: Calendar.DateClickInfo): void {
    if (!info.resource) return;
    const wall = calendarWall(info.dateStr);
    if (!wall) return;
    this.openBooking({ therapist: String(info.resource.id), wallStart: wall });
  }

  private openAppointment(a: Appointment): void {
    this.dialogLocationName = a.location;
    void this.appointmentDialog?.open(a);
  }

  private onEventClick(info: Calendar.EventClickInfo): void {
    const a = this.appts.find((x) => x.name === info.event.id);
    if (a) this.openAppointment(a);
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
      const { message } = bookingErrorMessage(err, {
        therapistName: this.therapistName(therapist ?? a.therapist),
        patientName: patientName(a.patient),
        typeName: this.types.find((t) => t.name === a.appointmentType)?.displayName,
        locationName: this.currentLocation?.displayName,
        wallStart: newWall,
      });
      this.error = `Not moved. ${message}`;
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
    if (view === "list" && !this.listTherapist) this.listTherapist = this.ownTherapist || this.columns[0]?.member.name || "";
    this.syncUrl();
    void this.loadAppointments();
  }

  private setListTherapist(name: string): void {
    this.listTherapist = name;
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
    if (active.length === 0 || this.view === "list") return nothing;
    return html`<ul class="calendar-legend" aria-label="Appointment types">
      ${active.map(
        (t) => html`<li><span class="swatch" data-color=${validColor(t.color) ?? ""}></span>${t.displayName}</li>`,
      )}
      <li><span class="swatch working"></span>Working hours</li>
      <li><span class="swatch buffer"></span>Buffer (no appointment can start)</li>
    </ul>`;
  }

  /** The banner of ?patient=: who is being booked for. */
  private bookingForBanner() {
    if (!this.bookingForName) return nothing;
    if (this.bookingForProblem) {
      return html`<div class="notice warning booking-for" id="calendar-booking-for"><p>${this.bookingForProblem}</p></div>`;
    }
    const p = this.bookingFor;
    const name = p ? displayName(p) : (knownPatientName(this.bookingForName) ?? "");
    return html`<div class="notice booking-for" id="calendar-booking-for" role="status">
      ${name
        ? html`<p>
            <strong>Booking for ${name}</strong>. Click a free time to book; the booking dialog has ${name} chosen.
            <a href="/staff/patients/${encodeURIComponent(resourceId(this.bookingForName))}">${name}'s record</a>
          </p>`
        : html`<p aria-busy="true">Loading the patient to book for…</p>`}
      <button type="button" class="secondary outline" @click=${() => this.stopBookingFor()}>Stop booking for this patient</button>
    </div>`;
  }

  /** The list view: the therapist's week, a heading per day and a line per appointment. */
  private listView() {
    const dates = this.date ? viewDates(this.date, "list") : [];
    const who = this.therapistName(this.listTherapist);
    const typeById = new Map(this.types.map((t) => [t.name, t]));
    const loc = this.currentLocation;
    const days = listDays(this.appts, this.listTherapist, dates, (l) => this.zoneOf(l), this.showCancelled);
    // Days the location is closed are left out when nothing is booked on them.
    const closed = new Set(closedWeekdays(loc));
    const shown = days.filter((d) => d.lines.length > 0 || !closed.has(new Date(`${d.date}T12:00:00Z`).getUTCDay()));
    return html`<section class="calendar-list" id="calendar-list" aria-label="${who}'s week">
      ${shown.map(
        (d) => html`<h3>${describeDate(d.date)}</h3>
          ${d.lines.length === 0
            ? html`<p class="muted">No appointments.</p>`
            : html`<ul>
                ${d.lines.map(({ appointment: a, start, end }) => {
                  const style = stateStyle(a.state);
                  const elsewhere = loc && a.location !== loc.name ? this.locationList.find((l) => l.name === a.location)?.displayName : "";
                  return html`<li>
                    <button type="button" class="appt-line ${style.className}" data-appointment=${a.name} @click=${() => this.openAppointment(a)}>
                      <time>${start}–${end}</time>
                      <strong>${patientName(a.patient)}</strong>
                      <span>${typeById.get(a.appointmentType)?.displayName ?? "Appointment"}</span>
                      <span class="badge state ${style.className}">${style.label}</span>
                      ${elsewhere ? html`<small class="muted">at ${elsewhere}</small>` : nothing}
                    </button>
                  </li>`;
                })}
              </ul>`}`,
      )}
    </section>`;
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
    const listing = this.view === "list";
    const viewButton = (view: ViewKind, label: string) =>
      html`<button
        type="button"
        class=${this.view === view ? "" : "secondary outline"}
        aria-pressed=${this.view === view ? "true" : "false"}
        @click=${() => this.setView(view)}
      >
        ${label}
      </button>`;
    const dialogLocation = this.locationList.find((l) => l.name === this.dialogLocationName) ?? loc;
    return html`
      <div class="toolbar">
        <h1>Calendar</h1>
        <button type="button" class="secondary" ?disabled=${!loc || columns.length === 0} @click=${() => this.openBooking({ wallStart: `${this.date}T09:00` })}>
          Book appointment…
        </button>
      </div>
      ${this.bookingForBanner()}
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
        ${listing
          ? html`<div>
              <label for="cal-therapist">Therapist</label>
              <select id="cal-therapist" @change=${(e: Event) => this.setListTherapist((e.target as HTMLSelectElement).value)}>
                ${this.allTherapists.map(
                  (t) => html`<option value=${t.member.name} ?selected=${t.member.name === this.listTherapist}>${memberName(t.member)}</option>`,
                )}
              </select>
            </div>`
          : nothing}
        <div role="group" aria-label="Move" class="calendar-steps">
          <button type="button" class="secondary outline" aria-label="Previous ${unit}" @click=${() => this.setDate(stepDate(this.date, this.view, -1))}>
            ‹
          </button>
          <button type="button" class="secondary outline" @click=${() => this.setDate(todayIn(zone))}>Today</button>
          <button type="button" class="secondary outline" aria-label="Next ${unit}" @click=${() => this.setDate(stepDate(this.date, this.view, 1))}>›</button>
        </div>
        <div role="group" aria-label="View" class="calendar-views">${viewButton("day", "Day")} ${viewButton("week", "Week")} ${viewButton("list", "List")}</div>
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
        ${listing && this.listTherapist ? `${this.therapistName(this.listTherapist)} · ` : ""}${heading}${loc
          ? html` <small class="muted">· ${listing ? "" : `${loc.displayName} · `}times in ${zone} (${zoneAbbreviation(Date.now(), zone)})</small>`
          : nothing}
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
            : listing
              ? html`<p class="muted">
                  ${this.appts.filter((a) => a.therapist === this.listTherapist && stateStyle(a.state).active).length} active appointment(s) this
                  week. Click one for details.
                </p>`
              : loc && columns.length === 0
                ? html`<p>No therapist works at ${loc.displayName} ${this.view === "day" ? "on this day" : "this week"}.</p>`
                : html`<p class="muted">
                    ${this.appts.filter((a) => a.location === loc?.name && stateStyle(a.state).active).length} active appointment(s). Click an
                    empty time to book; click an appointment for details; drag it to move it.
                  </p>`}
      </div>
      ${this.legend()}
      ${listing
        ? this.listView()
        : html`<div class="calendar-scroll" aria-labelledby="calendar-title" role="region">
            <div id="calendar-host"></div>
          </div>`}
      <booking-dialog
        .location=${loc}
        .zone=${zone}
        .therapists=${columns.length ? columns : this.therapists}
        .types=${this.types}
        @booked=${this.onBooked}
        @slot-taken=${() => this.loadAppointments()}
      ></booking-dialog>
      <appointment-dialog
        .location=${dialogLocation}
        .zone=${dialogLocation ? this.zoneOf(dialogLocation.name) : zone}
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
