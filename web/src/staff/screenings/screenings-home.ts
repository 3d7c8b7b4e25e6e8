import { html } from "lit";
import type { ScreeningProtocol } from "../../gen/clinic/screenings/v1/screenings_pb";
import { currentMember } from "../account/auth";
import { describeCallError } from "../shared/errors";
import { LightElement, announcePage } from "../shared/light-element";
import { loadProtocols } from "./screening-data";
import { canScreen } from "./screening-model";

/**
 * <screenings-home>: /staff/screenings — where screenings are: they are
 * started from a patient's page and listed there; and the protocols the
 * service has (ListScreeningProtocols).
 */
export class ScreeningsHome extends LightElement {
  static override properties = {
    protocols: { state: true },
    error: { state: true },
    loading: { state: true },
  };
  declare protocols: ScreeningProtocol[];
  declare error: string;
  declare loading: boolean;

  constructor() {
    super();
    this.protocols = [];
    this.error = "";
    this.loading = true;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  protected override firstUpdated(): void {
    announcePage(this, "Screenings");
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.error = "";
    try {
      this.protocols = await loadProtocols();
    } catch (err) {
      this.error = describeCallError(err);
    } finally {
      this.loading = false;
    }
  }

  override render() {
    const may = canScreen(currentMember()?.roles);
    return html`<h1>Screenings</h1>
      <p>
        ${may
          ? html`To start a screening, open the patient's page (<a href="/staff/patients">find the patient</a>) and choose
              <strong>Start a screening</strong>.`
          : html`Screenings are performed by therapists. <a href="/staff/patients">Find the patient</a> to see theirs.`}
        A patient's screenings are listed on their page.
      </p>
      <h2>Protocols</h2>
      ${this.loading
        ? html`<p aria-busy="true">Loading…</p>`
        : this.error
          ? html`<div class="notice error">
              <p>The protocols could not be loaded. ${this.error}</p>
              <button type="button" class="secondary small" @click=${() => this.load()}>Try again</button>
            </div>`
          : this.protocols.length
            ? html`<ul>
                ${this.protocols.map(
                  (p) => html`<li>${p.title} <span class="muted">(version ${p.version}, ${p.questions.length} questions)</span></li>`,
                )}
              </ul>`
            : html`<p class="muted">No protocols are available.</p>`}`;
  }
}

customElements.define("screenings-home", ScreeningsHome);
