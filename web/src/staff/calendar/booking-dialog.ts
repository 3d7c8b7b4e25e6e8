import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { TimeOfDayPreference, type AppointmentType, type Location, type Slot } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { Patient } from "../../gen/clinic/patients/v1/patients_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { appointments, callTimeoutMs, patients } from "../shared/api";
import { currentMember } from "../account/auth";
import { hasRole, memberName } from "../account/auth-model";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import { rememberPatient } from "./calendar-data";
import { bookingErrorMessage, bookRequest, calendarCallError, durationMinutes, validColor } from "./calendar-model";
import {
  availability,
  canSearchSlots,
  daySlotsRequest,
  freeMessage,
  laterSlotRequest,
  notFreeMessage,
  openTimes,
  openTimesHeading,
  shortDay,
  slotQueryKey,
  type SlotQuery,
} from "./booking-model";
import {
  checkWaitlist,
  defaultWaitlistValues,
  hasWaitlistErrors,
  maxWaitlistNotes,
  timeOfDayChoices,
  waitlistAddedMessage,
  waitlistFields,
  waitlistFormErrors,
  waitlistKey,
  waitlistLabels,
  waitlistRequest,
  type WaitlistField,
  type WaitlistValues,
} from "./waitlist-model";
import { FormState } from "../shared/form";
import type { FieldErrors } from "../shared/form-errors";
import { LightElement } from "../shared/light-element";
import {
  classifySearch,
  displayName,
  emptyValues,
  fieldLabels,
  patientFormErrors,
  patientFromValues,
  type FieldPath,
} from "../patients/patient-model";
import { newRequestId } from "../shared/request-id";
import { describeWall, parseWall, todayIn, zoneAbbreviation, wallToMs } from "../shared/tz";

/** A therapist column of the calendar. */
export interface TherapistColumn {
  member: StaffMember;
}

/** The fields of the inline "new patient" form. */
const newPatientFields = ["given_name", "family_name", "birth_date", "phone", "email"] as const;
type NewPatientField = (typeof newPatientFields)[number];
type NewPatientValues = Record<NewPatientField, string>;
const emptyNewPatient = (): NewPatientValues => ({ given_name: "", family_name: "", birth_date: "", phone: "", email: "" });

/** Whether a type may be delivered by a therapist with these credentials. */
export function typeFits(type: AppointmentType, member: StaffMember | undefined): boolean {
  if (!type.active) return false;
  if (type.allowedCredentials.length === 0 || !member) return true;
  const have = new Set(member.credentials.map((c) => c.toUpperCase()));
  return type.allowedCredentials.some((c) => have.has(c.toUpperCase()));
}

type Mode = "book" | "waitlist";

/**
 * <booking-dialog>: a modal dialog to book a slot picked on the calendar (or
 * typed in): therapist, date and time (the location's wall time), type,
 * patient (search by name, phone or email, or create one inline), notes.
 * Once the type and therapist are chosen, the day's open times
 * (FindAvailableSlots) are loaded: a time that is not among them is said so
 * at once, with the next free time and the nearest ones to choose from, and
 * is not sent. "Add to waitlist…" puts the patient on the location's
 * waitlist for the chosen type instead (CreateWaitlistEntry).
 * Fires "booked" (detail: the Appointment), "slot-taken" (the calendar
 * should reload) and "waitlisted" (detail: the WaitlistEntry).
 */
export class BookingDialog extends LightElement {
  static override properties = {
    location: { attribute: false },
    zone: { attribute: false },
    therapists: { attribute: false },
    types: { attribute: false },
    therapist: { state: true },
    date: { state: true },
    time: { state: true },
    typeName: { state: true },
    notes: { state: true },
    query: { state: true },
    results: { state: true },
    searching: { state: true },
    searchError: { state: true },
    searched: { state: true },
    patient: { state: true },
    creating: { state: true },
    newPatient: { state: true },
    booking: { state: true },
    error: { state: true },
    taken: { state: true },
    slots: { state: true },
    slotsLoading: { state: true },
    slotsError: { state: true },
    later: { state: true },
    mode: { state: true },
    waitlist: { state: true },
    notice: { state: true },
  };
  declare location: Location | undefined;
  declare zone: string;
  declare therapists: TherapistColumn[];
  declare types: AppointmentType[];
  declare therapist: string;
  declare date: string;
  declare time: string;
  declare typeName: string;
  declare notes: string;
  declare query: string;
  declare results: Patient[];
  declare searching: boolean;
  declare searchError: string;
  declare searched: boolean;
  declare patient: Patient | undefined;
  declare creating: boolean;
  declare newPatient: NewPatientValues;
  declare booking: boolean;
  declare error: string;
  declare taken: boolean;
  /** The open starts found for slotsKey (undefined: not loaded). */
  declare slots: Slot[] | undefined;
  declare slotsLoading: boolean;
  declare slotsError: string;
  /** The first open start on the following days ("YYYY-MM-DDTHH:MM"), "" if none, undefined if not asked. */
  declare later: string | undefined;
  declare mode: Mode;
  declare waitlist: WaitlistValues;
  declare notice: string;

