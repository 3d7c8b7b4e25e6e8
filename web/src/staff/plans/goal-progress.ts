import { html, nothing } from "lit";
import { live } from "lit/directives/live.js";
import { GoalStatus, type Goal, type TherapyPlan } from "../../gen/clinic/therapy_plans/v1/therapy_plans_pb";
import { callTimeoutMs } from "../shared/api";
import { FormState } from "../shared/form";
import { LightElement } from "../shared/light-element";
import "./plan-chart";
import {
  checkProgress,
  dateToInput,
  emptyProgress,
  goalChartData,
  goalProgressWords,
  goalStatusWords,
  goalTargetWords,
  goalTermWords,
  progressFields,
  progressFormErrors,
  progressLabels,
  progressRequest,
  type GoalChartData,
  type ProgressField,
  type ProgressValues,
} from "./plan-model";
import { therapyPlans } from "./plans-api";

/** Sent (bubbling) with the plan RecordGoalProgress returned. */
export type ProgressRecordedEvent = CustomEvent<{ plan: TherapyPlan; goal: string; statusChanged: boolean }>;

const statusChoices: ReadonlyArray<[GoalStatus, string]> = [
  [GoalStatus.UNSPECIFIED, "Unchanged"],
  [GoalStatus.IN_PROGRESS, goalStatusWords[GoalStatus.IN_PROGRESS]],
  [GoalStatus.MET, goalStatusWords[GoalStatus.MET]],
  [GoalStatus.NOT_MET, goalStatusWords[GoalStatus.NOT_MET]],
  [GoalStatus.REVISED, goalStatusWords[GoalStatus.REVISED]],
];

/**
 * <goal-progress .plan .goal .index today="YYYY-MM-DD" ?canRecord>: one goal
 * of a saved plan — what it aims at, its status, a chart of its measurements
 * with the baseline and target as lines (and the same in words) — and, on an
 * active plan, "Record progress": date, value, note and optionally a new
 * status → RecordGoalProgress; sends `progress-recorded` with the plan.
 */
export class GoalProgressCard extends LightElement {
  static override properties = {
    plan: { attribute: false },
    goal: { attribute: false },
    index: { type: Number },
    today: { type: String },
    canRecord: { type: Boolean },
    open: { state: true },
    values: { state: true },
    notice: { state: true },
  };
  declare plan: TherapyPlan | undefined;
  declare goal: Goal | undefined;
  declare index: number;
  declare today: string;
  declare canRecord: boolean;
  declare open: boolean;
  declare values: ProgressValues;
  declare notice: string;

  private form = new FormState<ProgressField>(this, {
    fields: progressFields,
    idOf: (f) => this.inputId(f),
    summaryId: `gp-problems-${Math.random().toString(36).slice(2, 8)}`,
    read: (e) => progressFormErrors(e),
  });

  constructor() {
    super();
    this.plan = undefined;
    this.goal = undefined;
    this.index = 0;
    this.today = "";
    this.canRecord = false;
    this.open = false;
    this.values = emptyProgress("");
    this.notice = "";
  }

  /** The chart's data, worked out again only when the goal changes (a new object redraws the chart). */
  private chartOf?: { goal: Goal; start: string; data: GoalChartData; words: string };

  private chart(g: Goal, start: string): { data: GoalChartData; words: string } {
    if (this.chartOf?.goal !== g || this.chartOf.start !== start) {
      this.chartOf = { goal: g, start, data: goalChartData(g, start), words: goalProgressWords(g) };
    }
    return this.chartOf;
  }

  private inputId(f: ProgressField): string {
    return `gp-${this.index}-${f}`;
  }

  private openForm(): void {
    this.values = emptyProgress(this.today);
    this.form.clear();
    this.notice = "";
    this.open = true;
    void this.updateComplete.then(() => this.querySelector<HTMLInputElement>(`#${this.inputId("value")}`)?.focus());
  }

  private set(f: ProgressField, value: string): void {
    this.values = { ...this.values, [f]: value };
    this.form.clearField(f);
  }

