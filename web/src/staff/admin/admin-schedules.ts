import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { ScheduleException_Kind, type Appointment, type Location, type ProviderSchedule } from "../../gen/clinic/appointments/v1/appointments_pb";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { callTimeoutMs, schedules, staff } from "../shared/api";
import {
  checkSameHours,
  checkScheduleForm,
  copyDayTo,
  daysWords,
  allWeekdays,
  mondayToFriday,
  setSameHours,
  type SameHours,
  type SameHoursField,
  emptyExceptionRow,
  emptyHoursRow,
  hasRowErrors,
  scheduleForm,
  scheduleRowErrors,
  scheduleFromForm,
  type ExceptionRow,
  type HoursRow,
  type RowErrors,
  type ScheduleForm,
} from "./admin-model";
import { memberName } from "../account/auth-model";
import { allPages, loadPatientNames, patientName } from "../calendar/calendar-data";
import { appointmentWallStart, dayName, resourceId, weekdayNames } from "../calendar/calendar-model";
import type { DayOfWeek } from "../../gen/google/type/dayofweek_pb";
import { describeCallError } from "../shared/errors";
import { FormState, ariaDescribedBy, ariaInvalid, fieldErrorText } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { describeWall, isKnownZone } from "../shared/tz";
import { loadLocations } from "../shared/directory";
import { locationLabel, type PickDetail } from "../shared/pickers/picker-model";
import "../shared/pickers/location-picker";
import "../shared/no-access";
import "./admin.css";

type HoursSection = "weekly_hours" | "breaks";

/** "Same hours Monday to Friday" of each section: its words and the times it starts with. */
const bulkWords: Record<HoursSection, { legend: string; button: string; start: string; end: string }> = {
  weekly_hours: { legend: "Same hours Monday to Friday", button: "Set Monday to Friday", start: "09:00", end: "17:00" },
  breaks: { legend: "Same break Monday to Friday", button: "Set Monday to Friday", start: "12:00", end: "13:00" },
};

/** <admin-schedules>: Admin → Therapist schedules: choose a therapist. */
export class AdminSchedules extends LightElement {
  static override properties = {
    therapists: { state: true },
    loading: { state: true },
    error: { state: true },
    denied: { state: true },
  };
  declare therapists: StaffMember[];
  declare loading: boolean;
  declare error: string;
  declare denied: boolean;

  constructor() {
    super();
    this.therapists = [];
    this.loading = true;
    this.error = "";
    this.denied = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Therapist schedules");
  }

  private async load(): Promise<void> {
    try {
      this.therapists = await allPages(async (pageToken) => {
        const r = await staff.listStaffMembers({ pageSize: 200, pageToken, role: StaffRole.THERAPIST }, { timeoutMs: callTimeoutMs });
        return { items: r.staffMembers, next: r.nextPageToken };
      });
    } catch (err) {
      const e = ConnectError.from(err);
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.error = describeCallError(e);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    return html`<h1>Therapist schedules</h1>
      <p>Choose a therapist to set their weekly hours per location, breaks and exceptions.</p>
      <div role="status" aria-live="polite">
        ${this.loading ? html`<p aria-busy="true">Loading…</p>` : this.therapists.length === 0 ? html`<p>No therapists.</p>` : nothing}
      </div>
      ${this.error ? html`<div class="notice error" role="alert"><p>${this.error}</p></div>` : nothing}
      <ul>
        ${this.therapists.map(
          (m) => html`<li>
            <a href="/staff/admin/schedules/${encodeURIComponent(resourceId(m.name))}">${memberName(m)}</a>
            ${m.credentials.length ? html`<small class="muted">${m.credentials.join(", ")}</small>` : nothing}
          </li>`,
        )}
      </ul>`;
  }
}

const rowsNeedFixing = "Some rows need fixing (marked below).";

const kindLabels: ReadonlyArray<[ScheduleException_Kind, string]> = [
  [ScheduleException_Kind.TIME_OFF, "Time off"],
  [ScheduleException_Kind.EXTRA_HOURS, "Extra hours"],
];

/** <schedule-editor>: one therapist's schedule (the whole of it is replaced on save). */
export class ScheduleEditor extends LightElement {
  static override properties = {
    memberId: { type: String },
    member: { state: true },
    schedule: { state: true },
    locationList: { state: true },
    values: { state: true },
    rowErrors: { state: true },
    checking: { state: true },
    notice: { state: true },
    conflicts: { state: true },
    loadError: { state: true },
    denied: { state: true },
    sameHours: { state: true },
    sameHoursErrors: { state: true },
    copying: { state: true },
    copyDays: { state: true },
    bulkNotice: { state: true },
  };
  declare memberId: string;
  declare member: StaffMember | undefined;
  declare schedule: ProviderSchedule | undefined;
  declare locationList: Location[];
  declare values: ScheduleForm;
  declare rowErrors: RowErrors;
  /** The last submit was "Check only" (validate_only). */
  declare checking: boolean;
  declare notice: string;
  declare conflicts: Appointment[] | undefined;
  declare loadError: string;
  declare denied: boolean;
  /** "Same hours Monday to Friday" of each section, as filled in. */
  declare sameHours: Record<HoursSection, SameHours>;
  declare sameHoursErrors: Record<HoursSection, Partial<Record<SameHoursField, string>>>;
  /** The row whose "Copy day to…" is open. */
  declare copying: { section: HoursSection; index: number } | undefined;
  /** The days ticked in that row's "Copy day to…". */
  declare copyDays: string[];
  /** What the last "Same hours" or "Copy" did (said by the section's live region). */
  declare bulkNotice: Record<HoursSection, string>;

