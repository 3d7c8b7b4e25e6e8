// What the calendar's browser tests share (calendar.test.mjs and
// calendar_*.test.mjs): Connect calls from the page with its session, finding
// free slots with FindAvailableSlots on random weeks ahead (so re-runs do not
// collide), creating patients and appointments through the API, and driving
// the calendar: moving it to a date, clicking a therapist's empty cell at a
// local time, the booking dialog.
import assert from "node:assert/strict";
import { baseUrl } from "./lib.mjs";

export const appointmentsApi = "/clinic.appointments.v1.AppointmentService/";
export const patientsApi = "/clinic.patients.v1.PatientService/";

/** Waits for the page's next call of an AppointmentService method (or any "Service/Method" path). */
export function nextCall(page, method) {
  const path = method.includes("/") ? "/" + method.replace(/^\//, "") : appointmentsApi + method;
  return page.waitForResponse((res) => new URL(res.url()).pathname === path && res.request().method() === "POST");
}

/** A Connect call from the page (same origin, its session cookie): [status, body]. */
export async function api(page, path, body) {
  return page.evaluate(
    async ({ path, body }) => {
      const res = await fetch(path, {
        method: "POST",
        headers: { "content-type": "application/json", "connect-protocol-version": "1" },
        body: JSON.stringify(body),
      });
      return [res.status, await res.json()];
    },
    { path, body },
  );
}

/** `prefix` and eight random lower-case letters: a name no other run has used. */
export function uniqueName(prefix) {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let s = "";
  for (let i = 0; i < 8; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return prefix + s;
}

/** google.type.Date of "YYYY-MM-DD". */
export const isoDate = (d) => ({ year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) });

/** "YYYY-MM-DD" n days after `date`. */
export function addDays(date, n) {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + n));
  return d.toISOString().slice(0, 10);
}

/** Today's date in a zone. */
export const todayIn = (zone) => new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());

