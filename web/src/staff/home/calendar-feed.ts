import { html, nothing } from "lit";
import "./calendar-feed.css";
import { currentMember } from "../account/auth";
import { callTimeoutMs } from "../shared/api";
import { loadLocations } from "../shared/directory";
import { LightElement } from "../shared/light-element";
import { notifications } from "../outbox/outbox-api";
import {
  canHaveCalendarFeed,
  copiedMessage,
  copyByHandMessage,
  feedActionError,
  feedMadeLine,
  feedRequest,
  feedViewFromGet,
  madeMessage,
  newLinkMessage,
  patientNamesNote,
  subscribeHelp,
  turnedOffMessage,
  type FeedView,
} from "./calendar-feed-model";
import { homeZone } from "./my-day-model";

/**
 * <calendar-feed-card>: My day's "Your calendar in your phone" — the
 * signed-in therapist's calendar feed (NotificationService): GetCalendarFeed
 * at first (NOT_FOUND: none, "Make a calendar link"); CreateCalendarFeed
 * answers the URL, shown once in a read-only field with "Copy" and how to
 * use it; an existing feed says when it was made and last read (in the
 * therapist's home location's zone), with "Make a new link (the old one
 * stops working)" (CreateCalendarFeed again) and "Turn off"
 * (RevokeCalendarFeed). Shown to therapists only.
 */
export class CalendarFeedCard extends LightElement {
  static override properties = {
    view: { state: true },
    busy: { state: true },
    notice: { state: true },
    actionError: { state: true },
    copyNote: { state: true },
  };
  declare view: FeedView;
  declare busy: boolean;
  /** What just happened (made, new link, turned off). */
  declare notice: string;
  declare actionError: string;
  declare copyNote: string;

  private therapist = "";
  private zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

  constructor() {
    super();
    this.view = { kind: "loading" };
    this.busy = false;
    this.notice = "";
    this.actionError = "";
    this.copyNote = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const me = currentMember();
    if (!me || !canHaveCalendarFeed(me.roles)) return;
    this.therapist = me.name;
    this.view = { kind: "loading" };
    try {
      this.zone = homeZone(me.homeLocations, await loadLocations(), this.zone);
    } catch {
      // The browser's zone, then.
    }
    try {
      const feed = await notifications.getCalendarFeed(feedRequest(this.therapist), { timeoutMs: callTimeoutMs });
      this.view = feedViewFromGet({ feed });
    } catch (error) {
      this.view = feedViewFromGet({ error });
    }
  }

  private async make(): Promise<void> {
    if (this.busy || !this.therapist) return;
    const replacing = this.view.kind === "on";
    this.busy = true;
    this.notice = "";
    this.actionError = "";
    this.copyNote = "";
    try {
      const feed = await notifications.createCalendarFeed(feedRequest(this.therapist), { timeoutMs: callTimeoutMs });
      this.view = { kind: "on", feed, url: feed.url };
      this.notice = replacing ? newLinkMessage : madeMessage;
      await this.updateComplete;
      this.querySelector<HTMLInputElement>("#feed-url")?.focus();
    } catch (err) {
      this.actionError = feedActionError(err, "create");
    } finally {
      this.busy = false;
    }
  }

  private async turnOff(): Promise<void> {
    if (this.busy || !this.therapist) return;
    this.busy = true;
    this.notice = "";
    this.actionError = "";
    this.copyNote = "";
    try {
      await notifications.revokeCalendarFeed(feedRequest(this.therapist), { timeoutMs: callTimeoutMs });
      this.view = { kind: "none" };
      this.notice = turnedOffMessage;
      await this.updateComplete;
      this.querySelector<HTMLElement>("#feed-make")?.focus();
    } catch (err) {
      this.actionError = feedActionError(err, "revoke");
    } finally {
      this.busy = false;
    }
  }

  private async copy(url: string): Promise<void> {
    const input = this.querySelector<HTMLInputElement>("#feed-url");
    try {
      await navigator.clipboard.writeText(url);
      this.copyNote = copiedMessage;
    } catch {
      input?.focus();
      input?.select();
      this.copyNote = copyByHandMessage;
    }
  }

  private body() {
    const v = this.view;
    switch (v.kind) {
      case "loading":
        return html`<p aria-busy="true">Loading…</p>`;
      case "error":
        return html`<div class="notice error" role="alert">
          <p>${v.message}</p>
          ${v.unavailable ? nothing : html`<button type="button" class="secondary" @click=${() => this.load()}>Try again</button>`}
        </div>`;
      case "none":
        return html`<p>No calendar link yet.</p>
          <p class="muted">${patientNamesNote(false)}</p>
          <button type="button" id="feed-make" ?disabled=${this.busy} aria-busy=${this.busy ? "true" : "false"} @click=${() => this.make()}>
            Make a calendar link
          </button>`;
      case "on":
        return html`${v.url
            ? html`<div class="feed-new-link">
                <label for="feed-url">Your calendar link <small class="muted">(shown only now)</small></label>
                <div class="feed-url-row">
                  <input id="feed-url" type="text" readonly .value=${v.url} aria-describedby="feed-help" @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
                  <button type="button" id="feed-copy" class="secondary" @click=${() => this.copy(v.url!)}>Copy</button>
                </div>
                <p class="feed-copy-note" role="status" aria-live="polite">${this.copyNote}</p>
                <p id="feed-help">${subscribeHelp}</p>
              </div>`
            : nothing}
          <p id="feed-names" class="muted">${patientNamesNote(v.feed.showsPatientNames)}</p>
          <p id="feed-made">${feedMadeLine(v.feed, this.zone, Date.now())}</p>
          <div class="actions">
            <button type="button" id="feed-new" class="secondary" ?disabled=${this.busy} @click=${() => this.make()}>
              Make a new link (the old one stops working)
            </button>
            <button type="button" id="feed-off" class="secondary outline" ?disabled=${this.busy} @click=${() => this.turnOff()}>Turn off</button>
          </div>`;
    }
  }

  override render() {
    const me = currentMember();
    if (!me || !canHaveCalendarFeed(me.roles)) return nothing;
    return html`<section class="calendar-feed" aria-labelledby="feed-title">
      <h2 id="feed-title">Your calendar in your phone</h2>
      <p class="muted">Your appointments in the calendar program of your phone or computer, kept up to date through one private link.</p>
      <div role="status" aria-live="polite" id="feed-notice">${this.notice ? html`<p class="notice ok">${this.notice}</p>` : nothing}</div>
      ${this.actionError ? html`<div class="notice error" role="alert" id="feed-error"><p>${this.actionError}</p></div>` : nothing}
      ${this.body()}
    </section>`;
  }
}

customElements.define("calendar-feed-card", CalendarFeedCard);
