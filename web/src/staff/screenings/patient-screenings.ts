import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Screening } from "../../gen/clinic/screenings/v1/screenings_pb";
import { currentMember } from "../account/auth";
import { formatTime, tsMs } from "../contacts/contacts-model";
import { callTimeoutMs, screenings } from "../shared/api";
import { describeCallError } from "../shared/errors";
import { LightElement } from "../shared/light-element";
import { loadProtocols } from "./screening-data";
import { canScreen, newScreeningPath, screeningPath, screeningSummary, topConsideration } from "./screening-model";

/** How many screenings the patient's page lists before "Show all". */
const shortList = 5;

/**
 * <patient-screenings>: the Screenings section of a patient's page — "Start a
 * screening" (therapists and admins) and the patient's screenings
 * (ListScreenings, newest first), each a link to its page. Loaded on its own:
 * the patient's page works without it.
 */
export class PatientScreenings extends LightElement {
  static override properties = {
    patient: { type: String },
    items: { state: true },
    titles: { state: true },
    loading: { state: true },
    error: { state: true },
    showAll: { state: true },
  };
  /** "patients/{id}". */
  declare patient: string;
  declare items: Screening[];
  /** Protocol titles by name. */
  declare titles: Map<string, string>;
  declare loading: boolean;
  declare error: string;
  declare showAll: boolean;

  private loadedFor?: string;
  private abort?: AbortController;

  constructor() {
    super();
    this.patient = "";
    this.items = [];
    this.titles = new Map();
    this.loading = false;
    this.error = "";
    this.showAll = false;
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
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
    loadProtocols().then(
      (list) => (this.titles = new Map(list.map((p) => [p.name, p.title]))),
      () => {
        // Without the protocols, screenings are listed without their titles.
      },
    );
    try {
      const res = await screenings.listScreenings({ patient: this.patient }, { signal: abort.signal, timeoutMs: callTimeoutMs });
      if (abort.signal.aborted) return;
      this.items = res.screenings;
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.items = [];
      this.error = `The screenings could not be loaded. ${describeCallError(err)}`;
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private item(s: Screening) {
    const ms = tsMs(s.createTime);
    const top = topConsideration(s.evaluation);
    return html`<li>
      <a href=${screeningPath(s.name)}
        >${this.titles.get(s.protocol) ?? "Screening"}, <time datetime=${Number.isFinite(ms) ? new Date(ms).toISOString() : nothing}
          >${formatTime(ms)}</time
        ></a
      >
      — <span class="screening-summary">${screeningSummary(s)}</span>${top ? html` <span class="muted">· top: ${top}</span>` : nothing}
    </li>`;
  }

  override render() {
    const shown = this.showAll ? this.items : this.items.slice(0, shortList);
    const more = this.items.length - shown.length;
    return html`<section class="patient-screenings" aria-labelledby="patient-screenings-title">
      <div class="toolbar">
        <h2 id="patient-screenings-title">Screenings</h2>
        ${canScreen(currentMember()?.roles)
          ? html`<a class="button-link" href=${newScreeningPath(this.patient)}>Start a screening</a>`
          : nothing}
      </div>
      ${this.loading
        ? html`<p aria-busy="true">Loading screenings…</p>`
        : this.error
          ? html`<div class="notice error">
              <p>${this.error}</p>
              <button type="button" class="secondary small" @click=${() => this.load()}>Try again</button>
            </div>`
          : this.items.length === 0
            ? html`<p class="muted">No screenings yet.</p>`
            : html`<ul class="screening-list">
                  ${shown.map((s) => this.item(s))}
                </ul>
                ${more > 0
                  ? html`<button type="button" class="secondary outline small" @click=${() => (this.showAll = true)}>
                      Show all ${this.items.length} screenings
                    </button>`
                  : nothing}`}
    </section>`;
  }
}

customElements.define("patient-screenings", PatientScreenings);
