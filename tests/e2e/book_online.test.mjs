// End-to-end browser test of booking online from the public site, against a
// running clinic (gateway, booking, appointments and patients services, and
// the scheduling demo data):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/book_online.test.mjs
//
// - On a phone, a visitor follows "Book a free screening" from the landing
//   page (/book.html?campaign=conditions/inner-knee-pain), chooses the first
//   location and the free screening (chosen at first), gets the open times of
//   the next 14 days (one FindOpenings), picks the first day with open times
//   and its first time, enters a unique person and consents, checks the
//   summary in words and books (BookOnline: the opening's therapist and start
//   passed back, the campaign, a random request_id). The confirmation
//   (role=status, focused) names the time. The front desk then finds the
//   appointment with ListAppointments (source online, that time, that person)
//   and cancels it, so that the next run finds the same first time free.
// - The details without a name: the errors are shown at the name fields and
//   nothing is sent.
//
// The anonymous calls are rate-limited per address: a 429 with a short
// Retry-After is waited out and the page's own "Try again" (or the same
// button) used (lib.mjs, waitOutRateLimit). Each run leaves one patient and
// one cancelled online appointment.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  accountFor,
  bookingApi,
  checkServer,
  chooseFirstLocation,
  launchBrowser,
  logIn,
  openBooking,
  openBookingFromHome,
  phoneContext,
  readAccounts,
  uniqueName,
  withPage,
} from "./lib.mjs";

const appointmentsApi = "/clinic.appointments.v1.AppointmentService/";

let phone;

before(async () => {
  await checkServer();
  phone = await launchBrowser(phoneContext);
});

after(async () => {
  await phone?.close();
});

/** Runs fn with a page of a fresh desktop browser (its own profile: the staff session ends with it). */
async function asStaff(t, fn) {
  const desktop = await launchBrowser();
  try {
    await withPage(desktop.context, t, fn);
  } finally {
    await desktop.close();
  }
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

/** The page is no wider than its screen. */
async function assertFitsScreen(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? "");

// Dates and times in words, from "2026-12-01T09:00" as it is (no time zone involved).
const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** "Tuesday 1 December". */
function dayWords(localStart) {
  const [y, m, d] = localStart.slice(0, 10).split("-").map(Number);
  return `${weekdays[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]} ${d} ${months[m - 1]}`;
}
/** "9:00 AM". */
function timeWords(localStart) {
  const h = Number(localStart.slice(11, 13));
  return `${h % 12 === 0 ? 12 : h % 12}:${localStart.slice(14, 16)} ${h < 12 ? "AM" : "PM"}`;
}
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Clicks "Book" and returns the BookOnline response. A 429 with a short
 * Retry-After is waited out — the page says "Too many requests…" — and the
 * same booking sent again, with the same request_id.
 */
async function book(page) {
  let firstRequestId;
  for (let attempt = 1; ; attempt++) {
    const answered = page.waitForResponse(
      (res) => new URL(res.url()).pathname === bookingApi + "BookOnline" && res.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Book", exact: true }).click();
    const res = await answered;
    const requestId = res.request().postDataJSON()?.requestId;
    firstRequestId ??= requestId;
    assert.equal(requestId, firstRequestId, "booking the same time again keeps its request_id");
    const retryAfter = Number(res.headers()["retry-after"]);
    if (res.status() === 429 && retryAfter > 0 && retryAfter <= 60 && attempt < 4) {
      await page.getByRole("alert").filter({ hasText: "Too many requests" }).waitFor();
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 250));
      continue;
    }
    return res;
  }
}

