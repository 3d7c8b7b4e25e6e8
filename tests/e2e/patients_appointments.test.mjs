// End-to-end browser test of a patient's appointments on the patient's page,
// against a running clinic with the demo data, as the front desk in a
// browser whose clock is in Pacific/Auckland:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/patients_appointments.test.mjs
//
// Maya Okafor's page (the demo calendar books her with therapist1): one
// ListAppointments {patient, show_cancelled} (every page); "Upcoming" lists
// each upcoming appointment answered with its local time in the location's
// zone (not the browser's), the type, therapist and location names and the
// state in words; no resource ids. "Book" links to
// /staff/calendar?patient=patients/<id> and opens the calendar. The page
// also has the Waitlist section with "Add to waitlist". It only reads.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const api = {
  listPatients: "/clinic.patients.v1.PatientService/ListPatients",
  listAppointments: "/clinic.appointments.v1.AppointmentService/ListAppointments",
  listLocations: "/clinic.appointments.v1.LocationService/ListLocations",
  listTypes: "/clinic.appointments.v1.AppointmentTypeService/ListAppointmentTypes",
  listStaff: "/clinic.staff.v1.StaffService/ListStaffMembers",
};

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser({ locale: "en-US", timezoneId: "Pacific/Auckland" });
});

after(async () => {
  await browser?.close();
});

/** "HH:MM" and the date ("Mon, Nov 30, 2026") of an instant in a zone, as the page writes them. */
function local(iso, zone) {
  const d = new Date(iso);
  const time = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" }).format(d);
  const day = new Intl.DateTimeFormat("en-US", { timeZone: zone, weekday: "short", day: "numeric", month: "short", year: "numeric" }).format(d);
  return { time, day };
}

test("the patient's page lists the appointments in local time, with a Book link", async (t) => {
  const okafor = JSON.parse(await readFile(new URL("../../deploy/demo/patients/01-okafor.json", import.meta.url), "utf8")).patient;
  const fullName = `${okafor.givenName} ${okafor.familyName}`;
  await withPage(browser.context, t, async (page) => {
    const answers = new Map();
    page.on("response", (res) => {
      const path = new URL(res.url()).pathname;
      if (Object.values(api).includes(path) && res.status() === 200 && !answers.has(path)) answers.set(path, res);
    });
    await logIn(page, accountFor(await readAccounts(), "front_desk"));

    // Find her and open her page.
    await page.goto(`${baseUrl}/staff/patients?q=${encodeURIComponent(okafor.familyName)}`);
    const link = page.getByRole("link", { name: new RegExp(fullName) }).first();
    await link.waitFor();
    const listed = page.waitForResponse((res) => new URL(res.url()).pathname === api.listAppointments && res.request().method() === "POST");
    await link.click();
    await page.waitForURL(/\/staff\/patients\/[^/]+$/);
    const id = new URL(page.url()).pathname.split("/").pop();
    await page.getByRole("heading", { level: 1, name: new RegExp(fullName) }).waitFor();
    const res = await listed;
    assert.equal(res.status(), 200, `ListAppointments: ${await res.text()}`);
    const sent = res.request().postDataJSON();
    assert.equal(sent.patient, `patients/${id}`, "the patient's appointments");
    assert.equal(sent.showCancelled, true, "cancelled ones too");

    const section = page.getByRole("region", { name: "Appointments", exact: true });
    await section.getByRole("heading", { level: 3, name: "Upcoming" }).waitFor();
    await section.locator("[aria-busy='true']").waitFor({ state: "detached" });

    // Book: the calendar with her chosen.
    const book = section.getByRole("link", { name: "Book", exact: true });
    assert.equal(await book.getAttribute("href"), `/staff/calendar?patient=patients/${id}`);

    // Each upcoming appointment answered, at its local time, in names.
    const { appointments = [] } = await res.json();
    const locations = new Map(((await answers.get(api.listLocations)?.json())?.locations ?? []).map((l) => [l.name, l]));
    const types = new Map(((await answers.get(api.listTypes)?.json())?.appointmentTypes ?? []).map((x) => [x.name, x.displayName]));
    const now = Date.now();
    const upcoming = appointments.filter((a) => Date.parse(a.endTime ?? a.startTime) > now);
    assert.ok(upcoming.length > 0, "the demo calendar has upcoming appointments for Maya Okafor");
    const rows = section.locator("table").first().locator("tbody tr");
    assert.equal(await rows.count(), upcoming.length, "one row per upcoming appointment");
    upcoming.sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
    for (const [i, a] of upcoming.entries()) {
      const location = locations.get(a.location);
      assert.ok(location, `the location of ${a.name} is known`);
      const { time, day } = local(a.startTime, location.timeZone);
      const cells = await rows.nth(i).locator("th, td").allInnerTexts();
      assert.ok(cells[0].includes(day) && cells[0].includes(time), `row ${i + 1} is at ${day}, ${time} (location's time): ${cells[0]}`);
      assert.equal(cells[1].trim(), types.get(a.appointmentType), "the type's name");
      assert.doesNotMatch(cells[2], /staff\//, "the therapist's name");
      assert.ok(cells[2].trim().length > 0);
      assert.equal(cells[3].trim(), location.displayName, "the location's name");
      assert.match(cells[4], /Booked|Confirmed|Checked in|Completed|No-show|Cancelled/, "the state in words");
    }
    const text = await section.innerText();
    assert.doesNotMatch(text, /(patients|locations|appointmentTypes|staff|appointments)\/[0-9a-f-]{8,}/, "no resource ids");
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, "no RFC 3339 times");

    // The front desk sees the waitlist section.
    const waitlist = page.getByRole("region", { name: "Waitlist", exact: true });
    await waitlist.getByRole("button", { name: "Add to waitlist" }).waitFor();

    // Book opens the calendar for her.
    await book.click();
    await page.waitForURL((url) => url.pathname === "/staff/calendar" && url.searchParams.get("patient") === `patients/${id}`);
  });
});
