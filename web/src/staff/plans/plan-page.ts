import { html, nothing, type TemplateResult } from "lit";
import { live } from "lit/directives/live.js";
import { Code, ConnectError } from "@connectrpc/connect";
import { GoalStatus, GoalTerm, PlanState, type PlanTemplate, type PlanVersion, type TherapyPlan } from "../../gen/clinic/therapy_plans/v1/therapy_plans_pb";
import { currentMember } from "../account/auth";
import { memberName } from "../account/auth-model";
import { homeZone } from "../home/my-day-model";
import { navigate, takeFlash } from "../router";
import { callTimeoutMs, screenings } from "../shared/api";
import { loadLocations } from "../shared/directory";
import { FormState, ariaDescribedBy, ariaInvalid, fieldErrorText } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { isKnownZone, todayIn } from "../shared/tz";
import "../shared/no-access";
import { staffName } from "../screenings/screening-data";
import { screeningPath } from "../screenings/screening-model";
import "./goal-progress";
import type { ProgressRecordedEvent } from "./goal-progress";
import { loadTemplates, patientName } from "./plan-data";
import "./plan-print";
import "./plan-series";
import {
  alertViews,
  canPlan,
  checkPlan,
  createKey,
  createRequest,
  dosageWords,
  emptyExercise,
  emptyGoal,
  emptyPlanValues,
  goalStatusWords,
  goalTargetWords,
  goalTermWords,
  isDirty,
  isReadOnly,
  newPlanParams,
  outcomeUnknown,
  patientCopy,
  patientPath,
  planFieldLabels,
  planFormErrors,
  planInputId,
  planPath,
  planStateClass,
  planStateWords,
  shortDateWords,
  stateActions,
  stateChangeErrors,
  stateChangedWords,
  stateRequest,
  templateForCause,
  updateRequest,
  valuesFromPlan,
  valuesFromTemplate,
  versionLine,
  versionRows,
  visitsLine,
  withProgressFrom,
  withStartDate,
  type ExerciseList,
  type ExerciseValues,
  type GoalValues,
  type PlanValues,
  type StateAction,
  type VersionRow,
} from "./plan-model";
import { therapyPlans } from "./plans-api";

/** A plan just created, handed to the page that opens it (saves reading it again). */
let handedOver: TherapyPlan | undefined;

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

type TopKey = Exclude<keyof PlanValues, "goals" | "interventions" | "home_exercises">;

const exerciseWords: Record<ExerciseList, { title: string; one: string; add: string; none: string }> = {
  interventions: { title: "Interventions", one: "Intervention", add: "Add an intervention", none: "No interventions yet." },
  home_exercises: { title: "Home exercises", one: "Home exercise", add: "Add a home exercise", none: "No home exercises yet." },
};

/**
 * <plan-page>: a plan of care. `/staff/plans/new?patient=…[&screening=…]`
 * (isNew): start from a template (the one the screening's top-ranked cause
 * points to chosen at first) or blank, fill in, Save → CreateTherapyPlan
 * (request_id kept for a retry of the same plan), then the plan's page.
 * `/staff/plans/<id>`: GetTherapyPlan; the visit counts and alerts; the state
 * buttons (ChangeTherapyPlanState; Activate needs a goal: the server's
 * refusal is shown at the goals; Complete and Discontinue ask first); the
 * form (UpdateTherapyPlan with the etag; every violation at its field or row
 * at once); goal progress (RecordGoalProgress, a chart per goal); "Book the
 * series"; "Print for the patient"; the version line and "History"
 * (ListPlanVersions). Completed and discontinued plans are read-only, and so
 * is every plan for the front desk (who sees no clinical content).
 */
export class PlanPage extends LightElement {
  static override properties = {
    planId: { type: String },
    isNew: { type: Boolean },
    plan: { state: true },
    values: { state: true },
    saved: { state: true },
    templates: { state: true },
    template: { state: true },
    suggestion: { state: true },
    patient: { state: true },
    screening: { state: true },
    patientLabel: { state: true },
    therapistLabel: { state: true },
    updatedByLabel: { state: true },
    zone: { state: true },
    loading: { state: true },
    loadError: { state: true },
    denied: { state: true },
    notice: { state: true },
    stateBusy: { state: true },
    confirming: { state: true },
    printing: { state: true },
    versions: { state: true },
    versionsState: { state: true },
    summaryTitle: { state: true },
  };
  declare planId: string | undefined;
  declare isNew: boolean;
  declare plan: TherapyPlan | undefined;
  declare values: PlanValues;
  /** The values as last loaded or saved (what "unsaved changes" compares with); undefined for a new plan. */
  declare saved: PlanValues | undefined;
  declare templates: PlanTemplate[];
  /** The template chosen for a new plan ("" for a blank plan). */
  declare template: string;
  /** Why a template was chosen at first ("Pes anserine bursitis, the screening's top consideration"). */
  declare suggestion: string;
  declare patient: string;
  declare screening: string;
  declare patientLabel: string;
  declare therapistLabel: string;
  declare updatedByLabel: string;
  declare zone: string;
  declare loading: boolean;
  declare loadError: string;
  declare denied: boolean;
  declare notice: string;
  declare stateBusy: boolean;
  declare confirming: StateAction | undefined;
  declare printing: boolean;
  declare versions: VersionRow[];
  declare versionsState: "idle" | "loading" | "loaded" | "error";
  /** The error summary's title: what was not done (saved, created, activated…). */
  declare summaryTitle: string;

