import { html, nothing } from "lit";
import { Code, ConnectError } from "@connectrpc/connect";
import { PatientState, type Patient } from "../../gen/clinic/patients/v1/patients_pb";
import { callTimeoutMs, patients } from "../shared/api";
import { LightElement, announcePage } from "../shared/light-element";
import {
  describeSearch,
  displayName,
  formatBirthDate,
  patientId,
  readSearch,
  searchErrorMessage,
  searchFilters,
  type PatientSearch,
} from "./patient-model";
import { formatPhone } from "./phone-model";
import { moreButton } from "../shared/more-button";

const pageSize = 25;

/** <patient-list>: search box, archived toggle, results and "More". */
export class PatientList extends LightElement {
  static override properties = {
    query: { state: true },
    showArchived: { state: true },
    results: { state: true },
    nextPageToken: { state: true },
    loading: { state: true },
    error: { state: true },
    searched: { state: true },
  };
  declare query: string;
  declare showArchived: boolean;
  declare results: Patient[];
  declare nextPageToken: string;
  declare loading: boolean;
  declare error: string;
  declare searched: PatientSearch;

  private abort?: AbortController;
  private debounce?: number;
  private announced = false;

  constructor() {
    super();
    const params = new URLSearchParams(location.search);
    this.query = params.get("q") ?? "";
    this.showArchived = params.get("archived") === "1";
    this.results = [];
    this.nextPageToken = "";
    this.loading = false;
    this.error = "";
    this.searched = { kind: "all" };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.search();
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    window.clearTimeout(this.debounce);
    super.disconnectedCallback();
  }

  protected override firstUpdated(): void {
    if (!this.announced) {
      this.announced = true;
      announcePage(this, "Patients");
    }
  }

  /** Loads the first page (or, with a token, the next page) for the current query. */
  private async search(pageToken = ""): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const q = readSearch(this.query);
    this.loading = true;
    this.error = "";
    try {
      const response = await patients.listPatients(
        { pageSize, pageToken, showArchived: this.showArchived, ...searchFilters(q) },
        { signal: abort.signal, timeoutMs: callTimeoutMs },
      );
      if (abort.signal.aborted) return;
      this.searched = q;
      this.results = pageToken ? [...this.results, ...response.patients] : response.patients;
      this.nextPageToken = response.nextPageToken;
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      this.searched = q;
      this.error = searchErrorMessage(err, q);
      if (!pageToken) {
        this.results = [];
        this.nextPageToken = "";
      }
    } finally {
      if (this.abort === abort) this.loading = false;
    }
  }

  private syncUrl(): void {
    const params = new URLSearchParams();
    if (this.query.trim()) params.set("q", this.query.trim());
    if (this.showArchived) params.set("archived", "1");
    const search = params.toString();
    const url = "/staff/patients" + (search ? "?" + search : "");
    if (url !== location.pathname + location.search) history.replaceState(null, "", url);
  }

  private onInput(e: Event): void {
    this.query = (e.target as HTMLInputElement).value;
    window.clearTimeout(this.debounce);
    this.debounce = window.setTimeout(() => {
      this.syncUrl();
      void this.search();
    }, 350);
  }

  private onSubmit(e: Event): void {
    e.preventDefault();
    window.clearTimeout(this.debounce);
    this.syncUrl();
    void this.search();
  }

  private onArchivedToggle(e: Event): void {
    this.showArchived = (e.target as HTMLInputElement).checked;
    this.syncUrl();
    void this.search();
  }

  private row(p: Patient) {
    const id = patientId(p.name);
    const archived = p.state === PatientState.ARCHIVED;
    return html`<tr>
      <th scope="row">
        <a href="/staff/patients/${encodeURIComponent(id)}">${displayName(p) || "(no name)"}</a>
        ${archived ? html` <span class="badge">archived</span>` : nothing}
      </th>
      <td class="nowrap">${formatBirthDate(p.birthDate)}</td>
      <td class="nowrap">${formatPhone(p.phone)}</td>
      <td class="hide-narrow">${p.email}</td>
    </tr>`;
  }

  override render() {
    const count = this.results.length;
    return html`
      <div class="toolbar">
        <h1>Patients</h1>
        <a href="/staff/patients/new" class="button-link">New patient</a>
      </div>

      <search aria-label="Patients">
      <form @submit=${this.onSubmit}>
        <label for="patient-search">Search</label>
        <fieldset role="group">
          <input
            id="patient-search"
            name="q"
            type="search"
            autocomplete="off"
            aria-describedby="patient-search-hint"
            .value=${this.query}
            @input=${this.onInput}
          />
          <button type="submit">Search</button>
        </fieldset>
        <small id="patient-search-hint">Name, date of birth or last digits of phone (or a whole email address).</small>
        <label>
          <input type="checkbox" role="switch" .checked=${this.showArchived} @change=${this.onArchivedToggle} />
          Include archived patients
        </label>
      </form>
      </search>

      ${this.error
        ? html`<div class="notice error" role="alert">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => this.search()}>Try again</button>
          </div>`
        : nothing}

      <p role="status" aria-live="polite" id="patient-results-status">
        ${this.loading
          ? "Loading…"
          : html`${describeSearch(this.searched)}:
            ${count === 0 ? "no patients found" : `${count}${this.nextPageToken ? "+" : ""} shown`}.`}
      </p>

      ${count > 0
        ? html`<div class="overflow-auto">
            <table class="striped" aria-describedby="patient-results-status">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Date of birth</th>
                  <th scope="col">Phone</th>
                  <th scope="col" class="hide-narrow">Email</th>
                </tr>
              </thead>
              <tbody>
                ${this.results.map((p) => this.row(p))}
              </tbody>
            </table>
          </div>`
        : nothing}
      ${moreButton(this.nextPageToken, this.loading, (t) => this.search(t))}
    `;
  }
}

customElements.define("patient-list", PatientList);
