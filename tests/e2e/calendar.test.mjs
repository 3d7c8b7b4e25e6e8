// End-to-end browser test of the front-desk calendar, against a running
// clinic (gateway + services + database + the scheduling demo data):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/calendar.test.mjs
//
// The front desk (browser A, whose clock is in Pacific/Auckland — far from the
// clinic's zone — so the calendar must show the location's wall time) opens
// the calendar for a demo location on a future working day, clicks an empty
// slot, creates a patient inline, books, sees the appointment, is not offered
// a check-in weeks ahead (only on the appointment's day), confirms it and
// sees the state. Then A opens the booking dialog for another
// free slot, the admin in browser B books that same slot, and A's booking is
// answered ALREADY_EXISTS: A sees "That time was just taken: ..." and the
// nearest other free times.
//
// Slots come from FindAvailableSlots (called through the page, with A's
// session) on random days 3 to 8 weeks ahead, so re-runs do not collide.
// On failure a screenshot is written to a temp directory and its path printed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";
import {
  api,
  assertSpeaksPlainly,
  clickSlot,
  createPatientInline,
  expectBookingDialog,
  findSlot,
  nextCall,
  showDate,
} from "./calendar_lib.mjs";

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

test("the front desk books from the calendar, confirms, and sees a slot taken meanwhile", async (t) => {
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

    // 3. Weeks ahead it cannot be checked in yet (only on its day): the dialog
    //    says when check-in opens; the front desk confirms it instead.
    await event.click();
    const details = page.getByRole("dialog", { name: patient });
    await details.waitFor();
    await details.getByRole("link", { name: patient }).waitFor();
    await details.locator("#ad-hint").getByText(/^Check-in opens on /).waitFor();
    assert.equal(await details.getByRole("button", { name: "Check in" }).count(), 0, "no check-in weeks ahead");
    assert.equal(await details.getByRole("button", { name: "Mark no-show" }).count(), 0, "no no-show before the start");
    const confirmed = nextCall(page, "ConfirmAppointment");
    await details.getByRole("button", { name: "Confirm" }).click();
    const confirmRes = await confirmed;
    assert.equal(confirmRes.status(), 200, `ConfirmAppointment: ${await confirmRes.text()}`);
    assert.equal((await confirmRes.json()).state, "APPOINTMENT_STATE_CONFIRMED");
    await details.locator("#ad-state").getByText("Confirmed").waitFor();
    assert.equal(await details.getByRole("button", { name: "Confirm" }).count(), 0, "no second confirmation");
    await details.getByRole("button", { name: "Close", exact: true }).click();
    await details.waitFor({ state: "hidden" });
    await page.waitForFunction(
      (name) => document.querySelector(`#calendar-host [data-appointment="${name}"]`)?.dataset.state === "appt-confirmed",
      appt.name,
    );
    assert.match(await event.getAttribute("aria-label"), /Confirmed$/);

    // 4. A opens the booking dialog for another free slot ...
    const contested = await findSlot(page, location, types, { avoid: [slot.startTime] });
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
    assert.match(await alert.innerText(), /That time was just taken: .+ was booked at \d\d:\d\d a moment ago\./);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "bk-error", "the message takes focus");
    // The nearest other times are offered (the open times were loaded again), and no id or ISO time is shown.
    await alert.getByText(/The nearest free times:|No other free time that day/).waitFor();
    assertSpeaksPlainly(await alert.innerText(), "the taken message");
    await refreshed;
    await page.locator(`#calendar-host [data-appointment="${takenBy}"]`).waitFor();
    await dialogA.getByRole("button", { name: "Close", exact: true }).click();
    await dialogA.waitFor({ state: "hidden" });
  });
});