  private requestId = newRequestId();
  private lastBody = "";
  private patientRequestId = newRequestId();
  private waitlistRequestId = newRequestId();
  private lastWaitlistBody = "";
  /** The search the open times are for ("" when nothing is searched). */
  private slotsKey = "";
  private laterKey = "";
  private slotAbort?: AbortController;
  /**
   * The inline "new patient" form: CreatePatient's errors at its fields; one
   * at a patient field this short form lacks is shown with the field's name.
   */
  private newPatientForm = new FormState<NewPatientField>(this, {
    idOf: (field) => `bk-np-${field}`,
    read: (e): FieldErrors<NewPatientField> => {
      const all = patientFormErrors(e);
      const fields: Partial<Record<NewPatientField, string>> = {};
      const other = [...all.other];
      for (const [path, message] of Object.entries(all.fields) as Array<[FieldPath, string]>) {
        if ((newPatientFields as readonly string[]).includes(path)) fields[path as NewPatientField] = message;
        else other.push(`${fieldLabels[path]}: ${message}`);
      }
      return { fields, other };
    },
    focus: (form) => {
      const first = newPatientFields.find((f) => form.fields[f]);
      return first ? `#bk-np-${first}` : "#bk-np-problem";
    },
  });
  /** The "Add to waitlist" form. */
  private waitlistForm = new FormState<WaitlistField>(this, {
    fields: waitlistFields,
    idOf: (field) => `bk-wl-${field}`,
    summaryId: "bk-wl-problems",
    read: waitlistFormErrors,
  });

  constructor() {
    super();
    this.location = undefined;
    this.zone = "UTC";
    this.therapists = [];
    this.types = [];
    this.reset();
  }

  private reset(): void {
    this.therapist = "";
    this.date = "";
    this.time = "";
    this.typeName = "";
    this.notes = "";
    this.query = "";
    this.results = [];
    this.searching = false;
    this.searchError = "";
    this.searched = false;
    this.patient = undefined;
    this.creating = false;
    this.newPatient = emptyNewPatient();
    this.newPatientForm.clear();
    this.booking = false;
    this.error = "";
    this.taken = false;
    this.slotAbort?.abort();
    this.slots = undefined;
    this.slotsLoading = false;
    this.slotsError = "";
    this.later = undefined;
    this.slotsKey = "";
    this.laterKey = "";
    this.mode = "book";
    this.waitlist = defaultWaitlistValues(this.today());
    this.waitlistForm.clear();
    this.notice = "";
    this.requestId = newRequestId();
    this.lastBody = "";
    this.patientRequestId = newRequestId();
    this.waitlistRequestId = newRequestId();
    this.lastWaitlistBody = "";
  }

  private today(): string {
    try {
      return todayIn(this.zone || "UTC");
    } catch {
      return todayIn("UTC");
    }
  }

  private get dialog(): HTMLDialogElement | null {
    return this.querySelector("dialog");
  }

  /**
   * Opens the dialog for a slot: a therapist ("staff/…") and a wall start
   * ("YYYY-MM-DDTHH:MM[:SS]"), and the patient being booked when the
   * calendar was opened for one.
   */
  async open(slot: { therapist?: string; wallStart?: string; patient?: Patient }): Promise<void> {
    this.reset();
    this.therapist = slot.therapist ?? this.therapists[0]?.member.name ?? "";
    if (slot.wallStart) {
      this.date = slot.wallStart.slice(0, 10);
      this.time = slot.wallStart.slice(11, 16);
    }
    if (slot.patient) {
      this.patient = slot.patient;
      this.results = [slot.patient];
    }
    const fitting = this.fittingTypes();
    this.typeName = fitting.length === 1 ? fitting[0].name : "";
    await this.updateComplete;
    const d = this.dialog;
    if (d && !d.open) d.showModal();
    this.querySelector<HTMLElement>(this.typeName ? (this.patient ? "#bk-time" : "#bk-patient-search") : "#bk-type")?.focus();
    void this.loadSlots();
  }

