// The public "Book a free screening" flow (book.html): 1. location and
// appointment type (LocationService.ListLocations, BookingService.
// ListBookableTypes), 2. day and time (one FindOpenings for the next 14 days
// in the location's zone, grouped by local day), 3. the person's details,
// 4. check and book (BookOnline; the confirmation shows the manage link,
// /manage.html?t=<token>). Plain DOM, no staff app code; the pure part
// is ./booking-model.ts. Every text from the server is set as text
// (textContent), never as HTML. The page calls the API only when the person
// acts (the anonymous calls are rate-limited per address): nothing retries by
// itself.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { BookingService, type BookableType, type Opening } from "../gen/clinic/booking/v1/booking_service_pb";
import { LocationService } from "../gen/clinic/appointments/v1/appointments_service_pb";
import type { Location } from "../gen/clinic/appointments/v1/appointments_pb";
import { newRequestId } from "../common/request-id";
import {
  birthDate,
  birthDateInWords,
  bookingKey,
  bookingSummary,
  bookRequest,
  campaignFrom,
  checkDetails,
  classifyBookingError,
  dayCounts,
  dayInWords,
  dayOf,
  defaultType,
  describeLoadError,
  detailFields,
  findOpeningsRequest,
  firstOpenDay,
  groupByDay,
  isoDate,
  keepsRequestId,
  manageLink,
  parseIsoDate,
  replaceDay,
  steps,
  todayIn,
  typeLabel,
  whenInWords,
  windowFrom,
  type BookingFailure,
  type ChosenTime,
  type DetailField,
  type DetailValues,
  type LocalDate,
  type Step,
} from "./booking-model";
import { countInWords, dayPicker } from "./day-picker";
import { fieldErrors } from "./field-errors";

const callTimeoutMs = 15_000;

const transport = createConnectTransport({ baseUrl: window.location.origin });
const booking = createClient(BookingService, transport);
const locationService = createClient(LocationService, transport);

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** Labels of the details fields, as the summary of errors names them. */
const labels: Record<DetailField, string> = {
  given_name: "First name",
  family_name: "Last name",
  birth_date: "Date of birth",
  email: "Email",
  phone: "Phone",
  consent_to_contact: "Consent",
};

