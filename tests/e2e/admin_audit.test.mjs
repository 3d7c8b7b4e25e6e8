// End-to-end browser test of Admin → Audit trail, against a running clinic
// (gateway, patients and appointments services, the scheduling demo data)
// with its demo accounts:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/admin_audit.test.mjs
//
// The front desk (browser A) creates a patient with a unique name and books
// an appointment for them through the API (a free slot from
// FindAvailableSlots on a random week 3 to 8 weeks ahead). The admin
// (browser B) opens the audit trail, chooses that patient with the patient
// picker and sees "booked appointment" by the front desk member, with the
// patient's name, and no ids in the table. Then, 1,200 px wide, the page
// does not scroll sideways. `after` cancels the appointment; each run leaves
// one patient and one cancelled appointment.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, uniqueName, withPage } from "./lib.mjs";

const appointmentsApi = "/clinic.appointments.v1.AppointmentService/";
const patientsApi = "/clinic.patients.v1.PatientService/";
const auditPaths = [patientsApi + "ListPatientAuditEvents", appointmentsApi + "ListAppointmentAuditEvents"];

let frontDeskBrowser;
let adminBrowser;
let accounts;
/** What the first test made: the patient, their name, the appointment, the front desk member's name. */
const made = { patient: "", patientLabel: "", appointment: "", frontDeskName: "" };

/** A Connect call from the page (same origin, its session cookie): [status, body]. */
async function api(page, path, body) {
  return page.evaluate(
    async ({ path, body }) => {
      const res = await fetch(path, {
        method: "POST",
        headers: { "content-type": "application/json", "connect-protocol-version": "1" },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = { text };
      }
      return [res.status, json];
    },
    { path, body },
  );
}

const isoDate = (d) => ({ year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) });

function addDays(date, n) {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + n));
  return d.toISOString().slice(0, 10);
}

/** Books the patient into a free slot 3 to 8 weeks ahead (another slot if one is taken meanwhile). */
async function bookSomewhere(page, patient) {
  const [locStatus, locBody] = await api(page, "/clinic.appointments.v1.LocationService/ListLocations", { pageSize: 200 });
  assert.equal(locStatus, 200, `ListLocations: ${JSON.stringify(locBody)}`);
  const locations = locBody.locations ?? [];
  assert.ok(locations.length > 0, "the demo data has locations");
  const [typeStatus, typeBody] = await api(page, "/clinic.appointments.v1.AppointmentTypeService/ListAppointmentTypes", {});
  assert.equal(typeStatus, 200, `ListAppointmentTypes: ${JSON.stringify(typeBody)}`);
  const types = (typeBody.appointmentTypes ?? []).filter((ty) => ty.active);
  assert.ok(types.length > 0, "the demo data has appointment types");
  const zone = locations[0].timeZone || "UTC";
  const today = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date());
  for (let attempt = 0; attempt < 6; attempt++) {
    const start = addDays(today, 21 + Math.floor(Math.random() * 35));
    for (const type of types) {
      const [status, body] = await api(page, appointmentsApi + "FindAvailableSlots", {
        appointmentType: type.name,
        locations: locations.map((l) => l.name),
        startDate: isoDate(start),
        endDate: isoDate(addDays(start, 6)),
        maxSlots: 500,
      });
      assert.equal(status, 200, `FindAvailableSlots: ${JSON.stringify(body)}`);
      const slots = body.slots ?? [];
      if (slots.length === 0) continue;
      const slot = slots[Math.floor(Math.random() * slots.length)];
      const [bookStatus, booked] = await api(page, appointmentsApi + "BookAppointment", {
        requestId: randomUUID(),
        appointment: {
          patient,
          therapist: slot.therapist,
          location: slot.location,
          appointmentType: slot.appointmentType,
          startTime: slot.startTime,
          source: "APPOINTMENT_SOURCE_FRONT_DESK",
          notes: "e2e audit test",
        },
      });
      if (bookStatus === 409) break; // taken meanwhile: another week
      assert.equal(bookStatus, 200, `BookAppointment: ${JSON.stringify(booked)}`);
      return booked;
    }
  }
  assert.fail("no free slot found in the coming weeks");
}

before(async () => {
  await checkServer();
  accounts = await readAccounts();
  frontDeskBrowser = await launchBrowser();
  adminBrowser = await launchBrowser();
});

after(async () => {
  // Free the slot again (the patient stays, as in the other tests).
  if (made.appointment && frontDeskBrowser) {
    const page = await frontDeskBrowser.context.newPage();
    try {
      await logIn(page, accountFor(accounts, "front_desk"));
      await api(page, appointmentsApi + "CancelAppointment", { name: made.appointment, reason: "e2e audit test" });
    } catch (err) {
      console.error(`# could not cancel ${made.appointment}: ${err.message}`);
    } finally {
      await page.close();
    }
  }
  await frontDeskBrowser?.close();
  await adminBrowser?.close();
});

/** Waits for both trails' answers to the next load of the audit page: [patients, appointments]. */
function nextTrails(page) {
  return Promise.all(
    auditPaths.map((path) =>
      page.waitForResponse((res) => new URL(res.url()).pathname === path && res.request().method() === "POST"),
    ),
  );
}