  close(): void {
    this.slotAbort?.abort();
    this.dialog?.close();
  }

  private fittingTypes(): AppointmentType[] {
    const member = this.therapists.find((t) => t.member.name === this.therapist)?.member;
    return this.types.filter((t) => typeFits(t, member));
  }

  /** The waitlist is the front desk's and admins' (CreateWaitlistEntry); unknown roles leave it to the server. */
  private get canWaitlist(): boolean {
    const me = currentMember();
    if (!me || me.roles.length === 0) return true;
    return hasRole(me, StaffRole.ADMIN) || hasRole(me, StaffRole.FRONT_DESK);
  }

  private get therapistName(): string {
    const member = this.therapists.find((t) => t.member.name === this.therapist)?.member;
    return member ? memberName(member) : "The therapist";
  }

  private get typeDisplayName(): string {
    return this.types.find((t) => t.name === this.typeName)?.displayName ?? "";
  }

  // ------------------------------------------------------------ open times ---

  private get slotQuery(): SlotQuery {
    return { appointmentType: this.typeName, location: this.location?.name ?? "", therapist: this.therapist, day: this.date };
  }

  /** The open times of the day chosen, once loaded for what is chosen now; undefined otherwise. */
  private loadedTimes(): string[] | undefined {
    const q = this.slotQuery;
    if (!this.slots || this.slotsLoading || !canSearchSlots(q) || slotQueryKey(q) !== this.slotsKey) return undefined;
    return openTimes(this.slots, q.therapist, q.day);
  }

  /** FindAvailableSlots for the type, location, therapist and day chosen (again when `force`). */
  private async loadSlots(force = false): Promise<void> {
    const q = this.slotQuery;
    const key = canSearchSlots(q) ? slotQueryKey(q) : "";
    if (!force && key === this.slotsKey) return;
    this.slotAbort?.abort();
    this.slotsKey = key;
    this.laterKey = "";
    this.slots = undefined;
    this.later = undefined;
    this.slotsError = "";
    if (!key) {
      this.slotsLoading = false;
      return;
    }
    const abort = new AbortController();
    this.slotAbort = abort;
    this.slotsLoading = true;
    try {
      const res = await appointments.findAvailableSlots(daySlotsRequest(q), { signal: abort.signal, timeoutMs: callTimeoutMs });
      if (abort.signal.aborted) return;
      this.slots = res.slots;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.slotsError = calendarCallError(err);
    } finally {
      if (this.slotAbort === abort) this.slotsLoading = false;
    }
  }

  /** The first open time on the days after the one chosen, when that day has none left after the time chosen. */
  private async loadLater(): Promise<void> {
    const q = this.slotQuery;
    const key = this.slotsKey;
    this.laterKey = key;
    const abort = this.slotAbort;
    try {
      const res = await appointments.findAvailableSlots(laterSlotRequest(q), { signal: abort?.signal, timeoutMs: callTimeoutMs });
      if (this.slotsKey !== key) return;
      this.later = res.slots[0]?.localStart ?? "";
    } catch {
      if (this.slotsKey === key) this.later = "";
    }
  }

  protected override updated(): void {
    if (!this.dialog?.open) return;
    const q = this.slotQuery;
    const key = canSearchSlots(q) ? slotQueryKey(q) : "";
    if (key !== this.slotsKey) {
      void this.loadSlots();
      return;
    }
    const times = this.loadedTimes();
    if (times && this.laterKey !== key) {
      const av = availability(times, this.time);
      if (!av.free && !av.next) void this.loadLater();
    }
  }

  /** Takes an open time offered ("HH:MM" that day, or "YYYY-MM-DDTHH:MM" another day). */
  private async chooseTime(time: string): Promise<void> {
    if (time.length > 5) {
      this.date = time.slice(0, 10);
      this.time = time.slice(11, 16);
    } else {
      this.time = time;
    }
    this.error = "";
    this.taken = false;
    await this.updateComplete;
    this.querySelector<HTMLElement>("#bk-time")?.focus();
  }

  private timeButtons(times: readonly string[], label: string): TemplateResult {
    return html`<div class="time-choices" role="group" aria-label=${label}>
      ${times.map(
        (t) => html`<button
          type="button"
          class=${t === this.time ? "" : "secondary outline"}
          aria-pressed=${t === this.time ? "true" : "false"}
          data-time=${t}
          @click=${() => this.chooseTime(t)}
        >
          ${t}
        </button>`,
      )}
    </div>`;
  }

