import { html, nothing, type TemplateResult } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Patient } from "../../gen/clinic/patients/v1/patients_pb";
import {
  QuestionKind,
  ScreeningOutcome,
  ScreeningState,
  type Screening,
  type ScreeningAddendum,
  type ScreeningEvaluation,
  type ScreeningProtocol,
  type ScreeningQuestion,
} from "../../gen/clinic/screenings/v1/screenings_pb";
import { currentMember } from "../account/auth";
import { formatTime, tsMs } from "../contacts/contacts-model";
import { displayName, patientId } from "../patients/patient-model";
import { takeFlash } from "../router";
import { callTimeoutMs, patients, screenings } from "../shared/api";
import { FormState, ariaDescribedBy, ariaInvalid, fieldErrorText } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import "../shared/no-access";
import "./screening-convert";
import { canPlan, newPlanPath } from "../plans/plan-model";
import type { ConvertedEvent } from "./screening-convert";
import { loadProtocols, staffName } from "./screening-data";
import {
  addendumFormErrors,
  addendumRequest,
  allowedOutcomes,
  answerField,
  answerWords,
  answeredCount,
  canScreen,
  causeMaxScore,
  checkAddendum,
  checkComplete,
  completeFormErrors,
  completeRequest,
  describeScreeningError,
  effectiveOutcome,
  emptyValues,
  evaluateRequest,
  evaluationErrorWords,
  evaluationKey,
  evaluationSummary,
  isAnswered,
  isDirty,
  offerReload,
  outcomeChoices,
  outcomeWords,
  questionInputId,
  referralHeading,
  refersToPhysician,
  saveStateWords,
  scaleSteps,
  screeningFormErrors,
  screeningInputId,
  stateWords,
  toggleOption,
  updateRequest,
  valuesFromScreening,
  withAnswer,
  words,
  type AnswerValue,
  type FormValues,
  type ScreeningField,
} from "./screening-model";

/** How long the answers must rest before they are evaluated. */
const evaluateDelayMs = 300;

const disclaimerFallback = "Decision support for the screening therapist, not a diagnosis.";

/**
 * <screening-page>: /staff/screenings/<id> — a screening of a patient with a
 * protocol. While in progress (for therapists and admins): the protocol's
 * questions rendered from its data, findings and notes, the live evaluation
 * (EvaluateScreening, debounced) beside the form — red flags first — and
 * Save (UpdateScreening with the etag) and Complete (CompleteScreening with
 * an outcome the evaluation allows). Completed (or for the front desk): the
 * record read-only, its addenda, and "Add an addendum"; completed with a PT
 * evaluation, "Book the initial evaluation" (<screening-convert>,
 * ConvertScreening), or the evaluation booked. All text is rendered as text.
 */
export class ScreeningPage extends LightElement {
  static override properties = {
    screeningId: { type: String },
    screening: { state: true },
    protocol: { state: true },
    patient: { state: true },
    values: { state: true },
    saved: { state: true },
    evaluation: { state: true },
    evaluationPending: { state: true },
    evaluationError: { state: true },
    outcome: { state: true },
    addendum: { state: true },
    loading: { state: true },
    loadError: { state: true },
    denied: { state: true },
    notice: { state: true },
    names: { state: true },
  };
  declare screeningId: string | undefined;
  declare screening: Screening | undefined;
  /** The screening's protocol; undefined when the service no longer has it. */
  declare protocol: ScreeningProtocol | undefined;
  declare patient: Patient | undefined;
  declare values: FormValues;
  /** The values as last loaded or saved: what "unsaved changes" compares with. */
  declare saved: FormValues;
  /** The evaluation shown: the stored one, or the live one of the answers in the form. */
  declare evaluation: ScreeningEvaluation | undefined;
  declare evaluationPending: boolean;
  declare evaluationError: string;
  /** The outcome chosen (see effectiveOutcome for the one shown). */
  declare outcome: ScreeningOutcome;
  declare addendum: string;
  declare loading: boolean;
  declare loadError: string;
  declare denied: boolean;
  declare notice: string;
  /** Staff members' names by resource name. */
  declare names: Map<string, string>;

  private saveForm = new FormState<ScreeningField>(this, {
    idOf: screeningInputId,
    summaryId: "screening-problems",
    read: (err) => screeningFormErrors(err, this.sentQuestions),
  });
  private completeForm = new FormState<"outcome">(this, {
    idOf: () => "s-outcome",
    summaryId: "complete-problems",
    read: completeFormErrors,
  });
  private addendumForm = new FormState<"text">(this, {
    idOf: () => "s-addendum",
    summaryId: "addendum-problems",
    read: addendumFormErrors,
  });