test("a booking by the front desk is in the audit trail with names, chosen with the patient picker", async (t) => {
  // The front desk creates a patient and books them, through the API.
  await withPage(frontDeskBrowser.context, t, async (page) => {
    await logIn(page, accountFor(accounts, "front_desk"));
    const me = await page.evaluate(async () => (await fetch("/auth/me")).json());
    made.frontDeskName = `${me.staffMember.givenName} ${me.staffMember.familyName}`.trim();
    assert.ok(made.frontDeskName, "the front desk member has a name");

    const family = uniqueName();
    const [status, patient] = await api(page, patientsApi + "CreatePatient", {
      requestId: randomUUID(),
      patient: {
        givenName: "Audrey",
        familyName: family,
        birthDate: { year: 1990, month: 4, day: 2 },
        email: `${family.toLowerCase()}@example.com`,
      },
    });
    assert.equal(status, 200, `CreatePatient: ${JSON.stringify(patient)}`);
    made.patient = patient.name;
    made.patientLabel = `Audrey ${family}`;
    const booked = await bookSomewhere(page, made.patient);
    made.appointment = booked.name;
  });

  // The admin finds it by the patient's name.
  await withPage(adminBrowser.context, t, async (page) => {
    await logIn(page, accountFor(accounts, "admin"));
    const first = nextTrails(page);
    await page.goto(baseUrl + "/staff/admin/audit");
    await page.getByRole("heading", { level: 1, name: "Audit trail" }).waitFor();
    for (const res of await first) assert.equal(res.status(), 200, `${new URL(res.url()).pathname}: ${await res.text()}`);

    const picker = page.getByRole("combobox", { name: "Patient" });
    const family = made.patientLabel.split(" ")[1];
    const searched = page.waitForResponse(
      (res) => new URL(res.url()).pathname === patientsApi + "ListPatients" && res.request().postDataJSON()?.query === family,
    );
    await picker.fill(family);
    const searchRes = await searched;
    assert.equal(searchRes.status(), 200, `ListPatients: ${await searchRes.text()}`);
    const option = page.getByRole("option", { name: new RegExp(made.patientLabel) });
    await option.waitFor();
    assert.match(await option.innerText(), /born 2 Apr 1990/, "the option shows the date of birth");
    await option.click();
    assert.equal(await picker.inputValue(), made.patientLabel, "the input shows the name chosen");

    const filtered = nextTrails(page);
    await page.getByRole("button", { name: "Show events" }).click();
    for (const res of await filtered) {
      assert.equal(res.status(), 200, `${new URL(res.url()).pathname}: ${await res.text()}`);
      assert.equal(res.request().postDataJSON().resource, made.patient, "both trails are filtered by the patient");
    }
    await page.waitForURL((url) => url.searchParams.get("resource") === made.patient);

    const table = page.getByRole("table");
    const booking = table.locator("tbody tr", { hasText: "booked appointment" });
    await booking.first().waitFor();
    assert.equal(await booking.count(), 1, "one booking");
    await booking.getByRole("link", { name: made.frontDeskName, exact: true }).waitFor();
    await booking.getByRole("link", { name: made.patientLabel, exact: true }).waitFor();
    assert.match(await booking.innerText(), /done/, "the outcome in words");
    await page.getByRole("status").filter({ hasText: `about ${made.patientLabel}` }).waitFor();

    // Newest first, and what a person reads has no ids or method names.
    const times = await table.locator("tbody tr td:first-child time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
    assert.deepEqual(times, [...times].sort().reverse(), "newest first");
    const text = await table.innerText();
    assert.doesNotMatch(text, /\b(patients|appointments|staff|locations|waitlistEntries)\/[\w-]+/, "no resource names in the table");
    assert.doesNotMatch(text, /clinic\.\w+\.v1|BookAppointment|ListPatients/, "no method names in the table");
    assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i, "no ids in the table");
    // The request id is one click away, in the row's details.
    await booking.getByText("Details", { exact: true }).click();
    await booking.getByText("Request", { exact: true }).waitFor();
  });
});

test("the audit trail fits a 1,200 px wide window: no sideways scrolling", async (t) => {
  await withPage(adminBrowser.context, t, async (page) => {
    await page.setViewportSize({ width: 1200, height: 900 });
    await logIn(page, accountFor(accounts, "admin"));
    const loaded = nextTrails(page);
    await page.goto(baseUrl + "/staff/admin/audit");
    for (const res of await loaded) assert.equal(res.status(), 200, `${new URL(res.url()).pathname}: ${await res.text()}`);
    const table = page.getByRole("table");
    await table.locator("tbody tr").first().waitFor();
    // Open a few rows' details too: what they hold wraps inside the column.
    const summaries = table.locator("details summary");
    for (let i = 0; i < Math.min(3, await summaries.count()); i++) await summaries.nth(i).click();

    const sizes = await page.evaluate(() => {
      const doc = document.documentElement;
      const box = document.querySelector(".audit-scroll");
      return {
        page: [doc.scrollWidth, doc.clientWidth],
        box: box ? [box.scrollWidth, box.clientWidth] : [0, 0],
      };
    });
    assert.ok(sizes.page[0] <= sizes.page[1], `the page scrolls sideways: ${sizes.page[0]} > ${sizes.page[1]} px`);
    assert.ok(sizes.box[0] <= sizes.box[1], `the table is cut off in its box: ${sizes.box[0]} > ${sizes.box[1]} px`);
    // Every column, Outcome included, is inside the window.
    const right = await table.locator("thead th").last().evaluate((th) => th.getBoundingClientRect().right);
    assert.ok(right <= 1200, `the last column ends at ${right} px`);
  });
});
