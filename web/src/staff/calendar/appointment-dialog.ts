import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  AppointmentSource,
  type Appointment,
  type AppointmentType,
  type Location,
  type WaitlistEntry,
} from "../../gen/clinic/appointments/v1/appointments_pb";
import type { StaffMember } from "../../gen/clinic/staff/v1/staff_pb";
import { appointments, callTimeoutMs } from "../shared/api";
import { currentMember } from "../account/auth";
import { memberName } from "../account/auth-model";
import { loadPatientNames, patientName, staffMemberName } from "./calendar-data";
import { autoOfferLine } from "./offers-model";
import {
  allowedVerbs,
  appointmentWallStart,
  bookingErrorMessage,
  cancelRequest,
  checkInHint,
  describeWaitlistEntry,
  durationMinutes,
  maxUndoReason,
  rescheduleRequest,
  resourceId,
  speakable,
  stateStyle,
  undoLine,
  undoReasonError,
  undoRequest,
  verbErrorMessage,
  verbLabels,
  verbsForRoles,
  type Verb,
} from "./calendar-model";
import { ariaDescribedBy, ariaInvalid, fieldErrorText } from "../shared/form";
import { fieldViolations } from "../shared/errors";
import { LightElement } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { describeDate, describeWall, parseWall, timestampToMs, timestampToWall, zoneAbbreviation } from "../shared/tz";

const sourceLabels: Record<AppointmentSource, string> = {
  [AppointmentSource.UNSPECIFIED]: "not recorded",
  [AppointmentSource.FRONT_DESK]: "front desk",
  [AppointmentSource.ONLINE]: "online",
  [AppointmentSource.THERAPY_PLAN]: "therapy plan",
  [AppointmentSource.WAITLIST_OFFER]: "waitlist offer (taken by the patient)",
};

type Mode = "view" | "cancel" | "reschedule" | "undo";

/**
 * <appointment-dialog>: one appointment's details and what the front desk
 * can do with it (confirm, check in, complete, mark no-show, undo a
 * check-in or no-show with a reason, cancel with a reason, reschedule) —
 * only what the signed-in member's roles and the appointment's time allow
 * (check-in on its local day, a no-show after the start until the end of
 * that day). Fires "changed" (detail: the Appointment) after a change, so
 * the calendar reloads.
 */
export class AppointmentDialog extends LightElement {
  static override properties = {
    location: { attribute: false },
    zone: { attribute: false },
    therapists: { attribute: false },
    types: { attribute: false },
    appointment: { state: true },
    mode: { state: true },
    busy: { state: true },
    error: { state: true },
    notice: { state: true },
    reason: { state: true },
    reasonError: { state: true },
    moveDate: { state: true },
    moveTime: { state: true },
    moveTherapist: { state: true },
    waitlist: { state: true },
    undoVerb: { state: true },
    undoBy: { state: true },
  };
  declare location: Location | undefined;
  declare zone: string;
  declare therapists: StaffMember[];
  declare types: AppointmentType[];
  declare appointment: Appointment | undefined;
  declare mode: Mode;
  declare busy: boolean;
  declare error: string;
  declare notice: string;
  declare reason: string;
  declare reasonError: string;
  declare moveDate: string;
  declare moveTime: string;
  declare moveTherapist: string;
  declare waitlist: WaitlistEntry[] | undefined;
  declare undoVerb: "undoCheckIn" | "undoNoShow";
  /** The name of who undid the last check-in or no-show (once loaded). */
  declare undoBy: string;

  private requestId = newRequestId();

  constructor() {
    super();
    this.location = undefined;
    this.zone = "UTC";
    this.therapists = [];
    this.types = [];
    this.appointment = undefined;
    this.mode = "view";
    this.busy = false;
    this.error = "";
    this.notice = "";
    this.reason = "";
    this.reasonError = "";
    this.moveDate = "";
    this.moveTime = "";
    this.moveTherapist = "";
    this.waitlist = undefined;
    this.undoVerb = "undoCheckIn";
    this.undoBy = "";
  }

  private get dialog(): HTMLDialogElement | null {
    return this.querySelector("dialog");
  }

