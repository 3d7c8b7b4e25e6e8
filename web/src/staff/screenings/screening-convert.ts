import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { AppointmentType, Location, ProviderSchedule, Slot } from "../../gen/clinic/appointments/v1/appointments_pb";
import { AppointmentState } from "../../gen/clinic/appointments/v1/appointments_pb";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { Screening } from "../../gen/clinic/screenings/v1/screenings_pb";
import type { ConvertScreeningResponse } from "../../gen/clinic/screenings/v1/screenings_service_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { memberName } from "../account/auth-model";
import { durationMinutes } from "../calendar/calendar-model";
import { contactName } from "../contacts/contacts-model";
import { appointmentTypes, appointments, callTimeoutMs, schedules, screenings, staff } from "../shared/api";
import { loadLocations } from "../shared/directory";
import { FormState, ariaDescribedBy } from "../shared/form";
import { LightElement } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { isKnownZone, timestampToMs, timestampToWall, todayIn, zoneAbbreviation } from "../shared/tz";
import {
  bookedLine,
  canSearch,
  checkConvert,
  contactRequestLine,
  convertFailure,
  convertFormErrors,
  convertKey,
  convertLabels,
  convertRequest,
  convertView,
  dayWords,
  defaultLocation,
  defaultTherapist,
  defaultTypeName,
  describeConvertError,
  fittingTypes,
  keepsRequestId,
  maxNotes,
  nextOpenRequest,
  nextWeekday,
  noOpenTimes,
  sameSlot,
  scheduleLocations,
  slotDay,
  slotsOfDay,
  slotsRequest,
  timeWords,
  type BookedEvaluation,
  type ConvertField,
  type ConvertValues,
  type SlotQuery,
} from "./convert-model";
import { staffName } from "./screening-data";

/** The input of each field (a violation of start_time is shown at the open times). */
const inputIds: Record<ConvertField, string> = {
  location: "cv-location",
  appointment_type: "cv-type",
  therapist: "cv-therapist",
  start_time: "cv-times",
  notes: "cv-notes",
};

/** Sent (bubbling) with ConvertScreening's response after the evaluation is booked. */
export type ConvertedEvent = CustomEvent<ConvertScreeningResponse>;

/** The browser's zone, when a location's is missing or unknown. */
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * <screening-convert>: on a completed screening whose outcome is a PT
 * evaluation, "Book the initial evaluation": location, appointment type
 * (the initial evaluation chosen), therapist (the screening's), a day (the
 * next weekday; when it has no open times, the next day that has some), the
 * day's open times (FindAvailableSlots) as buttons in the location's wall
 * time, notes, and "Book initial evaluation" → ConvertScreening with a
 * request_id kept for a retry after no answer. Once booked (or when the
 * screening already has its evaluation: GetAppointment), the line "Initial
 * evaluation booked: …". Sends `screening-converted` (detail: the response)
 * and, when the screening changed meanwhile, `screening-stale`. Nothing for
 * other screenings.
 */
export class ScreeningConvert extends LightElement {
  static override properties = {
    screening: { attribute: false },
    patientName: { attribute: false },
    loadingChoices: { state: true },
    choicesError: { state: true },
    locationList: { state: true },
    types: { state: true },
    therapists: { state: true },
    therapist: { state: true },
    location: { state: true },
    typeName: { state: true },
    day: { state: true },
    slots: { state: true },
    slotsLoading: { state: true },
    slotsError: { state: true },
    nextOpen: { state: true },
    chosen: { state: true },
    notes: { state: true },
    booked: { state: true },
    bookedLoading: { state: true },
    bookedError: { state: true },
    contactLine: { state: true },
  };
  declare screening: Screening | undefined;
  /** The patient's name, for "… already has an appointment at that time". */
  declare patientName: string;
  declare loadingChoices: boolean;
  declare choicesError: string;
  declare locationList: Location[];
  /** Active appointment types. */
  declare types: AppointmentType[];
  declare therapists: StaffMember[];
  declare therapist: string;
  declare location: string;
  declare typeName: string;
  /** The local day whose open times are shown, "YYYY-MM-DD". */
  declare day: string;
  /** The day's open times (the therapist's, at the location). */
  declare slots: Slot[];
  declare slotsLoading: boolean;
  declare slotsError: string;
  /** The next day with open times after an empty `day`, or "". */
  declare nextOpen: string;
  declare chosen: Slot | undefined;
  declare notes: string;
  /** The booked evaluation in words, once known (for `bookedFor`). */
  declare booked: (BookedEvaluation & { cancelled: boolean }) | undefined;
  declare bookedLoading: boolean;
  declare bookedError: string;
  /** "The contact request … is marked converted.", or "". */
  declare contactLine: string;

