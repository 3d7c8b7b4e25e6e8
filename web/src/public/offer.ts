// The waitlist offer page (offer.html): the time a waitlist offer's link
// (/offer.html?t=<token>, from the offer's email) holds for the person, until
// when, and "Take this time". Opening the page books nothing (mail scanners
// follow links): it calls GetOffer only; the button calls AcceptOffer, which
// answers the booking (and again the same booking when taken before), shown
// as "Booked: …" with the manage link. Plain DOM, no staff app code; the pure
// part is ./offer-model.ts. Every text from the server is set as text
// (textContent), never as HTML.
//
// As on the manage page, the token is read once and taken out of the address
// bar at once (history.replaceState) and kept in this tab's history state
// only (a reload of the tab still opens the offer); the page has referrer
// "no-referrer". The anonymous calls are rate-limited per address; nothing
// retries by itself.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { BookingService, OfferView_State, type OfferView } from "../gen/clinic/booking/v1/booking_service_pb";
import { todayIn } from "./booking-model";
import {
  addressWithoutToken,
  bookedView,
  classifyOfferError,
  goneHelp,
  goneMessage,
  isOfferToken,
  offerScreen,
  offerTokenFrom,
  type OfferFailure,
} from "./offer-model";

const callTimeoutMs = 15_000;

// The calls send only the origin as Referer (see manage.ts: under the page's
// no-referrer a browser could send "Origin: null", which the gateway refuses).
const transport = createConnectTransport({
  baseUrl: window.location.origin,
  fetch: (input, init) => globalThis.fetch(input, { ...init, referrerPolicy: "strict-origin" }),
});
const booking = createClient(BookingService, transport);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** This tab's history state: the token (see above). */
interface PageState {
  t?: string;
}

function setUp(): void {
  const live = $("of-live");
  const view = $("of-view");
  const take = $<HTMLButtonElement>("of-take");

  let token = "";
  let offer: OfferView | undefined;
  let busy = false;

  const currentYear = () => todayIn(offer?.timeZone ?? "", Date.now()).year;

  function announce(text: string): void {
    live.textContent = "";
    window.setTimeout(() => (live.textContent = text), 50);
  }

  function focusOn(el: HTMLElement): void {
    el.scrollIntoView({ block: "nearest" });
    el.focus({ preventScroll: true });
  }

  /** The token from the address (taken out of it at once), or from this tab's history state after a reload. */
  function readToken(): string | undefined {
    const found = offerTokenFrom(window.location.search, window.location.hash);
    const clean = addressWithoutToken(window.location.pathname, window.location.search, window.location.hash);
    const state = (history.state ?? {}) as PageState;
    switch (found.kind) {
      case "token":
        history.replaceState({ t: found.token } satisfies PageState, "", clean);
        return found.token;
      case "malformed":
        history.replaceState({} satisfies PageState, "", clean);
        return undefined;
      case "none":
        return state.t && isOfferToken(state.t) ? state.t : undefined;
    }
  }

  function showGone(): void {
    offer = undefined;
    view.hidden = true;
    $("of-loading").hidden = true;
    $("of-error").hidden = true;
    $("of-gone-text").textContent = goneMessage;
    $("of-gone-help").textContent = goneHelp;
    $("of-gone").hidden = false;
  }

  /** The offer as it stands: its state in words and the button (if it can be pressed). */
  function render(): void {
    if (!offer) return;
    const screen = offerScreen(offer, currentYear());
    $("of-offer").hidden = false;
    $("of-state-title").textContent = screen.title;
    $("of-summary").textContent = screen.summary;
    $("of-summary").hidden = !screen.summary;
    $("of-detail").textContent = screen.detail;
    $("of-actions").hidden = !screen.button;
    if (screen.button) take.textContent = screen.button;
  }

  /** It can no longer be taken: the offer's words replaced by `title` and `message`, no button. */
  function showClosed(title: string, message: string): void {
    $("of-offer").hidden = false;
    $("of-state-title").textContent = title;
    $("of-summary").hidden = true;
    $("of-detail").textContent = message;
    $("of-actions").hidden = true;
    $("of-take-error").hidden = true;
  }

  async function load(again = false): Promise<void> {
    $("of-error").hidden = true;
    $("of-loading").hidden = false;
    try {
      offer = await booking.getOffer({ token }, { timeoutMs: callTimeoutMs });
      $("of-loading").hidden = true;
      view.hidden = false;
      render();
      const screen = offerScreen(offer, currentYear());
      announce([`${screen.title}.`, screen.summary, screen.detail].filter(Boolean).join(" "));
      if (again) focusOn($("of-state-title"));
    } catch (err) {
      $("of-loading").hidden = true;
      const f = classifyOfferError(err, "load");
      if (f.kind === "gone") {
        showGone();
        return;
      }
      if (f.kind === "lapsed" || f.kind === "closed") {
        view.hidden = false;
        showClosed(f.kind === "lapsed" ? "This time is no longer held for you" : "This time can no longer be taken", f.message);
        return;
      }
      $("of-error-text").textContent = f.message;
      $("of-retry").hidden = !f.retry;
      $("of-error").hidden = false;
      focusOn($("of-error"));
    }
  }

  $("of-retry").addEventListener("click", () => void load(true));

  function setBusy(on: boolean, label: string): void {
    busy = on;
    take.disabled = on;
    take.setAttribute("aria-busy", on ? "true" : "false");
    take.textContent = on ? "Booking…" : label;
  }

  /** What the page does after AcceptOffer failed. */
  function afterFailure(f: OfferFailure): void {
    switch (f.kind) {
      case "gone":
        showGone();
        focusOn($("of-gone"));
        return;
      case "lapsed":
        if (offer) offer = { ...offer, state: OfferView_State.LAPSED };
        render();
        $("of-take-error").hidden = true;
        focusOn($("of-state-title"));
        return;
      case "closed":
        showClosed("This time can no longer be taken", f.message);
        focusOn($("of-state-title"));
        return;
      case "message":
        // The button stays (enabled again): taking it again is safe, it answers the same booking.
        $("of-take-error-text").textContent = f.message;
        $("of-take-error").hidden = false;
        focusOn($("of-take-error"));
        return;
    }
  }

  take.addEventListener("click", async () => {
    if (busy || !offer) return;
    const label = take.textContent ?? "";
    $("of-take-error").hidden = true;
    setBusy(true, label);
    try {
      const res = await booking.acceptOffer({ token }, { timeoutMs: callTimeoutMs });
      const done = bookedView(res, window.location.origin, currentYear());
      offer = { ...offer, state: OfferView_State.TAKEN };
      $("of-offer").hidden = true;
      $("of-actions").hidden = true;
      $("of-done-text").textContent = done.message;
      if (done.manageHref) $<HTMLAnchorElement>("of-manage-link").href = done.manageHref;
      $("of-manage").hidden = !done.manageHref;
      $("of-no-manage").hidden = !!done.manageHref;
      $("of-done").hidden = false;
      focusOn($("of-done"));
    } catch (err) {
      afterFailure(classifyOfferError(err, "accept"));
    } finally {
      setBusy(false, label);
    }
  });

  // A link with another #t= followed from this page changes only the fragment: open that one afresh.
  window.addEventListener("hashchange", () => {
    if (offerTokenFrom("", window.location.hash).kind !== "none") window.location.reload();
  });

  // ------------------------------------------------------------- start ---
  $("of-nojs").hidden = true;
  const found = readToken();
  if (!found) {
    showGone();
    return;
  }
  token = found;
  void load();
}

if (document.getElementById("of-view")) setUp();
