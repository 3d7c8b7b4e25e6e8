// The manage page (manage.html): the appointment a manage link opens
// (/manage.html?t=<token>, from the booking confirmation), its state in plain
// words and, while it may still be changed online, "Choose another time" (one
// FindOpenings for the same type and location over the next 14 days, then
// RescheduleManagedAppointment) and "Cancel this appointment" (a check in the
// page, then CancelManagedAppointment). Plain DOM, no staff app code; the
// pure part is ./manage-model.ts (over ./booking-model.ts). Every text from
// the server is set as text (textContent), never as HTML.
//
// The token is read once and taken out of the address bar at once
// (history.replaceState), so it stays out of the browser's history list and
// of Referer headers (the page also has referrer "no-referrer"). It is kept
// in this tab's history state only, so that a reload of the tab still opens
// the appointment.
//
// The page calls the API only when the person acts (the anonymous calls are
// rate-limited per address): opening the page, "Choose another time", a move
// or a cancel; nothing retries by itself.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { BookingService, type ManagedAppointment, type Opening } from "../gen/clinic/booking/v1/booking_service_pb";
import { newRequestId } from "../common/request-id";
import {
  dayCounts,
  dayInWords,
  dayOf,
  describeLoadError,
  findOpeningsRequest,
  firstOpenDay,
  groupByDay,
  isManageToken,
  isoDate,
  keepsRequestId,
  parseIsoDate,
  replaceDay,
  todayIn,
  whenInWords,
  windowFrom,
  type LocalDate,
} from "./booking-model";
import {
  addressWithoutToken,
  cancelledMessage,
  classifyManageError,
  goneHelp,
  goneMessage,
  movedMessage,
  moveKey,
  openingsRequestFor,
  otherOpenings,
  rescheduleRequest,
  stateInWords,
  stateOf,
  summaryOf,
  tokenFrom,
  type ManageFailure,
} from "./manage-model";
import { countInWords, dayPicker } from "./day-picker";

const callTimeoutMs = 15_000;

// The calls send only the origin as Referer. (The page's own policy,
// no-referrer, could make a browser send "Origin: null" with a POST, which the
// gateway refuses as cross-site; a policy of the request's own avoids that.)
const transport = createConnectTransport({
  baseUrl: window.location.origin,
  fetch: (input, init) => globalThis.fetch(input, { ...init, referrerPolicy: "strict-origin" }),
});
const booking = createClient(BookingService, transport);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** What is open below the appointment: nothing, the times, the check of a move, the check of a cancel. */
type Panel = "none" | "time" | "move" | "cancel";
const panels: Exclude<Panel, "none">[] = ["time", "move", "cancel"];

/** This tab's history state: the token (see above) and the panel open. */
interface PageState {
  t?: string;
  panel?: Panel;
}