  private laterButton(): TemplateResult | typeof nothing {
    if (!this.later || !parseWall(this.later)) return nothing;
    const later = this.later;
    return html`<button type="button" class="secondary outline" data-local-start=${later} @click=${() => this.chooseTime(later)}>
      ${shortDay(later.slice(0, 10))} at ${later.slice(11, 16)}
    </button>`;
  }

  /** The open times, and whether the time chosen is one of them, in words. */
  private availabilitySection(): TemplateResult {
    const q = this.slotQuery;
    let body: TemplateResult | typeof nothing = nothing;
    if (!this.typeName) {
      body = html`<p class="muted">Choose the appointment type to see ${this.therapistName}'s open times.</p>`;
    } else if (!canSearchSlots(q)) {
      body = nothing;
    } else if (this.slotsLoading) {
      body = html`<p aria-busy="true">Looking for open times…</p>`;
    } else if (this.slotsError) {
      body = html`<div class="notice error">
        <p>The open times could not be loaded: ${this.slotsError}</p>
        <button type="button" class="secondary" @click=${() => this.loadSlots(true)}>Try again</button>
      </div>`;
    } else {
      const times = this.loadedTimes();
      if (times) {
        const av = availability(times, this.time);
        const typeName = this.typeDisplayName;
        const validTime = /^\d{2}:\d{2}$/.test(this.time);
        // After a refused booking the error above offers the alternatives.
        const status =
          this.error && this.taken
            ? nothing
            : !validTime
              ? nothing
              : av.free
                ? html`<p class="notice ok" id="bk-free">${freeMessage(this.therapistName, this.time, typeName)}</p>`
                : html`<div class="notice warning" id="bk-not-free" tabindex="-1">
                    <p>
                      ${notFreeMessage({
                        therapistName: this.therapistName,
                        time: this.time,
                        typeName,
                        next: av.next,
                        later: this.later,
                        anyThatDay: times.length > 0,
                      })}
                    </p>
                    ${av.nearest.length || this.later
                      ? html`<p class="muted">Choose a free time:</p>
                          ${av.nearest.length ? this.timeButtons(av.nearest, "Nearest free times") : nothing} ${av.next ? nothing : this.laterButton()}`
                      : nothing}
                  </div>`;
        body = html`${status}
          ${times.length
            ? html`<details class="open-times">
                <summary>${openTimesHeading(q.day, times.length)}</summary>
                ${this.timeButtons(times, `Open times for ${typeName || "this type"}`)}
              </details>`
            : html`<p class="muted" id="bk-no-times">No open times on ${shortDay(q.day)} for ${this.therapistName}.</p>`}`;
      }
    }
    return html`<div id="bk-availability" role="status" aria-live="polite">${body}</div>`;
  }

  // ------------------------------------------------------------ patients ---

  private async search(e?: Event): Promise<void> {
    e?.preventDefault();
    const q = classifySearch(this.query);
    if (q.kind === "all") {
      this.searchError = "Type a name, phone number or email to search.";
      return;
    }
    this.searching = true;
    this.searchError = "";
    try {
      const res = await patients.listPatients(
        {
          pageSize: 20,
          namePrefix: q.kind === "name" ? q.value : "",
          phone: q.kind === "phone" ? q.value : "",
          email: q.kind === "email" ? q.value : "",
        },
        { timeoutMs: callTimeoutMs },
      );
      this.results = res.patients;
      res.patients.forEach(rememberPatient);
      this.searched = true;
      if (res.patients.length === 1) this.patient = res.patients[0];
    } catch (err) {
      this.searchError = calendarCallError(err, "The search failed. Try again.");
    } finally {
      this.searching = false;
    }
  }

  private async createPatient(): Promise<void> {
    if (this.newPatientForm.busy) return;
    await this.newPatientForm.run(
      async () => {
        const values = { ...emptyValues(), ...this.newPatient };
        const created = await patients.createPatient(
          { patient: patientFromValues(values), requestId: this.patientRequestId },
          { timeoutMs: callTimeoutMs },
        );
        rememberPatient(created);
        this.patient = created;
        this.results = [created];
        this.creating = false;
        this.newPatient = emptyNewPatient();
        this.patientRequestId = newRequestId();
        await this.updateComplete;
        this.querySelector<HTMLElement>("#bk-chosen")?.focus();
      },
      {
        // A changed form is a new request.
        onError: () => {
          this.patientRequestId = newRequestId();
        },
      },
    );
  }