  /** The question ids of the answers last sent, in order (a violation of answers[2] names the third). */
  private sentQuestions: string[] = [];
  private loadedId?: string;
  private abort?: AbortController;
  private evalTimer?: number;
  private evalAbort?: AbortController;
  /** The scored answers the shown evaluation is of. */
  private shownKey = "";
  /** The last save or completion failed because the screening changed or closed meanwhile. */
  private reloadOffered = false;

  constructor() {
    super();
    this.screeningId = undefined;
    this.screening = undefined;
    this.protocol = undefined;
    this.patient = undefined;
    this.values = emptyValues();
    this.saved = emptyValues();
    this.evaluation = undefined;
    this.evaluationPending = false;
    this.evaluationError = "";
    this.outcome = ScreeningOutcome.UNSPECIFIED;
    this.addendum = "";
    this.loading = false;
    this.loadError = "";
    this.denied = false;
    this.notice = "";
    this.names = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener("beforeunload", this.onBeforeUnload);
  }

  override disconnectedCallback(): void {
    window.removeEventListener("beforeunload", this.onBeforeUnload);
    this.abort?.abort();
    this.evalAbort?.abort();
    window.clearTimeout(this.evalTimer);
    super.disconnectedCallback();
  }

  /** Leaving the app (reload, another site, closing the tab) with unsaved changes asks first. */
  private onBeforeUnload = (e: BeforeUnloadEvent): void => {
    if (this.editable && this.dirty) e.preventDefault();
  };

  protected override willUpdate(): void {
    if (this.screeningId && this.screeningId !== this.loadedId) {
      this.loadedId = this.screeningId;
      this.notice = takeFlash();
      void this.load();
    }
  }

  // -------------------------------------------------------- state ---

  private get questions(): ScreeningQuestion[] {
    return this.protocol?.questions ?? [];
  }

  private get mayScreen(): boolean {
    return canScreen(currentMember()?.roles);
  }

  /** In progress, with the protocol at hand, for someone who may change it. */
  private get editable(): boolean {
    return !!this.screening && !!this.protocol && this.screening.state === ScreeningState.IN_PROGRESS && this.mayScreen;
  }

  private get dirty(): boolean {
    return isDirty(this.questions, this.saved, this.values);
  }