  async open(a: Appointment): Promise<void> {
    this.setAppointment(a);
    this.mode = "view";
    this.error = "";
    this.notice = "";
    this.reason = "";
    this.reasonError = "";
    this.waitlist = undefined;
    await this.updateComplete;
    const d = this.dialog;
    if (d && !d.open) d.showModal();
    this.querySelector<HTMLElement>("#ad-title")?.focus();
    // Fresh state: someone else may have changed it since the calendar loaded.
    try {
      const fresh = await appointments.getAppointment({ name: a.name }, { timeoutMs: callTimeoutMs });
      if (this.appointment?.name === fresh.name && !this.busy) this.setAppointment(fresh);
    } catch {
      // The calendar's copy is shown.
    }
  }

  close(): void {
    this.dialog?.close();
  }

  /** Shows an appointment, and loads the name of who last undid its check-in or no-show. */
  private setAppointment(a: Appointment): void {
    this.appointment = a;
    const by = a.lastUndo?.staff ?? "";
    const me = currentMember();
    this.undoBy = by && me?.name === by ? memberName(me) : "";
    if (by && !this.undoBy) {
      void staffMemberName(by).then((n) => {
        if (this.appointment?.lastUndo?.staff === by) this.undoBy = n;
      });
    }
  }

  private changed(a: Appointment): void {
    this.setAppointment(a);
    this.dispatchEvent(new CustomEvent("changed", { detail: a, bubbles: true }));
  }

  /** The appointment's local day in words, for messages. */
  private dayWords(a: Appointment): string {
    return describeDate(appointmentWallStart(a, this.zone).slice(0, 10));
  }

  /** Shows a failure in words (`message`) and, after a conflict or a changed state, the appointment as it is now. */
  private async fail(err: unknown, message: string): Promise<void> {
    const e = ConnectError.from(err);
    this.error = message;
    if (e.code === Code.Aborted || e.code === Code.FailedPrecondition) {
      // Show what it is now.
      try {
        const a = this.appointment;
        if (a) this.changed(await appointments.getAppointment({ name: a.name }, { timeoutMs: callTimeoutMs }));
      } catch {
        // keep the old copy
      }
    }
    await this.updateComplete;
    this.querySelector<HTMLElement>("#ad-error")?.focus();
  }

  private async verb(v: Verb): Promise<void> {
    const a = this.appointment;
    if (!a || this.busy) return;
    if (v === "cancel") {
      this.mode = "cancel";
      this.error = "";
      await this.updateComplete;
      this.querySelector<HTMLElement>("#ad-reason")?.focus();
      return;
    }
    if (v === "undoCheckIn" || v === "undoNoShow") {
      this.undoVerb = v;
      this.reason = "";
      this.reasonError = "";
      this.mode = "undo";
      this.error = "";
      this.notice = "";
      await this.updateComplete;
      this.querySelector<HTMLElement>("#ad-undo-reason")?.focus();
      return;
    }
    if (v === "reschedule") {
      const wall = appointmentWallStart(a, this.zone);
      this.moveDate = wall.slice(0, 10);
      this.moveTime = wall.slice(11, 16);
      this.moveTherapist = a.therapist;
      this.mode = "reschedule";
      this.error = "";
      this.requestId = newRequestId();
      await this.updateComplete;
      this.querySelector<HTMLElement>("#ad-move-date")?.focus();
      return;
    }
    this.busy = true;
    this.error = "";
    this.notice = "";
    const req = { name: a.name, etag: a.etag };
    const opts = { timeoutMs: callTimeoutMs };
    try {
      let updated: Appointment | undefined;
      switch (v) {
        case "confirm":
          updated = await appointments.confirmAppointment(req, opts);
          break;
        case "checkIn":
          updated = await appointments.checkInAppointment(req, opts);
          break;
        case "complete":
          updated = await appointments.completeAppointment(req, opts);
          break;
        case "noShow":
          updated = await appointments.markNoShow(req, opts);
          break;
      }
      if (!updated) return;
      this.changed(updated);
      this.notice = `${verbLabels[v]}: done. The appointment is now ${stateStyle(updated.state).label.toLowerCase()}.`;
      await this.updateComplete;
      this.querySelector<HTMLElement>("#ad-state")?.focus();
    } catch (err) {
      await this.fail(err, verbErrorMessage(err, v, this.dayWords(a)));
    } finally {
      this.busy = false;
    }
  }