  /** The inline form's general problem: the errors at no field of it, or a pointer to the fields. */
  private newPatientProblem(): string {
    const form = this.newPatientForm;
    if (form.other.length) return form.other.join(" ");
    return form.hasErrors ? "The patient was not created: check the fields marked." : "";
  }

  // ------------------------------------------------------------ booking ---

  private async book(e: Event): Promise<void> {
    e.preventDefault();
    if (this.mode === "waitlist") {
      await this.addToWaitlist();
      return;
    }
    if (this.booking || !this.location) return;
    this.error = "";
    this.taken = false;
    this.notice = "";
    const wallStart = `${this.date}T${this.time}`;
    const missing: string[] = [];
    if (!this.therapist) missing.push("a therapist");
    if (!parseWall(wallStart)) missing.push("a date and time");
    if (!this.typeName) missing.push("an appointment type");
    if (!this.patient) missing.push("a patient (search, or create a new one)");
    if (missing.length) {
      this.error = `Choose ${missing.join(", ")}.`;
      await this.focusError();
      return;
    }
    // Only a time FindAvailableSlots offers is sent (when they could be loaded).
    const times = this.loadedTimes();
    if (times && !times.includes(this.time)) {
      await this.updateComplete;
      this.querySelector<HTMLElement>("#bk-not-free")?.focus();
      return;
    }
    const body = JSON.stringify([this.therapist, wallStart, this.typeName, this.patient!.name, this.notes.trim()]);
    if (body !== this.lastBody) {
      this.requestId = newRequestId();
      this.lastBody = body;
    }
    this.booking = true;
    try {
      const appt = await appointments.bookAppointment(
        bookRequest({
          patient: this.patient!.name,
          therapist: this.therapist,
          location: this.location.name,
          appointmentType: this.typeName,
          wallStart,
          zone: this.zone,
          notes: this.notes,
          requestId: this.requestId,
        }),
        { timeoutMs: callTimeoutMs },
      );
      this.dispatchEvent(new CustomEvent("booked", { detail: appt, bubbles: true }));
      this.close();
    } catch (err) {
      const code = ConnectError.from(err).code;
      const { message, taken } = bookingErrorMessage(err, {
        therapistName: this.therapistName,
        patientName: displayName(this.patient!),
        typeName: this.typeDisplayName,
        locationName: this.location.displayName,
        wallStart,
        wasOpen: !!times && times.includes(this.time),
      });
      this.error = message;
      this.taken = taken;
      // Only a lost answer is retried with the same request_id.
      if (code !== Code.Unavailable && code !== Code.DeadlineExceeded) this.lastBody = "";
      if (taken) {
        this.dispatchEvent(new CustomEvent("slot-taken", { bubbles: true }));
        void this.loadSlots(true);
      }
      await this.focusError();
    } finally {
      this.booking = false;
    }
  }

  private async focusError(): Promise<void> {
    await this.updateComplete;
    this.querySelector<HTMLElement>("#bk-error")?.focus();
  }

  // ------------------------------------------------------------ waitlist ---

  private async openWaitlist(): Promise<void> {
    this.mode = "waitlist";
    this.error = "";
    this.notice = "";
    this.waitlistForm.clear();
    await this.updateComplete;
    this.querySelector<HTMLElement>("#bk-wl-latest_date")?.focus();
  }

  private async closeWaitlist(): Promise<void> {
    this.mode = "book";
    this.waitlistForm.clear();
    await this.updateComplete;
    this.querySelector<HTMLElement>("#bk-open-waitlist")?.focus();
  }

  private setWaitlist(field: WaitlistField, patch: Partial<WaitlistValues>): void {
    this.waitlist = { ...this.waitlist, ...patch };
    this.waitlistForm.clearField(field);
  }

  private async addToWaitlist(): Promise<void> {
    if (this.waitlistForm.busy || !this.location) return;
    const ctx = { patient: this.patient?.name ?? "", location: this.location.name, appointmentType: this.typeName };
    const found = checkWaitlist(this.waitlist, ctx, this.today());
    if (hasWaitlistErrors(found)) {
      await this.waitlistForm.show(found);
      return;
    }
    const key = waitlistKey(this.waitlist, ctx);
    if (key !== this.lastWaitlistBody) {
      this.waitlistRequestId = newRequestId();
      this.lastWaitlistBody = key;
    }
    const location = this.location;
    const patient = this.patient!;
    const entry = await this.waitlistForm.run(
      () => appointments.createWaitlistEntry(waitlistRequest(this.waitlist, ctx, this.waitlistRequestId), { timeoutMs: callTimeoutMs }),
      {
        onError: (e) => {
          if (e.code !== Code.Unavailable && e.code !== Code.DeadlineExceeded) this.lastWaitlistBody = "";
        },
      },
    );
    if (!entry) return;
    const therapist = this.therapists.find((t) => t.member.name === entry.therapist)?.member;
    this.notice = waitlistAddedMessage(entry, {
      patientName: displayName(patient),
      locationName: location.displayName,
      typeName: this.typeDisplayName,
      therapistName: therapist ? memberName(therapist) : undefined,
    });
    this.mode = "book";
    this.lastWaitlistBody = "";
    this.waitlist = defaultWaitlistValues(this.today());
    this.dispatchEvent(new CustomEvent("waitlisted", { detail: entry, bubbles: true }));
    await this.updateComplete;
    this.querySelector<HTMLElement>("#bk-notice")?.focus();
  }

