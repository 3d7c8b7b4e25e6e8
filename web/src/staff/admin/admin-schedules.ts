import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { ScheduleException_Kind, type Appointment, type Location, type ProviderSchedule } from "../../gen/clinic/appointments/v1/appointments_pb";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { callTimeoutMs, locations, schedules, staff } from "../shared/api";
import {
  checkScheduleForm,
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
import { appointmentWallStart, resourceId, weekdayNames } from "../calendar/calendar-model";
import { describeCallError } from "../shared/errors";
import { FormState, ariaDescribedBy, ariaInvalid, fieldErrorText } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { describeWall, isKnownZone } from "../shared/tz";
import "../shared/no-access";

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
        allPages(async (pageToken) => {
          const r = await locations.listLocations({ pageSize: 200, pageToken }, opts);
          return { items: r.locations, next: r.nextPageToken };
        }),
        schedules.getProviderSchedule({ name: this.scheduleName }, opts).catch((err) => {
          if (ConnectError.from(err).code === Code.NotFound) return undefined;
          throw err;
        }),
      ]);
      this.member = member;
      this.locationList = locs;
      this.schedule = schedule;
      this.values = scheduleForm(schedule);
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

  private locationOptions(selected: string, allowEmpty: string | undefined): TemplateResult {
    return html`${allowEmpty !== undefined ? html`<option value="" ?selected=${selected === ""}>${allowEmpty}</option>` : nothing}
    ${allowEmpty === undefined && !selected ? html`<option value="" selected disabled>Choose…</option>` : nothing}
    ${this.locationList.map((l) => html`<option value=${l.name} ?selected=${l.name === selected}>${l.displayName}</option>`)}`;
  }

  private hoursTable(section: "weekly_hours" | "breaks", caption: string): TemplateResult {
    const rows = this.values[section];
    const errors = this.rowErrors[section] ?? {};
    const update = (i: number, patch: Partial<HoursRow>) =>
      (this.values = { ...this.values, [section]: rows.map((r, j) => (j === i ? { ...r, ...patch } : r)) });
    const label = section === "weekly_hours" ? "Hours" : "Break";
    return html`<fieldset>
      <legend><strong>${caption}</strong></legend>
      ${rows.length === 0 ? html`<p class="muted">None.</p>` : nothing}
      <div class="overflow-auto">
        <table class="schedule-table">
          ${rows.length
            ? html`<thead><tr><th scope="col">Location</th><th scope="col">Day</th><th scope="col">From</th><th scope="col">To</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead>`
            : nothing}
          <tbody>
            ${rows.map((r, i) => {
              const err = errors[i];
              const rowId = `${section}-${i}`;
              const n = `${label} ${i + 1}`;
              return html`<tr class=${err ? "row-invalid" : ""}>
                <td>
                  <select id=${rowId} aria-label="${n} location" aria-invalid=${ariaInvalid(err)} aria-describedby=${ariaDescribedBy(rowId, err)}
                    @change=${(e: Event) => update(i, { location: (e.target as HTMLSelectElement).value })}>
                    ${this.locationOptions(r.location, undefined)}
                  </select>
                  ${fieldErrorText(rowId, err)}
                </td>
                <td>
                  <select aria-label="${n} day" @change=${(e: Event) => update(i, { day: (e.target as HTMLSelectElement).value })}>
                    ${weekdayNames.map(([d, name]) => html`<option value=${String(d)} ?selected=${String(d) === r.day}>${name}</option>`)}
                  </select>
                </td>
                <td><input type="time" aria-label="${n} from" .value=${r.start} @input=${(e: Event) => update(i, { start: (e.target as HTMLInputElement).value })} /></td>
                <td><input type="time" aria-label="${n} to" .value=${r.end} @input=${(e: Event) => update(i, { end: (e.target as HTMLInputElement).value })} /></td>
                <td><button type="button" class="secondary outline small" aria-label="Remove ${n.toLowerCase()}"
                  @click=${() => (this.values = { ...this.values, [section]: rows.filter((_, j) => j !== i) })}>Remove</button></td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <button type="button" class="secondary" @click=${() => {
        const last = rows[rows.length - 1];
        const next = last ? { ...last, day: String((Number(last.day) % 7) + 1) } : emptyHoursRow(this.locationList[0]?.name ?? "");
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
                  <select aria-label="${n} location" @change=${(e: Event) => update(i, { location: (e.target as HTMLSelectElement).value })}>
                    ${this.locationOptions(r.location, "Every location")}
                  </select>
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

customElements.define("admin-schedules", AdminSchedules);
customElements.define("schedule-editor", ScheduleEditor);