/** "HH:MM" `minutes` after "HH:MM". */
export function addMinutes(hhmm, minutes) {
  const [h, m] = hhmm.split(":").map(Number);
  const t = h * 60 + m + minutes;
  return `${String(Math.floor(t / 60)).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
}

/** Whole minutes of a proto JSON Duration ("900s"). */
export const durationMinutes = (d) => (d ? Math.round(parseFloat(String(d)) / 60) : 0);

/** The locations and the active appointment types, as the API lists them to this page's session. */
export async function catalog(page) {
  const [locStatus, locBody] = await api(page, "/clinic.appointments.v1.LocationService/ListLocations", {});
  assert.equal(locStatus, 200, `ListLocations: ${JSON.stringify(locBody)}`);
  const [typeStatus, typeBody] = await api(page, "/clinic.appointments.v1.AppointmentTypeService/ListAppointmentTypes", {});
  assert.equal(typeStatus, 200, `ListAppointmentTypes: ${JSON.stringify(typeBody)}`);
  const types = (typeBody.appointmentTypes ?? []).filter((ty) => ty.active);
  assert.ok(types.length > 0, "the demo has appointment types");
  return { locations: locBody.locations ?? [], types };
}

/** The demo's Denver location (its display name says Denver), else the first. */
export function denver(locations) {
  const found = locations.find((l) => /denver/i.test(l.displayName)) ?? locations[0];
  assert.ok(found, "the demo has locations");
  return found;
}

/** FindAvailableSlots from the page: the slots (start and end local dates inclusive). */
export async function findSlots(page, { type, location, therapist = "", start, end = start, maxSlots = 2000 }) {
  const [status, body] = await api(page, appointmentsApi + "FindAvailableSlots", {
    appointmentType: type.name ?? type,
    locations: [location.name ?? location],
    therapist,
    startDate: isoDate(start),
    endDate: isoDate(end),
    maxSlots,
  });
  assert.equal(status, 200, `FindAvailableSlots: ${JSON.stringify(body)}`);
  return body.slots ?? [];
}

/**
 * A free slot at the location (any therapist, any of `types` that fits),
 * from FindAvailableSlots over a random week 3 to 8 weeks ahead; one of the
 * day-time slots that `accept` (slot, all slots of that search) likes,
 * picked at random. Skips `avoid` (slot starts already used).
 */
export async function findSlot(page, location, types, { avoid = [], accept = () => true } = {}) {
  const today = todayIn(location.timeZone);
  for (let attempt = 0; attempt < 8; attempt++) {
    const start = addDays(today, 21 + Math.floor(Math.random() * 35));
    for (const type of types) {
      const all = await findSlots(page, { type, location, start, end: addDays(start, 6) });
      // Between 09:00 and 15:00 local, on the hour or the half hour: easy to hit on the grid.
      const slots = all.filter(
        (s) => /T(09|1[0-4]):(00|30)$/.test(s.localStart) && !avoid.includes(s.startTime) && accept(s, all),
      );
      if (slots.length > 0) return { ...slots[Math.floor(Math.random() * slots.length)], type };
    }
  }
  assert.fail(`no free slot found at ${location.displayName} in the coming weeks`);
}

/** Creates a patient through the API (as the page's member): the Patient. */
export async function createPatient(page, given, family = "Booker") {
  const [status, body] = await api(page, patientsApi + "CreatePatient", {
    patient: { givenName: given, familyName: family, birthDate: { year: 1988, month: 4, day: 12 }, phone: "+1 303 555 0199" },
    requestId: uniqueName("e2e-patient-"),
  });
  assert.equal(status, 200, `CreatePatient: ${JSON.stringify(body)}`);
  return body;
}

/** Books a slot through the API for a patient: the Appointment. */
export async function bookSlot(page, slot, patient) {
  const [status, body] = await api(page, appointmentsApi + "BookAppointment", {
    appointment: {
      patient: patient.name ?? patient,
      therapist: slot.therapist,
      location: slot.location,
      appointmentType: slot.appointmentType ?? slot.type?.name,
      startTime: slot.startTime,
      source: "APPOINTMENT_SOURCE_FRONT_DESK",
    },
    requestId: uniqueName("e2e-book-"),
  });
  assert.equal(status, 200, `BookAppointment: ${JSON.stringify(body)}`);
  return body;
}

/** Opens the calendar at a location, date and view through the address, and waits for its appointments. */
export async function openCalendarAt(page, { location, date, view = "" }) {
  const q = new URLSearchParams({ location: location.name.slice("locations/".length), date });
  if (view) q.set("view", view);
  const loaded = nextCall(page, "ListAppointments");
  await page.goto(`${baseUrl}/staff/calendar?${q}`);
  await page.getByRole("heading", { level: 1, name: "Calendar" }).waitFor();
  assert.equal((await loaded).status(), 200);
}

/** Opens the calendar on a date (typing it into the date field) and waits for its appointments. */
export async function showDate(page, date) {
  const dateInput = page.locator("#cal-date");
  if ((await dateInput.inputValue()) === date) return;
  const loaded = nextCall(page, "ListAppointments");
  await dateInput.fill(date);
  await dateInput.dispatchEvent("change");
  assert.equal((await loaded).status(), 200);
  await page.locator(".calendar-title").filter({ hasText: new Date(date + "T12:00:00Z").getUTCFullYear().toString() }).waitFor();
}

/**
 * Clicks the calendar's empty cell for `therapist` at wall time "HH:MM"
 * (day view): the column is the therapist's header; the row is measured on
 * the grid, whose top is the first hour of the time axis.
 */
export async function clickSlot(page, therapist, hhmm) {
  const [hour, minute] = hhmm.split(":").map(Number);
  const hourRow = page.locator(`#calendar-host .ec-sidebar .ec-slot:has(time[datetime$="T${String(hour).padStart(2, "0")}:00:00"])`).first();
  await hourRow.scrollIntoViewIfNeeded();
  await page.locator(`#calendar-host [data-resource="${therapist}"]`).first().waitFor();
  const point = await page.evaluate(
    ({ therapist, minutes }) => {
      const col = document.querySelector(`#calendar-host [data-resource="${therapist}"]`).closest("[role=columnheader]").getBoundingClientRect();
      const rows = [...document.querySelectorAll("#calendar-host .ec-body .ec-sidebar .ec-slot time")];
      const minutesOf = (t) => {
        const [h, m] = t.getAttribute("datetime").slice(11, 16).split(":").map(Number);
        return h * 60 + m;
      };
      const first = minutesOf(rows[0]);
      const perMinute = (rows[1].getBoundingClientRect().top - rows[0].getBoundingClientRect().top) / (minutesOf(rows[1]) - first);
      const gridTop = document.querySelector("#calendar-host .ec-body .ec-day").getBoundingClientRect().top;
      // A few minutes into the slot: inside it, whatever the grid (5 to 60 minutes).
      return { x: col.left + col.width / 2, y: gridTop + (minutes - first + 3) * perMinute };
    },
    { therapist, minutes: hour * 60 + minute },
  );
  await page.mouse.click(point.x, point.y);
}