  private waitlistSection(): TemplateResult {
    const form = this.waitlistForm;
    const typeName = this.typeDisplayName;
    const who = this.patient ? displayName(this.patient) : "the patient";
    const latest = form.aria("latest_date");
    const tod = form.aria("time_of_day");
    const therapist = form.aria("therapist");
    const notes = form.aria("notes", "bk-wl-notes-hint");
    return html`<fieldset class="waitlist-form" id="bk-waitlist">
      <legend><strong>Add ${who} to the waitlist</strong></legend>
      <p class="muted">
        At ${this.location?.displayName ?? "this location"}, for ${typeName || "the type chosen above"}. Staff are told when a slot
        like this frees up.
      </p>
      ${form.summary("Not added to the waitlist.", waitlistLabels)}
      <div class="grid">
        <div>
          <label for="bk-wl-latest_date">Latest date <small>(required)</small></label>
          <input
            id="bk-wl-latest_date"
            type="date"
            required
            min=${this.today()}
            aria-invalid=${latest.invalid}
            aria-describedby=${latest.describedBy}
            .value=${this.waitlist.latestDate}
            @input=${(e: Event) => this.setWaitlist("latest_date", { latestDate: (e.target as HTMLInputElement).value })}
          />
          ${form.error("latest_date")}
        </div>
        <div>
          <label for="bk-wl-time_of_day">Time of day</label>
          <select
            id="bk-wl-time_of_day"
            aria-invalid=${tod.invalid}
            aria-describedby=${tod.describedBy}
            @change=${(e: Event) =>
              this.setWaitlist("time_of_day", { timeOfDay: Number((e.target as HTMLSelectElement).value) as TimeOfDayPreference })}
          >
            ${timeOfDayChoices.map(
              ([value, label]) => html`<option value=${String(value)} ?selected=${value === this.waitlist.timeOfDay}>${label}</option>`,
            )}
          </select>
          ${form.error("time_of_day")}
        </div>
        <div>
          <label for="bk-wl-therapist">Therapist <small>(optional)</small></label>
          <select
            id="bk-wl-therapist"
            aria-invalid=${therapist.invalid}
            aria-describedby=${therapist.describedBy}
            @change=${(e: Event) => this.setWaitlist("therapist", { therapist: (e.target as HTMLSelectElement).value })}
          >
            <option value="" ?selected=${!this.waitlist.therapist}>Anyone</option>
            ${this.therapists.map(
              (t) =>
                html`<option value=${t.member.name} ?selected=${t.member.name === this.waitlist.therapist}>${memberName(t.member)}</option>`,
            )}
          </select>
          ${form.error("therapist")}
        </div>
      </div>
      <label for="bk-wl-notes">Waitlist notes <small>(optional)</small></label>
      <textarea
        id="bk-wl-notes"
        rows="2"
        maxlength=${maxWaitlistNotes}
        aria-invalid=${notes.invalid}
        aria-describedby=${notes.describedBy}
        .value=${this.waitlist.notes}
        @input=${(e: Event) => this.setWaitlist("notes", { notes: (e.target as HTMLTextAreaElement).value })}
      ></textarea>
      ${form.error("notes")}
      <small class="hint" id="bk-wl-notes-hint">E.g. "can come at short notice". Up to ${maxWaitlistNotes} characters.</small>
    </fieldset>`;
  }

  // ------------------------------------------------------------ rendering ---

