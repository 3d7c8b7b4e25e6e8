import { html, nothing } from "lit";
import { repeat } from "lit/directives/repeat.js";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Location } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { ContactRequest } from "../../gen/clinic/screenings/v1/screenings_pb";
import { currentMember } from "../account/auth";
import { memberName } from "../account/auth-model";
import { callTimeoutMs, screenings, staff } from "../shared/api";
import { loadLocations } from "../shared/directory";
import { describeCallError } from "../shared/errors";
import { LightElement, announcePage } from "../shared/light-element";
import "../shared/no-access";
import "./contact-request-card";
import type { RecordedEvent } from "./contact-request-card";
import { isOpen, listRequest, recordedMessage } from "./contacts-model";
import { moreButton } from "../shared/more-button";

const pageSize = 50;

/** Staff names change rarely: loaded once per visit of the app. */
let staffNamesOnce: Promise<Map<string, string>> | undefined;

function loadStaffNames(): Promise<Map<string, string>> {
  staffNamesOnce ??= (async () => {
    const names = new Map<string, string>();
    let pageToken = "";
    for (let i = 0; i < 10; i++) {
      const res = await staff.listStaffMembers({ pageSize: 200, pageToken, showDeactivated: true }, { timeoutMs: callTimeoutMs });
      for (const m of res.staffMembers) names.set(m.name, memberName(m));
      pageToken = res.nextPageToken;
      if (!pageToken) break;
    }
    return names;
  })().catch((err) => {
    staffNamesOnce = undefined;
    throw err;
  });
  return staffNamesOnce;
}

/**
 * <contact-requests-page>: the front desk's queue of people who asked to be
 * called back (ListContactRequests, oldest first): the open ones, or every
 * one with "Show closed requests too"; a location filter. Both are kept in
 * the URL (?closed=1&location=<id>). Each request is a <contact-request-card>
 * with its own "Record a call" form; after a call the list is reloaded.
 */
export class ContactRequestsPage extends LightElement {
  static override properties = {
    items: { state: true },
    nextPageToken: { state: true },
    loading: { state: true },
    error: { state: true },
    denied: { state: true },
    notice: { state: true },
    showClosed: { state: true },
    location: { state: true },
    locationList: { state: true },
    staffNames: { state: true },
    now: { state: true },
  };
  declare items: ContactRequest[];
  declare nextPageToken: string;
  declare loading: boolean;
  declare error: string;
  declare denied: boolean;
  declare notice: string;
  declare showClosed: boolean;
  /** "locations/{id}" or "" (all). */
  declare location: string;
  declare locationList: Location[];
  declare staffNames: Map<string, string>;
  declare now: number;

  private abort?: AbortController;
  private clock?: number;
  private announced = false;

  constructor() {
    super();
    const params = new URLSearchParams(location.search);
    this.showClosed = params.get("closed") === "1";
    const loc = params.get("location") ?? "";
    this.location = loc ? `locations/${loc}` : "";
    this.items = [];
    this.nextPageToken = "";
    this.loading = true;
    this.error = "";
    this.denied = false;
    this.notice = "";
    this.locationList = [];
    this.staffNames = new Map();
    this.now = Date.now();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
    loadLocations().then(
      (list) => (this.locationList = list),
      () => {
        // Without locations, requests show the location's resource name.
      },
    );
    loadStaffNames().then(
      (names) => (this.staffNames = names),
      () => {
        // Without names, attempts say "a colleague".
      },
    );
    // "just now" becomes "1 min ago": the ages move on without a reload.
    this.clock = window.setInterval(() => (this.now = Date.now()), 30_000);
    this.addEventListener("contact-recorded", this.onRecorded);
    this.addEventListener("contact-reload", this.onReload);
  }

  override disconnectedCallback(): void {
    this.abort?.abort();
    window.clearInterval(this.clock);
    this.removeEventListener("contact-recorded", this.onRecorded);
    this.removeEventListener("contact-reload", this.onReload);
    super.disconnectedCallback();
  }