  // -------------------------------------------------------- loading ---

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.loadError = "";
    this.denied = false;
    this.saveForm.clear();
    this.completeForm.clear();
    this.addendumForm.clear();
    try {
      const [s, protocols] = await Promise.all([
        screenings.getScreening(
          { name: `screenings/${this.screeningId}` },
          { signal: abort.signal, timeoutMs: callTimeoutMs },
        ),
        loadProtocols(),
      ]);
      if (abort.signal.aborted) return;
      this.protocol = protocols.find((p) => p.name === s.protocol);
      this.show(s, { replaceValues: true });
      // A server that sent no evaluation with the screening: ask for one.
      if (!s.evaluation && this.editable) this.scheduleEvaluation();
      void this.loadPeople(s, abort.signal);
      await this.updateComplete;
      announcePage(this, this.pageTitle());
    } catch (err) {
      if (abort.signal.aborted) return;
      this.screening = undefined;
      const code = ConnectError.from(err).code;
      if (code === Code.PermissionDenied) {
        this.denied = true;
        return;
      }
      // A malformed id is INVALID_ARGUMENT ("name: must look like screenings/{uuid}").
      this.loadError =
        code === Code.NotFound || code === Code.InvalidArgument
          ? "No such screening: there is no screening at this address."
          : describeScreeningError(err);
      await this.updateComplete;
      announcePage(this, "Screening");
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  /** The patient's name and the staff members' names (best effort: the page works without them). */
  private async loadPeople(s: Screening, signal: AbortSignal): Promise<void> {
    if (!this.patient || this.patient.name !== s.patient) {
      try {
        const p = await patients.getPatient({ name: s.patient }, { signal, timeoutMs: callTimeoutMs });
        if (signal.aborted) return;
        this.patient = p;
        document.title = `${this.pageTitle()} — Clinic staff`;
      } catch {
        // The page says "Patient" and still links to the patient's page.
      }
    }
    await this.loadNames(s);
  }

  private async loadNames(s: Screening): Promise<void> {
    const wanted = [s.therapist, ...s.addenda.map((a) => a.staff)].filter((n) => n && !this.names.has(n));
    for (const name of new Set(wanted)) {
      const who = await staffName(name);
      this.names = new Map(this.names).set(name, who);
    }
  }

  /**
   * Reads the screening again without leaving the page (after the initial
   * evaluation's booking found it changed): the booked evaluation shows if
   * someone booked it meanwhile. Best effort; focus stays where it is.
   */
  private async refresh(): Promise<void> {
    const s = this.screening;
    if (!s) return;
    try {
      const fresh = await screenings.getScreening({ name: s.name }, { timeoutMs: callTimeoutMs });
      if (this.screening?.name === fresh.name) this.show(fresh, { replaceValues: true });
    } catch {
      // The booking form says what went wrong.
    }
  }

  /** ConvertScreening booked the initial evaluation: the screening as it is now. */
  private onConverted(e: ConvertedEvent): void {
    const s = e.detail.screening;
    if (s && s.name === this.screening?.name) this.show(s, { replaceValues: true });
  }

  /**
   * Shows a screening as the server returned it. `replaceValues` puts its
   * answers into the form (on load); after a save the form keeps what was
   * typed meanwhile, and "unsaved changes" compares it with what was stored.
   */
  private show(s: Screening, options: { replaceValues: boolean }): void {
    this.screening = s;
    const saved = valuesFromScreening(this.questions, s);
    this.saved = saved;
    if (options.replaceValues) this.values = valuesFromScreening(this.questions, s);
    const key = evaluationKey(this.questions, this.values.answers);
    if (s.evaluation && key === evaluationKey(this.questions, saved.answers)) {
      window.clearTimeout(this.evalTimer);
      this.evalAbort?.abort();
      this.evaluation = s.evaluation;
      this.shownKey = key;
      this.evaluationPending = false;
      this.evaluationError = "";
    } else if (!this.evaluation) {
      this.evaluation = s.evaluation;
    }
  }

  private pageTitle(): string {
    const who = this.patient ? displayName(this.patient) : "";
    return who ? `Screening: ${who}` : "Screening";
  }

  // -------------------------------------------------------- answering ---

  private setAnswer(questionId: string, value: AnswerValue): void {
    this.values = withAnswer(this.values, questionId, value);
    this.saveForm.clearField(answerField(questionId));
    this.notice = "";
    this.scheduleEvaluation();
  }

  private setText(field: "findings" | "notes", value: string): void {
    this.values = { ...this.values, [field]: value };
    this.saveForm.clearField(field);
    this.notice = "";
  }

  /** Evaluates the answers once they have rested a moment; nothing to do when the scored answers did not change. */
  private scheduleEvaluation(): void {
    window.clearTimeout(this.evalTimer);
    const key = evaluationKey(this.questions, this.values.answers);
    if (key === this.shownKey) {
      this.evalAbort?.abort();
      this.evaluationPending = false;
      return;
    }
    const s = this.screening;
    if (s?.evaluation && key === evaluationKey(this.questions, this.saved.answers)) {
      // Back to the stored answers: the server's evaluation of them.
      this.evalAbort?.abort();
      this.evaluation = s.evaluation;
      this.shownKey = key;
      this.evaluationPending = false;
      this.evaluationError = "";
      return;
    }
    this.evaluationPending = true;
    this.evalTimer = window.setTimeout(() => void this.evaluate(), evaluateDelayMs);
  }

  private async evaluate(): Promise<void> {
    const protocol = this.protocol;
    if (!protocol) return;
    this.evalAbort?.abort();
    const abort = new AbortController();
    this.evalAbort = abort;
    const key = evaluationKey(this.questions, this.values.answers);
    try {
      const ev = await screenings.evaluateScreening(evaluateRequest(protocol.name, this.questions, this.values.answers), {
        signal: abort.signal,
        timeoutMs: callTimeoutMs,
      });
      if (abort.signal.aborted) return;
      this.evaluation = ev;
      this.shownKey = key;
      this.evaluationError = "";
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.evaluationError = evaluationErrorWords(err);
    } finally {
      if (this.evalAbort === abort) this.evaluationPending = false;
    }
  }

  // -------------------------------------------------------- saving ---

  /** UpdateScreening with the form's answers, findings and notes; true when saved. */
  private async saveNow(): Promise<boolean> {
    const s = this.screening;
    if (!s) return false;
    const request = updateRequest(s, this.questions, this.values);
    this.sentQuestions = (request.screening?.answers ?? []).map((a) => a.question ?? "");
    const updated = await this.saveForm.run(() => screenings.updateScreening(request, { timeoutMs: callTimeoutMs }), {
      describe: describeScreeningError,
      onError: (err) => (this.reloadOffered = offerReload(err)),
    });
    if (!updated) return false;
    this.show(updated, { replaceValues: false });
    return true;
  }

  private async onSave(e: Event): Promise<void> {
    e.preventDefault();
    if (this.saveForm.busy || this.completeForm.busy) return;
    this.notice = "";
    if (!this.dirty) {
      this.notice = "Nothing to save: no changes since the last save.";
      return;
    }
    if (await this.saveNow()) this.notice = "Saved.";
  }

  // -------------------------------------------------------- completing ---

  private async onComplete(e: Event): Promise<void> {
    e.preventDefault();
    if (this.saveForm.busy || this.completeForm.busy) return;
    this.notice = "";
    this.completeForm.clear();
    const chosen = effectiveOutcome(this.outcome, allowedOutcomes(this.evaluation));
    const check = checkComplete(chosen, allowedOutcomes(this.evaluation));
    if (Object.keys(check.fields).length > 0) {
      await this.completeForm.show(check);
      return;
    }
    // Unsaved answers are saved first: the server judges the stored ones.
    if (this.dirty && !(await this.saveNow())) return;
    const s = this.screening;
    if (!s) return;
    const stored = checkComplete(chosen, allowedOutcomes(s.evaluation));
    if (Object.keys(stored.fields).length > 0) {
      await this.completeForm.show(stored);
      return;
    }
    const done = await this.completeForm.run(() => screenings.completeScreening(completeRequest(s, chosen), { timeoutMs: callTimeoutMs }), {
      onError: (err) => (this.reloadOffered = offerReload(err)),
    });
    if (!done) return;
    this.show(done, { replaceValues: true });
    this.notice = `Screening completed: ${words(outcomeWords, done.outcome).toLowerCase()}. It is now read-only; add an addendum to add to it.`;
    await this.updateComplete;
    this.querySelector<HTMLElement>("#screening-notice")?.focus();
  }

  // -------------------------------------------------------- addenda ---

  private async onAddendum(e: Event): Promise<void> {
    e.preventDefault();
    const s = this.screening;
    if (!s || this.addendumForm.busy) return;
    this.notice = "";
    const check = checkAddendum(this.addendum);
    if (Object.keys(check.fields).length > 0) {
      await this.addendumForm.show(check);
      return;
    }
    const updated = await this.addendumForm.run(() => screenings.addScreeningAddendum(addendumRequest(s, this.addendum), { timeoutMs: callTimeoutMs }));
    if (!updated) return;
    this.show(updated, { replaceValues: true });
    this.addendum = "";
    this.notice = "Addendum added.";
    void this.loadNames(updated);
  }

  // -------------------------------------------------------- rendering: the form ---

  private personName(name: string): string {
    if (!name) return "";
    if (name === currentMember()?.name) return "you";
    return this.names.get(name) ?? "a colleague";
  }

  private clearButton(q: ScreeningQuestion): TemplateResult | typeof nothing {
    if (!isAnswered(q, this.values.answers[q.id]) || q.kind === QuestionKind.MULTI_CHOICE) return nothing;
    return html`<button type="button" class="secondary outline small clear-answer" @click=${() => this.setAnswer(q.id, "")}>
      Clear<span class="visually-hidden"> the answer to: ${q.text}</span>
    </button>`;
  }

  /** A group of radios or checkboxes (a fieldset named by the question). */
  private group(q: ScreeningQuestion, body: TemplateResult, inline = false): TemplateResult {
    const id = questionInputId(q.id);
    const error = this.saveForm.fields[answerField(q.id)];
    return html`<fieldset
      id=${id}
      class="question ${inline ? "inline-options" : ""}"
      aria-describedby=${ariaDescribedBy(id, error)}
      data-question=${q.id}
    >
      <legend>${q.text}</legend>
      ${body} ${this.clearButton(q)} ${fieldErrorText(id, error)}
    </fieldset>`;
  }

  private question(q: ScreeningQuestion): TemplateResult {
    const id = questionInputId(q.id);
    const value = this.values.answers[q.id];
    const error = this.saveForm.fields[answerField(q.id)];
    const invalid = ariaInvalid(error);
    const name = id;
    const one = (v: AnswerValue | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
    switch (q.kind) {
      case QuestionKind.SINGLE_CHOICE:
        return this.group(
          q,
          html`${q.options.map(
            (o) =>
              html`<label
                ><input
                  type="radio"
                  name=${name}
                  .value=${o.id}
                  .checked=${one(value) === o.id}
                  aria-invalid=${invalid}
                  @change=${() => this.setAnswer(q.id, [o.id])}
                />
                ${o.text}</label
              >`,
          )}`,
        );
      case QuestionKind.MULTI_CHOICE: {
        const chosen = Array.isArray(value) ? value : value ? [value] : [];
        return this.group(
          q,
          html`${q.options.map(
            (o) =>
              html`<label
                ><input
                  type="checkbox"
                  name=${name}
                  .value=${o.id}
                  .checked=${chosen.includes(o.id)}
                  aria-invalid=${invalid}
                  @change=${(e: Event) => this.setAnswer(q.id, toggleOption(this.values.answers[q.id], o.id, (e.target as HTMLInputElement).checked))}
                />
                ${o.text}</label
              >`,
          )}`,
        );
      }
      case QuestionKind.SCALE: {
        const steps = scaleSteps(q);
        if (!steps) {
          // A scale too long for a row of radios: a number field.
          return html`<div class="question" data-question=${q.id}>
            <label for=${id}>${q.text}</label>
            <input
              id=${id}
              type="number"
              inputmode="numeric"
              min=${q.scaleMin}
              max=${q.scaleMax}
              step="1"
              .value=${one(value)}
              aria-invalid=${invalid}
              aria-describedby=${ariaDescribedBy(id, error, `${id}-range`)}
              @input=${(e: Event) => this.setAnswer(q.id, (e.target as HTMLInputElement).value)}
            />
            <small id="${id}-range" class="hint">From ${q.scaleMin} to ${q.scaleMax}.</small>
            ${fieldErrorText(id, error)}
          </div>`;
        }
        return this.group(
          q,
          html`<div class="scale-row">
            ${steps.map(
              (n) =>
                html`<label
                  ><input
                    type="radio"
                    name=${name}
                    .value=${String(n)}
                    .checked=${one(value) === String(n)}
                    aria-invalid=${invalid}
                    @change=${() => this.setAnswer(q.id, String(n))}
                  />
                  ${n}</label
                >`,
            )}
          </div>`,
        );
      }
      case QuestionKind.YES_NO:
        return this.group(
          q,
          html`${(["yes", "no"] as const).map(
            (v) =>
              html`<label
                ><input
                  type="radio"
                  name=${name}
                  .value=${v}
                  .checked=${one(value) === v}
                  aria-invalid=${invalid}
                  @change=${() => this.setAnswer(q.id, v)}
                />
                ${v === "yes" ? "Yes" : "No"}</label
              >`,
          )}`,
          true,
        );
      case QuestionKind.FREE_TEXT:
        return html`<div class="question" data-question=${q.id}>
          <label for=${id}>${q.text}</label>
          <textarea
            id=${id}
            rows="3"
            maxlength="2000"
            .value=${one(value)}
            aria-invalid=${invalid}
            aria-describedby=${ariaDescribedBy(id, error)}
            @input=${(e: Event) => this.setAnswer(q.id, (e.target as HTMLTextAreaElement).value)}
          ></textarea>
          ${fieldErrorText(id, error)}
        </div>`;
      default:
        return html`<div class="question" data-question=${q.id}>
          <p>${q.text}</p>
          <p class="muted">This kind of question cannot be answered here yet.</p>
        </div>`;
    }
  }

  private textArea(field: "findings" | "notes", label: string, hint: string): TemplateResult {
    const id = screeningInputId(field);
    const aria = this.saveForm.aria(field, `${id}-hint`);
    return html`<div>
      <label for=${id}>${label}</label>
      <textarea
        id=${id}
        name=${field}
        rows="4"
        maxlength="4000"
        aria-invalid=${aria.invalid}
        aria-describedby=${aria.describedBy}
        .value=${this.values[field]}
        @input=${(e: Event) => this.setText(field, (e.target as HTMLTextAreaElement).value)}
      ></textarea>
      ${this.saveForm.error(field)}
      <small id="${id}-hint" class="hint">${hint}</small>
    </div>`;
  }

  private fieldLabels(): Record<ScreeningField, string> {
    const labels: Record<string, string> = { findings: "Findings", notes: "Notes" };
    for (const q of this.questions) labels[answerField(q.id)] = q.text;
    return labels as Record<ScreeningField, string>;
  }

  /** "Reload" under an error that means the screening changed or closed meanwhile (FAILED_PRECONDITION). */
  private reloadButton(): TemplateResult | typeof nothing {
    return this.reloadOffered
      ? html`<button type="button" class="secondary" @click=${() => this.load()}>Reload the screening</button>`
      : nothing;
  }

  private saveProblems(): TemplateResult | typeof nothing {
    if (this.saveForm.conflict || this.completeForm.conflict) {
      return html`<div class="notice error" role="alert" id="screening-problems" tabindex="-1">
        <p><strong>Someone else changed this screening; reload.</strong> Reloading shows their changes; your unsaved
          answers here will be lost.</p>
        <button type="button" @click=${() => this.load()}>Reload</button>
      </div>`;
    }
    return this.saveForm.summary("The screening was not saved.", this.fieldLabels(), this.reloadButton());
  }

  private editForm(): TemplateResult {
    const dirty = this.dirty;
    const saving = this.saveForm.busy;
    const count = answeredCount(this.questions, this.values.answers);
    return html`<form
        id="screening-form"
        novalidate
        @submit=${this.onSave}
        aria-labelledby="questions-title"
        aria-busy=${this.loading ? "true" : "false"}
      >
        <h2 id="questions-title">Questions</h2>
        <p class="muted" id="answered-count">${count} of ${this.questions.length} answered.</p>
        ${this.saveProblems()} ${this.questions.map((q) => this.question(q))}
        <h2>Findings and notes</h2>
        ${this.textArea("findings", "Findings", "What the examination showed; up to 4,000 characters.")}
        ${this.textArea("notes", "Notes", "Anything else; up to 4,000 characters.")}
        <div class="actions save-bar">
          <button type="submit" ?disabled=${saving || this.completeForm.busy || this.loading} aria-busy=${saving ? "true" : "false"}>
            Save
          </button>
          <span class="save-state ${dirty ? "dirty" : "clean"}" id="save-state">${saveStateWords({ saving, dirty })}</span>
        </div>
      </form>
      ${this.completeSection()}`;
  }

  private completeSection(): TemplateResult {
    const allowed = allowedOutcomes(this.evaluation);
    const chosen = effectiveOutcome(this.outcome, allowed);
    const refer = refersToPhysician(this.evaluation);
    const error = this.completeForm.fields.outcome;
    const busy = this.completeForm.busy || this.saveForm.busy || this.loading;
    return html`<section class="complete-screening" aria-labelledby="complete-title">
      <h2 id="complete-title">Complete the screening</h2>
      ${this.completeForm.summary("The screening was not completed.", { outcome: "Outcome" }, this.reloadButton())}
      <form novalidate @submit=${this.onComplete}>
        <fieldset id="s-outcome" aria-describedby=${ariaDescribedBy("s-outcome", error, "s-outcome-hint")}>
          <legend>Outcome</legend>
          ${outcomeChoices
            .filter(([o]) => allowed.includes(o))
            .map(
              ([o, label]) =>
                html`<label
                  ><input
                    type="radio"
                    name="outcome"
                    .value=${String(o)}
                    .checked=${chosen === o}
                    aria-invalid=${ariaInvalid(error)}
                    @change=${() => {
                      this.outcome = o;
                      this.completeForm.clearField("outcome");
                    }}
                  />
                  ${label}</label
                >`,
            )}
          ${fieldErrorText("s-outcome", error)}
          <small id="s-outcome-hint" class="hint"
            >${refer
              ? "A red flag was found: the only possible outcome is a referral to a physician."
              : "Unsaved answers are saved first. Once completed, the screening is read-only; addenda can still be added."}</small
          >
        </fieldset>
        <button type="submit" ?disabled=${busy} aria-busy=${this.completeForm.busy ? "true" : "false"}>Complete screening</button>
      </form>
    </section>`;
  }

  // -------------------------------------------------------- rendering: read-only ---

  private readOnly(s: Screening): TemplateResult {
    const values = valuesFromScreening(this.questions, s);
    return html`<section aria-labelledby="answers-title">
        <h2 id="answers-title">Answers</h2>
        ${this.protocol
          ? html`<dl class="screening-answers">
              ${this.questions.map((q) => {
                const answered = isAnswered(q, values.answers[q.id]);
                return html`<dt>${q.text}</dt>
                  <dd class=${answered ? "" : "muted"}>${answerWords(q, values.answers[q.id])}</dd>`;
              })}
            </dl>`
          : html`<p class="notice">This screening's protocol (${s.protocol}) is not available any more; the answers are
                shown as stored.</p>
              <dl class="screening-answers">
                ${s.answers.map(
                  (a) =>
                    html`<dt>${a.question}</dt>
                      <dd>${[a.options.join("; "), a.text].filter(Boolean).join(" ") || (a.yes ? "Yes" : String(a.value))}</dd>`,
                )}
              </dl>`}
      </section>
      <section aria-labelledby="findings-title">
        <h2 id="findings-title">Findings</h2>
        <p class="prewrap ${s.findings ? "" : "muted"}">${s.findings || "None recorded."}</p>
        <h2>Notes</h2>
        <p class="prewrap ${s.notes ? "" : "muted"}">${s.notes || "None recorded."}</p>
      </section>
      ${s.state === ScreeningState.COMPLETED ? this.addendaSection(s) : nothing}`;
  }

  private addendumItem(a: ScreeningAddendum): TemplateResult {
    const ms = tsMs(a.time);
    const by = this.personName(a.staff);
    return html`<li>
      <p class="addendum-meta">
        <time datetime=${Number.isFinite(ms) ? new Date(ms).toISOString() : nothing}>${formatTime(ms)}</time>${by
          ? html` <span class="muted">by ${by}</span>`
          : nothing}
      </p>
      <p class="prewrap addendum-text">${a.text}</p>
    </li>`;
  }

  private addendaSection(s: Screening): TemplateResult {
    const aria = this.addendumForm.aria("text", "s-addendum-hint");
    return html`<section class="addenda" aria-labelledby="addenda-title">
      <h2 id="addenda-title">Addenda</h2>
      ${s.addenda.length
        ? html`<ol class="addenda-list">${s.addenda.map((a) => this.addendumItem(a))}</ol>`
        : html`<p class="muted">No addenda yet.</p>`}
      ${this.mayScreen
        ? html`<form novalidate @submit=${this.onAddendum} aria-labelledby="addendum-title">
            <h3 id="addendum-title">Add an addendum</h3>
            ${this.addendumForm.summary("The addendum was not added.", { text: "Addendum" })}
            <label for="s-addendum">Addendum</label>
            <textarea
              id="s-addendum"
              name="text"
              rows="3"
              maxlength="2000"
              aria-invalid=${aria.invalid}
              aria-describedby=${aria.describedBy}
              .value=${this.addendum}
              @input=${(e: Event) => {
                this.addendum = (e.target as HTMLTextAreaElement).value;
                this.addendumForm.clearField("text");
              }}
            ></textarea>
            ${this.addendumForm.error("text")}
            <small id="s-addendum-hint" class="hint">The record itself stays as it was; up to 2,000 characters.</small>
            <button type="submit" ?disabled=${this.addendumForm.busy} aria-busy=${this.addendumForm.busy ? "true" : "false"}>
              Add addendum
            </button>
          </form>`
        : nothing}
    </section>`;
  }

  // -------------------------------------------------------- rendering: the evaluation ---

  private evaluationPanel(): TemplateResult {
    const ev = this.evaluation;
    const s = this.screening;
    const completed = s?.state === ScreeningState.COMPLETED;
    const disclaimer = ev?.disclaimer || this.protocol?.disclaimer || disclaimerFallback;
    const flags = ev?.redFlags ?? [];
    const refer = refersToPhysician(ev);
    return html`<aside class="screening-evaluation" id="screening-evaluation" aria-labelledby="evaluation-title">
      <div class="evaluation-head">
        <h2 id="evaluation-title">Decision support</h2>
        <small class="evaluation-updating ${this.evaluationPending ? "" : "idle"}" aria-hidden="true">Updating…</small>
      </div>
      <p class="visually-hidden" role="status" aria-live="polite" id="evaluation-summary">${this.editable ? evaluationSummary(ev) : ""}</p>
      ${this.evaluationError ? html`<p class="notice error evaluation-error">${this.evaluationError}</p>` : nothing}
      ${refer
        ? html`<section class="red-flags" aria-labelledby="red-flags-title">
            <h3 id="red-flags-title">${referralHeading}</h3>
            ${flags.length
              ? html`<ul class="red-flag-list">
                  ${flags.map((f) => html`<li>${f}</li>`)}
                </ul>`
              : html`<p>A red flag was found.</p>`}
          </section>`
        : ev
          ? html`<p class="no-red-flags"><small>No red flags${completed ? "" : " so far"}.</small></p>`
          : nothing}
      <h3>Likely causes</h3>
      ${ev && ev.considerations.length
        ? html`<ol class="considerations">
            ${ev.considerations.map((c) => {
              const max = causeMaxScore(this.protocol, c.cause);
              return html`<li class="consideration" data-cause=${c.cause}>
                <p>
                  <strong class="consideration-name">${c.name}</strong>
                  <span class="consideration-score">score ${c.score}${max ? ` of ${max}` : ""}</span>
                </p>
                ${max ? html`<progress value=${Math.min(c.score, max)} max=${max} aria-hidden="true"></progress>` : nothing}
                ${c.supportedBy.length
                  ? html`<ul class="supported-by" aria-label="Supported by">
                      ${c.supportedBy.map((r) => html`<li>${r}</li>`)}
                    </ul>`
                  : nothing}
              </li>`;
            })}
          </ol>`
        : html`<p class="muted">No answer supports a cause yet.</p>`}
      <p class="disclaimer"><small>${disclaimer}</small></p>
    </aside>`;
  }

  // -------------------------------------------------------- rendering: the page ---

  override render() {
    if (this.denied) return html`<no-access audience="therapists, the front desk and admins"></no-access>`;
    const s = this.screening;
    const patientHref = s ? `/staff/patients/${encodeURIComponent(patientId(s.patient))}` : "/staff/patients";
    const who = this.patient ? displayName(this.patient) || "Patient" : "Patient";
    if (!s) {
      return html`<p><a href="/staff/screenings">← Screenings</a></p>
        <h1>Screening</h1>
        ${this.loadError
          ? html`<div class="notice error" role="alert">
              <p>${this.loadError}</p>
              <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
            </div>`
          : html`<p aria-busy="true">Loading…</p>`}`;
    }
    const completed = s.state === ScreeningState.COMPLETED;
    const started = tsMs(s.createTime);
    const ended = tsMs(s.completeTime);
    const therapist = this.personName(s.therapist);
    const versionNote =
      this.protocol && s.protocolVersion && s.protocolVersion !== this.protocol.version
        ? html`<p class="notice">This screening was started with version ${s.protocolVersion} of the protocol; the questions
            shown are those of version ${this.protocol.version}.</p>`
        : nothing;
    return html`
      <p><a href=${patientHref}>← ${who}</a></p>
      <div class="toolbar">
        <h1>${this.pageTitle()}</h1>
        <span class="badge state ${completed ? "completed" : "in-progress"}" id="screening-state">${words(stateWords, s.state)}</span>
      </div>
      <p class="muted screening-meta">
        ${this.protocol?.title ?? s.protocol}${s.protocolVersion ? ` · version ${s.protocolVersion}` : ""} · started
        ${formatTime(started)}${therapist ? ` by ${therapist}` : ""}${completed && Number.isFinite(ended) ? ` · completed ${formatTime(ended)}` : ""}
      </p>
      ${completed
        ? html`<p class="screening-outcome"><strong>Outcome:</strong> <span id="screening-outcome">${words(outcomeWords, s.outcome)}</span></p>`
        : nothing}
      ${completed && s.outcome === ScreeningOutcome.PT_EVALUATION && canPlan(currentMember()?.roles)
        ? html`<p><a class="button-link" id="start-plan" href=${newPlanPath(s.patient, s.name)}>Start a plan of care</a></p>`
        : nothing}
      <div role="status" aria-live="polite">
        ${this.notice ? html`<p class="notice ok" id="screening-notice" tabindex="-1">${this.notice}</p>` : nothing}
      </div>
      ${versionNote}
      ${!completed && !this.editable
        ? html`<p class="notice">${this.protocol
            ? "In progress: the therapist is still working on this screening. Only therapists and admins can change it."
            : "This screening's protocol is not available any more, so it cannot be changed here."}</p>`
        : nothing}
      <div class="screening-layout">
        <div class="screening-main">
          ${completed
            ? html`<screening-convert
                .screening=${s}
                .patientName=${this.patient ? displayName(this.patient) : ""}
                @screening-converted=${this.onConverted}
                @screening-stale=${() => void this.refresh()}
              ></screening-convert>`
            : nothing}
          ${this.editable ? this.editForm() : this.readOnly(s)}
        </div>
        ${this.evaluationPanel()}
      </div>
    `;
  }
}

customElements.define("screening-page", ScreeningPage);