  private async cancel(e: Event): Promise<void> {
    e.preventDefault();
    const a = this.appointment;
    if (!a || this.busy) return;
    if (!this.reason.trim()) {
      this.reasonError = "Say why the appointment is cancelled.";
      this.querySelector<HTMLElement>("#ad-reason")?.focus();
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      const res = await appointments.cancelAppointment(cancelRequest(a, this.reason), { timeoutMs: callTimeoutMs });
      const waiting = res.waitlistMatches;
      if (waiting.length) await loadPatientNames(waiting.map((w) => w.patient));
      this.waitlist = waiting;
      this.mode = "view";
      if (res.appointment) this.changed(res.appointment);
      this.notice = "Cancelled. The slot is free again.";
      await this.updateComplete;
      this.querySelector<HTMLElement>(waiting.length ? "#ad-waitlist" : "#ad-state")?.focus();
    } catch (err) {
      await this.fail(err, verbErrorMessage(err, "cancel", this.dayWords(a)));
    } finally {
      this.busy = false;
    }
  }

  private async reschedule(e: Event): Promise<void> {
    e.preventDefault();
    const a = this.appointment;
    if (!a || this.busy) return;
    const wall = `${this.moveDate}T${this.moveTime}`;
    if (!parseWall(wall)) {
      this.error = "Choose a date and a time.";
      await this.updateComplete;
      this.querySelector<HTMLElement>("#ad-error")?.focus();
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      const moved = await appointments.rescheduleAppointment(
        rescheduleRequest(a, wall, this.zone, this.requestId, this.moveTherapist),
        { timeoutMs: callTimeoutMs },
      );
      this.mode = "view";
      this.changed(moved);
      this.notice = `Moved to ${describeWall(timestampToWall(moved.startTime, this.zone))}.`;
      await this.updateComplete;
      this.querySelector<HTMLElement>("#ad-when")?.focus();
    } catch (err) {
      const code = ConnectError.from(err).code;
      if (code !== Code.Unavailable && code !== Code.DeadlineExceeded) this.requestId = newRequestId();
      const therapist = this.therapists.find((m) => m.name === (this.moveTherapist || a.therapist));
      const { message } = bookingErrorMessage(err, {
        therapistName: therapist ? memberName(therapist) : undefined,
        patientName: patientName(a.patient),
        typeName: this.types.find((t) => t.name === a.appointmentType)?.displayName,
        locationName: this.location?.displayName,
        wallStart: wall,
      });
      await this.fail(err, `Not moved. ${message}`);
    } finally {
      this.busy = false;
    }
  }

  private async undo(e: Event): Promise<void> {
    e.preventDefault();
    const a = this.appointment;
    if (!a || this.busy) return;
    const verb = this.undoVerb;
    const problem = undoReasonError(this.reason, verb);
    if (problem) {
      this.reasonError = problem;
      this.querySelector<HTMLElement>("#ad-undo-reason")?.focus();
      return;
    }
    this.busy = true;
    this.error = "";
    try {
      const updated = await appointments.undoAppointmentStatus(undoRequest(a, this.reason), { timeoutMs: callTimeoutMs });
      this.mode = "view";
      this.reason = "";
      this.changed(updated);
      this.notice = `${verb === "undoCheckIn" ? "Check-in" : "No-show"} undone. The appointment is ${stateStyle(updated.state).label.toLowerCase()} again.`;
      await this.updateComplete;
      this.querySelector<HTMLElement>("#ad-state")?.focus();
    } catch (err) {
      // A violation of the reason is shown at the field.
      const atReason = (fieldViolations(err) ?? []).filter((v) => v.field === "reason");
      if (atReason.length) {
        this.reasonError = speakable(atReason.map((v) => v.description).join(" ")) ?? "Give a reason of 1 to 500 characters.";
        await this.updateComplete;
        this.querySelector<HTMLElement>("#ad-undo-reason")?.focus();
      } else {
        await this.fail(err, verbErrorMessage(err, verb, this.dayWords(a)));
      }
    } finally {
      this.busy = false;
    }
  }

