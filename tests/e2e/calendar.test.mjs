// End-to-end browser test of the front-desk calendar, against a running
// clinic (gateway + services + database + the scheduling demo data):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/calendar.test.mjs
//
// The front desk (browser A, whose clock is in Pacific/Auckland — far from the
// clinic's zone — so the calendar must show the location's wall time) opens
// the calendar for a demo location on a future working day, clicks an empty
// slot, creates a patient inline, books, sees the appointment, checks the
// patient in and sees the state. Then A opens the booking dialog for another
// free slot, the admin in browser B books that same slot, and A's booking is
// answered ALREADY_EXISTS: A sees "That time was just taken: ...".
//
// Slots come from FindAvailableSlots (called through the page, with A's
// session) on random days 3 to 8 weeks ahead, so re-runs do not collide.
// On failure a screenshot is written to a temp directory and its path printed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const appointmentsApi = "/clinic.appointments.v1.AppointmentService/";
const browserZone = "Pacific/Auckland";

let browserA;
let browserB;

before(async () => {
  await checkServer();
  browserA = await launchBrowser({ timezoneId: browserZone });
  browserB = await launchBrowser();
});

after(async () => {
  await browserA?.close();
  await browserB?.close();
});

/** Waits for the page's next call of an AppointmentService method (or any "Service/Method" path). */
function nextCall(page, method) {
  const path = method.includes("/") ? "/" + method : appointmentsApi + method;
  return page.waitForResponse((res) => new URL(res.url()).pathname === path && res.request().method() === "POST");
}

/** A Connect call from the page (same origin, its session cookie): [status, body]. */
async function api(page, path, body) {
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

function uniqueName(prefix) {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let s = "";
  for (let i = 0; i < 8; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return prefix + s;
}

const isoDate = (d) => ({ year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) });

function addDays(date, n) {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + n));
  return d.toISOString().slice(0, 10);
}

/**
 * A free slot at the location (any therapist, any active type that fits),
 * from FindAvailableSlots over a random week 3 to 8 weeks ahead; one of the
 * day-time slots, picked at random. Skips `avoid` (slot starts already used).
 */
async function findSlot(page, location, types, avoid = []) {
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: location.timeZone }).format(new Date());
  for (let attempt = 0; attempt < 6; attempt++) {
    const start = addDays(today, 21 + Math.floor(Math.random() * 35));
    for (const type of types) {
      const [status, body] = await api(page, appointmentsApi + "FindAvailableSlots", {
        appointmentType: type.name,
        locations: [location.name],
        startDate: isoDate(start),
        endDate: isoDate(addDays(start, 6)),
        maxSlots: 2000,
      });
      assert.equal(status, 200, `FindAvailableSlots: ${JSON.stringify(body)}`);
      // Between 09:00 and 15:00 local, on the hour or the half hour: easy to hit on the grid.
      const slots = (body.slots ?? []).filter(
        (s) => /T(09|1[0-4]):(00|30)$/.test(s.localStart) && !avoid.includes(s.startTime),
      );
      if (slots.length > 0) return { ...slots[Math.floor(Math.random() * slots.length)], type };
    }
  }
  assert.fail(`no free slot found at ${location.displayName} in the coming weeks`);
}

/** Opens the calendar on a date (typing it into the date field) and waits for its appointments. */
async function showDate(page, date) {
  const dateInput = page.locator("#cal-date");
  if ((await dateInput.inputValue()) === date) return;
  const loaded = nextCall(page, "ListAppointments");
  await dateInput.fill(date);
  await dateInput.dispatchEvent("change");
  assert.equal((await loaded).status(), 200);
  await page.locator(".calendar-title").filter({ hasText: new Date(date + "T12:00:00Z").getUTCFullYear().toString() }).waitFor();
}

/**
 * Clicks the calendar's empty cell for `therapist` at wall time "HH:MM":
 * the column is the therapist's header; the row is measured on the grid,
 * whose top is the first hour of the time axis.
 */
