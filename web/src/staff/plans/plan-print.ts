import { html, nothing } from "lit";
import { LightElement } from "../shared/light-element";
import type { PatientCopy } from "./plan-model";

/**
 * <plan-print .copy=${PatientCopy}>: the patient's copy of a plan, made to be
 * printed (plans.css has the @media print rules: only this copy is printed,
 * without the app's header and buttons) — the patient's and the therapist's
 * names, the home exercises with their dosage, the goals in plain words.
 * "Print" opens the browser's print dialog; "Back to the plan" sends
 * `print-closed`.
 */
export class PlanPrint extends LightElement {
  static override properties = {
    copy: { attribute: false },
  };
  declare copy: PatientCopy | undefined;

  constructor() {
    super();
    this.copy = undefined;
  }

  private close(): void {
    this.dispatchEvent(new CustomEvent("print-closed", { bubbles: true, composed: true }));
  }

  override render() {
    const c = this.copy;
    if (!c) return nothing;
    return html`<div class="plan-print-toolbar no-print">
        <button type="button" @click=${() => window.print()}>Print</button>
        <button type="button" class="secondary outline" @click=${this.close}>Back to the plan</button>
      </div>
      <div class="plan-print">
        <header>
          <h1 tabindex="-1">Your home exercise program</h1>
          <p>
            <strong>Patient:</strong> <span class="print-patient">${c.patientName}</span><br />
            ${c.therapistName ? html`<strong>Your therapist:</strong> <span class="print-therapist">${c.therapistName}</span><br />` : nothing}
            ${c.condition ? html`<strong>For:</strong> ${c.condition}` : nothing}
          </p>
        </header>
        <section aria-labelledby="print-exercises">
          <h2 id="print-exercises">Exercises</h2>
          ${c.exercises.length
            ? html`<ol class="print-exercises">
                ${c.exercises.map(
                  (e) => html`<li>
                    <strong>${e.name}</strong>${e.dosage ? html`<br />${e.dosage}` : nothing}
                    ${e.notes ? html`<br /><span class="prewrap">${e.notes}</span>` : nothing}
                  </li>`,
                )}
              </ol>`
            : html`<p>Your therapist will show you your exercises at your next visit.</p>`}
        </section>
        <section aria-labelledby="print-goals">
          <h2 id="print-goals">What we are working towards</h2>
          ${c.goals.length
            ? html`<ul class="print-goals">
                ${c.goals.map((g) => html`<li>${g.text}${g.by ? html` — ${g.by}` : nothing}</li>`)}
              </ul>`
            : html`<p>We will set your goals together.</p>`}
        </section>
        <p class="print-footer">If an exercise hurts more than usual, stop it and tell your therapist at your next visit.</p>
      </div>`;
  }
}

customElements.define("plan-print", PlanPrint);