  private form = new FormState<ConvertField>(this, {
    idOf: (f) => inputIds[f],
    summaryId: "convert-problems",
    read: (err) => convertFormErrors(err, { names: this.names(), patientName: this.patientName }),
  });

  /** The appointment `booked` describes. */
  private bookedFor = "";
  private choicesFor = "";
  /** The person chose the day (no automatic move to the next open day then) or the location. */
  private dayChosen = false;
  private locationChosen = false;
  private requestId = "";
  private lastKey = "";
  private schedulesByTherapist = new Map<string, ProviderSchedule | undefined>();
  private abort?: AbortController;
  private slotsAbort?: AbortController;

  constructor() {
    super();
    this.screening = undefined;
    this.patientName = "";
    this.loadingChoices = false;
    this.choicesError = "";
    this.locationList = [];
    this.types = [];
    this.therapists = [];
    this.therapist = "";
    this.location = "";
    this.typeName = "";
    this.day = "";
    this.slots = [];
    this.slotsLoading = false;
    this.slotsError = "";
    this.nextOpen = "";
    this.chosen = undefined;
    this.notes = "";
    this.booked = undefined;
    this.bookedLoading = false;
    this.bookedError = "";
    this.contactLine = "";
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    this.slotsAbort?.abort();
    super.disconnectedCallback();
  }

  protected override willUpdate(): void {
    const s = this.screening;
    const view = convertView(s);
    if (!s || view === "none") return;
    if (view === "book" && this.choicesFor !== s.name) {
      this.choicesFor = s.name;
      void this.loadChoices(s);
    } else if (view === "booked" && this.bookedFor !== s.evaluationAppointment && !this.bookedLoading) {
      void this.loadBooked(s);
    }
  }

  // -------------------------------------------------------- names ---

  /** Resource names → names, for messages. */
  private names(): Map<string, string> {
    const names = new Map<string, string>();
    for (const l of this.locationList) names.set(l.name, l.displayName);
    for (const t of this.types) names.set(t.name, t.displayName);
    for (const m of this.therapists) names.set(m.name, memberName(m));
    if (this.screening && this.patientName) names.set(this.screening.patient, this.patientName);
    return names;
  }

  private get currentLocation(): Location | undefined {
    return this.locationList.find((l) => l.name === this.location);
  }

  private get zone(): string {
    const z = this.currentLocation?.timeZone ?? "";
    return isKnownZone(z) ? z : browserZone();
  }

  private get member(): StaffMember | undefined {
    return this.therapists.find((m) => m.name === this.therapist);
  }

  private get offeredTypes(): AppointmentType[] {
    return fittingTypes(this.types, this.member);
  }

  private get query(): SlotQuery {
    return { appointmentType: this.typeName, location: this.location, therapist: this.therapist, day: this.day };
  }

  // -------------------------------------------------------- loading the choices ---