/** Picks the first day with open times and its first time; returns that opening (from FindOpenings). */
async function pickFirstTime(page, findOpenings) {
  const { openings = [] } = await findOpenings.json();
  assert.ok(openings.length > 0, "FindOpenings has open times in the next 14 days (the demo schedules should give some)");
  const first = [...openings].sort((a, b) => (a.localStart < b.localStart ? -1 : 1))[0];
  const firstDay = first.localStart.slice(0, 10);

  // The first day with open times: its button says so (its name, for a screen reader, in words).
  const day = page.locator("#bk-days button.day:not(.none)").first();
  assert.equal(await day.getAttribute("data-date"), firstDay, "the first day with open times is the first day of FindOpenings' openings");
  const count = openings.filter((o) => o.localStart.startsWith(firstDay)).length;
  const named = page.getByRole("button", {
    name: new RegExp(`^${escape(dayWords(first.localStart))}( \\d{4})?, ${count} open times?$`),
  });
  assert.equal(await named.count(), 1, `a button named "${dayWords(first.localStart)}, ${count} open times"`);
  await named.click();
  assert.equal(await day.getAttribute("aria-pressed"), "true");
  assert.match(await page.locator("#bk-day-title").innerText(), new RegExp("^" + escape(dayWords(first.localStart))));

  const times = page.getByRole("list", { name: dayWords(first.localStart) }).getByRole("button");
  assert.equal(await times.count(), count, "every open time of that day is offered");
  const time = times.first();
  assert.equal((await time.innerText()).trim(), timeWords(first.localStart));
  await time.click();
  return first;
}

