// Browser test: a mistaken check-in is undone, with a reason.
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/calendar_undo.test.mjs
//
// Check-in is allowed on the appointment's local day only, so the test needs
// an appointment today: it books one at a free time later today (any
// location, any type; a new patient each run), or else takes a booked or
// confirmed one of today; with neither (late in the demo locations' evening)
// it makes a place where it is midday now: as the admin, a location in a
// fixed-offset zone (Etc/GMT±N) open all day and a new therapist working
// there today, and books there. So the test runs at any hour. The front desk opens it from
// the day view, checks it in, then "Undo check-in…": the reason is required
// (an empty one is refused at the field, nothing sent), then
// UndoAppointmentStatus {name, etag, reason}; the appointment is back to
// booked (or confirmed), the dialog shows "Check-in undone by <name> at
// <time> (<day>): <reason>", and so does a fresh read after closing and
// opening it again.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";
import {
  api,
  appointmentsApi,
  assertSpeaksPlainly,
  bookSlot,
  catalog,
  createPatient,
  denver,
  findSlots,
  nextCall,
  openCalendarAt,
  todayIn,
  uniqueName,
} from "./calendar_lib.mjs";

let browser;
// Therapists this file made (deactivated after it: other tests count staff).
const made = [];

before(async () => {
  await checkServer();
  browser = await launchBrowser();
});

after(async () => {
  if (made.length > 0) {
    const accounts = await readAccounts();
    const adminBrowser = await launchBrowser();
    try {
      const admin = await adminBrowser.context.newPage();
      await logIn(admin, accountFor(accounts, "admin"));
      for (const name of made) {
        const [status, body] = await api(admin, "/clinic.staff.v1.StaffService/DeactivateStaffMember", { name });
        assert.equal(status, 200, `DeactivateStaffMember: ${JSON.stringify(body)}`);
      }
    } finally {
      await adminBrowser.close();
    }
  }
  await browser?.close();
});

/**
 * An appointment of today that can be checked in: a new one at a free time
 * later today (Denver first), else a booked or confirmed one of today;
 * undefined when there is neither.
 */
async function appointmentOfToday(page, locations, types) {
  const ordered = [denver(locations), ...locations.filter((l) => l.name !== denver(locations).name)];
  const soon = Date.now() + 5 * 60_000;
  for (const location of ordered) {
    const today = todayIn(location.timeZone);
    for (const type of types) {
      const slots = (await findSlots(page, { type, location, start: today })).filter(
        (s) => s.localStart.startsWith(today) && new Date(s.startTime).getTime() > soon,
      );
      if (slots.length === 0) continue;
      const patient = await createPatient(page, uniqueName("Undo"), "Checkin");
      return { location, appointment: await bookSlot(page, slots[0], patient) };
    }
  }
  for (const location of ordered) {
    const today = todayIn(location.timeZone);
    const [status, body] = await api(page, appointmentsApi + "ListAppointments", {
      locations: [location.name],
      startTime: new Date(Date.now() - 86_400_000).toISOString(),
      endTime: new Date(Date.now() + 86_400_000).toISOString(),
      pageSize: 500,
    });
    assert.equal(status, 200, `ListAppointments: ${JSON.stringify(body)}`);
    const found = (body.appointments ?? []).find(
      (a) => a.localStart?.startsWith(today) && ["APPOINTMENT_STATE_BOOKED", "APPOINTMENT_STATE_CONFIRMED"].includes(a.state),
    );
    if (found) return { location, appointment: found };
  }
  return undefined;
}

/**
 * A location where it is about midday now (a fixed-offset zone), open all
 * day, with a new therapist working there every day: made as the admin.
 */
async function middayLocation(accounts) {
  const offset = ((12 - new Date().getUTCHours() + 36) % 24) - 12; // -12 .. 11
  const zone = offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
  const days = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"];
  // Its own browser: a login here must not replace the front desk's session.
  const adminBrowser = await launchBrowser();
  const admin = await adminBrowser.context.newPage();
  try {
    await logIn(admin, accountFor(accounts, "admin"));
    const name = uniqueName("Undo test ");
    let [status, body] = await api(admin, "/clinic.appointments.v1.LocationService/CreateLocation", {
      location: {
        displayName: name,
        timeZone: zone,
        openingHours: days.map((day) => ({ day, open: { hours: 0 }, close: { hours: 23, minutes: 45 } })),
      },
    });
    assert.equal(status, 200, `CreateLocation: ${JSON.stringify(body)}`);
    const location = { name: body.name, displayName: name, timeZone: zone };
    [status, body] = await api(admin, "/clinic.staff.v1.StaffService/CreateStaffMember", {
      staffMember: {
        givenName: "Una",
        familyName: uniqueName("Undo"),
        email: `${uniqueName("undo")}@clinic.example`,
        roles: ["STAFF_ROLE_THERAPIST"],
      },
    });
    assert.equal(status, 200, `CreateStaffMember: ${JSON.stringify(body)}`);
    const therapist = body.staffMember?.name ?? body.name;
    [status, body] = await api(admin, "/clinic.appointments.v1.ScheduleService/UpdateProviderSchedule", {
      schedule: {
        name: `${therapist}/schedule`,
        weeklyHours: days.map((day) => ({
          location: location.name,
          day,
          start: { hours: 0, minutes: 15 },
          end: { hours: 23, minutes: 30 },
        })),
      },
    });
    assert.equal(status, 200, `UpdateProviderSchedule: ${JSON.stringify(body)}`);
    made.push(therapist);
    return location;
  } finally {
    await adminBrowser.close();
  }
}

