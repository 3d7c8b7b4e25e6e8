import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { TherapyPlan } from "../../gen/clinic/therapy_plans/v1/therapy_plans_pb";
import { currentMember } from "../account/auth";
import { callTimeoutMs } from "../shared/api";
import { describeCallError } from "../shared/errors";
import { LightElement } from "../shared/light-element";
import { canPlan, newPlanPath, planListItem } from "../plans/plan-model";
import { therapyPlans } from "../plans/plans-api";

/**
 * <patient-plans .patient="patients/…">: the "Plans of care" section of a
 * patient's page — the patient's plans (ListTherapyPlans, newest first), each
 * a link with its condition, state, dates and visits, and "New plan of care"
 * for therapists and admins. Loaded on its own: the patient's page works
 * when it fails.
 */
export class PatientPlans extends LightElement {
  static override properties = {
    patient: { type: String },
    plans: { state: true },
    loading: { state: true },
    error: { state: true },
  };
  declare patient: string;
  declare plans: TherapyPlan[];
  declare loading: boolean;
  declare error: string;

  private loadedFor?: string;
  private abort?: AbortController;

  constructor() {
    super();
    this.patient = "";
    this.plans = [];
    this.loading = false;
    this.error = "";
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    this.loadedFor = undefined;
    super.disconnectedCallback();
  }

  protected override willUpdate(): void {
    if (this.patient && this.patient !== this.loadedFor) {
      this.loadedFor = this.patient;
      void this.load();
    }
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.error = "";
    try {
      const res = await therapyPlans.listTherapyPlans({ patient: this.patient }, { signal: abort.signal, timeoutMs: callTimeoutMs });
      if (abort.signal.aborted) return;
      this.plans = res.plans;
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.plans = [];
      this.error = `The plans of care could not be loaded. ${describeCallError(err)}`;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  override render() {
    return html`<section class="patient-plans" aria-labelledby="patient-plans-title">
      <div class="toolbar">
        <h2 id="patient-plans-title">Plans of care</h2>
        ${canPlan(currentMember()?.roles) ? html`<a class="button-link" href=${newPlanPath(this.patient)}>New plan of care</a>` : nothing}
      </div>
      ${this.loading
        ? html`<p aria-busy="true">Loading plans of care…</p>`
        : this.error
          ? html`<div class="notice error">
              <p>${this.error}</p>
              <button type="button" class="secondary small" @click=${() => this.load()}>Try again</button>
            </div>`
          : this.plans.length === 0
            ? html`<p class="muted">No plans of care yet.</p>`
            : html`<ul class="plan-list-items">
                ${this.plans.map((p) => {
                  const item = planListItem(p);
                  return html`<li>
                    <a href=${item.href}>${item.condition}</a>
                    <span class="badge plan-state ${item.stateClass}">${item.state}</span>
                    ${item.dates ? html`<br /><small class="muted">${item.dates}</small>` : nothing}
                    ${item.visits ? html`<small class="muted"> · ${item.visits}</small>` : nothing}
                  </li>`;
                })}
              </ul>`}
    </section>`;
  }
}

customElements.define("patient-plans", PatientPlans);