  private loadedId?: string;
  /** Saving or checking, and the errors of the last try; the rows' errors are in rowErrors. */
  private form = new FormState(this, {
    summaryId: "sched-problems",
    describe: (e) =>
      e.code === Code.Aborted
        ? "Someone else changed this schedule; reload to see their changes (your edits here will be lost)."
        : describeCallError(e),
  });

  constructor() {
    super();
    this.memberId = "";
    this.member = undefined;
    this.schedule = undefined;
    this.locationList = [];
    this.values = scheduleForm(undefined);
    this.rowErrors = {};
    this.checking = false;
    this.notice = "";
    this.conflicts = undefined;
    this.loadError = "";
    this.denied = false;
    this.sameHours = {
      weekly_hours: { location: "", start: bulkWords.weekly_hours.start, end: bulkWords.weekly_hours.end },
      breaks: { location: "", start: bulkWords.breaks.start, end: bulkWords.breaks.end },
    };
    this.sameHoursErrors = { weekly_hours: {}, breaks: {} };
    this.copying = undefined;
    this.copyDays = [];
    this.bulkNotice = { weekly_hours: "", breaks: "" };
  }

  protected override willUpdate(): void {
    if (this.memberId && this.memberId !== this.loadedId) {
      this.loadedId = this.memberId;
      void this.load();
    }
  }

  private get scheduleName(): string {
    return `staff/${this.memberId}/schedule`;
  }

  private async load(): Promise<void> {
    this.loadError = "";
    const opts = { timeoutMs: callTimeoutMs };
    try {
      const [member, locs, schedule] = await Promise.all([
        staff.getStaffMember({ name: `staff/${this.memberId}` }, opts),
        loadLocations(),
        schedules.getProviderSchedule({ name: this.scheduleName }, opts).catch((err) => {
          if (ConnectError.from(err).code === Code.NotFound) return undefined;
          throw err;
        }),
      ]);
      this.member = member;
      this.locationList = locs;
      this.schedule = schedule;
      this.values = scheduleForm(schedule);
      // "Same hours" starts at the location the therapist works at most (or the first).
      const usual = mostUsedLocation(this.values.weekly_hours) || locs[0]?.name || "";
      this.sameHours = {
        weekly_hours: { ...this.sameHours.weekly_hours, location: this.sameHours.weekly_hours.location || usual },
        breaks: { ...this.sameHours.breaks, location: this.sameHours.breaks.location || usual },
      };
      await this.updateComplete;
      announcePage(this, `Schedule of ${memberName(member)}`);
    } catch (err) {
      const e = ConnectError.from(err);
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.loadError = e.code === Code.NotFound || e.code === Code.InvalidArgument ? "No such staff member." : describeCallError(e);
    }
  }