  private async submit(e: Event): Promise<void> {
    e.preventDefault();
    const plan = this.plan;
    const goal = this.goal;
    if (!plan || !goal) return;
    const problems = checkProgress(this.values);
    if (Object.keys(problems.fields).length) {
      await this.form.show(problems);
      return;
    }
    const request = progressRequest(plan, goal.id, this.values);
    const res = await this.form.run(() => therapyPlans.recordGoalProgress(request, { timeoutMs: callTimeoutMs }));
    if (!res) return;
    this.open = false;
    this.notice = "Progress recorded.";
    this.dispatchEvent(
      new CustomEvent("progress-recorded", {
        bubbles: true,
        composed: true,
        detail: { plan: res, goal: goal.id, statusChanged: request.status !== GoalStatus.UNSPECIFIED },
      }),
    );
  }

  private field(f: ProgressField, input: unknown) {
    return html`<label for=${this.inputId(f)}>${progressLabels[f]} ${input} ${this.form.error(f)}</label>`;
  }

  private recordForm() {
    const a = (f: ProgressField) => this.form.aria(f);
    return html`<form class="record-progress" novalidate @submit=${this.submit}>
      ${this.form.summary("The progress was not recorded.", progressLabels)}
      <div class="grid">
        ${this.field(
          "date",
          html`<input
            id=${this.inputId("date")}
            type="date"
            .value=${live(this.values.date)}
            aria-invalid=${a("date").invalid}
            aria-describedby=${a("date").describedBy}
            @input=${(e: Event) => this.set("date", (e.target as HTMLInputElement).value)}
          />`,
        )}
        ${this.field(
          "value",
          html`<input
            id=${this.inputId("value")}
            type="number"
            step="any"
            inputmode="decimal"
            .value=${live(this.values.value)}
            aria-invalid=${a("value").invalid}
            aria-describedby=${a("value").describedBy}
            @input=${(e: Event) => this.set("value", (e.target as HTMLInputElement).value)}
          />`,
        )}
        ${this.field(
          "status",
          html`<select
            id=${this.inputId("status")}
            aria-invalid=${a("status").invalid}
            aria-describedby=${a("status").describedBy}
            @change=${(e: Event) => this.set("status", (e.target as HTMLSelectElement).value)}
          >
            ${statusChoices.map(([s, label]) => html`<option value=${String(s)} ?selected=${this.values.status === String(s)}>${label}</option>`)}
          </select>`,
        )}
      </div>
      ${this.field(
        "note",
        html`<input
          id=${this.inputId("note")}
          type="text"
          maxlength="500"
          .value=${live(this.values.note)}
          aria-invalid=${a("note").invalid}
          aria-describedby=${a("note").describedBy}
          @input=${(e: Event) => this.set("note", (e.target as HTMLInputElement).value)}
        />`,
      )}
      <div class="actions">
        <button type="submit" ?disabled=${this.form.busy} aria-busy=${this.form.busy ? "true" : "false"}>Save progress</button>
        <button type="button" class="secondary outline" @click=${() => (this.open = false)}>Cancel</button>
      </div>
    </form>`;
  }

  override render() {
    const g = this.goal;
    if (!g) return nothing;
    const start = dateToInput(this.plan?.startDate);
    const chart = this.chart(g, start);
    const title = `Goal ${this.index + 1}: ${g.description}`;
    return html`<article class="goal-progress" aria-label=${title}>
      <header>
        <h3>${title}</h3>
        <p class="muted">
          ${goalTargetWords(g)} · ${goalTermWords[g.term] ?? ""} ·
          <span class="goal-status">${goalStatusWords[g.status] ?? ""}</span>
        </p>
      </header>
      <goal-chart .data=${chart.data} .words=${chart.words} .measure=${g.measure}></goal-chart>
      <div role="status">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${this.canRecord && g.id
        ? this.open
          ? this.recordForm()
          : html`<button type="button" class="secondary small" @click=${this.openForm}>Record progress</button>`
        : nothing}
    </article>`;
  }
}

customElements.define("goal-progress", GoalProgressCard);