  private form = new FormState<string>(this, {
    idOf: planInputId,
    summaryId: "plan-problems",
    read: (e) => planFormErrors(e, this.values),
  });
  private createId = "";
  private createKeyLast = "";
  private abort?: AbortController;
  private versionsFor = "";

  constructor() {
    super();
    this.planId = undefined;
    this.isNew = false;
    this.plan = undefined;
    this.values = emptyPlanValues("");
    this.saved = undefined;
    this.templates = [];
    this.template = "";
    this.suggestion = "";
    this.patient = "";
    this.screening = "";
    this.patientLabel = "";
    this.therapistLabel = "";
    this.updatedByLabel = "";
    this.zone = browserZone();
    this.loading = true;
    this.loadError = "";
    this.denied = false;
    this.notice = "";
    this.stateBusy = false;
    this.confirming = undefined;
    this.printing = false;
    this.versions = [];
    this.versionsState = "idle";
    this.summaryTitle = "";
  }

  /** The plan id the page last loaded (another plan's link reuses the element). */
  private loadedId: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.notice = takeFlash();
    this.loadedId = this.planId;
    void this.load();
  }

  protected override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has("planId") && this.hasUpdated && this.planId !== this.loadedId) {
      this.loadedId = this.planId;
      this.plan = undefined;
      this.printing = false;
      this.confirming = undefined;
      this.versions = [];
      this.versionsState = "idle";
      this.versionsFor = "";
      this.form.clear();
      this.notice = takeFlash();
      void this.load();
    }
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    super.disconnectedCallback();
  }

  private get editable(): boolean {
    const p = this.plan;
    return canPlan(currentMember()?.roles) && (!p || !isReadOnly(p.state));
  }

  /** The zone times are shown in: the therapist's home location's, else the first location's, else the browser's. */
  private async loadZone(): Promise<void> {
    try {
      const locations = await loadLocations();
      const zone = homeZone(currentMember()?.homeLocations ?? [], locations, browserZone());
      if (isKnownZone(zone)) this.zone = zone;
    } catch {
      // The browser's zone, then.
    }
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.loadError = "";
    this.denied = false;
    try {
      await this.loadZone();
      if (this.isNew) await this.loadNew(abort.signal);
      else await this.loadPlan(abort.signal);
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      const e = ConnectError.from(err);
      if (e.code === Code.PermissionDenied) this.denied = true;
      else this.loadError = `${this.isNew ? "The new plan could not be prepared." : "The plan of care could not be loaded."} ${describeLoad(e)}`;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
    await this.updateComplete;
    announcePage(this, this.isNew ? "New plan of care" : this.plan ? `Plan of care: ${this.plan.condition}` : "Plan of care");
  }

  private async loadNew(signal: AbortSignal): Promise<void> {
    const params = newPlanParams(location.search);
    this.patient = params.patient;
    if (!this.patient) {
      this.loadError = "A plan of care is started from a patient's page or a completed screening.";
      return;
    }
    const me = currentMember();
    this.therapistLabel = me ? memberName(me) : "";
    const today = todayIn(this.zone);
    this.values = emptyPlanValues(today);
    const [name, templates, screening] = await Promise.all([
      patientName(this.patient, signal),
      loadTemplates(),
      params.screening
        ? screenings.getScreening({ name: params.screening }, { signal, timeoutMs: callTimeoutMs }).catch(() => undefined)
        : Promise.resolve(undefined),
    ]);
    this.patientLabel = name;
    this.templates = templates;
    if (screening && screening.patient === this.patient) {
      this.screening = screening.name;
      const top = screening.evaluation?.considerations[0];
      const t = templateForCause(templates, top?.cause);
      if (t) {
        this.chooseTemplate(t.name);
        this.suggestion = `Suggested by the screening: ${top?.name || t.title} ranked first.`;
      } else if (top) {
        this.suggestion = `The screening ranked ${top.name} first; no template fits it.`;
      }
    }
  }

  private async loadPlan(signal: AbortSignal): Promise<void> {
    const name = `therapyPlans/${this.planId ?? ""}`;
    let plan: TherapyPlan;
    if (handedOver?.name === name) {
      plan = handedOver;
      handedOver = undefined;
    } else {
      plan = await therapyPlans.getTherapyPlan({ name }, { signal, timeoutMs: callTimeoutMs });
    }
    this.show(plan);
    this.patient = plan.patient;
    const [patient, therapist] = await Promise.all([patientName(plan.patient, signal), staffName(plan.therapist)]);
    this.patientLabel = patient;
    this.therapistLabel = therapist;
  }

  /** Shows a plan as the server returned it (the form's values too). */
  private show(plan: TherapyPlan): void {
    this.plan = plan;
    this.values = valuesFromPlan(plan);
    this.saved = this.values;
    this.updatedByLabel = "";
    if (plan.updatedBy) void staffName(plan.updatedBy).then((n) => (this.updatedByLabel = n));
    if (this.versionsFor && this.versionsFor !== `${plan.name}@${plan.version}`) {
      this.versionsState = "idle";
      this.versionsFor = "";
      const details = this.querySelector<HTMLDetailsElement>("details.plan-history");
      if (details?.open) void this.loadVersions();
    }
  }

  private async reload(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    try {
      const fresh = await therapyPlans.getTherapyPlan({ name: plan.name }, { timeoutMs: callTimeoutMs });
      this.show(fresh);
      this.form.clear();
    } catch (err) {
      void this.form.fail(err);
    }
  }

  // ------------------------------------------------------------ editing ---

  private chooseTemplate(name: string): void {
    this.template = name;
    const start = this.values.start_date || todayIn(this.zone);
    const t = this.templates.find((x) => x.name === name);
    this.values = t ? valuesFromTemplate(t, start) : emptyPlanValues(start);
    this.form.clear();
  }

  private setTop(key: TopKey, value: string): void {
    this.values = key === "start_date" ? withStartDate(this.values, value) : { ...this.values, [key]: value };
    this.form.clearField(key);
  }

  private setGoal(i: number, patch: Partial<GoalValues>): void {
    this.values = { ...this.values, goals: this.values.goals.map((g, j) => (j === i ? { ...g, ...patch } : g)) };
    for (const k of Object.keys(patch)) this.form.clearField(`goals[${i}].${k}`);
    this.form.clearField("goals");
  }

  private setExercise(list: ExerciseList, i: number, patch: Partial<ExerciseValues>): void {
    this.values = { ...this.values, [list]: this.values[list].map((e, j) => (j === i ? { ...e, ...patch } : e)) };
    for (const k of Object.keys(patch)) this.form.clearField(`${list}[${i}].${k}`);
  }

  /** Adds a row and focuses its first input. */
  private async addRow(list: "goals" | ExerciseList): Promise<void> {
    if (list === "goals") this.values = { ...this.values, goals: [...this.values.goals, emptyGoal()] };
    else this.values = { ...this.values, [list]: [...this.values[list], emptyExercise()] };
    this.form.clearField(list);
    await this.updateComplete;
    const i = this.values[list].length - 1;
    this.querySelector<HTMLElement>(`#${planInputId(`${list}[${i}].${list === "goals" ? "description" : "name"}`)}`)?.focus();
  }

  /** Removes a row; the errors of rows after it no longer match their rows, so row errors are cleared. */
  private removeRow(list: "goals" | ExerciseList, i: number): void {
    this.values = { ...this.values, [list]: this.values[list].filter((_, j) => j !== i) };
    for (const key of Object.keys(this.form.fields)) if (key.startsWith(`${list}[`)) this.form.clearField(key);
    void this.updateComplete.then(() => this.querySelector<HTMLElement>(`#${planInputId(list)} > legend`)?.focus?.());
  }

  /** Save: CreateTherapyPlan for a new plan (then its page), UpdateTherapyPlan with the etag after. Returns whether it saved. */
  private async save(e?: Event): Promise<boolean> {
    e?.preventDefault();
    if (!this.editable) return false;
    const problems = checkPlan(this.values);
    if (Object.keys(problems.fields).length) {
      this.summaryTitle = this.plan ? "The plan of care was not saved." : "The plan of care was not created.";
      await this.form.show(problems);
      return false;
    }
    this.summaryTitle = this.plan ? "The plan of care was not saved." : "The plan of care was not created.";
    if (!this.plan) return this.create();
    const plan = this.plan;
    const res = await this.form.run(() => therapyPlans.updateTherapyPlan(updateRequest(this.values, plan), { timeoutMs: callTimeoutMs }));
    if (!res) return false;
    this.show(res);
    this.notice = "Changes saved.";
    return true;
  }

  private async create(): Promise<boolean> {
    const template = this.templates.find((t) => t.name === this.template);
    // The same plan sent again after no answer keeps its request_id (one plan is created).
    const probe = createRequest(this.values, { patient: this.patient, screening: this.screening, template, requestId: "" });
    const key = createKey(probe);
    if (key !== this.createKeyLast || !this.createId) {
      this.createKeyLast = key;
      this.createId = newRequestId();
    }
    const request = { ...probe, requestId: this.createId };
    const res = await this.form.run(() => therapyPlans.createTherapyPlan(request, { timeoutMs: callTimeoutMs }), {
      onError: (err) => {
        if (!outcomeUnknown(err)) this.createKeyLast = "";
      },
    });
    if (!res) return false;
    handedOver = res;
    navigate(planPath(res.name), { replace: true, flash: "Plan of care saved as a draft. Activate it when it is ready." });
    return true;
  }

  private async changeState(action: StateAction): Promise<void> {
    const plan = this.plan;
    if (!plan || this.stateBusy) return;
    if (action.confirm && this.confirming !== action) {
      this.confirming = action;
      await this.updateComplete;
      this.querySelector<HTMLElement>("#plan-confirm-title")?.focus();
      return;
    }
    this.confirming = undefined;
    this.notice = "";
    if (this.editable && isDirty(this.values, this.saved)) {
      // What is in the form is saved first.
      if (!(await this.save())) return;
    }
    const current = this.plan ?? plan;
    this.stateBusy = true;
    try {
      const res = await therapyPlans.changeTherapyPlanState(stateRequest(current, action.to), { timeoutMs: callTimeoutMs });
      this.show(res);
      this.form.clear();
      this.notice = stateChangedWords(current.state, res.state);
      await this.updateComplete;
      this.querySelector<HTMLElement>("#plan-notice")?.focus();
    } catch (err) {
      const e = ConnectError.from(err);
      this.summaryTitle = action.refused;
      await this.form.show(stateChangeErrors(e, action.to, this.values));
      this.form.conflict = e.code === Code.Aborted;
      this.requestUpdate();
    } finally {
      this.stateBusy = false;
    }
  }

  private onProgress(e: ProgressRecordedEvent): void {
    const { plan, goal, statusChanged } = e.detail;
    const dirty = isDirty(this.values, this.saved);
    const values = withProgressFrom(this.values, plan, goal, statusChanged);
    this.plan = plan;
    this.saved = withProgressFrom(this.saved ?? valuesFromPlan(plan), plan, goal, statusChanged);
    this.values = dirty ? values : valuesFromPlan(plan);
    if (!dirty) this.saved = this.values;
    if (plan.updatedBy) void staffName(plan.updatedBy).then((n) => (this.updatedByLabel = n));
  }

  private async onBooked(): Promise<void> {
    // The visit counts and alerts change with the booking.
    const plan = this.plan;
    if (!plan) return;
    try {
      const fresh = await therapyPlans.getTherapyPlan({ name: plan.name }, { timeoutMs: callTimeoutMs });
      if (!isDirty(this.values, this.saved)) this.show(fresh);
      else this.plan = { ...fresh, etag: plan.etag } as TherapyPlan;
    } catch {
      // The counts catch up on the next visit of the page.
    }
  }

  private async loadVersions(): Promise<void> {
    const plan = this.plan;
    if (!plan) return;
    const key = `${plan.name}@${plan.version}`;
    if (this.versionsFor === key && this.versionsState !== "error") return;
    this.versionsFor = key;
    this.versionsState = "loading";
    try {
      const res = await therapyPlans.listPlanVersions({ name: plan.name }, { timeoutMs: callTimeoutMs });
      const staff = [...new Set(res.versions.map((v: PlanVersion) => v.staff).filter(Boolean))];
      const names = new Map(await Promise.all(staff.map(async (s) => [s, await staffName(s)] as const)));
      if (this.versionsFor !== key) return;
      this.versions = versionRows(res.versions, names, this.zone);
      this.versionsState = "loaded";
    } catch {
      if (this.versionsFor === key) this.versionsState = "error";
    }
  }

  private async openPrint(): Promise<void> {
    this.printing = true;
    await this.updateComplete;
    this.querySelector<HTMLElement>(".plan-print h1")?.focus();
  }

  private async closePrint(): Promise<void> {
    this.printing = false;
    await this.updateComplete;
    this.querySelector<HTMLElement>("#plan-print-button")?.focus();
  }

  // ------------------------------------------------------------ rendering: fields ---

  private text(key: TopKey, label: string, options: { type?: string; hint?: string; min?: number; max?: number; maxlength?: number; required?: boolean } = {}) {
    const id = planInputId(key);
    const a = this.form.aria(key, ...(options.hint ? [`${id}-hint`] : []));
    return html`<label for=${id}
      >${label}${options.required ? html` <span class="muted">(required)</span>` : nothing}
      <input
        id=${id}
        type=${options.type ?? "text"}
        min=${options.min ?? nothing}
        max=${options.max ?? nothing}
        maxlength=${options.maxlength ?? nothing}
        ?required=${!!options.required}
        .value=${live(this.values[key])}
        aria-invalid=${a.invalid}
        aria-describedby=${a.describedBy}
        @input=${(e: Event) => this.setTop(key, (e.target as HTMLInputElement).value)}
      />
      ${this.form.error(key)} ${options.hint ? html`<small class="hint" id="${id}-hint">${options.hint}</small>` : nothing}
    </label>`;
  }

  private rowInput(key: string, label: string, value: string, set: (v: string) => void, options: { type?: string; step?: string; maxlength?: number } = {}) {
    const id = planInputId(key);
    const a = this.form.aria(key);
    return html`<label for=${id}
      >${label}
      <input
        id=${id}
        type=${options.type ?? "text"}
        step=${options.step ?? nothing}
        min=${options.type === "number" && options.step !== "any" ? "0" : nothing}
        maxlength=${options.maxlength ?? nothing}
        inputmode=${options.step === "any" ? "decimal" : nothing}
        .value=${live(value)}
        aria-invalid=${a.invalid}
        aria-describedby=${a.describedBy}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
      />
      ${this.form.error(key)}
    </label>`;
  }

  private rowSelect(key: string, label: string, value: string, choices: ReadonlyArray<[number, string]>, set: (v: string) => void) {
    const id = planInputId(key);
    const a = this.form.aria(key);
    return html`<label for=${id}
      >${label}
      <select id=${id} aria-invalid=${a.invalid} aria-describedby=${a.describedBy} @change=${(e: Event) => set((e.target as HTMLSelectElement).value)}>
        ${choices.map(([v, words]) => html`<option value=${String(v)} ?selected=${value === String(v)}>${words}</option>`)}
      </select>
      ${this.form.error(key)}
    </label>`;
  }

  /** A row's fieldset with its own error (a violation naming the row, not one of its fields). */
  private row(list: string, i: number, legend: string, body: TemplateResult, remove: TemplateResult) {
    const key = `${list}[${i}]`;
    const id = planInputId(key);
    const error = this.form.fields[key];
    return html`<fieldset class="plan-row" id=${id} aria-invalid=${ariaInvalid(error)} aria-describedby=${ariaDescribedBy(id, error)}>
      <legend>${legend}</legend>
      ${body} ${fieldErrorText(id, error)}
      <div class="row-actions">${remove}</div>
    </fieldset>`;
  }

  private section(list: "goals" | ExerciseList, title: string, rows: TemplateResult[] | TemplateResult, add: TemplateResult) {
    const id = planInputId(list);
    const error = this.form.fields[list];
    return html`<fieldset class="plan-list" id=${id} aria-invalid=${ariaInvalid(error)} aria-describedby=${ariaDescribedBy(id, error)}>
      <legend tabindex="-1"><h2>${title}</h2></legend>
      ${fieldErrorText(id, error)} ${rows} ${add}
    </fieldset>`;
  }

  private goalsSection() {
    const goals = this.values.goals;
    const terms: ReadonlyArray<[number, string]> = [
      [GoalTerm.SHORT, goalTermWords[GoalTerm.SHORT]],
      [GoalTerm.LONG, goalTermWords[GoalTerm.LONG]],
    ];
    const statuses: ReadonlyArray<[number, string]> = [GoalStatus.IN_PROGRESS, GoalStatus.MET, GoalStatus.NOT_MET, GoalStatus.REVISED].map(
      (s) => [s, goalStatusWords[s]] as [number, string],
    );
    const rows = goals.length
      ? goals.map((g, i) =>
          this.row(
            "goals",
            i,
            `Goal ${i + 1}`,
            html`${this.rowInput(`goals[${i}].description`, "Goal", g.description, (v) => this.setGoal(i, { description: v }), { maxlength: 300 })}
              <div class="grid">
                ${this.rowInput(`goals[${i}].measure`, "Measure", g.measure, (v) => this.setGoal(i, { measure: v }), { maxlength: 100 })}
                ${this.rowInput(`goals[${i}].baseline`, "Baseline", g.baseline, (v) => this.setGoal(i, { baseline: v }), { type: "number", step: "any" })}
                ${this.rowInput(`goals[${i}].target`, "Target", g.target, (v) => this.setGoal(i, { target: v }), { type: "number", step: "any" })}
              </div>
              <div class="grid">
                ${this.rowInput(`goals[${i}].target_date`, "Target date", g.target_date, (v) => this.setGoal(i, { target_date: v }), { type: "date" })}
                ${this.rowSelect(`goals[${i}].term`, "Term", g.term, terms, (v) => this.setGoal(i, { term: v }))}
                ${this.rowSelect(`goals[${i}].status`, "Status", g.status, statuses, (v) => this.setGoal(i, { status: v }))}
              </div>`,
            html`<button type="button" class="secondary outline small" @click=${() => this.removeRow("goals", i)}>Remove goal ${i + 1}</button>`,
          ),
        )
      : html`<p class="muted">No goals yet. An active plan needs at least one.</p>`;
    return this.section("goals", "Goals", rows, html`<button type="button" class="secondary small" @click=${() => this.addRow("goals")}>Add a goal</button>`);
  }

  private exercisesSection(list: ExerciseList) {
    const w = exerciseWords[list];
    const items = this.values[list];
    const rows = items.length
      ? items.map((x, i) =>
          this.row(
            list,
            i,
            `${w.one} ${i + 1}`,
            html`${this.rowInput(`${list}[${i}].name`, "Name", x.name, (v) => this.setExercise(list, i, { name: v }), { maxlength: 120 })}
              <div class="grid">
                ${this.rowInput(`${list}[${i}].sets`, "Sets", x.sets, (v) => this.setExercise(list, i, { sets: v }), { type: "number", step: "1" })}
                ${this.rowInput(`${list}[${i}].reps`, "Reps", x.reps, (v) => this.setExercise(list, i, { reps: v }), { type: "number", step: "1" })}
                ${this.rowInput(`${list}[${i}].hold_seconds`, "Hold (seconds)", x.hold_seconds, (v) => this.setExercise(list, i, { hold_seconds: v }), {
                  type: "number",
                  step: "1",
                })}
                ${this.rowInput(`${list}[${i}].frequency`, "How often", x.frequency, (v) => this.setExercise(list, i, { frequency: v }), { maxlength: 60 })}
              </div>
              ${this.rowInput(`${list}[${i}].notes`, "Notes", x.notes, (v) => this.setExercise(list, i, { notes: v }), { maxlength: 500 })}`,
            html`<button type="button" class="secondary outline small" @click=${() => this.removeRow(list, i)}>Remove ${w.one.toLowerCase()} ${i + 1}</button>`,
          ),
        )
      : html`<p class="muted">${w.none}</p>`;
    return this.section(list, w.title, rows, html`<button type="button" class="secondary small" @click=${() => this.addRow(list)}>${w.add}</button>`);
  }

  private templateChooser() {
    if (!this.isNew || this.plan) return nothing;
    return html`<fieldset class="plan-template" id="plan-template">
      <legend>Start from</legend>
      ${this.templates.map(
        (t) => html`<label
          ><input type="radio" name="plan-template" value=${t.name} .checked=${live(this.template === t.name)} @change=${() => this.chooseTemplate(t.name)} />
          ${t.title}</label
        >`,
      )}
      <label
        ><input type="radio" name="plan-template" value="" .checked=${live(this.template === "")} @change=${() => this.chooseTemplate("")} /> A blank
        plan</label
      >
      ${this.suggestion ? html`<small class="hint">${this.suggestion}</small>` : nothing}
      <small class="hint">Choosing another starting point replaces what is in the form.</small>
    </fieldset>`;
  }

  private editForm() {
    const dirty = isDirty(this.values, this.saved);
    const labels = planFieldLabels(Object.keys(this.form.fields));
    const reloadButton = this.form.conflict
      ? html`<button type="button" class="secondary small" @click=${() => this.reload()}>Reload (your changes are lost)</button>`
      : nothing;
    return html`<form class="plan-form" novalidate @submit=${this.save}>
      ${this.form.summary(this.summaryTitle || (this.plan ? "The plan of care was not saved." : "The plan of care was not created."), labels, reloadButton)}
      ${this.templateChooser()}
      <fieldset class="plan-details">
        <legend><h2>Condition and frequency</h2></legend>
        ${this.text("condition", "Condition", { required: true, maxlength: 200, hint: "In words, e.g. “Pes anserine bursitis, right knee”." })}
        <div class="grid">
          ${this.text("icd10_code", "ICD-10 code", { maxlength: 10 })} ${this.text("body_region", "Body region", { maxlength: 100 })}
        </div>
        <div class="grid">
          ${this.text("start_date", "Start date", { type: "date", required: true })}
          ${this.text("certification_start", "Certified from", { type: "date" })}
          ${this.text("certification_end", "Certified until", { type: "date", hint: "90 days after the start unless you set another date; at most a year." })}
        </div>
        <div class="grid">
          ${this.text("visits_per_week", "Visits per week", { type: "number", min: 1, max: 7, required: true })}
          ${this.text("duration_weeks", "Weeks", { type: "number", min: 1, max: 52, required: true })}
          ${this.text("authorized_visits", "Authorized visits", { type: "number", min: 0, hint: "Empty: no limit." })}
        </div>
      </fieldset>
      ${this.goalsSection()} ${this.exercisesSection("interventions")} ${this.exercisesSection("home_exercises")}
      <label for=${planInputId("precautions")}
        ><h2 class="label-heading">Precautions</h2>
        <textarea
          id=${planInputId("precautions")}
          rows="3"
          maxlength="2000"
          .value=${live(this.values.precautions)}
          aria-invalid=${this.form.aria("precautions").invalid}
          aria-describedby=${this.form.aria("precautions").describedBy}
          @input=${(e: Event) => this.setTop("precautions", (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        ${this.form.error("precautions")}
      </label>
      <div class="save-bar">
        <button type="submit" ?disabled=${this.form.busy} aria-busy=${this.form.busy ? "true" : "false"}>${this.plan ? "Save" : "Save draft"}</button>
        ${this.plan
          ? html`<span class="save-state ${dirty ? "dirty" : "clean"}" id="plan-save-state">${dirty ? "Unsaved changes" : "All changes saved"}</span>`
          : nothing}
      </div>
    </form>`;
  }

  /** The plan as text: read-only plans, and everyone who may not write plans. */
  private readOnly(p: TherapyPlan) {
    const clinical = canPlan(currentMember()?.roles);
    const start = this.values.start_date;
    return html`<section class="plan-readonly" aria-labelledby="plan-details-title">
      <h2 id="plan-details-title">Details</h2>
      <dl class="plan-facts">
        <dt>Condition</dt>
        <dd>${p.condition}${p.icd10Code ? ` (${p.icd10Code})` : ""}${p.bodyRegion ? ` · ${p.bodyRegion}` : ""}</dd>
        <dt>Dates</dt>
        <dd>
          From ${shortDateWords(start)} for ${p.durationWeeks} week${p.durationWeeks === 1 ? "" : "s"}, ${p.visitsPerWeek} visit${p.visitsPerWeek === 1 ? "" : "s"} a
          week${this.values.certification_end ? `; certified until ${shortDateWords(this.values.certification_end)}` : ""}
          ${p.authorizedVisits ? `; ${p.authorizedVisits} visits authorized` : ""}
        </dd>
      </dl>
      ${clinical
        ? html`<h3>Goals</h3>
            ${p.goals.length
              ? html`<ol>
                  ${p.goals.map((g) => html`<li>${g.description} — ${goalTargetWords(g)} (${goalStatusWords[g.status] ?? ""})</li>`)}
                </ol>`
              : html`<p class="muted">None.</p>`}
            ${(["interventions", "home_exercises"] as const).map(
              (list) => html`<h3>${exerciseWords[list].title}</h3>
                ${(list === "interventions" ? p.interventions : p.homeExercises).length
                  ? html`<ul>
                      ${(list === "interventions" ? p.interventions : p.homeExercises).map(
                        (x) => html`<li><strong>${x.name}</strong>${dosageWords(x) ? ` — ${dosageWords(x)}` : ""}${x.notes ? html`<br /><span class="prewrap">${x.notes}</span>` : nothing}</li>`,
                      )}
                    </ul>`
                  : html`<p class="muted">None.</p>`}`,
            )}
            <h3>Precautions</h3>
            <p class="prewrap">${p.precautions || "None."}</p>`
        : html`<p class="muted">Goals, interventions and exercises are shown to therapists and admins.</p>`}
    </section>`;
  }

  // ------------------------------------------------------------ rendering: the plan ---

  private stateButtons(p: TherapyPlan) {
    if (!canPlan(currentMember()?.roles)) return nothing;
    const actions = stateActions(p.state);
    if (actions.length === 0) return nothing;
    const busy = this.stateBusy || this.form.busy;
    return html`<div class="plan-states" role="group" aria-label="Plan state" aria-busy=${this.stateBusy ? "true" : "false"}>
        ${actions.map(
          (a) => html`<button
            type="button"
            class=${a.look === "primary" ? "" : a.look === "danger" ? "secondary outline danger" : "secondary"}
            ?disabled=${busy}
            @click=${() => this.changeState(a)}
          >
            ${a.label}
          </button>`,
        )}
      </div>
      ${this.confirming
        ? html`<div class="notice plan-confirm" role="alertdialog" aria-labelledby="plan-confirm-title">
            <p id="plan-confirm-title" tabindex="-1"><strong>${this.confirming.confirm}</strong></p>
            <button type="button" class=${this.confirming.look === "danger" ? "danger" : ""} ?disabled=${busy} @click=${() => this.changeState(this.confirming!)}>
              Yes, ${this.confirming.label.toLowerCase()}
            </button>
            <button type="button" class="secondary outline" @click=${() => (this.confirming = undefined)}>No, keep it</button>
          </div>`
        : nothing}`;
  }

  private visitsAndAlerts(p: TherapyPlan) {
    const year = new Date().getFullYear();
    const alerts = alertViews(p.alerts, year);
    return html`<section class="plan-visits" aria-label="Visits and alerts">
      <p id="plan-visits">${visitsLine(p.visits, year)}</p>
      ${alerts.length
        ? html`<ul class="plan-alerts">
            ${alerts.map(
              (a) => html`<li class="plan-alert ${a.urgencyClass}">
                <strong>${a.kind}</strong>${a.message ? html`: ${a.message}` : nothing}${a.due ? html` <span class="muted">(${a.due})</span>` : nothing}
              </li>`,
            )}
          </ul>`
        : nothing}
    </section>`;
  }

  private progressSection(p: TherapyPlan) {
    if (!canPlan(currentMember()?.roles) || p.state === PlanState.DRAFT || p.goals.length === 0) return nothing;
    const today = todayIn(this.zone);
    return html`<section class="plan-progress" aria-labelledby="plan-progress-title" @progress-recorded=${this.onProgress}>
      <h2 id="plan-progress-title">Progress towards the goals</h2>
      ${p.goals.map(
        (g, i) =>
          html`<goal-progress .plan=${p} .goal=${g} .index=${i} today=${today} ?canRecord=${p.state === PlanState.ACTIVE}></goal-progress>`,
      )}
    </section>`;
  }

  private history(p: TherapyPlan) {
    return html`<details
      class="plan-history"
      @toggle=${(e: Event) => {
        if ((e.target as HTMLDetailsElement).open) void this.loadVersions();
      }}
    >
      <summary>History</summary>
      ${this.versionsState === "loading"
        ? html`<p aria-busy="true">Loading the history…</p>`
        : this.versionsState === "error"
          ? html`<p class="notice error">The history could not be loaded. <button type="button" class="secondary small" @click=${() => this.loadVersions()}>Try again</button></p>`
          : html`<ul class="plan-versions">
              <li><strong>Version ${p.version || 1}</strong> (this one) — ${this.updatedByLabel || "a colleague"}</li>
              ${this.versions.map((v) => html`<li><strong>Version ${v.version}</strong> — ${v.who}, ${v.when}${v.state ? ` · ${v.state}` : ""}</li>`)}
            </ul>
            ${this.versionsState === "loaded" && this.versions.length === 0 ? html`<p class="muted">No earlier versions.</p>` : nothing}`}
    </details>`;
  }

  private header(p: TherapyPlan | undefined) {
    const patientHref = this.patient ? patientPath(this.patient) : "/staff/patients";
    const who = this.patientLabel || "Patient";
    return html`<p class="no-print"><a href=${patientHref}>← ${who}</a></p>
      <div class="toolbar">
        <h1>${p ? `Plan of care: ${p.condition || "untitled"}` : "New plan of care"}</h1>
        ${p ? html`<span class="badge plan-state ${planStateClass(p.state)}" id="plan-state">${planStateWords[p.state]}</span>` : nothing}
      </div>
      <p class="muted plan-meta">
        For <strong>${who}</strong>${this.therapistLabel ? html` · therapist ${this.therapistLabel}` : nothing}
        ${p?.screening ? html` · <a href=${screeningPath(p.screening)}>from a screening</a>` : this.screening ? html` · from a screening` : nothing}
      </p>
      ${p ? html`<p class="muted" id="plan-version">${versionLine(p, this.updatedByLabel, this.zone)}</p>` : nothing}`;
  }

  override render() {
    if (this.denied) return html`<no-access audience="therapists, the front desk and admins"></no-access>`;
    const p = this.plan;
    if (this.printing && p) {
      return html`<plan-print .copy=${patientCopy(p, this.patientLabel, this.therapistLabel)} @print-closed=${this.closePrint}></plan-print>`;
    }
    if (this.loading || this.loadError) {
      return html`<h1>${this.isNew ? "New plan of care" : "Plan of care"}</h1>
        ${this.loadError
          ? html`<div class="notice error" role="alert">
              <p>${this.loadError}</p>
              ${this.patient || this.planId ? html`<button type="button" class="secondary" @click=${() => this.load()}>Try again</button>` : nothing}
            </div>`
          : html`<p aria-busy="true">Loading…</p>`}`;
    }
    const mayPlan = canPlan(currentMember()?.roles);
    return html`${this.header(p)}
      <div role="status" aria-live="polite">${this.notice ? html`<p class="notice ok" id="plan-notice" tabindex="-1">${this.notice}</p>` : nothing}</div>
      ${p
        ? html`${this.visitsAndAlerts(p)}
            <div class="toolbar plan-actions no-print">
              ${this.stateButtons(p)}
              ${mayPlan
                ? html`<button type="button" id="plan-print-button" class="secondary outline" @click=${this.openPrint}>Print for the patient</button>`
                : nothing}
            </div>`
        : nothing}
      ${!p && !mayPlan ? html`<no-access audience="therapists and admins"></no-access>` : this.editable ? this.editForm() : p ? this.readOnly(p) : nothing}
      ${p ? this.progressSection(p) : nothing}
      ${p && p.state === PlanState.ACTIVE ? html`<plan-series .plan=${p} @series-booked=${this.onBooked}></plan-series>` : nothing}
      ${p && mayPlan ? this.history(p) : nothing}`;
  }
}

function describeLoad(e: ConnectError): string {
  if (e.code === Code.NotFound) return "It does not exist (any more).";
  return planFormErrors(e, { goals: [], interventions: [], home_exercises: [] }).other.join(" ");
}

customElements.define("plan-page", PlanPage);