  private newPatientInput(field: NewPatientField, type = "text", extra: { required?: boolean; hint?: string } = {}): TemplateResult {
    const id = `bk-np-${field}`;
    const aria = this.newPatientForm.aria(field, ...(extra.hint ? [`${id}-hint`] : []));
    return html`<div>
      <label for=${id}>${fieldLabels[field]}${extra.required ? html` <small>(required)</small>` : nothing}</label>
      <input
        id=${id}
        type=${type}
        autocomplete="off"
        ?required=${extra.required}
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        .value=${this.newPatient[field]}
        @keydown=${(e: KeyboardEvent) => {
          if (e.key === "Enter") {
            e.preventDefault();
            void this.createPatient();
          }
        }}
        @input=${(e: Event) => {
          this.newPatient = { ...this.newPatient, [field]: (e.target as HTMLInputElement).value };
          this.newPatientForm.clearField(field);
        }}
      />
      ${this.newPatientForm.error(field)}
      ${extra.hint ? html`<small class="hint" id="${id}-hint">${extra.hint}</small>` : nothing}
    </div>`;
  }

  private patientSection(): TemplateResult {
    if (this.creating) {
      const problem = this.newPatientProblem();
      return html`<fieldset class="inline-new-patient">
        <legend><strong>New patient</strong></legend>
        ${problem ? html`<p class="notice error" role="alert" id="bk-np-problem" tabindex="-1">${problem}</p>` : nothing}
        <div class="grid">
          ${this.newPatientInput("given_name", "text", { required: true })} ${this.newPatientInput("family_name", "text", { required: true })}
        </div>
        ${this.newPatientInput("birth_date", "date", { required: true })}
        <div class="grid">
          ${this.newPatientInput("phone", "tel", { hint: "A phone number or an email." })} ${this.newPatientInput("email", "email")}
        </div>
        <div class="actions">
          <button type="button" ?disabled=${this.newPatientForm.busy} aria-busy=${this.newPatientForm.busy ? "true" : "false"} @click=${this.createPatient}>
            Create patient
          </button>
          <button type="button" class="secondary" @click=${() => (this.creating = false)}>Back to search</button>
        </div>
      </fieldset>`;
    }
    return html`<fieldset>
      <legend><strong>Patient</strong></legend>
      <label for="bk-patient-search">Find patient</label>
      <fieldset role="group">
        <input
          id="bk-patient-search"
          type="search"
          autocomplete="off"
          placeholder="Name, phone or email"
          aria-describedby=${this.searchError ? "bk-search-error" : nothing}
          .value=${this.query}
          @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => {
            if (e.key === "Enter") void this.search(e);
          }}
        />
        <button type="button" class="secondary" ?disabled=${this.searching} aria-busy=${this.searching ? "true" : "false"} @click=${this.search}>
          Search
        </button>
      </fieldset>
      ${this.searchError ? html`<small class="field-error" id="bk-search-error" role="alert">${this.searchError}</small>` : nothing}
      <div role="status" aria-live="polite">
        ${this.searched && this.results.length === 0 && !this.patient ? html`<p>No patient found.</p>` : nothing}
      </div>
      ${this.results.length > 0
        ? html`<fieldset class="patient-results">
            <legend>Choose the patient</legend>
            ${this.results.map(
              (p) => html`<label>
                <input
                  type="radio"
                  name="bk-patient"
                  .checked=${this.patient?.name === p.name}
                  @change=${() => (this.patient = p)}
                />
                ${displayName(p) || "Patient"}
                <small class="muted">${p.birthDate ? `born ${p.birthDate.year}-${String(p.birthDate.month).padStart(2, "0")}-${String(p.birthDate.day).padStart(2, "0")}` : ""}
                  ${p.phone ? ` · ${p.phone}` : ""}${p.email ? ` · ${p.email}` : ""}</small>
              </label>`,
            )}
          </fieldset>`
        : nothing}
      ${this.patient
        ? html`<p id="bk-chosen" tabindex="-1"><strong>Patient:</strong> ${displayName(this.patient)}</p>`
        : nothing}
      <button
        type="button"
        class="secondary outline"
        @click=${async () => {
          this.creating = true;
          const words = this.query.trim().split(/\s+/);
          if (classifySearch(this.query).kind === "name" && !this.newPatient.given_name) {
            this.newPatient = { ...this.newPatient, given_name: words[0] ?? "", family_name: words.slice(1).join(" ") };
          }
          await this.updateComplete;
          this.querySelector<HTMLElement>("#bk-np-given_name")?.focus();
        }}
      >
        New patient…
      </button>
    </fieldset>`;
  }