function setUp(): void {
  const live = $("mg-live");
  const view = $("mg-view");

  // ------------------------------------------------------------- state ---
  let token = "";
  let appt: ManagedAppointment | undefined;
  let panel: Panel = "none";
  /** The openings loaded: for which type, location and first day ("type|location|YYYY-MM-DD"). */
  let windowKey = "";
  let loadingKey = "";
  let days: LocalDate[] = [];
  let openings: Opening[] = [];
  /** The day shown ("YYYY-MM-DD"). */
  let day = "";
  /** The new time chosen. */
  let target: Opening | undefined;
  /** The request_id of the move being sent or retried, with the opening it is for. */
  let pendingMove: { key: string; requestId: string } | undefined;
  let busy = false;
  let retryTime: (() => void) | undefined;

  /** This year at the location (dates in another year say their year). */
  const currentYear = () => todayIn(appt?.timeZone ?? "", Date.now()).year;
  const picker = dayPicker({
    prefix: "mg",
    state: () => ({ days, openings, day }),
    setDay: (d) => {
      day = d;
    },
    year: currentYear,
    choose: chooseTime,
    announce,
  });

  function announce(text: string): void {
    live.textContent = "";
    window.setTimeout(() => (live.textContent = text), 50);
  }

  const focusLost = () => {
    const el = document.activeElement;
    return !el || el === document.body || !(el as HTMLElement).offsetParent;
  };

  function focusOn(el: HTMLElement): void {
    el.scrollIntoView({ block: "nearest" });
    el.focus({ preventScroll: true });
  }

  const saveState = (how: "push" | "replace") =>
    history[how === "push" ? "pushState" : "replaceState"]({ t: token, panel } satisfies PageState, "");

  // ------------------------------------------------------- the address ---

  /** The token from the address (taken out of it at once), or from this tab's history state after a reload. */
  function readToken(): string | undefined {
    const found = tokenFrom(window.location.search, window.location.hash);
    const clean = addressWithoutToken(window.location.pathname, window.location.search, window.location.hash);
    const state = (history.state ?? {}) as PageState;
    switch (found.kind) {
      case "token":
        history.replaceState({ t: found.token, panel: "none" } satisfies PageState, "", clean);
        return found.token;
      case "malformed":
        history.replaceState({} satisfies PageState, "", clean);
        return undefined;
      case "none":
        return state.t && isManageToken(state.t) ? state.t : undefined;
    }
  }

  // ------------------------------------------------- the appointment ---

  function showGone(): void {
    appt = undefined;
    view.hidden = true;
    $("mg-loading").hidden = true;
    $("mg-error").hidden = true;
    $("mg-gone-text").textContent = goneMessage;
    $("mg-gone-help").textContent = goneHelp;
    $("mg-gone").hidden = false;
  }

  function renderAppointment(): void {
    if (!appt) return;
    const words = stateInWords(appt);
    $("mg-state-title").textContent = words.title;
    $("mg-summary").textContent = summaryOf(appt, currentYear());
    $("mg-state-detail").textContent = words.detail;
    $("mg-book-again").hidden = stateOf(appt) !== "cancelled";
    $("mg-actions").hidden = !appt.changeable || panel !== "none";
  }

  async function load(again = false): Promise<void> {
    $("mg-error").hidden = true;
    $("mg-loading").hidden = false;
    try {
      appt = await booking.getManagedAppointment({ token }, { timeoutMs: callTimeoutMs });
      $("mg-loading").hidden = true;
      view.hidden = false;
      // (After a reload of the tab with a panel open, the appointment alone: no call the person did not ask for.)
      showPanel("none", { focus: false, history: "replace" });
      renderAppointment();
      const words = stateInWords(appt);
      announce(`${words.title} ${summaryOf(appt, currentYear())}`);
      if (again && focusLost()) focusOn($("mg-state-title"));
    } catch (err) {
      $("mg-loading").hidden = true;
      const f = classifyManageError(err, "load");
      if (f.kind === "gone") {
        showGone();
        return;
      }
      $("mg-error-text").textContent = f.message;
      $("mg-retry").hidden = f.kind === "message" && !f.retry;
      $("mg-error").hidden = false;
      focusOn($("mg-error"));
    }
  }

  $("mg-retry").addEventListener("click", () => void load(true));

  // ---------------------------------------------------------- panels ---

  /**
   * Opens one panel (or none); moves focus to its heading (or `focus`), and
   * records it in this tab's history so that Back closes it. A panel that
   * cannot be had (the appointment cannot be changed, no time chosen) falls
   * back to the one that can.
   */
  function showPanel(
    wanted: Panel,
    opts: { focus?: HTMLElement | false; history?: "push" | "replace" | "none" } = {},
  ): void {
    let p = wanted;
    if (!appt?.changeable) p = "none";
    if (p === "move" && !target) p = "time";
    const changed = p !== panel;
    panel = p;
    for (const name of panels) $(`mg-step-${name}`).hidden = name !== p;
    $("mg-actions").hidden = !appt?.changeable || p !== "none";
    for (const id of ["mg-move-error", "mg-cancel-error"]) $(id).hidden = true;
    if (opts.history === "replace") saveState("replace");
    else if (opts.history !== "none" && changed) saveState("push");
    switch (p) {
      case "time":
        if (appt) $("mg-time-now").textContent = `Your appointment now: ${whenInWords(appt.localStart, currentYear())}.`;
        void loadOpenings();
        break;
      case "move":
        if (appt && target) {
          $("mg-move-from").textContent = whenInWords(appt.localStart, currentYear());
          $("mg-move-to").textContent = whenInWords(target.localStart, currentYear());
        }
        break;
      case "cancel":
        if (appt) $("mg-cancel-what").textContent = summaryOf(appt, currentYear());
        break;
      case "none":
        break;
    }
    if (opts.focus === false) return;
    if (opts.focus) focusOn(opts.focus);
    else if (p !== "none") focusOn($(`mg-${p}-title`));
    else if (appt?.changeable) focusOn($("mg-move"));
    else focusOn($("mg-state-title"));
  }

  window.addEventListener("popstate", (e) => {
    const state = (e.state ?? {}) as PageState;
    if (!appt || state.t !== token) return;
    showPanel(state.panel ?? "none", { history: "none" });
  });

  $("mg-move").addEventListener("click", () => {
    $("mg-done").hidden = true;
    $("mg-notice").hidden = true;
    showPanel("time");
  });
  $("mg-cancel").addEventListener("click", () => {
    $("mg-done").hidden = true;
    $("mg-notice").hidden = true;
    showPanel("cancel");
  });
  $("mg-move-back").addEventListener("click", () => showPanel("time"));
  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-close]")) {
    b.addEventListener("click", () => showPanel("none"));
  }

  // ------------------------------------------------------ another time ---

  function showTimeError(message: string, retry?: () => void): void {
    $("mg-time-error-text").textContent = message;
    retryTime = retry;
    $("mg-time-retry").hidden = !retry;
    $("mg-time-error").hidden = false;
  }

  $("mg-time-retry").addEventListener("click", () => retryTime?.());


  /** The other times of the same type and location for the next 14 days: one FindOpenings, unless loaded. */
  async function loadOpenings(): Promise<void> {
    if (!appt) return;
    const { today, request } = openingsRequestFor(appt, Date.now());
    const key = `${appt.appointmentType}|${appt.location}|${isoDate(today)}`;
    if (key === windowKey) {
      renderCalendar();
      return;
    }
    if (key === loadingKey) return;
    loadingKey = key;
    const current = appt.localStart;
    $("mg-time-error").hidden = true;
    $("mg-calendar").hidden = true;
    $("mg-time-loading").hidden = false;
    try {
      const res = await booking.findOpenings(request, { timeoutMs: callTimeoutMs });
      if (loadingKey !== key) return;
      windowKey = key;
      days = windowFrom(today);
      openings = otherOpenings(res.openings, current);
      const counts = dayCounts(days, groupByDay(openings));
      day = firstOpenDay(counts) ?? isoDate(today);
      renderCalendar();
      if (panel === "time" && focusLost()) focusOn($("mg-time-title"));
      const open = counts.filter((d) => d.count > 0).length;
      announce(
        open
          ? `Open times on ${open} day${open === 1 ? "" : "s"} in the next two weeks. ${dayInWords(day, today.year)}: ${countInWords(counts.find((d) => d.date === day)?.count ?? 0)}.`
          : "No other open times in the next two weeks.",
      );
    } catch (err) {
      if (loadingKey !== key) return;
      const f = classifyManageError(err, "load");
      if (f.kind === "gone") {
        showGone();
        return;
      }
      showTimeError(f.message, () => void loadOpenings());
      if (panel === "time") focusOn($("mg-time-error"));
    } finally {
      if (loadingKey === key) {
        loadingKey = "";
        $("mg-time-loading").hidden = true;
      }
    }
  }

  function renderCalendar(): void {
    picker.render();
  }

  function chooseTime(o: Opening): void {
    target = o;
    $("mg-time-error").hidden = true;
    showPanel("move");
  }

  /**
   * The chosen time cannot be had (taken meanwhile): back to the day's times
   * with `message`, reloading that one day (one FindOpenings).
   */
  async function backToTimes(message: string): Promise<void> {
    const taken = target;
    target = undefined;
    if (!windowKey || !appt) {
      showPanel("time", { history: "replace", focus: false });
      showTimeError(message);
      focusOn($("mg-time-error"));
      return;
    }
    if (taken) {
      day = dayOf(taken.localStart);
      openings = openings.filter((o) => o.localStart !== taken.localStart);
    }
    showPanel("time", { history: "replace", focus: false });
    showTimeError(message);
    focusOn($("mg-time-error"));
    const date = parseIsoDate(day);
    if (!date) return;
    const key = windowKey;
    const { appointmentType, location, localStart } = appt;
    try {
      const res = await booking.findOpenings(findOpeningsRequest(appointmentType, location, date, date), {
        timeoutMs: callTimeoutMs,
      });
      if (key !== windowKey) return;
      openings = replaceDay(openings, day, otherOpenings(res.openings, localStart));
      renderCalendar();
      const n = groupByDay(openings).get(day)?.length ?? 0;
      announce(`${dayInWords(day, currentYear())}: ${countInWords(n)}.`);
    } catch (err) {
      if (key !== windowKey) return;
      showTimeError(`${message} ${describeLoadError(err)}`, () => void backToTimes(message));
    }
  }

  // ------------------------------------------------- move and cancel ---

  function setBusy(button: HTMLButtonElement, on: boolean, busyText: string, idleText: string): void {
    busy = on;
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
    button.textContent = on ? busyText : idleText;
  }

  /** After a move or a cancel: the appointment as it is now, and what happened (focused). */
  function done(updated: ManagedAppointment, message: string): void {
    appt = updated;
    target = undefined;
    windowKey = ""; // the open times changed (the old time is free, the new one taken)
    $("mg-notice").hidden = true;
    showPanel("none", { history: "replace", focus: false });
    renderAppointment();
    $("mg-done-text").textContent = message;
    $("mg-done").hidden = false;
    focusOn($("mg-done"));
  }

  /** What the page does after a move or a cancel failed. */
  function afterFailure(f: ManageFailure, errorBox: "mg-move-error" | "mg-cancel-error"): void {
    switch (f.kind) {
      case "gone":
        showGone();
        focusOn($("mg-gone"));
        return;
      case "taken":
        void backToTimes(f.message);
        return;
      case "locked":
        if (appt) appt = { ...appt, changeable: false };
        showPanel("none", { history: "replace", focus: false });
        renderAppointment();
        $("mg-notice-text").textContent = f.message;
        $("mg-notice").hidden = false;
        focusOn($("mg-notice"));
        return;
      case "message":
        $(`${errorBox}-text`).textContent = f.message;
        $(errorBox).hidden = false;
        focusOn($(errorBox));
        return;
    }
  }

  const moveButton = $<HTMLButtonElement>("mg-move-confirm");
  moveButton.addEventListener("click", async () => {
    if (busy || !target || !appt) return;
    const chosen = target;
    const key = moveKey(chosen);
    // The same move again (a retry after an error): the same request_id, so it is done once.
    if (!pendingMove || pendingMove.key !== key) pendingMove = { key, requestId: newRequestId() };
    $("mg-move-error").hidden = true;
    setBusy(moveButton, true, "Moving…", "Move my appointment");
    try {
      const res = await booking.rescheduleManagedAppointment(rescheduleRequest(token, chosen, pendingMove.requestId), {
        timeoutMs: callTimeoutMs,
      });
      pendingMove = undefined;
      done(res, movedMessage(res.localStart || chosen.localStart, currentYear()));
    } catch (err) {
      if (!keepsRequestId(err)) pendingMove = undefined;
      afterFailure(classifyManageError(err, "move"), "mg-move-error");
    } finally {
      setBusy(moveButton, false, "Moving…", "Move my appointment");
    }
  });

  const cancelButton = $<HTMLButtonElement>("mg-cancel-confirm");
  cancelButton.addEventListener("click", async () => {
    if (busy || !appt) return;
    $("mg-cancel-error").hidden = true;
    setBusy(cancelButton, true, "Cancelling…", "Yes, cancel it");
    try {
      // Cancelling again answers the same: a retry after no answer is safe.
      const res = await booking.cancelManagedAppointment({ token }, { timeoutMs: callTimeoutMs });
      done(res, cancelledMessage);
    } catch (err) {
      afterFailure(classifyManageError(err, "cancel"), "mg-cancel-error");
    } finally {
      setBusy(cancelButton, false, "Cancelling…", "Yes, cancel it");
    }
  });

  // A link with another #t= followed from this page changes only the fragment: open that one afresh.
  window.addEventListener("hashchange", () => {
    if (tokenFrom("", window.location.hash).kind !== "none") window.location.reload();
  });

  // ------------------------------------------------------------- start ---
  $("mg-nojs").hidden = true;
  const found = readToken();
  if (!found) {
    showGone();
    return;
  }
  token = found;
  void load();
}

if (document.getElementById("mg-view")) setUp();