  private undoForm(): TemplateResult {
    const what = this.undoVerb === "undoCheckIn" ? "check-in" : "no-show";
    return html`<form class="notice" novalidate @submit=${this.undo}>
      <label for="ad-undo-reason">Why undo the ${what}? <small>(required)</small></label>
      <textarea
        id="ad-undo-reason"
        rows="2"
        maxlength=${maxUndoReason}
        required
        aria-invalid=${ariaInvalid(this.reasonError)}
        aria-describedby=${ariaDescribedBy("ad-undo-reason", this.reasonError, "ad-undo-hint")}
        .value=${this.reason}
        @input=${(e: Event) => {
          this.reason = (e.target as HTMLTextAreaElement).value;
          this.reasonError = "";
        }}
      ></textarea>
      ${fieldErrorText("ad-undo-reason", this.reasonError)}
      <small class="hint" id="ad-undo-hint">E.g. "checked in the wrong patient". Kept with the appointment and in the audit trail.</small>
      <div class="actions">
        <button type="submit" class="contrast" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>${verbLabels[this.undoVerb]}</button>
        <button type="button" class="secondary" @click=${() => (this.mode = "view")}>Back</button>
      </div>
    </form>`;
  }

  private cancelForm(): TemplateResult {
    return html`<form class="notice" novalidate @submit=${this.cancel}>
      <label for="ad-reason">Reason for cancelling <small>(required)</small></label>
      <textarea
        id="ad-reason"
        rows="2"
        maxlength="500"
        required
        aria-invalid=${ariaInvalid(this.reasonError)}
        aria-describedby=${ariaDescribedBy("ad-reason", this.reasonError)}
        .value=${this.reason}
        @input=${(e: Event) => {
          this.reason = (e.target as HTMLTextAreaElement).value;
          this.reasonError = "";
        }}
      ></textarea>
      ${fieldErrorText("ad-reason", this.reasonError)}
      <div class="actions">
        <button type="submit" class="contrast" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>Cancel appointment</button>
        <button type="button" class="secondary" @click=${() => (this.mode = "view")}>Keep it</button>
      </div>
    </form>`;
  }

  private rescheduleForm(): TemplateResult {
    return html`<form class="notice" novalidate @submit=${this.reschedule}>
      <p><strong>Move to</strong> <small class="muted">(times in ${this.zone})</small></p>
      <div class="grid">
        <div>
          <label for="ad-move-date">Date</label>
          <input id="ad-move-date" type="date" required .value=${this.moveDate} @input=${(e: Event) => (this.moveDate = (e.target as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="ad-move-time">Time</label>
          <input
            id="ad-move-time"
            type="time"
            required
            step=${(this.location?.slotMinutes || 15) * 60}
            .value=${this.moveTime}
            @input=${(e: Event) => (this.moveTime = (e.target as HTMLInputElement).value)}
          />
        </div>
        <div>
          <label for="ad-move-therapist">Therapist</label>
          <select id="ad-move-therapist" @change=${(e: Event) => (this.moveTherapist = (e.target as HTMLSelectElement).value)}>
            ${this.therapists.map((m) => html`<option value=${m.name} ?selected=${m.name === this.moveTherapist}>${memberName(m)}</option>`)}
          </select>
        </div>
      </div>
      <div class="actions">
        <button type="submit" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"}>Move appointment</button>
        <button type="button" class="secondary" @click=${() => (this.mode = "view")}>Back</button>
      </div>
    </form>`;
  }