  /** The alternatives after a refused booking: the nearest open times just reloaded. */
  private takenAlternatives(): TemplateResult | typeof nothing {
    if (!this.taken) return nothing;
    const times = this.loadedTimes();
    if (!times) return html`<p aria-busy="true">Looking for the nearest free times…</p>`;
    const av = availability(times, this.time);
    if (av.nearest.length === 0) {
      return this.later
        ? html`<p>No other free time that day. The next one:</p>
            ${this.laterButton()}`
        : html`<p>No other free time that day.</p>`;
    }
    return html`<p>The nearest free times:</p>
      ${this.timeButtons(av.nearest, "Nearest free times")}`;
  }

  override render() {
    const loc = this.location;
    const fitting = this.fittingTypes();
    const wall = `${this.date}T${this.time}`;
    const validWall = !!parseWall(wall);
    const zoneLabel = validWall ? zoneAbbreviation(wallToMs(wall, this.zone), this.zone) : this.zone;
    const waitlisting = this.mode === "waitlist";
    return html`<dialog aria-labelledby="bk-title" @close=${() => this.dispatchEvent(new CustomEvent("dialog-closed"))}>
      <article>
        <header>
          <button type="button" rel="prev" aria-label="Close dialog" @click=${() => this.close()}></button>
          <h2 id="bk-title">Book appointment</h2>
          <p class="muted">
            ${loc?.displayName ?? ""}${validWall ? html` · ${describeWall(wall)} <abbr title=${this.zone}>${zoneLabel}</abbr>` : nothing}
          </p>
        </header>
        <form novalidate @submit=${this.book}>
          ${this.error
            ? html`<div class="notice error" role="alert" id="bk-error" tabindex="-1">
                <p>${this.error}</p>
                ${this.takenAlternatives()}
              </div>`
            : nothing}
          <div role="status" id="bk-notice" tabindex="-1">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
          <div class="grid">
            <div>
              <label for="bk-therapist">Therapist</label>
              <select
                id="bk-therapist"
                @change=${(e: Event) => {
                  this.therapist = (e.target as HTMLSelectElement).value;
                  if (this.typeName && !this.fittingTypes().some((t) => t.name === this.typeName)) this.typeName = "";
                }}
              >
                ${this.therapists.map(
                  (t) => html`<option value=${t.member.name} ?selected=${t.member.name === this.therapist}>${memberName(t.member)}</option>`,
                )}
              </select>
            </div>
            <div>
              <label for="bk-date">Date</label>
              <input id="bk-date" type="date" required .value=${this.date} @input=${(e: Event) => (this.date = (e.target as HTMLInputElement).value)} />
            </div>
            <div>
              <label for="bk-time">Time <small>(${this.zone})</small></label>
              <input
                id="bk-time"
                type="time"
                required
                step=${(loc?.slotMinutes || 15) * 60}
                aria-describedby="bk-availability"
                .value=${this.time}
                @input=${(e: Event) => {
                  this.time = (e.target as HTMLInputElement).value;
                  this.taken = false;
                }}
              />
            </div>
          </div>
          <label for="bk-type">Appointment type</label>
          <select id="bk-type" required @change=${(e: Event) => (this.typeName = (e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${!this.typeName}>Choose…</option>
            ${fitting.map(
              (t) =>
                html`<option value=${t.name} ?selected=${t.name === this.typeName} data-color=${validColor(t.color) ?? ""}>
                  ${t.displayName} (${durationMinutes(t.duration)} min)
                </option>`,
            )}
          </select>
          ${this.availabilitySection()} ${this.patientSection()}
          ${waitlisting
            ? this.waitlistSection()
            : html`<label for="bk-notes">Notes <small>(optional)</small></label>
                <textarea
                  id="bk-notes"
                  rows="2"
                  maxlength="2000"
                  .value=${this.notes}
                  @input=${(e: Event) => (this.notes = (e.target as HTMLTextAreaElement).value)}
                ></textarea>`}
          <footer class="actions">
            ${waitlisting
              ? html`<button type="submit" ?disabled=${this.waitlistForm.busy} aria-busy=${this.waitlistForm.busy ? "true" : "false"}>
                    Add to waitlist
                  </button>
                  <button type="button" class="secondary" @click=${() => this.closeWaitlist()}>Back to booking</button>`
              : html`<button type="submit" ?disabled=${this.booking} aria-busy=${this.booking ? "true" : "false"}>Book</button>
                  ${this.canWaitlist
                    ? html`<button type="button" class="secondary outline" id="bk-open-waitlist" @click=${() => this.openWaitlist()}>
                        Add to waitlist…
                      </button>`
                    : nothing}`}
            <button type="button" class="secondary" @click=${() => this.close()}>Close</button>
          </footer>
        </form>
      </article>
    </dialog>`;
  }
}

customElements.define("booking-dialog", BookingDialog);