async function clickSlot(page, therapist, hhmm) {
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

/** After a click on a slot: the booking dialog shows that therapist, date and time. */
async function expectBookingDialog(page, slot) {
  const dialog = page.getByRole("dialog", { name: "Book appointment" });
  await dialog.waitFor();
  assert.equal(await dialog.getByLabel("Therapist").inputValue(), slot.therapist, "the therapist of the column clicked");
  assert.equal(await dialog.getByLabel("Date", { exact: true }).inputValue(), slot.localStart.slice(0, 10), "the day clicked");
  assert.equal(await dialog.getByLabel(/^Time/).inputValue(), slot.localStart.slice(11, 16), "the time clicked, in the location's zone");
  await dialog.getByLabel("Appointment type").selectOption(slot.type.name);
  return dialog;
}

/** Creates a patient from the booking dialog's "New patient…" form; returns the name. */
async function createPatientInline(page, dialog) {
  const given = uniqueName("Cal");
  await dialog.getByRole("button", { name: "New patient…" }).click();
  // First an invalid one: the server's error is shown at the field.
  await dialog.getByLabel("Given name").fill(given);
  await dialog.getByLabel("Family name").fill("Booker");
  await dialog.getByLabel("Date of birth").fill("1990-05-17");
  await dialog.getByLabel("Email", { exact: true }).fill("not-an-email");
  const rejected = nextCall(page, "clinic.patients.v1.PatientService/CreatePatient");
  await dialog.getByRole("button", { name: "Create patient" }).click();
  const rejectRes = await rejected;
  assert.equal(rejectRes.status(), 400, "an invalid email is refused");
  await page.waitForFunction(() => document.querySelector("#bk-np-email")?.getAttribute("aria-invalid") === "true");
  await dialog.getByLabel("Email", { exact: true }).fill("");
  await dialog.getByLabel("Phone", { exact: true }).fill("+1 303 555 0142");
  const created = nextCall(page, "clinic.patients.v1.PatientService/CreatePatient");
  await dialog.getByRole("button", { name: "Create patient" }).click();
  const res = await created;
  assert.equal(res.status(), 200, `CreatePatient: ${await res.text()}`);
  await dialog.getByText(`Patient: ${given} Booker`).waitFor();
  return `${given} Booker`;
}

test("the front desk books from the calendar, checks in, and sees a slot taken meanwhile", async (t) => {
  const accounts = await readAccounts();
  await withPage(browserA.context, t, async (page) => {
    // Log in as the front desk and open the calendar from the navigation.
    await logIn(page, accountFor(accounts, "front_desk"));
    const opened = nextCall(page, "ListAppointments");
    await page.getByRole("link", { name: "Calendar", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Calendar" }).waitFor();
    assert.equal((await opened).status(), 200);

    // The demo location shown first, and the active types.
    const [locStatus, locBody] = await api(page, "/clinic.appointments.v1.LocationService/ListLocations", {});
    assert.equal(locStatus, 200, `ListLocations: ${JSON.stringify(locBody)}`);
    const selectedLocation = await page.locator("#cal-location").inputValue();
    const location = locBody.locations.find((l) => l.name === selectedLocation);
    assert.ok(location, `the selected location ${selectedLocation} is listed`);
    await page.getByText(`times in ${location.timeZone}`).waitFor();
    const [typeStatus, typeBody] = await api(page, "/clinic.appointments.v1.AppointmentTypeService/ListAppointmentTypes", {});
    assert.equal(typeStatus, 200);
    const types = typeBody.appointmentTypes.filter((ty) => ty.active);
    assert.ok(types.length > 0, "the demo has appointment types");

    // 1. Book an empty slot from the calendar, with a patient created inline.
    const slot = await findSlot(page, location, types);
    await showDate(page, slot.localStart.slice(0, 10));
    await clickSlot(page, slot.therapist, slot.localStart.slice(11, 16));
    const dialog = await expectBookingDialog(page, slot);
    const patient = await createPatientInline(page, dialog);
    const booked = nextCall(page, "BookAppointment");
    const reloaded = nextCall(page, "ListAppointments");
    await dialog.getByRole("button", { name: "Book", exact: true }).click();
    const bookRes = await booked;
    assert.equal(bookRes.status(), 200, `BookAppointment: ${await bookRes.text()}`);
    const sent = bookRes.request().postDataJSON();
    assert.ok(sent.requestId && sent.requestId.length >= 16, "the booking carries a fresh request_id");
    assert.equal(new Date(sent.appointment.startTime).getTime(), new Date(slot.startTime).getTime(), "the instant of the slot clicked");
    const appt = await bookRes.json();
    assert.equal(appt.state, "APPOINTMENT_STATE_BOOKED");
    await reloaded;
    await dialog.waitFor({ state: "hidden" });

    // 2. It is on the calendar, in the therapist's column, at the local time.
    const event = page.locator(`#calendar-host [data-appointment="${appt.name}"]`);
    await event.waitFor();
    const label = await event.getAttribute("aria-label");
    assert.match(label, new RegExp(`^${slot.localStart.slice(11, 16)}`), `starts at the local time: ${label}`);
    assert.match(label, new RegExp(patient));
    assert.match(label, /Booked$/);
    await page.getByText(`Booked ${patient}`).waitFor();

    // 3. Check the patient in.
    await event.click();
    const details = page.getByRole("dialog", { name: patient });
    await details.waitFor();
    await details.getByRole("link", { name: patient }).waitFor();
    const checkedIn = nextCall(page, "CheckInAppointment");
    await details.getByRole("button", { name: "Check in" }).click();
    const checkRes = await checkedIn;
    assert.equal(checkRes.status(), 200, `CheckInAppointment: ${await checkRes.text()}`);
    assert.equal((await checkRes.json()).state, "APPOINTMENT_STATE_CHECKED_IN");
    await details.locator("#ad-state").getByText("Checked in").waitFor();
    await details.getByRole("button", { name: "Complete" }).waitFor();
    assert.equal(await details.getByRole("button", { name: "Check in" }).count(), 0, "no second check-in");
    await details.getByRole("button", { name: "Close", exact: true }).click();
    await details.waitFor({ state: "hidden" });
    await page.waitForFunction(
      (name) => document.querySelector(`#calendar-host [data-appointment="${name}"]`)?.dataset.state === "appt-checked-in",
      appt.name,
    );
    assert.match(await event.getAttribute("aria-label"), /Checked in$/);

    // 4. A opens the booking dialog for another free slot ...
    const contested = await findSlot(page, location, types, [slot.startTime]);
    await showDate(page, contested.localStart.slice(0, 10));
    await clickSlot(page, contested.therapist, contested.localStart.slice(11, 16));
    const dialogA = await expectBookingDialog(page, contested);
    await createPatientInline(page, dialogA);

    // ... the admin in browser B books that same slot first, through the calendar ...
    let takenBy;
    await withPage(browserB.context, t, async (pageB) => {
      await logIn(pageB, accountFor(accounts, "admin"));
      const locId = location.name.slice("locations/".length);
      const loadedB = nextCall(pageB, "ListAppointments");
      await pageB.goto(`${baseUrl}/staff/calendar?location=${locId}&date=${contested.localStart.slice(0, 10)}`);
      await pageB.getByRole("heading", { level: 1, name: "Calendar" }).waitFor();
      assert.equal((await loadedB).status(), 200);
      await clickSlot(pageB, contested.therapist, contested.localStart.slice(11, 16));
      const dialogB = await expectBookingDialog(pageB, contested);
      // B books the patient from step 1 (found by name).
      const search = dialogB.getByLabel("Find patient");
      await search.fill(patient);
      const found = nextCall(pageB, "clinic.patients.v1.PatientService/ListPatients");
      await dialogB.getByRole("button", { name: "Search" }).click();
      assert.equal((await found).status(), 200);
      await dialogB.getByText(`Patient: ${patient}`).waitFor();
      const bookedB = nextCall(pageB, "BookAppointment");
      await dialogB.getByRole("button", { name: "Book", exact: true }).click();
      const resB = await bookedB;
      assert.equal(resB.status(), 200, `BookAppointment in browser B: ${await resB.text()}`);
      takenBy = (await resB.json()).name;
      await pageB.locator(`#calendar-host [data-appointment="${takenBy}"]`).waitFor();
    });

    // ... then A submits: ALREADY_EXISTS, shown in the dialog, and the calendar refreshes.
    const refused = nextCall(page, "BookAppointment");
    const refreshed = nextCall(page, "ListAppointments");
    await dialogA.getByRole("button", { name: "Book", exact: true }).click();
    const refusedRes = await refused;
    const refusedBody = await refusedRes.json();
    assert.equal(refusedBody.code, "already_exists", `A's booking answered ${refusedRes.status()} ${JSON.stringify(refusedBody)}`);
    const alert = dialogA.getByRole("alert").filter({ hasText: "That time was just taken:" });
    await alert.waitFor();
    assert.match(await alert.innerText(), /That time was just taken: .+/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "bk-error", "the message takes focus");
    await refreshed;
    await page.locator(`#calendar-host [data-appointment="${takenBy}"]`).waitFor();
    await dialogA.getByRole("button", { name: "Close", exact: true }).click();
    await dialogA.waitFor({ state: "hidden" });
  });
});
