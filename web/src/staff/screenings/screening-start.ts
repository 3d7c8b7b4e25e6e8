import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Patient } from "../../gen/clinic/patients/v1/patients_pb";
import type { ScreeningProtocol } from "../../gen/clinic/screenings/v1/screenings_pb";
import { navigate } from "../router";
import { callTimeoutMs, patients, screenings } from "../shared/api";
import { FormState } from "../shared/form";
import { LightElement, announcePage } from "../shared/light-element";
import { newRequestId } from "../shared/request-id";
import { displayName, patientId } from "../patients/patient-model";
import { loadProtocols } from "./screening-data";
import { createRequest, describeScreeningError, outcomeUnknown, screeningPath, startParams } from "./screening-model";

/**
 * <screening-start>: /staff/screenings/new?patient=patients/<id> — starts a
 * screening of the patient (CreateScreening with a request_id) with the only
 * protocol at once, or with the one chosen when there are several, then
 * opens the screening's page in place of this one.
 */
export class ScreeningStart extends LightElement {
  static override properties = {
    patient: { state: true },
    protocols: { state: true },
    chosen: { state: true },
    loading: { state: true },
    loadError: { state: true },
  };
  declare patient: Patient | undefined;
  declare protocols: ScreeningProtocol[];
  /** The chosen protocol's name. */
  declare chosen: string;
  declare loading: boolean;
  declare loadError: string;

  private params = startParams(location.search);
  /** Kept for a retry after no answer, so a retry cannot start a second screening. */
  private requestId = newRequestId();
  private form = new FormState<"protocol">(this, {
    fields: ["protocol"],
    prefixes: ["screening."],
    idOf: () => "start-protocol",
    summaryId: "start-problems",
    describe: describeScreeningError,
  });

  constructor() {
    super();
    this.patient = undefined;
    this.protocols = [];
    this.chosen = "";
    this.loading = true;
    this.loadError = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private get patientHref(): string {
    return this.params.patient ? `/staff/patients/${encodeURIComponent(patientId(this.params.patient))}` : "/staff/patients";
  }

  private async load(): Promise<void> {
    this.loading = true;
    this.loadError = "";
    if (!this.params.patient) {
      this.loading = false;
      this.loadError = "No patient: start a screening from a patient's page.";
      await this.updateComplete;
      announcePage(this, "Start a screening");
      return;
    }
    try {
      const [p, list] = await Promise.all([
        patients.getPatient({ name: this.params.patient }, { timeoutMs: callTimeoutMs }),
        loadProtocols(),
      ]);
      this.patient = p;
      this.protocols = list;
      if (list.length === 1) this.chosen = list[0].name;
    } catch (err) {
      const code = ConnectError.from(err).code;
      this.loadError =
        code === Code.NotFound || code === Code.InvalidArgument
          ? "No such patient: there is no patient at this address."
          : describeScreeningError(err);
    } finally {
      this.loading = false;
    }
    await this.updateComplete;
    announcePage(this, "Start a screening");
    if (!this.loadError && this.protocols.length === 1) await this.start();
  }

  private async start(e?: Event): Promise<void> {
    e?.preventDefault();
    if (!this.chosen) {
      await this.form.show({ fields: { protocol: "Choose a protocol." }, other: [] });
      return;
    }
    const requestId = this.requestId;
    const created = await this.form.run(
      () =>
        screenings.createScreening(
          createRequest({ patient: this.params.patient, protocol: this.chosen, appointment: this.params.appointment, requestId }),
          { timeoutMs: callTimeoutMs },
        ),
      {
        onError: (err) => {
          if (!outcomeUnknown(err)) this.requestId = newRequestId();
        },
      },
    );
    if (!created) return;
    navigate(screeningPath(created.name), { replace: true, flash: "Screening started." });
  }

  override render() {
    const who = this.patient ? displayName(this.patient) || "the patient" : "";
    const back = html`<p><a href=${this.patientHref}>← ${who || "Patient"}</a></p>`;
    if (this.loading) {
      return html`${back}
        <h1>Start a screening</h1>
        <p aria-busy="true">Loading…</p>`;
    }
    if (this.loadError) {
      return html`${back}
        <h1>Start a screening</h1>
        <div class="notice error" role="alert">
          <p>${this.loadError}</p>
          ${this.params.patient ? html`<button type="button" class="secondary" @click=${() => this.load()}>Try again</button>` : nothing}
        </div>`;
    }
    if (this.protocols.length === 0) {
      return html`${back}
        <h1>Start a screening</h1>
        <p class="notice">No screening protocol is available. Ask an admin to check the screening service.</p>`;
    }
    const single = this.protocols.length === 1;
    const aria = this.form.aria("protocol");
    return html`${back}
      <h1>Start a screening</h1>
      <p>Screening of <strong>${who}</strong>.</p>
      ${this.form.summary("The screening was not started.", { protocol: "Protocol" }, single
        ? html`<button type="button" ?disabled=${this.form.busy} @click=${() => this.start()}>Try again</button>`
        : nothing)}
      ${single && this.form.busy ? html`<p aria-busy="true">Starting a screening with “${this.protocols[0].title}”…</p>` : nothing}
      ${single
        ? nothing
        : html`<form novalidate @submit=${this.start}>
            <fieldset id="start-protocol" aria-invalid=${aria.invalid} aria-describedby=${aria.describedBy}>
              <legend>Protocol</legend>
              ${this.protocols.map(
                (p) =>
                  html`<label
                    ><input
                      type="radio"
                      name="protocol"
                      .value=${p.name}
                      .checked=${this.chosen === p.name}
                      @change=${() => {
                        this.chosen = p.name;
                        this.form.clearField("protocol");
                      }}
                    />
                    ${p.title}</label
                  >`,
              )}
            </fieldset>
            ${this.form.error("protocol")}
            <button type="submit" ?disabled=${this.form.busy} aria-busy=${this.form.busy ? "true" : "false"}>Start screening</button>
          </form>`}`;
  }
}

customElements.define("screening-start", ScreeningStart);