  private details(a: Appointment): TemplateResult {
    const type = this.types.find((t) => t.name === a.appointmentType);
    const therapist = this.therapists.find((m) => m.name === a.therapist);
    const wall = appointmentWallStart(a, this.zone);
    const end = timestampToWall(a.endTime, this.zone);
    const style = stateStyle(a.state);
    const startMs = timestampToMs(a.startTime);
    const now = Date.now();
    const verbs = verbsForRoles(allowedVerbs(a.state, startMs, now, this.zone), currentMember()?.roles);
    const hint = checkInHint(a.state, startMs, this.zone, now);
    const undone = undoLine(a.lastUndo, this.undoBy, this.zone);
    return html`
      <dl class="appt-details">
        <dt>Patient</dt>
        <dd><a href="/staff/patients/${encodeURIComponent(resourceId(a.patient))}">${patientName(a.patient)}</a></dd>
        <dt>Type</dt>
        <dd>${type ? `${type.displayName} (${durationMinutes(type.duration)} min)` : "—"}</dd>
        <dt>When</dt>
        <dd id="ad-when" tabindex="-1">
          ${describeWall(wall)}–${end.slice(11, 16)}
          <abbr title=${this.zone}>${zoneAbbreviation(timestampToMs(a.startTime), this.zone)}</abbr>
        </dd>
        <dt>Therapist</dt>
        <dd>${therapist ? memberName(therapist) : "—"}</dd>
        <dt>Location</dt>
        <dd>${this.location?.displayName ?? "—"}</dd>
        <dt>State</dt>
        <dd id="ad-state" tabindex="-1"><span class="badge state ${style.className}">${style.label}</span></dd>
        ${undone ? html`<dt>Undone</dt><dd id="ad-last-undo">${undone}</dd>` : nothing}
        ${a.cancelReason ? html`<dt>Cancel reason</dt><dd>${a.cancelReason}</dd>` : nothing}
        <dt>Booked</dt>
        <dd>${sourceLabels[a.source] ?? "—"}</dd>
        ${a.notes ? html`<dt>Notes</dt><dd class="break">${a.notes}</dd>` : nothing}
      </dl>
      ${this.waitlist !== undefined
        ? html`<section id="ad-waitlist" tabindex="-1" class="notice">
            ${this.waitlist.length === 0
              ? html`<p>Nobody on the waitlist is waiting for a slot like this.</p>`
              : html`<p><strong>Waiting for a slot like this:</strong></p>
                  <ol>
                    ${this.waitlist.map(
                      (w) => html`<li>
                        <a href="/staff/patients/${encodeURIComponent(resourceId(w.patient))}">${describeWaitlistEntry(w, patientName(w.patient))}</a>
                      </li>`,
                    )}
                  </ol>
                  <p id="ad-auto-offer">${autoOfferLine(this.waitlist.length, patientName(this.waitlist[0].patient))}</p>`}
          </section>`
        : nothing}
      ${hint && this.mode === "view" ? html`<p class="muted" id="ad-hint">${hint}</p>` : nothing}
      ${this.mode === "cancel"
        ? this.cancelForm()
        : this.mode === "undo"
          ? this.undoForm()
          : this.mode === "reschedule"
          ? this.rescheduleForm()
          : verbs.length
            ? html`<div class="actions verb-buttons">
                ${verbs.map(
                  (v) => html`<button
                    type="button"
                    class=${v === "cancel" || v === "undoCheckIn" || v === "undoNoShow" ? "secondary outline" : v === "reschedule" ? "secondary" : ""}
                    ?disabled=${this.busy}
                    @click=${() => this.verb(v)}
                  >
                    ${v === "cancel" ? "Cancel…" : v === "reschedule" ? "Reschedule…" : v === "undoCheckIn" || v === "undoNoShow" ? `${verbLabels[v]}…` : verbLabels[v]}
                  </button>`,
                )}
              </div>`
            : nothing}
    `;
  }

  override render() {
    const a = this.appointment;
    return html`<dialog aria-labelledby="ad-title">
      <article>
        <header>
          <button type="button" rel="prev" aria-label="Close dialog" @click=${() => this.close()}></button>
          <h2 id="ad-title" tabindex="-1">${a ? patientName(a.patient) : "Appointment"}</h2>
        </header>
        ${this.error ? html`<div class="notice error" role="alert" id="ad-error" tabindex="-1"><p>${this.error}</p></div>` : nothing}
        <div role="status" aria-live="polite">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
        ${a ? this.details(a) : nothing}
        <footer>
          <button type="button" class="secondary" @click=${() => this.close()}>Close</button>
        </footer>
      </article>
    </dialog>`;
  }
}

customElements.define("appointment-dialog", AppointmentDialog);