test("on a phone, a visitor books a free screening from the landing page; the front desk sees the online booking", async (t) => {
  const given = uniqueName();
  const family = "Online";
  const email = `${given.toLowerCase()}@example.com`;
  let booked;

  // ---- the public site, on a phone ----
  await withPage(phone.context, t, async (page) => {
    await openBookingFromHome(page);
    assert.match(new URL(page.url()).pathname + new URL(page.url()).search, /^\/book\.html\?campaign=conditions\/inner-knee-pain$/);
    await assertFitsScreen(page);

    // 1. Location and type: the free screening is chosen at first.
    const screening = page.getByRole("radio", { name: /^Free screening\b/ });
    assert.ok(await screening.isChecked(), "Free screening is chosen at first");
    const appointmentType = await screening.inputValue();
    const { location, locationName, findOpenings } = await chooseFirstLocation(page);

    // 2. The open times of the next 14 days, asked for once.
    const asked = findOpenings.request().postDataJSON();
    assert.equal(asked.appointmentType, appointmentType);
    assert.equal(asked.location, location);
    const days = (Date.UTC(asked.endDate.year, asked.endDate.month - 1, asked.endDate.day) -
      Date.UTC(asked.startDate.year, asked.startDate.month - 1, asked.startDate.day)) / 86_400_000;
    assert.equal(days, 13, `14 days: ${JSON.stringify(asked)}`);
    assert.equal(await focusedId(page), "bk-time-title", "the step's heading has focus");
    assert.equal(await page.locator("#bk-days button.day").count(), 14, "a button for each of the 14 days");
    await assertFitsScreen(page);
    const opening = await pickFirstTime(page, findOpenings);

    // 3. Details.
    await page.getByRole("heading", { name: "Your details" }).waitFor();
    assert.equal(await focusedId(page), "bk-details-title");
    await page.getByLabel("First name").fill(given);
    await page.getByLabel("Last name").fill(family);
    await page.getByLabel("Day", { exact: true }).fill("2");
    await page.getByLabel("Month", { exact: true }).fill("4");
    await page.getByLabel("Year", { exact: true }).fill("1990");
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
    await page.getByLabel("I agree to be contacted about this appointment").check();
    const honeypot = page.locator('input[name="website"]');
    assert.equal(await honeypot.getAttribute("tabindex"), "-1");
    assert.equal(await honeypot.getAttribute("autocomplete"), "off");
    assert.ok(await honeypot.evaluate((el) => el.closest('[aria-hidden="true"]') !== null), "the honeypot is aria-hidden");
    await page.getByRole("button", { name: "Continue" }).click();

    // 4. The summary in words, then Book.
    await page.getByRole("heading", { name: "Check and book" }).waitFor();
    assert.equal(await focusedId(page), "bk-confirm-title");
    const summary = (await page.locator("#bk-summary").innerText()).trim();
    assert.match(
      summary,
      new RegExp(`^Free screening, ${escape(dayWords(opening.localStart))}( \\d{4})? at ${escape(timeWords(opening.localStart))}, ${escape(locationName)}\\.$`),
    );
    const res = await book(page);
    assert.equal(res.status(), 200, `BookOnline: HTTP ${res.status()} ${await res.text()}`);
    const sent = res.request().postDataJSON();
    assert.equal(sent.appointmentType, appointmentType);
    assert.equal(sent.location, location);
    assert.equal(sent.therapist, opening.therapist, "the opening's therapist is passed back unchanged");
    assert.equal(Date.parse(sent.startTime), Date.parse(opening.startTime), "and its start");
    assert.deepEqual(sent.person, { givenName: given, familyName: family, birthDate: { year: 1990, month: 4, day: 2 }, email });
    assert.equal(sent.consentToContact, true);
    assert.equal(sent.campaign, "conditions/inner-knee-pain");
    assert.ok(!sent.website, "the honeypot is sent empty");
    assert.match(sent.requestId ?? "", /^[0-9a-f-]{32,36}$/i, "a fresh random request_id");
    const body = await res.json();
    assert.equal(body.localStart, opening.localStart);

    // The confirmation names the time and takes focus.
    const done = page.locator("#bk-done");
    await done.waitFor({ state: "visible" });
    assert.equal(await done.getAttribute("role"), "status");
    assert.equal(await focusedId(page), "bk-done", "the confirmation has focus");
    const words = await done.innerText();
    if (body.confirmation?.trim()) assert.ok(words.includes(body.confirmation.trim()), `the service's confirmation is shown: ${words}`);
    const [, month, dayOfMonth] = opening.localStart.slice(0, 10).split("-").map(Number);
    assert.match(words, new RegExp(`\\b${dayOfMonth} ${months[month - 1]}\\b`), `the confirmation names the day: ${words}`);
    assert.match(words, new RegExp(`\\b${escape(timeWords(opening.localStart))}`), `the confirmation names the time: ${words}`);
    assert.match(words, /front desk will confirm/);
    assert.equal(await page.locator("#bk-flow").count(), 0, "the flow is gone");
    await assertFitsScreen(page);
    booked = { location, appointmentType, opening };
  });

  // ---- the front desk: the appointment is there, booked online ----
  await asStaff(t, async (page) => {
    await logIn(page, accountFor(await readAccounts(), "front_desk"));
    const start = Date.parse(booked.opening.startTime);
    const minutesIntoDay = Number(booked.opening.localStart.slice(11, 13)) * 60 + Number(booked.opening.localStart.slice(14, 16));
    const dayStart = start - minutesIntoDay * 60_000;
    const appointments = [];
    let pageToken = "";
    for (let n = 0; n < 20; n++) {
      const [status, body] = await api(page, appointmentsApi + "ListAppointments", {
        locations: [booked.location],
        startTime: new Date(dayStart).toISOString(),
        endTime: new Date(dayStart + 24 * 3600_000).toISOString(),
        pageSize: 500,
        pageToken,
      });
      assert.equal(status, 200, `ListAppointments: ${JSON.stringify(body)}`);
      appointments.push(...(body.appointments ?? []));
      pageToken = body.nextPageToken ?? "";
      if (!pageToken) break;
    }
    const online = appointments.filter((a) => Date.parse(a.startTime) === start && a.source === "APPOINTMENT_SOURCE_ONLINE");
    assert.ok(online.length > 0, `an online appointment at ${booked.opening.localStart}: ${JSON.stringify(appointments.map((a) => [a.localStart, a.source]))}`);
    let ours;
    for (const a of online) {
      const [status, patient] = await api(page, "/clinic.patients.v1.PatientService/GetPatient", { name: a.patient });
      assert.equal(status, 200, `GetPatient: ${JSON.stringify(patient)}`);
      if (patient.givenName === given && patient.familyName === family) ours = { a, patient };
    }
    assert.ok(ours, `one of them is ${given} ${family}'s`);
    assert.equal(ours.a.appointmentType, booked.appointmentType);
    assert.equal(ours.a.localStart, booked.opening.localStart);
    assert.equal(ours.a.state, "APPOINTMENT_STATE_BOOKED");
    assert.deepEqual(ours.patient.birthDate, { year: 1990, month: 4, day: 2 });
    assert.equal(ours.patient.email, email);

    // Free the time again, so the next run can book the same first opening.
    const [status, cancelled] = await api(page, appointmentsApi + "CancelAppointment", {
      name: ours.a.name,
      reason: "e2e: online booking test, cancelled by the test",
    });
    assert.equal(status, 200, `CancelAppointment: ${JSON.stringify(cancelled)}`);
  });
});

