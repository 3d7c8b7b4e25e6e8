// The public site's "Contact us — we'll call you back" form (index.html,
// #contact-form): fills the location choice from LocationService.ListLocations
// and sends BookingService.RequestContact over Connect. Plain DOM, no staff
// app code. Every text from the server is set as text (textContent, Option),
// never as HTML.
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { BookingService } from "../gen/clinic/booking/v1/booking_service_pb";
import { LocationService } from "../gen/clinic/appointments/v1/appointments_service_pb";
import { newRequestId } from "../common/request-id";
import {
  contactErrors,
  contactFields,
  contactRequest,
  locationOption,
  outcomeUnknown,
  submissionKey,
  type ContactField,
  type ContactFormValues,
} from "./contact-model";
import { fieldErrors } from "./field-errors";

const callTimeoutMs = 15_000;

const transport = createConnectTransport({ baseUrl: window.location.origin });
const booking = createClient(BookingService, transport);
const locations = createClient(LocationService, transport);

/** Labels of the fields, as the summary of errors names them. */
const labels: Record<ContactField, string> = {
  given_name: "First name",
  family_name: "Last name",
  phone: "Phone",
  email: "Email",
  preferred_contact: "How should we contact you?",
  preferred_times: "Best time to call",
  location: "Location",
  pain_area: "Where does it hurt?",
  concern: "What hurts, and since when?",
  consent_to_contact: "Consent",
};

const thanks = "Thank you. We received your request and will contact you soon.";

function setUp(form: HTMLFormElement): void {
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const submit = $<HTMLButtonElement>("cf-submit");
  const problems = $<HTMLDivElement>("cf-problems");
  const problemsList = $<HTMLUListElement>("cf-problems-list");
  const done = $<HTMLDivElement>("contact-done");

  /** The request_id of the submission being sent or retried, with its values. */
  let pending: { key: string; requestId: string } | undefined;
  let busy = false;

  // ------------------------------------------------------------ values ---

  const text = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | null)?.value ?? "";

  function values(): ContactFormValues {
    const checked = form.querySelector<HTMLInputElement>('input[name="preferred_contact"]:checked');
    return {
      given_name: text("given_name"),
      family_name: text("family_name"),
      phone: text("phone"),
      email: text("email"),
      preferred_contact: checked?.value ?? "",
      preferred_times: text("preferred_times"),
      location: text("location"),
      pain_area: text("pain_area"),
      concern: text("concern"),
      consent_to_contact: $<HTMLInputElement>("cf-consent_to_contact").checked,
      website: text("website"),
    };
  }

  // ------------------------------------------------------------ errors ---

  const atFields = fieldErrors<ContactField>("cf");
  const controls = (field: ContactField) => atFields.controls(field);
  const clearFieldError = (field: ContactField) => atFields.clear(field);

  function clearErrors(): void {
    for (const field of contactFields) clearFieldError(field);
    problemsList.replaceChildren();
    problems.hidden = true;
  }

  const showFieldError = (field: ContactField, message: string) => atFields.show(field, message);


  function focusField(field: ContactField): void {
    const control =
      controls(field).find((c) => (c as HTMLInputElement).checked) ?? controls(field)[0];
    control?.focus();
  }

  /** Shows errors at their fields and in the summary at the top, which takes focus. */
  function showErrors(errors: { fields: Partial<Record<ContactField, string>>; other: string[] }): void {
    clearErrors();
    const items: HTMLLIElement[] = [];
    for (const field of contactFields) {
      const message = errors.fields[field];
      if (!message) continue;
      showFieldError(field, message);
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = `#cf-${field}`;
      a.textContent = labels[field];
      a.addEventListener("click", (e) => {
        e.preventDefault();
        focusField(field);
      });
      li.append(a, `: ${message}`);
      items.push(li);
    }
    for (const message of errors.other) {
      const li = document.createElement("li");
      li.textContent = message;
      items.push(li);
    }
    problemsList.replaceChildren(...items);
    problems.hidden = false;
    problems.focus();
  }

  // Editing a field forgets its error.
  form.addEventListener("input", (e) => {
    const name = (e.target as HTMLInputElement).name as ContactField;
    if ((contactFields as readonly string[]).includes(name)) clearFieldError(name);
  });

  // ------------------------------------------------------------ submit ---

  function setBusy(on: boolean): void {
    busy = on;
    submit.disabled = on;
    submit.setAttribute("aria-busy", on ? "true" : "false");
    submit.textContent = on ? "Sending…" : "Ask for a call back";
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (busy) return;
    const v = values();
    const key = submissionKey(v);
    // The same values again (a retry): the same request_id, so the practice gets one request.
    if (!pending || pending.key !== key) pending = { key, requestId: newRequestId() };
    const requestId = pending.requestId;
    setBusy(true);
    try {
      const res = await booking.requestContact(contactRequest(v, requestId), { timeoutMs: callTimeoutMs });
      pending = undefined;
      form.remove();
      done.textContent = res.message.trim() || thanks;
      done.hidden = false;
      done.focus();
    } catch (err) {
      if (!outcomeUnknown(err)) pending = undefined;
      setBusy(false);
      showErrors(contactErrors(err));
    }
  });

  form.hidden = false;
  void fillLocations();

  /** The location choice: "Any location", then every location (name — address). */
  async function fillLocations(): Promise<void> {
    const select = $<HTMLSelectElement>("cf-location");
    try {
      const options: HTMLOptionElement[] = [];
      let pageToken = "";
      for (let page = 0; page < 5; page++) {
        const res = await locations.listLocations({ pageSize: 200, pageToken }, { timeoutMs: callTimeoutMs });
        for (const l of res.locations) {
          const o = locationOption(l);
          options.push(new Option(o.text, o.value));
        }
        pageToken = res.nextPageToken;
        if (!pageToken) break;
      }
      const chosen = select.value;
      select.replaceChildren(new Option("Any location", ""), ...options);
      select.value = options.some((o) => o.value === chosen) ? chosen : "";
    } catch {
      // Without the list the request still works: "Any location".
    }
  }
}

const form = document.getElementById("contact-form");
if (form instanceof HTMLFormElement) setUp(form);