test("a mistaken check-in is undone with a reason", async (t) => {
  const accounts = await readAccounts();
  await withPage(browser.context, t, async (page) => {
    await logIn(page, accountFor(accounts, "front_desk"));
    const { locations, types } = await catalog(page);
    let found = await appointmentOfToday(page, locations, types);
    if (!found) found = await appointmentOfToday(page, [await middayLocation(accounts)], types);
    assert.ok(found, "an appointment of today to check in (at a location where it is midday now)");
    const { location, appointment } = found;
    const wasState = appointment.state === "APPOINTMENT_STATE_CONFIRMED" ? "Confirmed" : "Booked";
    await openCalendarAt(page, { location, date: todayIn(location.timeZone) });
    const event = page.locator(`#calendar-host [data-appointment="${appointment.name}"]`);
    await event.waitFor();
    const patient = (await event.locator(".appt-who").innerText()).trim();

    // 1. Check in (offered today).
    await event.click();
    const details = page.getByRole("dialog", { name: patient });
    await details.waitFor();
    const checkedIn = nextCall(page, "CheckInAppointment");
    await details.getByRole("button", { name: "Check in", exact: true }).click();
    const checkRes = await checkedIn;
    assert.equal(checkRes.status(), 200, `CheckInAppointment: ${await checkRes.text()}`);
    await details.locator("#ad-state").getByText("Checked in").waitFor();

    // 2. Undo it: a reason is required.
    await details.getByRole("button", { name: "Undo check-in…" }).click();
    const reasonBox = details.getByLabel(/Why undo the check-in\?/);
    await reasonBox.waitFor();
    let sent = 0;
    const count = (req) => {
      if (new URL(req.url()).pathname === appointmentsApi + "UndoAppointmentStatus") sent++;
    };
    page.on("request", count);
    await details.getByRole("button", { name: "Undo check-in", exact: true }).click();
    await page.waitForFunction(() => document.querySelector("#ad-undo-reason")?.getAttribute("aria-invalid") === "true");
    assert.match(await details.locator("#ad-undo-reason-error").innerText(), /Say why the check-in is undone/);
    assert.equal(sent, 0, "nothing is sent without a reason");
    page.off("request", count);

    const reason = `checked in the wrong patient (${uniqueName("run ")})`;
    await reasonBox.fill(reason);
    const undone = nextCall(page, "UndoAppointmentStatus");
    await details.getByRole("button", { name: "Undo check-in", exact: true }).click();
    const undoRes = await undone;
    assert.equal(undoRes.status(), 200, `UndoAppointmentStatus: ${await undoRes.text()}`);
    const body = undoRes.request().postDataJSON();
    assert.equal(body.name, appointment.name);
    assert.equal(body.reason, reason);
    assert.ok(body.etag, "the undo carries the etag");
    assert.equal((await undoRes.json()).state, appointment.state === "APPOINTMENT_STATE_CONFIRMED" ? "APPOINTMENT_STATE_CONFIRMED" : "APPOINTMENT_STATE_BOOKED");

    // 3. Back to booked, with the undo said in words.
    await details.locator("#ad-state").getByText(wasState).waitFor();
    const line = details.locator("#ad-last-undo");
    await line.waitFor();
    const escape = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    assert.match((await line.innerText()).trim(), new RegExp(`^Check-in undone by \\S.* at \\d\\d:\\d\\d \\(.+\\): ${escape(reason)}$`));
    assertSpeaksPlainly(await details.innerText(), "the appointment dialog");
    await details.getByRole("button", { name: "Check in", exact: true }).waitFor();
    await details.getByRole("button", { name: "Close", exact: true }).click();
    await details.waitFor({ state: "hidden" });
    const stateClass = wasState === "Confirmed" ? "appt-confirmed" : "appt-booked";
    await page.waitForFunction(
      ({ name, stateClass }) => document.querySelector(`#calendar-host [data-appointment="${name}"]`)?.dataset.state === stateClass,
      { name: appointment.name, stateClass },
    );

    // 4. A fresh read shows it too.
    const fresh = nextCall(page, "GetAppointment");
    await event.click();
    await details.waitFor();
    assert.equal((await fresh).status(), 200);
    await details.locator("#ad-last-undo").getByText(reason).waitFor();
    await details.getByRole("button", { name: "Close", exact: true }).click();
  });
});