/**
 * After a click on a slot: the booking dialog shows that therapist, date and
 * time; chooses the slot's type, waits for the open times it loads
 * (FindAvailableSlots) and returns the dialog.
 */
export async function expectBookingDialog(page, slot) {
  const dialog = page.getByRole("dialog", { name: "Book appointment" });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel("Therapist").inputValue(), slot.therapist, "the therapist of the column clicked");
  assert.equal(await dialog.getByLabel("Date", { exact: true }).inputValue(), slot.localStart.slice(0, 10), "the day clicked");
  assert.equal(await dialog.getByLabel(/^Time/).inputValue(), slot.localStart.slice(11, 16), "the time clicked, in the location's zone");
  const typeSelect = dialog.getByLabel("Appointment type");
  if ((await typeSelect.inputValue()) !== slot.type.name) {
    const slotsLoaded = nextCall(page, "FindAvailableSlots");
    await typeSelect.selectOption(slot.type.name);
    assert.equal((await slotsLoaded).status(), 200, "the open times are loaded once the type is chosen");
  }
  await dialog.locator("#bk-availability").getByText(/ is (not )?free at /).waitFor();
  return dialog;
}

/** Creates a patient from the booking dialog's "New patient…" form; returns the name. */
export async function createPatientInline(page, dialog, { invalidFirst = true, prefix = "Cal" } = {}) {
  const given = uniqueName(prefix);
  await dialog.getByRole("button", { name: "New patient…" }).click();
  await dialog.getByLabel("Given name").fill(given);
  await dialog.getByLabel("Family name").fill("Booker");
  await dialog.getByLabel("Date of birth").fill("1990-05-17");
  if (invalidFirst) {
    // First an invalid one: the server's error is shown at the field.
    await dialog.getByLabel("Email", { exact: true }).fill("not-an-email");
    const rejected = nextCall(page, "clinic.patients.v1.PatientService/CreatePatient");
    await dialog.getByRole("button", { name: "Create patient" }).click();
    const rejectRes = await rejected;
    assert.equal(rejectRes.status(), 400, "an invalid email is refused");
    await page.waitForFunction(() => document.querySelector("#bk-np-email")?.getAttribute("aria-invalid") === "true");
    await dialog.getByLabel("Email", { exact: true }).fill("");
  }
  await dialog.getByLabel("Phone", { exact: true }).fill("+1 303 555 0142");
  const created = nextCall(page, "clinic.patients.v1.PatientService/CreatePatient");
  await dialog.getByRole("button", { name: "Create patient" }).click();
  const res = await created;
  assert.equal(res.status(), 200, `CreatePatient: ${await res.text()}`);
  await dialog.getByText(`Patient: ${given} Booker`).waitFor();
  return `${given} Booker`;
}

/** No resource id, RFC 3339 time or request field path in a text people read. */
export function assertSpeaksPlainly(text, what = "the page") {
  assert.doesNotMatch(text, /\b(appointments|staff|patients|locations|appointmentTypes|holds|waitlistEntries)\/[\w-]/, `${what} names an id: ${text}`);
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d\d:\d\d/, `${what} shows an RFC 3339 time: ${text}`);
}