  private async submit(validateOnly: boolean): Promise<void> {
    if (this.form.busy) return;
    this.notice = "";
    this.conflicts = undefined;
    this.checking = validateOnly;
    this.rowErrors = checkScheduleForm(this.values);
    if (hasRowErrors(this.rowErrors)) {
      await this.form.show({ fields: {}, other: [rowsNeedFixing] });
      return;
    }
    await this.form.run(
      async () => {
        const res = await schedules.updateProviderSchedule(
          { schedule: scheduleFromForm(this.values, this.scheduleName, this.schedule?.etag ?? ""), validateOnly },
          { timeoutMs: callTimeoutMs },
        );
        if (!validateOnly && res.schedule) {
          this.schedule = res.schedule;
          this.values = scheduleForm(res.schedule);
          this.copying = undefined;
          this.bulkNotice = { weekly_hours: "", breaks: "" };
        }
        await loadPatientNames(res.conflictingAppointments.map((a) => a.patient));
        this.conflicts = res.conflictingAppointments;
        this.notice = validateOnly ? "Checked: the schedule was not saved." : "Schedule saved.";
        await this.focusOn(res.conflictingAppointments.length ? "#sched-conflicts" : "#sched-notice");
      },
      {
        // Violations naming rows ("schedule.weekly_hours[2].end") are shown at those rows.
        onError: (e) => {
          if (e.code === Code.Aborted) return;
          const read = scheduleRowErrors(e);
          this.rowErrors = read.rows;
          this.form.other = read.other.length ? read.other : [rowsNeedFixing];
        },
      },
    );
  }

  private async focusOn(selector: string): Promise<void> {
    await this.updateComplete;
    this.querySelector<HTMLElement>(selector)?.focus();
  }

  /** Puts rows into a section (after "Same hours" or "Copy"): their old errors no longer match. */
  private setRows(section: HoursSection, rows: HoursRow[], notice: string): void {
    this.values = { ...this.values, [section]: rows };
    const errors = { ...this.rowErrors };
    delete errors[section];
    this.rowErrors = errors;
    this.copying = undefined;
    this.bulkNotice = { ...this.bulkNotice, [section]: notice };
  }

  private setSameHoursField(section: HoursSection, field: SameHoursField, value: string): void {
    const before = this.sameHours;
    this.sameHours = { ...before, [section]: { ...before[section], [field]: value } };
    // The breaks' location follows the hours' until it is chosen on its own.
    if (section === "weekly_hours" && field === "location" && before.breaks.location === before.weekly_hours.location) {
      this.sameHours = { ...this.sameHours, breaks: { ...this.sameHours.breaks, location: value } };
    }
    const errors = { ...this.sameHoursErrors[section] };
    delete errors[field];
    this.sameHoursErrors = { ...this.sameHoursErrors, [section]: errors };
  }

  private async applySameHours(section: HoursSection): Promise<void> {
    const v = this.sameHours[section];
    const errors = checkSameHours(v);
    this.sameHoursErrors = { ...this.sameHoursErrors, [section]: errors };
    const bad = (["location", "start", "end"] as const).find((f) => errors[f]);
    if (bad) {
      await this.updateComplete;
      this.querySelector<HTMLElement>(`#${section}-same-${bad}`)?.focus();
      return;
    }
    const where = locationLabel(v.location, this.locationList);
    this.setRows(
      section,
      setSameHours(this.values[section], v),
      `${daysWords(mondayToFriday)} at ${where}: ${v.start} to ${v.end}. Save the schedule to keep it.`,
    );
  }