test("the details without a name: errors at the name fields, nothing sent", async (t) => {
  await withPage(phone.context, t, async (page) => {
    const sentBookings = [];
    page.on("request", (req) => {
      if (new URL(req.url()).pathname === bookingApi + "BookOnline") sentBookings.push(req);
    });
    await openBooking(page);
    const { findOpenings } = await chooseFirstLocation(page);
    await pickFirstTime(page, findOpenings);
    await page.getByRole("heading", { name: "Your details" }).waitFor();

    await page.getByLabel("Day", { exact: true }).fill("2");
    await page.getByLabel("Month", { exact: true }).fill("4");
    await page.getByLabel("Year", { exact: true }).fill("1990");
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(`${uniqueName().toLowerCase()}@example.com`);
    await page.getByLabel("I agree to be contacted about this appointment").check();
    await page.getByRole("button", { name: "Continue" }).click();

    // The summary at the top takes focus; each name field shows its error and points at it.
    const summary = page.getByRole("alert").filter({ hasText: "Please check your details." });
    await summary.waitFor();
    assert.equal(await focusedId(page), "bk-problems", "the summary has focus");
    for (const [id, label] of [["bk-given_name", "First name"], ["bk-family_name", "Last name"]]) {
      const input = page.locator(`[id="${id}"]`);
      assert.equal(await input.getAttribute("aria-invalid"), "true", `${id} is marked invalid`);
      const describedBy = ((await input.getAttribute("aria-describedby")) ?? "").split(/\s+/);
      assert.ok(describedBy.includes(`${id}-error`), `${id} points at its error: ${describedBy}`);
      const error = page.locator(`[id="${id}-error"]`);
      assert.ok(await error.isVisible(), `the error of ${id} is visible`);
      assert.equal(await error.getAttribute("data-error-for"), id);
      const text = (await error.innerText()).trim();
      assert.match(text, /name/i, `${id}: ${text}`);
      assert.ok((await summary.innerText()).includes(`${label}: ${text}`), `the summary lists ${label}`);
    }
    for (const id of ["bk-birth_day", "bk-email", "bk-consent_to_contact"]) {
      assert.equal(await page.locator(`[id="${id}"]`).getAttribute("aria-invalid"), null, `${id} is fine`);
    }
    assert.ok(await page.getByRole("heading", { name: "Your details" }).isVisible(), "still at the details");
    assert.equal(sentBookings.length, 0, "nothing is booked");

    // Typing a name clears its error.
    await page.getByLabel("First name").fill("Ann");
    assert.equal(await page.locator("#bk-given_name").getAttribute("aria-invalid"), null);
    assert.equal(await page.locator("#bk-given_name-error").count(), 0);
    assert.equal(await page.locator("#bk-family_name").getAttribute("aria-invalid"), "true", "the other error stays");
    await assertFitsScreen(page);
  });
});
