// End-to-end browser test of a therapist's "My day", against a running
// clinic with the demo data (appointments for the demo therapists over the
// coming two weeks, from tomorrow on):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/my_day.test.mjs
//
// - The first demo therapist (therapist1) logs in and lands on /staff/my-day
//   (not the patient list); "My day" is current in the navigation. The page
//   sends one ListAppointments for themself (therapist = their staff name)
//   from the start of today to the end of the 7th day after it; "Today,
//   <the location's date>" and "The week ahead" are shown, every appointment
//   answered is listed once (today's and the week's), each with its local
//   time in the location's zone (the browser runs in Pacific/Auckland), the
//   patient's name as a link to the patient's page, the type and location
//   names; no resource ids. The demo calendar has some in the week ahead.
// - The front desk has "Waitlist" in the navigation and no "My day"; /staff
//   brings them to the patient list.
// It only reads.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const listAppointments = "/clinic.appointments.v1.AppointmentService/ListAppointments";
const listLocations = "/clinic.appointments.v1.LocationService/ListLocations";

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser({ locale: "en-US", timezoneId: "Pacific/Auckland" });
});

after(async () => {
  await browser?.close();
});

/** "YYYY-MM-DD" and "HH:MM" of an instant in a zone. */
function local(iso, zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" })
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

test("a therapist lands on My day: today and the week ahead, in the location's time", async (t) => {
  await withPage(browser.context, t, async (page) => {
    const therapist = accountFor(await readAccounts(), "therapist");
    let appointmentsRes;
    let locationsRes;
    page.on("response", (res) => {
      const path = new URL(res.url()).pathname;
      if (path === listAppointments && res.status() === 200) appointmentsRes ??= res;
      if (path === listLocations && res.status() === 200) locationsRes ??= res;
    });

    await logIn(page, therapist);
    await page.waitForURL((url) => url.pathname === "/staff/my-day");
    await page.getByRole("heading", { level: 1, name: "My day" }).waitFor();
    const nav = page.getByRole("navigation", { name: "Staff" });
    assert.equal(await nav.getByRole("link", { name: "My day" }).getAttribute("aria-current"), "page");
    assert.equal(await nav.getByRole("link", { name: "Waitlist" }).count(), 0, "no Waitlist for a therapist");

    const today = page.getByRole("heading", { level: 2, name: /^Today, / });
    await today.waitFor();
    await page.getByRole("heading", { level: 2, name: "The week ahead" }).waitFor();
    assert.ok(appointmentsRes, "ListAppointments answered");
    assert.ok(locationsRes, "ListLocations answered");

    // The request: the signed-in therapist, today .. 7 days after, in the locations' zone.
    const me = await page.evaluate(async () => (await (await fetch("/auth/me")).json()).staffMember);
    const sent = appointmentsRes.request().postDataJSON();
    assert.equal(sent.therapist, me.name, "asks for the signed-in therapist's appointments");
    assert.ok(sent.startTime && sent.endTime, "a time range");
    const { locations = [] } = await locationsRes.json();
    const zoneOf = new Map(locations.map((l) => [l.name, l.timeZone]));
    const zone = locations[0].timeZone;
    const todayLocal = local(new Date().toISOString(), zone).date;
    // It covers today and the 7 days after in the location's zone: from its
    // midnight (or earlier, when the practice's locations span zones) to the
    // midnight 8 days on (or later).
    const from = local(sent.startTime, zone);
    assert.ok(from.date < todayLocal || (from.date === todayLocal && from.time === "00:00"), `from the location's midnight: ${sent.startTime}`);
    const [ty, tm, td] = todayLocal.split("-").map(Number);
    const eighth = new Date(Date.UTC(ty, tm - 1, td + 8)).toISOString().slice(0, 10);
    const to = local(sent.endTime, zone);
    assert.ok(to.date >= eighth, `to the midnight 8 days on: ${sent.endTime}`);
    const days = (Date.parse(sent.endTime) - Date.parse(sent.startTime)) / 86_400_000;
    assert.ok(days >= 7.9 && days <= 9.1, `8 local days asked for (a day more across zones), got ${days}`);

    // Today's heading is the location's date, whatever the browser's zone.
    const [y, m, d] = todayLocal.split("-").map(Number);
    const todayWords = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(
      new Date(Date.UTC(y, m - 1, d)),
    );
    assert.equal((await today.innerText()).trim(), `Today, ${todayWords}`);

    // Every appointment answered is listed, at its local time, with names, not ids.
    // (Only those of today and the 7 days after: the window asked for is
    // wider when the locations span zones.)
    const seventh = new Date(Date.UTC(ty, tm - 1, td + 7)).toISOString().slice(0, 10);
    const appointments = ((await appointmentsRes.json()).appointments ?? []).filter((a) => {
      const { date } = local(a.startTime, zoneOf.get(a.location) ?? zone);
      return date >= todayLocal && date <= seventh;
    });
    const items = page.locator("li.my-day-item");
    assert.equal(await items.count(), appointments.length, "each appointment listed once");
    const week = page.locator("section.my-day-week li.my-day-item");
    assert.ok((await week.count()) > 0, "the demo calendar has appointments for therapist1 in the week ahead");
    for (const a of appointments) {
      const { date, time } = local(a.startTime, zoneOf.get(a.location) ?? zone);
      const where = date === todayLocal ? page.locator("section.my-day-today") : page.locator(`section[aria-labelledby="my-day-${date}"]`);
      const item = where.locator("li.my-day-item").filter({ has: page.locator(`a[href="/staff/patients/${a.patient.slice("patients/".length)}"]`) }).filter({ hasText: time });
      assert.ok((await item.count()) >= 1, `the appointment at ${date} ${time} is listed that day with its patient`);
    }
    const text = await page.locator("main").innerText();
    assert.doesNotMatch(text, /(patients|locations|appointmentTypes|staff)\/[0-9a-f-]{8,}/, "no resource ids shown");
    assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, "no RFC 3339 times shown");

    // An appointment opens its patient's page.
    const link = week.first().getByRole("link");
    const name = (await link.innerText()).trim();
    await link.click();
    await page.waitForURL(/\/staff\/patients\/[^/]+$/);
    await page.getByRole("heading", { level: 1, name: new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) }).waitFor();
  });
});

test("the front desk has the Waitlist and no My day, and /staff is the patient list", async (t) => {
  const desk = await launchBrowser();
  try {
    await withPage(desk.context, t, async (page) => {
      await logIn(page, accountFor(await readAccounts(), "front_desk"));
      await page.goto(baseUrl + "/staff");
      await page.waitForURL((url) => url.pathname === "/staff/patients");
      await page.getByRole("heading", { level: 1, name: "Patients" }).waitFor();
      const nav = page.getByRole("navigation", { name: "Staff" });
      await nav.getByRole("link", { name: "Waitlist" }).waitFor();
      assert.equal(await nav.getByRole("link", { name: "My day" }).count(), 0);
      await page.goto(baseUrl + "/staff/my-day");
      await page.getByRole("heading", { level: 1, name: "You do not have access to this page" }).waitFor();
    });
  } finally {
    await desk.close();
  }
});