  /** "Same hours Monday to Friday": a location, a start and an end, applied to five days at once. */
  private sameHoursForm(section: HoursSection): TemplateResult {
    const words = bulkWords[section];
    const v = this.sameHours[section];
    const errors = this.sameHoursErrors[section];
    const timeField = (field: "start" | "end", label: string) => {
      const id = `${section}-same-${field}`;
      return html`<div>
        <label for=${id}>${label}</label>
        <input id=${id} type="time" aria-invalid=${ariaInvalid(errors[field])} aria-describedby=${ariaDescribedBy(id, errors[field])}
          .value=${v[field]} @input=${(e: Event) => this.setSameHoursField(section, field, (e.target as HTMLInputElement).value)} />
        ${fieldErrorText(id, errors[field])}
      </div>`;
    };
    // Enter in its fields applies it (rather than saving the whole schedule).
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.target as HTMLElement).tagName === "INPUT") {
        e.preventDefault();
        void this.applySameHours(section);
      }
    };
    return html`<fieldset class="same-hours" @keydown=${onKey}>
      <legend>${words.legend}</legend>
      <div class="same-hours-row">
        <div class="same-hours-location">
          <location-picker
            inputId="${section}-same-location"
            label="Location"
            emptyLabel="Choose a location…"
            .value=${v.location}
            .error=${errors.location ?? ""}
            @pick=${(e: CustomEvent<PickDetail>) => this.setSameHoursField(section, "location", e.detail.value)}
          ></location-picker>
        </div>
        ${timeField("start", "From")} ${timeField("end", "To")}
        <button type="button" class="secondary" @click=${() => this.applySameHours(section)}>${words.button}</button>
      </div>
    </fieldset>`;
  }

  private async openCopy(section: HoursSection, index: number): Promise<void> {
    this.copying = { section, index };
    this.copyDays = [];
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#${section}-copy-days input`)?.focus();
  }

  private async closeCopy(section: HoursSection, index: number): Promise<void> {
    this.copying = undefined;
    await this.updateComplete;
    this.querySelector<HTMLElement>(`#${section}-copy-${index}`)?.focus();
  }

  private applyCopy(section: HoursSection, index: number): void {
    const row = this.values[section][index];
    if (!row || this.copyDays.length === 0) return;
    const days = this.copyDays;
    this.setRows(
      section,
      copyDayTo(this.values[section], index, days),
      `${dayName(Number(row.day) as DayOfWeek)} at ${locationLabel(row.location, this.locationList)} copied to ${daysWords(days)}. Save the schedule to keep it.`,
    );
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(`#${section}-notice`)?.focus());
  }

  /** The "Copy day to…" panel under row `index`: the other days as checkboxes. */
  private copyPanel(section: HoursSection, index: number, row: HoursRow): TemplateResult {
    const day = dayName(Number(row.day) as DayOfWeek);
    const where = locationLabel(row.location, this.locationList);
    const toggle = (d: string, on: boolean) =>
      (this.copyDays = on ? [...this.copyDays.filter((x) => x !== d), d] : this.copyDays.filter((x) => x !== d));
    return html`<tr class="copy-row">
      <td colspan="5">
        <fieldset class="copy-days" id="${section}-copy-days">
          <legend>Copy ${day} at ${where} to</legend>
          ${allWeekdays
            .filter((d) => d !== row.day)
            .map(
              (d) => html`<label><input type="checkbox" .checked=${this.copyDays.includes(d)}
                @change=${(e: Event) => toggle(d, (e.target as HTMLInputElement).checked)} />${dayName(Number(d) as DayOfWeek)}</label>`,
            )}
        </fieldset>
        <div class="actions">
          <button type="button" class="small" ?disabled=${this.copyDays.length === 0} @click=${() => this.applyCopy(section, index)}>Copy</button>
          <button type="button" class="secondary outline small" @click=${() => this.closeCopy(section, index)}>Cancel</button>
        </div>
      </td>
    </tr>`;
  }

  private hoursTable(section: HoursSection, caption: string): TemplateResult {
    const rows = this.values[section];
    const errors = this.rowErrors[section] ?? {};
    const update = (i: number, patch: Partial<HoursRow>) =>
      (this.values = { ...this.values, [section]: rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
    const label = section === "weekly_hours" ? "Hours" : "Break";
    return html`<fieldset>
      <legend><strong>${caption}</strong></legend>
      ${this.sameHoursForm(section)}
      <p class="notice ok bulk-notice" id="${section}-notice" tabindex="-1" role="status">${this.bulkNotice[section]}</p>
      ${rows.length === 0 ? html`<p class="muted">None.</p>` : nothing}
      <div class="overflow-auto">
        <table class="schedule-table">
          ${rows.length
            ? html`<thead><tr><th scope="col">Location</th><th scope="col">Day</th><th scope="col">From</th><th scope="col">To</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>`
            : nothing}
          <tbody>
            ${rows.map((r, i) => {
              const err = errors[i];
              const rowId = `${section}-${i}`;
              const n = `${label} ${i + 1}`;
              const day = dayName(Number(r.day) as DayOfWeek);
              const copyOpen = this.copying?.section === section && this.copying.index === i;
              return html`<tr class=${err ? "row-invalid" : ""}>
                  <td class="row-location">
                    <location-picker
                      inputId=${rowId}
                      label="${n} location"
                      labelHidden
                      emptyLabel=""
                      .value=${r.location}
                      .error=${err ?? ""}
                      @pick=${(e: CustomEvent<PickDetail>) => update(i, { location: e.detail.value })}
                    ></location-picker>
                  </td>
                  <td class="row-day">
                    <select aria-label="${n} day" @change=${(e: Event) => update(i, { day: (e.target as HTMLSelectElement).value })}>
                      ${weekdayNames.map(([d, name]) => html`<option value=${String(d)} ?selected=${String(d) === r.day}>${name}</option>`)}
                    </select>
                  </td>
                  <td><input type="time" aria-label="${n} from" .value=${r.start} @input=${(e: Event) => update(i, { start: (e.target as HTMLInputElement).value })} /></td>
                  <td><input type="time" aria-label="${n} to" .value=${r.end} @input=${(e: Event) => update(i, { end: (e.target as HTMLInputElement).value })} /></td>
                  <td class="row-actions">
                    <button type="button" id="${section}-copy-${i}" class="secondary outline small" aria-expanded=${copyOpen ? "true" : "false"}
                      @click=${() => (copyOpen ? this.closeCopy(section, i) : this.openCopy(section, i))}>Copy day to…<span class="visually-hidden"> (${day} at ${locationLabel(r.location, this.locationList)})</span></button>
                    <button type="button" class="secondary outline small" aria-label="Remove ${n.toLowerCase()}"
                      @click=${() => {
                        this.copying = undefined;
                        this.values = { ...this.values, [section]: rows.filter((_, j) => j !== i) };
                      }}>Remove</button>
                  </td>
                </tr>
                ${copyOpen ? this.copyPanel(section, i, r) : nothing}`;
            })}
          </tbody>
        </table>
      </div>
      <button type="button" class="secondary" @click=${() => {
        const last = rows[rows.length - 1];
        const next = last ? { ...last, day: String((Number(last.day) % 7) + 1) } : emptyHoursRow(this.sameHours[section].location || this.locationList[0]?.name || "");
        this.values = { ...this.values, [section]: [...rows, next] };
      }}>${section === "weekly_hours" ? "Add hours" : "Add break"}</button>
    </fieldset>`;
  }

  private exceptionsTable(): TemplateResult {
    const rows = this.values.exceptions;
    const errors = this.rowErrors.exceptions ?? {};
    const update = (i: number, patch: Partial<ExceptionRow>) =>
      (this.values = { ...this.values, exceptions: rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
    return html`<fieldset>
      <legend><strong>Exceptions</strong> <small class="muted">(time off; extra hours. No times = the whole day)</small></legend>
      ${rows.length === 0 ? html`<p class="muted">None.</p>` : nothing}
      <div class="overflow-auto">
        <table class="schedule-table">
          ${rows.length
            ? html`<thead><tr><th scope="col">Kind</th><th scope="col">Date</th><th scope="col">Location</th><th scope="col">From</th><th scope="col">To</th><th scope="col">Reason</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>`
            : nothing}
          <tbody>
            ${rows.map((r, i) => {
              const err = errors[i];
              const rowId = `exceptions-${i}`;
              const n = `Exception ${i + 1}`;
              return html`<tr class=${err ? "row-invalid" : ""}>
                <td>
                  <select id=${rowId} aria-label="${n} kind" aria-invalid=${ariaInvalid(err)} aria-describedby=${ariaDescribedBy(rowId, err)}
                    @change=${(e: Event) => update(i, { kind: (e.target as HTMLSelectElement).value })}>
                    ${kindLabels.map(([k, label]) => html`<option value=${String(k)} ?selected=${String(k) === r.kind}>${label}</option>`)}
                  </select>
                  ${fieldErrorText(rowId, err)}
                </td>
                <td><input type="date" aria-label="${n} date" .value=${r.date} @input=${(e: Event) => update(i, { date: (e.target as HTMLInputElement).value })} /></td>
                <td>
                  <location-picker
                    inputId="exceptions-${i}-location"
                    label="${n} location"
                    labelHidden
                    emptyLabel="Every location"
                    emptyChoosable
                    .value=${r.location}
                    @pick=${(e: CustomEvent<PickDetail>) => update(i, { location: e.detail.value })}
                  ></location-picker>
                </td>
                <td><input type="time" aria-label="${n} from" .value=${r.start} @input=${(e: Event) => update(i, { start: (e.target as HTMLInputElement).value })} /></td>
                <td><input type="time" aria-label="${n} to" .value=${r.end} @input=${(e: Event) => update(i, { end: (e.target as HTMLInputElement).value })} /></td>
                <td><input type="text" maxlength="100" aria-label="${n} reason" .value=${r.reason} @input=${(e: Event) => update(i, { reason: (e.target as HTMLInputElement).value })} /></td>
                <td><button type="button" class="secondary outline small" aria-label="Remove exception ${i + 1}"
                  @click=${() => (this.values = { ...this.values, exceptions: rows.filter((_, j) => j !== i) })}>Remove</button></td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <button type="button" class="secondary" @click=${() => (this.values = { ...this.values, exceptions: [...rows, emptyExceptionRow()] })}>Add exception</button>
    </fieldset>`;
  }

  private conflictList(): TemplateResult | typeof nothing {
    const list = this.conflicts;
    if (list === undefined) return nothing;
    if (list.length === 0) return html`<p class="notice ok" id="sched-conflicts" tabindex="-1">No future appointment conflicts with this schedule.</p>`;
    const locName = (name: string) => this.locationList.find((l) => l.name === name);
    return html`<div class="notice error" id="sched-conflicts" tabindex="-1" role="alert">
      <p><strong>${list.length} future appointment(s) fall outside this schedule.</strong> They are kept; the front desk must move or cancel them:</p>
      <ul>
        ${list.map((a) => {
          const loc = locName(a.location);
          const zone = loc && isKnownZone(loc.timeZone) ? loc.timeZone : "UTC";
          return html`<li>${describeWall(appointmentWallStart(a, zone))} (${zone}) · ${loc?.displayName ?? a.location} ·
            <a href="/staff/patients/${encodeURIComponent(resourceId(a.patient))}">${patientName(a.patient)}</a></li>`;
        })}
      </ul>
    </div>`;
  }

  override render() {
    if (this.denied) return html`<no-access></no-access>`;
    if (!this.member) {
      return html`<p><a href="/staff/admin/schedules">← Therapist schedules</a></p>
        <h1>Schedule</h1>
        ${this.loadError ? html`<div class="notice error" role="alert"><p>${this.loadError}</p></div>` : html`<p aria-busy="true">Loading…</p>`}`;
    }
    return html`
      <p><a href="/staff/admin/schedules">← Therapist schedules</a></p>
      <h1>Schedule of ${memberName(this.member)}</h1>
      <p class="muted">Times are local wall-clock times at each location (a 09:00 start stays 09:00 across daylight-saving changes).</p>
      ${this.form.summary(`The schedule was not ${this.checking ? "checked" : "saved"}.`, {})}
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice ok" id="sched-notice" tabindex="-1">${this.notice}</p>` : nothing}</div>
      ${this.conflictList()}
      <form novalidate @submit=${(e: Event) => {
        e.preventDefault();
        void this.submit(false);
      }}>
        ${this.hoursTable("weekly_hours", "Weekly hours")} ${this.hoursTable("breaks", "Breaks")} ${this.exceptionsTable()}
        <div class="actions">
          <button type="submit" ?disabled=${this.form.busy} aria-busy=${this.form.busy && !this.checking ? "true" : "false"}>Save schedule</button>
          <button type="button" class="secondary" ?disabled=${this.form.busy} aria-busy=${this.form.busy && this.checking ? "true" : "false"} @click=${() => this.submit(true)}>
            Check only
          </button>
          <a href="/staff/admin/schedules">Cancel</a>
        </div>
      </form>
    `;
  }
}

/** The location with the most weekly-hours rows ("" if none). */
function mostUsedLocation(rows: readonly HoursRow[]): string {
  const counts = new Map<string, number>();
  for (const r of rows) if (r.location) counts.set(r.location, (counts.get(r.location) ?? 0) + 1);
  let best = "";
  for (const [l, n] of counts) if (n > (counts.get(best) ?? 0)) best = l;
  return best;
}

customElements.define("admin-schedules", AdminSchedules);
customElements.define("schedule-editor", ScheduleEditor);