function setUp(): void {
  const campaign = campaignFrom(window.location.search);
  const flow = $("bk-flow");
  const live = $("bk-live");
  const whereForm = $<HTMLFormElement>("bk-where-form");
  const detailsForm = $<HTMLFormElement>("bk-details-form");
  const bookButton = $<HTMLButtonElement>("bk-book");

  // ------------------------------------------------------------- state ---
  let locations: Location[] | undefined;
  let types: BookableType[] | undefined;
  let chosenLocation = "";
  let chosenType = "";
  /** The openings loaded: for which type, location and first day ("type|location|YYYY-MM-DD"). */
  let windowKey = "";
  let loadingKey = "";
  let days: LocalDate[] = [];
  let openings: Opening[] = [];
  let currentYear = 0;
  /** The day shown ("YYYY-MM-DD"). */
  let day = "";
  const picker = dayPicker({
    prefix: "bk",
    state: () => ({ days, openings, day }),
    setDay: (d) => {
      day = d;
    },
    year: () => currentYear,
    choose: chooseTime,
    announce,
  });
  /** The time chosen. */
  let opening: Opening | undefined;
  /** The request_id of the booking being sent or retried, with the booking it is for. */
  let pending: { key: string; requestId: string } | undefined;
  let current: Step = "where";
  let sending = false;
  let finished = false;
  let retryTime: (() => void) | undefined;

  const currentLocation = () => locations?.find((l) => l.name === chosenLocation);
  const currentType = () => types?.find((t) => t.name === chosenType);
  const locationName = () => currentLocation()?.displayName.trim() || "the location";
  const typeName = () => currentType()?.displayName.trim() || "Appointment";

  // ------------------------------------------------------------- steps ---

  /** Whether the focus is nowhere (its element was hidden or removed, e.g. "Try again" inside an error). */
  const focusLost = () => {
    const el = document.activeElement;
    return !el || el === document.body || !(el as HTMLElement).offsetParent;
  };

  /** Tells screen readers something without moving focus (the live region). */
  function announce(text: string): void {
    live.textContent = "";
    window.setTimeout(() => (live.textContent = text), 50);
  }

  /** Shows one step; moves focus to its heading (or `focus`, e.g. an error) and records it in the history. */
  function showStep(step: Step, opts: { focus?: HTMLElement | false; push?: boolean } = {}): void {
    for (const s of steps) $(`bk-step-${s}`).hidden = s !== step;
    const at = steps.indexOf(step);
    for (const li of flow.querySelectorAll<HTMLLIElement>(".steps li")) {
      const i = steps.indexOf(li.dataset.step as Step);
      if (i === at) li.setAttribute("aria-current", "step");
      else li.removeAttribute("aria-current");
      li.classList.toggle("done", i < at);
    }
    const changed = current !== step;
    current = step;
    if (opts.push !== false && changed) history.pushState({ step }, "");
    if (opts.focus !== false) {
      flow.scrollIntoView({ block: "start" });
      (opts.focus ?? $(`bk-${step}-title`)).focus({ preventScroll: true });
    }
  }

  /** Goes to a step, doing what it needs first; a step not reachable yet goes to the last one that is. */
  function go(step: Step, opts: { push?: boolean } = {}): void {
    if (finished) return;
    if ((step === "details" || step === "confirm") && !opening) step = "time";
    if (step === "time" && (!chosenLocation || !chosenType)) step = "where";
    switch (step) {
      case "where":
        showStep("where", opts);
        return;
      case "time":
        $("bk-time-chosen").textContent = `${typeName()} at ${locationName()}.`;
        showStep("time", opts);
        void loadOpenings();
        return;
      case "details":
        $("bk-details-chosen").textContent = chosenSummary() + ".";
        showStep("details", opts);
        return;
      case "confirm": {
        const errors = checkDetails(values());
        if (Object.keys(errors.fields).length) {
          showStep("details", { ...opts, focus: false });
          showErrors(errors);
          return;
        }
        renderConfirm();
        showStep("confirm", opts);
        return;
      }
    }
  }

  window.addEventListener("popstate", (e) => {
    const step = (e.state as { step?: Step } | null)?.step;
    if (finished || !step || !steps.includes(step)) return;
    go(step, { push: false });
  });

  for (const b of document.querySelectorAll<HTMLButtonElement>("[data-go]")) {
    b.addEventListener("click", () => go(b.dataset.go as Step));
  }

  // ------------------------------------------------ 1. where and what ---

  function showWhereError(message: string, canReload: boolean): void {
    $("bk-where-error-text").textContent = message;
    $("bk-reload").hidden = !canReload;
    $("bk-where-error").hidden = false;
    $("bk-where-error").focus();
  }

  function radio(name: string, value: string, checked: boolean, title: string, detail: string): HTMLLabelElement {
    const label = document.createElement("label");
    label.className = "choice";
    const input = document.createElement("input");
    input.type = "radio";
    input.name = name;
    input.value = value;
    input.checked = checked;
    const text = document.createElement("span");
    const strong = document.createElement("strong");
    strong.textContent = title;
    text.append(strong);
    if (detail) {
      const small = document.createElement("small");
      small.textContent = detail;
      text.append(small);
    }
    label.append(input, text);
    return label;
  }

  function renderLocations(list: Location[]): void {
    const only = list.length === 1;
    $("bk-location-choices").replaceChildren(
      ...list.map((l) =>
        radio(
          "location",
          l.name,
          l.name === chosenLocation || only,
          l.displayName.trim() || l.name,
          l.addressLines.map((s) => s.trim()).filter(Boolean).join(", "),
        ),
      ),
    );
  }

  function renderTypes(list: BookableType[]): void {
    const chosen = chosenType || defaultType(list);
    $("bk-type-choices").replaceChildren(...list.map((t) => radio("appointment_type", t.name, t.name === chosen, typeLabel(t), "")));
  }

  async function listLocations(): Promise<Location[]> {
    const all: Location[] = [];
    let pageToken = "";
    for (let page = 0; page < 5; page++) {
      const res = await locationService.listLocations({ pageSize: 200, pageToken }, { timeoutMs: callTimeoutMs });
      all.push(...res.locations);
      pageToken = res.nextPageToken;
      if (!pageToken) break;
    }
    return all;
  }

  /** Loads what is not loaded yet of the locations and the types (once at start, and again on "Try again"). */
  async function loadChoices(again = false): Promise<void> {
    $("bk-where-error").hidden = true;
    const [locs, kinds] = await Promise.allSettled([
      locations ? Promise.resolve(locations) : listLocations(),
      types ? Promise.resolve(types) : booking.listBookableTypes({}, { timeoutMs: callTimeoutMs }).then((r) => r.types),
    ]);
    if (!locations && locs.status === "fulfilled") renderLocations((locations = locs.value));
    if (!types && kinds.status === "fulfilled") renderTypes((types = kinds.value));
    const failed = locs.status === "rejected" ? locs.reason : kinds.status === "rejected" ? kinds.reason : undefined;
    if (failed !== undefined) {
      if (!locations) $("bk-location-choices").replaceChildren();
      showWhereError(describeLoadError(failed), true);
      return;
    }
    if (!locations?.length || !types?.length) {
      showWhereError("Nothing can be booked online just now. Please call us, or ask us to call you back.", false);
      $("bk-where-next").hidden = true;
      return;
    }
    // After "Try again" (inside the error, now hidden) the focus was lost: back to the step's heading.
    if (again && current === "where" && focusLost()) $("bk-where-title").focus();
    announce(`${locations.length} location${locations.length === 1 ? "" : "s"} to choose from.`);
  }

  $("bk-reload").addEventListener("click", () => void loadChoices(true));

  whereForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(whereForm);
    const loc = String(data.get("location") ?? "");
    const kind = String(data.get("appointment_type") ?? "");
    if (!locations || !types) {
      void loadChoices(true);
      return;
    }
    if (!loc || !kind) {
      showWhereError(!loc ? "Choose a location." : "Choose an appointment.", false);
      return;
    }
    $("bk-where-error").hidden = true;
    chosenLocation = loc;
    chosenType = kind;
    go("time");
  });

  // ---------------------------------------------------- 2. day and time ---

  function showTimeError(message: string, retry?: () => void): void {
    $("bk-time-error-text").textContent = message;
    retryTime = retry;
    $("bk-time-retry").hidden = !retry;
    $("bk-time-error").hidden = false;
  }

  $("bk-time-retry").addEventListener("click", () => retryTime?.());

  /** The openings of the chosen type and location for the next 14 days: one FindOpenings, unless loaded. */
  async function loadOpenings(): Promise<void> {
    const zone = currentLocation()?.timeZone ?? "";
    const today = todayIn(zone, Date.now());
    const key = `${chosenType}|${chosenLocation}|${isoDate(today)}`;
    if (key === windowKey) {
      renderCalendar();
      return;
    }
    if (key === loadingKey) return;
    loadingKey = key;
    opening = undefined;
    $("bk-time-error").hidden = true;
    $("bk-calendar").hidden = true;
    $("bk-time-loading").hidden = false;
    try {
      const res = await booking.findOpenings(findOpeningsRequest(chosenType, chosenLocation, today), {
        timeoutMs: callTimeoutMs,
      });
      if (loadingKey !== key) return;
      windowKey = key;
      days = windowFrom(today);
      currentYear = today.year;
      openings = res.openings;
      const counts = dayCounts(days, groupByDay(openings));
      day = firstOpenDay(counts) ?? isoDate(today);
      renderCalendar();
      // After "Try again" (inside the error, now hidden) the focus was lost: back to the step's heading.
      if (current === "time" && focusLost()) $("bk-time-title").focus();
      const open = counts.filter((d) => d.count > 0).length;
      announce(
        open
          ? `Open times on ${open} day${open === 1 ? "" : "s"} in the next two weeks. ${dayInWords(day, currentYear)}: ${countInWords(counts.find((d) => d.date === day)?.count ?? 0)}.`
          : "No open times in the next two weeks here.",
      );
    } catch (err) {
      if (loadingKey !== key) return;
      showTimeError(describeLoadError(err), () => void loadOpenings());
      if (current === "time") $("bk-time-error").focus();
    } finally {
      if (loadingKey === key) {
        loadingKey = "";
        $("bk-time-loading").hidden = true;
      }
    }
  }

  function renderCalendar(): void {
    picker.render();
  }

  function chooseTime(o: Opening): void {
    opening = o;
    $("bk-time-error").hidden = true;
    go("details");
  }

  /**
   * The chosen time cannot be had (taken meanwhile, or refused): back to the
   * day's times with `message`, reloading that one day (one FindOpenings).
   */
  async function backToTimes(message: string): Promise<void> {
    const taken = opening;
    opening = undefined;
    if (taken) {
      day = dayOf(taken.localStart);
      openings = openings.filter((o) => o.localStart !== taken.localStart);
    }
    $("bk-time-chosen").textContent = `${typeName()} at ${locationName()}.`;
    renderCalendar();
    showTimeError(message);
    showStep("time", { focus: $("bk-time-error") });
    const date = parseIsoDate(day);
    if (!date) return;
    const key = windowKey;
    try {
      const res = await booking.findOpenings(findOpeningsRequest(chosenType, chosenLocation, date, date), {
        timeoutMs: callTimeoutMs,
      });
      if (key !== windowKey) return;
      openings = replaceDay(openings, day, res.openings);
      renderCalendar();
      const n = groupByDay(openings).get(day)?.length ?? 0;
      announce(`${dayInWords(day, currentYear)}: ${countInWords(n)}.`);
    } catch (err) {
      if (key !== windowKey) return;
      showTimeError(`${message} ${describeLoadError(err)}`, () => void backToTimes(message));
    }
  }

  // ------------------------------------------------------- 3. details ---

  const text = (name: string) => (detailsForm.elements.namedItem(name) as HTMLInputElement | null)?.value ?? "";

  function values(): DetailValues {
    return {
      given_name: text("given_name"),
      family_name: text("family_name"),
      birth_day: text("birth_day"),
      birth_month: text("birth_month"),
      birth_year: text("birth_year"),
      email: text("email"),
      phone: text("phone"),
      consent_to_contact: $<HTMLInputElement>("bk-consent_to_contact").checked,
      website: text("website"),
    };
  }

  const atFields = fieldErrors<DetailField>("bk");
  const controls = (field: DetailField) => atFields.controls(field);
  const clearFieldError = (field: DetailField) => atFields.clear(field);

  function clearErrors(): void {
    for (const field of detailFields) clearFieldError(field);
    $("bk-problems-list").replaceChildren();
    $("bk-problems").hidden = true;
  }

  const showFieldError = (field: DetailField, message: string) => atFields.show(field, message);


  /** Shows errors at their fields and in the summary at the top of the form; the summary takes focus unless told not to. */
  function showErrors(errors: { fields: Partial<Record<DetailField, string>>; other: string[] }, focus = true): void {
    clearErrors();
    const items: HTMLLIElement[] = [];
    for (const field of detailFields) {
      const message = errors.fields[field];
      if (!message) continue;
      showFieldError(field, message);
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `#bk-${field}`;
      a.textContent = labels[field];
      a.addEventListener("click", (e) => {
        e.preventDefault();
        controls(field)[0]?.focus();
      });
      li.append(a, `: ${message}`);
      items.push(li);
    }
    for (const message of errors.other) {
      const li = document.createElement("li");
      li.textContent = message;
      items.push(li);
    }
    if (items.length === 0) return;
    $("bk-problems-list").replaceChildren(...items);
    $("bk-problems").hidden = false;
    if (focus) {
      flow.scrollIntoView({ block: "start" });
      $("bk-problems").focus({ preventScroll: true });
    }
  }

  // Editing a field forgets its error (email or phone: either answers "one of them").
  detailsForm.addEventListener("input", (e) => {
    const name = (e.target as HTMLInputElement).name;
    const field: string = name.startsWith("birth_") ? "birth_date" : name;
    if (field === "email" || field === "phone") {
      clearFieldError("email");
      clearFieldError("phone");
    } else if ((detailFields as readonly string[]).includes(field)) {
      clearFieldError(field as DetailField);
    }
  });

  detailsForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const errors = checkDetails(values());
    if (Object.keys(errors.fields).length) {
      showErrors(errors);
      return;
    }
    clearErrors();
    go("confirm");
  });

  // ------------------------------------------------- 4. check and book ---

  const chosenSummary = () => (opening ? bookingSummary(typeName(), opening.localStart, locationName(), currentYear) : "");

  function renderConfirm(): void {
    const v = values();
    $("bk-summary").textContent = chosenSummary() + ".";
    const rows: [string, string][] = [];
    const t = currentType();
    if (t) rows.push(["Appointment", t.minutes > 0 ? `${t.displayName}, ${t.minutes} minutes` : t.displayName]);
    if (opening) rows.push(["When", whenInWords(opening.localStart, currentYear)]);
    const l = currentLocation();
    if (l) rows.push(["Where", [l.displayName, ...l.addressLines].map((s) => s.trim()).filter(Boolean).join(", ")]);
    rows.push(["Name", `${v.given_name.trim()} ${v.family_name.trim()}`]);
    const born = birthDate(v);
    if (born) rows.push(["Date of birth", birthDateInWords(born)]);
    if (v.email.trim()) rows.push(["Email", v.email.trim()]);
    if (v.phone.trim()) rows.push(["Phone", v.phone.trim()]);
    $("bk-summary-list").replaceChildren(
      ...rows.flatMap(([k, val]) => {
        const dt = document.createElement("dt");
        dt.textContent = k;
        const dd = document.createElement("dd");
        dd.textContent = val;
        return [dt, dd];
      }),
    );
    $("bk-confirm-error").hidden = true;
  }

  function setBookBusy(on: boolean): void {
    sending = on;
    bookButton.disabled = on;
    bookButton.setAttribute("aria-busy", on ? "true" : "false");
    bookButton.textContent = on ? "Booking…" : "Book";
  }

  function showConfirmError(message: string): void {
    $("bk-confirm-error-text").textContent = message;
    $("bk-confirm-error").hidden = false;
    $("bk-confirm-error").focus();
  }

  function afterFailure(f: BookingFailure): void {
    switch (f.kind) {
      case "taken":
        void backToTimes(f.message);
        return;
      case "message":
        showConfirmError(f.message);
        return;
      case "invalid":
        // Errors at the details fields stay there until edited, whichever step comes first.
        showErrors({ fields: f.fields, other: f.step === "details" ? f.other : [] }, false);
        if (f.step === "details") {
          showStep("details", { focus: $("bk-problems") });
        } else if (f.step === "time") {
          void backToTimes(f.other.join(" ") || "Please choose another time.");
        } else if (f.step === "where") {
          showStep("where", { focus: false });
          showWhereError(f.other.join(" "), false);
        } else {
          showConfirmError(f.other.join(" ") || "Please check your details.");
        }
        return;
    }
  }

  bookButton.addEventListener("click", async () => {
    if (sending || !opening) return;
    const v = values();
    const chosen: ChosenTime = { appointmentType: chosenType, location: chosenLocation, opening };
    const key = bookingKey(chosen, v, campaign);
    // The same booking again (a retry after an error): the same request_id, so it is booked once.
    if (!pending || pending.key !== key) pending = { key, requestId: newRequestId() };
    const localStart = opening.localStart;
    setBookBusy(true);
    $("bk-confirm-error").hidden = true;
    try {
      const res = await booking.bookOnline(bookRequest(chosen, v, campaign, pending.requestId), {
        timeoutMs: callTimeoutMs,
      });
      pending = undefined;
      finished = true;
      $("bk-done-text").textContent =
        res.confirmation.trim() || bookingSummary(typeName(), res.localStart || localStart, locationName()) + ".";
      // The manage link (change or cancel online); without one, the page says to call.
      const link = manageLink(window.location.origin, res.manageToken);
      if (link) {
        const a = $<HTMLAnchorElement>("bk-manage-link");
        a.href = link.href;
        a.textContent = link.text;
      }
      $("bk-manage").hidden = !link;
      $("bk-call-note").hidden = !!link;
      flow.remove();
      const done = $("bk-done");
      done.hidden = false;
      history.replaceState({ step: "done" }, "");
      done.scrollIntoView({ block: "start" });
      done.focus({ preventScroll: true });
    } catch (err) {
      if (!keepsRequestId(err)) pending = undefined;
      setBookBusy(false);
      afterFailure(classifyBookingError(err));
    }
  });

  // ------------------------------------------------------------- start ---
  $("bk-nojs").hidden = true;
  flow.hidden = false;
  history.replaceState({ step: "where" }, "");
  showStep("where", { focus: false, push: false });
  void loadChoices();
}

if (document.getElementById("bk-flow")) setUp();