  private async loadChoices(s: Screening): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const opts = { signal: abort.signal, timeoutMs: callTimeoutMs };
    this.loadingChoices = true;
    this.choicesError = "";
    try {
      const [locs, types, therapists] = await Promise.all([
        loadLocations(),
        (async () => {
          const out: AppointmentType[] = [];
          let pageToken = "";
          for (let i = 0; i < 10; i++) {
            const r = await appointmentTypes.listAppointmentTypes({ pageSize: 200, pageToken }, opts);
            out.push(...r.appointmentTypes);
            pageToken = r.nextPageToken;
            if (!pageToken) break;
          }
          return out.filter((t) => t.active);
        })(),
        (async () => {
          const out: StaffMember[] = [];
          let pageToken = "";
          for (let i = 0; i < 10; i++) {
            const r = await staff.listStaffMembers({ pageSize: 200, pageToken, role: StaffRole.THERAPIST }, opts);
            out.push(...r.staffMembers);
            pageToken = r.nextPageToken;
            if (!pageToken) break;
          }
          return out.sort((a, b) => memberName(a).localeCompare(memberName(b)));
        })(),
      ]);
      if (abort.signal.aborted) return;
      this.locationList = locs;
      this.types = types;
      this.therapists = therapists;
      await this.useTherapist(defaultTherapist(therapists, s.therapist), { reload: false });
      if (abort.signal.aborted) return;
      this.day = nextWeekday(todayIn(this.zone));
      this.dayChosen = false;
      this.loadingChoices = false;
      await this.loadSlots();
    } catch (err) {
      if (abort.signal.aborted) return;
      this.choicesFor = "";
      this.choicesError = `The choices for the evaluation could not be loaded. ${describeConvertError(err, this.names())}`;
    } finally {
      if (this.abort === abort) this.loadingChoices = false;
    }
  }

  /** A therapist's weekly schedule (once; none when it cannot be read: the location is not guessed then). */
  private async scheduleOf(therapist: string): Promise<ProviderSchedule | undefined> {
    if (this.schedulesByTherapist.has(therapist)) return this.schedulesByTherapist.get(therapist);
    let schedule: ProviderSchedule | undefined;
    try {
      schedule = await schedules.getProviderSchedule({ name: `${therapist}/schedule` }, { timeoutMs: callTimeoutMs });
    } catch {
      schedule = undefined;
    }
    this.schedulesByTherapist.set(therapist, schedule);
    return schedule;
  }

  /** Chooses a therapist: the location they work at (unless the person chose one), a type they may deliver, the open times. */
  private async useTherapist(therapist: string, options: { reload: boolean }): Promise<void> {
    this.therapist = therapist;
    this.form.clearField("therapist");
    const schedule = therapist ? await this.scheduleOf(therapist) : undefined;
    if (this.therapist !== therapist) return;
    if (!this.locationChosen) {
      this.location = defaultLocation(this.locationList, {
        worksAt: scheduleLocations(schedule),
        home: this.member?.homeLocations ?? [],
        current: this.location,
      });
    }
    this.typeName = defaultTypeName(this.offeredTypes, this.typeName);
    if (options.reload) await this.loadSlots();
  }

  // -------------------------------------------------------- open times ---

  /**
   * The day's open times. A day without any: the next day that has some
   * (FindAvailableSlots over the following days, the earliest slot only) —
   * shown at once while the day is the default one, else offered.
   */
  private async loadSlots(jumped = false): Promise<void> {
    this.slotsAbort?.abort();
    const q = this.query;
    if (!canSearch(q)) {
      this.slots = [];
      this.nextOpen = "";
      this.slotsError = "";
      this.chosen = undefined;
      this.slotsLoading = false;
      return;
    }
    const abort = new AbortController();
    this.slotsAbort = abort;
    const opts = { signal: abort.signal, timeoutMs: callTimeoutMs };
    this.slotsLoading = true;
    this.slotsError = "";
    this.nextOpen = "";
    try {
      const res = await appointments.findAvailableSlots(slotsRequest(q), opts);
      if (abort.signal.aborted) return;
      const list = slotsOfDay(res.slots, q.therapist, q.day);
      if (list.length === 0) {
        const next = await appointments.findAvailableSlots(nextOpenRequest(q), opts);
        if (abort.signal.aborted) return;
        const nextDay = next.slots[0] ? slotDay(next.slots[0].localStart) : "";
        if (nextDay && !this.dayChosen && !jumped) {
          this.day = nextDay;
          await this.loadSlots(true);
          return;
        }
        this.nextOpen = nextDay;
      }
      this.slots = list;
      if (!list.some((s) => sameSlot(s, this.chosen))) this.chosen = undefined;
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.slots = [];
      this.chosen = undefined;
      this.slotsError = `The open times could not be loaded. ${describeConvertError(err, this.names())}`;
    } finally {
      if (this.slotsAbort === abort) this.slotsLoading = false;
    }
  }

  private choose(slot: Slot): void {
    this.chosen = slot;
    this.form.clearField("start_time");
  }

  private onDay(value: string): void {
    if (value === this.day) return;
    this.day = value;
    this.dayChosen = true;
    this.chosen = undefined;
    void this.loadSlots();
  }

  // -------------------------------------------------------- booking ---

  private get values(): ConvertValues {
    return {
      location: this.location,
      appointmentType: this.typeName,
      therapist: this.therapist,
      startTime: this.chosen?.startTime,
      notes: this.notes,
    };
  }

  private async book(e: Event): Promise<void> {
    e.preventDefault();
    const s = this.screening;
    const slot = this.chosen;
    if (!s || this.form.busy) return;
    const values = this.values;
    const check = checkConvert(values);
    if (Object.keys(check.fields).length > 0) {
      await this.form.show(check);
      return;
    }
    // The same booking sent again after no answer keeps its request_id; anything else is a new attempt.
    const key = convertKey(s.name, values);
    if (key !== this.lastKey || !this.requestId) {
      this.requestId = newRequestId();
      this.lastKey = key;
    }
    const requestId = this.requestId;
    const location = this.currentLocation;
    const therapistName = this.member ? memberName(this.member) : "";
    const res = await this.form.run(
      () => screenings.convertScreening(convertRequest(s.name, values, requestId), { timeoutMs: callTimeoutMs }),
      {
        onError: (err) => {
          if (!keepsRequestId(err)) this.lastKey = "";
          switch (convertFailure(err)) {
            case "taken":
              this.chosen = undefined;
              void this.loadSlots(true);
              break;
            case "patient-busy":
              this.chosen = undefined;
              break;
            case "precondition":
              // Converted meanwhile (the page then shows the booked line), or the time is no longer bookable.
              this.dispatchEvent(new CustomEvent("screening-stale", { bubbles: true }));
              void this.loadSlots(true);
              break;
            default:
              break;
          }
        },
      },
    );
    if (!res) return;
    this.lastKey = "";
    this.requestId = "";
    const appointment = res.screening?.evaluationAppointment ?? "";
    if (slot && appointment) {
      const zone = slot.timeZone || this.zone;
      this.booked = {
        localStart: slot.localStart || timestampToWall(slot.startTime, zone),
        zoneName: zoneAbbreviation(timestampToMs(slot.startTime), zone, "en-US"),
        therapistName,
        locationName: location?.displayName ?? "",
        cancelled: false,
      };
      this.bookedFor = appointment;
      this.bookedError = "";
    }
    this.contactLine = res.contactRequest ? contactRequestLine(contactName(res.contactRequest)) : "";
    // Shown at once (the page passes the same screening down again).
    if (res.screening) this.screening = res.screening;
    this.dispatchEvent(new CustomEvent("screening-converted", { bubbles: true, detail: res }) as ConvertedEvent);
    await this.updateComplete;
    this.querySelector<HTMLElement>("#convert-result")?.focus();
  }

  // -------------------------------------------------------- the booked evaluation ---

  /** The screening's evaluation (GetAppointment) in words: time in the location's zone, therapist and location by name. */
  private async loadBooked(s: Screening): Promise<void> {
    const name = s.evaluationAppointment;
    this.bookedLoading = true;
    this.bookedError = "";
    try {
      const appt = await appointments.getAppointment({ name }, { timeoutMs: callTimeoutMs });
      let locs: Location[] = [];
      try {
        locs = await loadLocations();
      } catch {
        // The line then names no location.
      }
      const loc = locs.find((l) => l.name === appt.location);
      const zone = loc && isKnownZone(loc.timeZone) ? loc.timeZone : "";
      const localStart = appt.localStart || timestampToWall(appt.startTime, zone || browserZone());
      this.booked = {
        localStart,
        zoneName: zone ? zoneAbbreviation(timestampToMs(appt.startTime), zone, "en-US") : "",
        therapistName: await staffName(appt.therapist),
        locationName: loc?.displayName ?? "",
        cancelled: appt.state === AppointmentState.CANCELLED,
      };
      this.bookedFor = name;
      if (!this.contactLine && s.contactRequest) this.contactLine = contactRequestLine("");
    } catch (err) {
      this.booked = undefined;
      this.bookedFor = name;
      this.bookedError = `An initial evaluation is booked, but its details could not be loaded. ${describeConvertError(err, this.names())}`;
    } finally {
      this.bookedLoading = false;
    }
  }

  // -------------------------------------------------------- rendering ---

  private bookedSection(): TemplateResult {
    const s = this.screening!;
    const b = this.bookedFor === s.evaluationAppointment ? this.booked : undefined;
    return html`<section class="screening-convert" aria-labelledby="convert-title">
      <h2 id="convert-title">Initial evaluation</h2>
      <div role="status" aria-live="polite">
        ${b
          ? html`<p class="notice ok" id="convert-result" tabindex="-1">
              ${bookedLine(b)}${b.cancelled ? " It has since been cancelled." : ""}${this.contactLine ? html`<br />${this.contactLine}` : nothing}
            </p>`
          : this.bookedLoading || !this.bookedError
            ? html`<p aria-busy="true">Loading the initial evaluation…</p>`
            : nothing}
      </div>
      ${this.bookedError && !b
        ? html`<div class="notice error" role="alert">
            <p>${this.bookedError}</p>
            <button type="button" class="secondary" @click=${() => void this.loadBooked(s)}>Try again</button>
          </div>`
        : nothing}
    </section>`;
  }

  private select(
    field: "location" | "appointment_type" | "therapist",
    label: string,
    value: string,
    options: Array<[string, string]>,
    onChange: (value: string) => void,
  ): TemplateResult {
    const id = inputIds[field];
    const aria = this.form.aria(field);
    return html`<div>
      <label for=${id}>${label}</label>
      <select
        id=${id}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        ?disabled=${this.form.busy}
        @change=${(e: Event) => {
          this.form.clearField(field);
          onChange((e.target as HTMLSelectElement).value);
        }}
      >
        ${value ? nothing : html`<option value="" selected>Choose…</option>`}
        ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select>
      ${this.form.error(field)}
    </div>`;
  }

  private timesStatus(): string {
    if (this.slotsLoading) return "Looking for open times…";
    if (this.slotsError || !canSearch(this.query)) return "";
    if (this.slots.length === 0) return noOpenTimes(this.day);
    const n = this.slots.length;
    return `${n} open ${n === 1 ? "time" : "times"} on ${dayWords(this.day)}.`;
  }

  private times(): TemplateResult {
    const error = this.form.fields.start_time;
    const zoneName = this.slots[0]
      ? zoneAbbreviation(timestampToMs(this.slots[0].startTime), this.slots[0].timeZone || this.zone, "en-US")
      : "";
    const where = this.currentLocation?.displayName ?? "the location";
    return html`<fieldset
      id=${inputIds.start_time}
      class="convert-times"
      aria-describedby=${ariaDescribedBy(inputIds.start_time, error, "cv-times-status")}
      aria-busy=${this.slotsLoading ? "true" : "false"}
    >
      <legend>Open times${this.day ? ` on ${dayWords(this.day)}` : ""}</legend>
      <p role="status" aria-live="polite" id="cv-times-status" class=${this.slots.length ? "hint" : ""}>
        ${this.timesStatus()}${this.slots.length && zoneName ? ` Times are ${where}'s local time (${zoneName}).` : ""}
      </p>
      ${this.slotsError
        ? html`<div class="notice error" role="alert">
            <p>${this.slotsError}</p>
            <button type="button" class="secondary" @click=${() => void this.loadSlots()}>Try again</button>
          </div>`
        : nothing}
      ${this.form.error("start_time")}
      ${!this.slotsLoading && this.slots.length === 0 && this.nextOpen
        ? html`<button type="button" class="secondary outline" @click=${() => this.onDay(this.nextOpen)}>
            Show ${dayWords(this.nextOpen)}, the next day with open times
          </button>`
        : nothing}
      ${this.slots.length
        ? html`<div class="actions convert-time-buttons">
            ${this.slots.map((slot) => {
              const pressed = sameSlot(slot, this.chosen);
              return html`<button
                type="button"
                class="small ${pressed ? "" : "outline"}"
                aria-pressed=${pressed ? "true" : "false"}
                ?disabled=${this.form.busy}
                @click=${() => this.choose(slot)}
              >
                ${timeWords(slot.localStart)}
              </button>`;
            })}
          </div>`
        : nothing}
    </fieldset>`;
  }

  private bookSection(): TemplateResult {
    const notes = this.form.aria("notes", "cv-notes-hint");
    const busy = this.form.busy;
    return html`<section class="screening-convert" aria-labelledby="convert-title">
      <h2 id="convert-title">Book the initial evaluation</h2>
      ${this.loadingChoices ? html`<p aria-busy="true">Loading the locations, appointment types and therapists…</p>` : nothing}
      ${this.choicesError
        ? html`<div class="notice error" role="alert">
            <p>${this.choicesError}</p>
            <button
              type="button"
              class="secondary"
              @click=${() => {
                if (this.screening) {
                  this.choicesFor = this.screening.name;
                  void this.loadChoices(this.screening);
                }
              }}
            >
              Try again
            </button>
          </div>`
        : nothing}
      ${this.loadingChoices || this.choicesError
        ? nothing
        : html`<form novalidate @submit=${this.book} aria-labelledby="convert-title">
            ${this.form.summary("The initial evaluation was not booked.", convertLabels)}
            <div class="grid">
              ${this.select(
                "location",
                "Location",
                this.location,
                this.locationList.map((l) => [l.name, l.displayName]),
                (v) => {
                  this.location = v;
                  this.locationChosen = true;
                  this.chosen = undefined;
                  void this.loadSlots();
                },
              )}
              ${this.select(
                "appointment_type",
                "Appointment type",
                this.typeName,
                this.offeredTypes.map((t) => {
                  const minutes = durationMinutes(t.duration);
                  return [t.name, minutes ? `${t.displayName} (${minutes} min)` : t.displayName];
                }),
                (v) => {
                  this.typeName = v;
                  this.chosen = undefined;
                  void this.loadSlots();
                },
              )}
            </div>
            <div class="grid">
              ${this.select(
                "therapist",
                "Therapist",
                this.therapist,
                this.therapists.map((m) => [m.name, memberName(m)]),
                (v) => {
                  this.chosen = undefined;
                  void this.useTherapist(v, { reload: true });
                },
              )}
              <div>
                <label for="cv-day">Day</label>
                <input
                  id="cv-day"
                  type="date"
                  required
                  min=${todayIn(this.zone)}
                  .value=${this.day}
                  aria-describedby="cv-day-hint"
                  ?disabled=${busy}
                  @change=${(e: Event) => this.onDay((e.target as HTMLInputElement).value)}
                />
                <small id="cv-day-hint" class="hint">The location's local day.</small>
              </div>
            </div>
            ${this.times()}
            <label for=${inputIds.notes}>Notes <small>(optional)</small></label>
            <textarea
              id=${inputIds.notes}
              rows="2"
              maxlength=${maxNotes}
              aria-invalid=${notes.invalid}
              aria-describedby=${notes.describedBy}
              .value=${this.notes}
              @input=${(e: Event) => {
                this.notes = (e.target as HTMLTextAreaElement).value;
                this.form.clearField("notes");
              }}
            ></textarea>
            ${this.form.error("notes")}
            <small id="cv-notes-hint" class="hint">For the evaluating therapist; up to 2,000 characters.</small>
            <div class="actions">
              <button type="submit" ?disabled=${busy || this.slotsLoading} aria-busy=${busy ? "true" : "false"}>Book initial evaluation</button>
              <span class="muted" id="cv-chosen">${this.chosen
                ? `${dayWords(slotDay(this.chosen.localStart))}, ${timeWords(this.chosen.localStart)}`
                : "No time chosen yet."}</span>
            </div>
          </form>`}
    </section>`;
  }

  override render() {
    switch (convertView(this.screening)) {
      case "book":
        return this.bookSection();
      case "booked":
        return this.bookedSection();
      default:
        return nothing;
    }
  }
}

customElements.define("screening-convert", ScreeningConvert);