  /** Loads the first page (or, with a token, the next page) of the queue. */
  private async load(pageToken = "", options: { quiet?: boolean } = {}): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    if (!options.quiet) this.loading = true;
    this.error = "";
    try {
      const res = await screenings.listContactRequests(
        listRequest({ showClosed: this.showClosed, location: this.location, pageToken, pageSize }),
        { signal: abort.signal, timeoutMs: callTimeoutMs },
      );
      if (abort.signal.aborted) return;
      this.items = pageToken ? [...this.items, ...res.contactRequests] : res.contactRequests;
      this.nextPageToken = res.nextPageToken;
      this.now = Date.now();
    } catch (err) {
      if (abort.signal.aborted || ConnectError.from(err).code === Code.Canceled) return;
      if (ConnectError.from(err).code === Code.PermissionDenied) {
        this.denied = true;
        return;
      }
      this.error = describeCallError(err);
    } finally {
      if (this.abort === abort) this.loading = false;
    }
    if (!this.announced) {
      this.announced = true;
      await this.updateComplete;
      announcePage(this, "Contact requests");
    }
  }

  private syncUrl(): void {
    const params = new URLSearchParams();
    if (this.showClosed) params.set("closed", "1");
    if (this.location) params.set("location", this.location.replace(/^locations\//, ""));
    const search = params.toString();
    const url = "/staff/contacts" + (search ? "?" + search : "");
    if (url !== location.pathname + location.search) history.replaceState(null, "", url);
  }

  private onClosedToggle(e: Event): void {
    this.showClosed = (e.target as HTMLInputElement).checked;
    this.notice = "";
    this.syncUrl();
    void this.load();
  }

  private onLocationChange(e: Event): void {
    this.location = (e.target as HTMLSelectElement).value;
    this.notice = "";
    this.syncUrl();
    void this.load();
  }

  /** A call was recorded: show it at once (a closed request leaves the open queue), then reload. */
  private onRecorded = async (e: Event): Promise<void> => {
    const updated = (e as RecordedEvent).detail;
    this.items =
      !this.showClosed && !isOpen(updated.state)
        ? this.items.filter((r) => r.name !== updated.name)
        : this.items.map((r) => (r.name === updated.name ? updated : r));
    this.notice = recordedMessage(updated, this.showClosed);
    await this.updateComplete;
    this.querySelector<HTMLElement>("#contacts-notice")?.focus();
    void this.load("", { quiet: true });
  };

  private onReload = (): void => {
    void this.load("", { quiet: true });
  };

  private statusText(): string {
    if (this.loading) return "Loading…";
    const n = this.items.length;
    const more = this.nextPageToken ? "+" : "";
    if (this.showClosed) return n === 0 ? "No contact requests." : `${n}${more} requests (open and closed), oldest first.`;
    if (n === 0) return "No open requests: the queue is empty.";
    return `${n}${more} open ${n === 1 ? "request" : "requests"}, oldest first.`;
  }

  override render() {
    if (this.denied) return html`<no-access audience="the front desk and admins"></no-access>`;
    const byName = new Map(this.locationList.map((l) => [l.name, l]));
    const me = currentMember()?.name ?? "";
    return html`
      <h1>Contact requests</h1>
      <p class="muted">People who asked us to call them back, oldest first. Record each call; a request closes when a screening is booked or it ends otherwise.</p>

      <form class="contacts-filters" @submit=${(e: Event) => e.preventDefault()} aria-label="Filter contact requests">
        <div>
          <label for="contacts-location">Location</label>
          <select id="contacts-location" .value=${this.location} @change=${this.onLocationChange}>
            <option value="" ?selected=${this.location === ""}>All locations</option>
            ${this.locationList.map((l) => html`<option value=${l.name} ?selected=${this.location === l.name}>${l.displayName || l.name}</option>`)}
          </select>
        </div>
        <label class="contacts-closed">
          <input type="checkbox" role="switch" .checked=${this.showClosed} @change=${this.onClosedToggle} />
          Show closed requests too
        </label>
      </form>

      ${this.notice
        ? html`<div class="notice ok" role="status" tabindex="-1" id="contacts-notice"><p>${this.notice}</p></div>`
        : nothing}
      ${this.error
        ? html`<div class="notice error" role="alert">
            <p>${this.error}</p>
            <button type="button" class="secondary" @click=${() => this.load()}>Try again</button>
          </div>`
        : nothing}

      <p role="status" aria-live="polite" id="contacts-status">${this.statusText()}</p>

      ${this.items.length
        ? html`<ol class="contact-list" aria-describedby="contacts-status">
            ${repeat(
              this.items,
              (r) => r.name,
              (r) => html`<li>
                <contact-request-card
                  .request=${r}
                  .location=${r.location ? byName.get(r.location) : undefined}
                  .staffNames=${this.staffNames}
                  .me=${me}
                  .now=${this.now}
                ></contact-request-card>
              </li>`,
            )}
          </ol>`
        : nothing}
      ${moreButton(this.nextPageToken, this.loading, (t) => this.load(t))}
    `;
  }
}

customElements.define("contact-requests-page", ContactRequestsPage);
