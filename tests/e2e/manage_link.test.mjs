// End-to-end browser test of the manage link (/manage.html?t=<token>), against
// a running clinic (gateway, booking, appointments and patients services, and
// the scheduling demo data — at least two open times in the next 14 days at
// the first location):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 node tests/e2e/manage_link.test.mjs
//
// - On a phone, a visitor books the first open time online (as
//   book_online.test.mjs does); the confirmation shows the manage link (the
//   whole address as its text, href /manage.html?t=<BookOnline's
//   manage_token>) and says to keep it private. Following it opens the
//   appointment (GetManagedAppointment with that token; the token is then
//   gone from the address bar; the page's referrer policy is no-referrer):
//   "You are booked." and the time. "Choose another time" asks FindOpenings
//   for the same type and location over 14 days; the first other time is
//   chosen, checked ("Move your appointment?") and moved to
//   (RescheduleManagedAppointment with the opening's therapist and start and a
//   random request_id): the page says so and shows the new time. "Cancel this
//   appointment" asks in the page (no browser dialog), "Yes, cancel it"
//   (CancelManagedAppointment): "This appointment is cancelled.", no more
//   actions. No serious or critical axe-core violation on the way.
// - A link that opens nothing: /manage.html?t=<a random 43-character token>
//   (GetManagedAppointment answers 404 "This link does not open an
//   appointment (any more).") and /manage.html?t=short (not a token: the page
//   asks nobody) say the same words.
//
// The anonymous calls are rate-limited per address (a burst of ten): about
// ten calls here; a 429 with a short Retry-After is waited out and the page's
// own "Try again" (or the same button) used (lib.mjs, waitOutRateLimit). Each
// run leaves one patient and one cancelled online appointment; if the test
// stops half-way, `after` cancels the booking through its link.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  baseUrl,
  bookingApi,
  callPublicApi,
  checkServer,
  chooseFirstLocation,
  clickBook,
  fillBookingDetails,
  launchBrowser,
  openBooking,
  phoneContext,
  pickFirstOpenTime,
  uniqueName,
  waitOutRateLimit,
  withPage,
} from "./lib.mjs";

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const goneWords = "This link does not open an appointment (any more).";

let phone;
/** The token of a booking this run made and has not cancelled yet (cancelled in `after`). */
let openToken;

before(async () => {
  await checkServer();
  phone = await launchBrowser(phoneContext);
});

after(async () => {
  await phone?.close();
  if (openToken) {
    const { status, body } = await callPublicApi("CancelManagedAppointment", { token: openToken }).catch((err) => ({
      status: 0,
      body: String(err),
    }));
    console.error(`# clean-up: cancelled the booking left by the test through its link: HTTP ${status} ${JSON.stringify(body)}`);
  }
});

/** The page is no wider than its screen. */
async function assertFitsScreen(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? "");

/** No axe-core violation of impact serious or critical (axe evaluated through the DevTools protocol, as public_a11y does). */
async function assertAccessible(page, where) {
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(axeSource + "\n;void 0");
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  assert.deepEqual(
    serious.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    [],
    `axe-core, ${where}`,
  );
}

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
/** "Tuesday 1 December[ 2026] at 9:00 AM", as a pattern (the year is said when it is not this year). */
const whenPattern = (localStart) => `${escape(dayWords(localStart))}( \\d{4})? at ${escape(timeWords(localStart))}`;

/** Collects the 200 responses of a BookingService method while `fn` runs; returns them. */
async function responsesOf(page, method, fn) {
  const seen = [];
  const on = (res) => {
    if (new URL(res.url()).pathname === bookingApi + method && res.status() === 200) seen.push(res);
  };
  page.on("response", on);
  try {
    await fn();
  } finally {
    page.off("response", on);
  }
  return seen;
}

test("on a phone, a visitor books online, follows the manage link, moves the appointment and cancels it", async (t) => {
  const given = uniqueName();
  const email = `${given.toLowerCase()}@example.com`;

  await withPage(phone.context, t, async (page) => {
    const dialogs = [];
    page.on("dialog", (d) => {
      dialogs.push(`${d.type()} "${d.message()}"`);
      void d.dismiss();
    });

    // ---- book the first open time, as book_online.test.mjs does ----
    await openBooking(page);
    const appointmentType = await page.getByRole("radio", { name: /^Free screening\b/ }).inputValue();
    const { location, findOpenings } = await chooseFirstLocation(page);
    const opening = await pickFirstOpenTime(page, findOpenings);
    await fillBookingDetails(page, { given, family: "Managed", email });
    const booked = await clickBook(page);
    assert.equal(booked.status(), 200, `BookOnline: HTTP ${booked.status()} ${await booked.text()}`);
    const { manageToken: token, localStart } = await booked.json();
    assert.match(token ?? "", /^[A-Za-z0-9_-]{43}$/, "BookOnline answers a manage token: 43 characters of base64url");
    openToken = token;
    assert.equal(localStart, opening.localStart);

    // ---- the confirmation: the manage link, the whole address as its text ----
    const done = page.locator("#bk-done");
    await done.waitFor({ state: "visible" });
    const link = done.getByRole("link", { name: /\/manage\.html\?t=/ });
    assert.equal(await link.getAttribute("href"), `/manage.html?t=${token}`);
    assert.equal((await link.innerText()).trim(), `${new URL(page.url()).origin}/manage.html?t=${token}`);
    const words = await done.innerText();
    assert.match(words, /To change or cancel, use this link:/);
    assert.match(words, /Whoever has this link can change or cancel your booking, so keep it private\./);
    await assertFitsScreen(page);

    // ---- follow it: the appointment, the token gone from the address bar ----
    const [opened] = await responsesOf(page, "GetManagedAppointment", () =>
      waitOutRateLimit(page, {
        act: () => link.click(),
        ready: page.locator("#mg-view"),
        again: () => page.locator("#mg-error").getByRole("button", { name: "Try again" }).click(),
      }),
    );
    assert.ok(opened, "GetManagedAppointment answered");
    assert.deepEqual(opened.request().postDataJSON(), { token });
    const appointment = await opened.json();
    assert.equal(appointment.localStart, opening.localStart);
    assert.equal(appointment.appointmentType, appointmentType);
    assert.equal(appointment.location, location);
    assert.equal(appointment.active, true);
    assert.equal(appointment.changeable, true, "the first open time is past the type's minimum notice, so it can be changed");
    const url = new URL(page.url());
    assert.equal(url.pathname, "/manage.html");
    assert.ok(!page.url().includes(token) && !url.search.includes("t="), `the token is gone from the address bar: ${page.url()}`);
    assert.equal(await page.locator('meta[name="referrer"]').getAttribute("content"), "no-referrer");

    await page.getByRole("heading", { level: 2, name: "You are booked." }).waitFor();
    const summary = page.locator("#mg-summary");
    assert.match(await summary.innerText(), new RegExp(`${escape(dayWords(opening.localStart))}.*${escape(timeWords(opening.localStart))}`));
    await assertFitsScreen(page);
    await assertAccessible(page, "the appointment, on a phone");

    // ---- choose another time: the same type and location, 14 days ----
    const [found] = await responsesOf(page, "FindOpenings", () =>
      waitOutRateLimit(page, {
        act: () => page.getByRole("button", { name: "Choose another time" }).click(),
        ready: page.locator("#mg-calendar"),
        again: () => page.locator("#mg-time-error").getByRole("button", { name: "Try again" }).click(),
      }),
    );
    assert.ok(found, "FindOpenings answered");
    const asked = found.request().postDataJSON();
    assert.equal(asked.appointmentType, appointmentType);
    assert.equal(asked.location, location);
    const days = (Date.UTC(asked.endDate.year, asked.endDate.month - 1, asked.endDate.day) -
      Date.UTC(asked.startDate.year, asked.startDate.month - 1, asked.startDate.day)) / 86_400_000;
    assert.equal(days, 13, `14 days: ${JSON.stringify(asked)}`);
    assert.equal(await focusedId(page), "mg-time-title", "the panel's heading has focus");
    assert.equal(await page.locator("#mg-days button.day").count(), 14, "a button for each of the 14 days");
    const { openings = [] } = await found.json();
    const others = openings.filter((o) => o.localStart !== opening.localStart).sort((a, b) => (a.localStart < b.localStart ? -1 : 1));
    assert.ok(others.length > 0, "another open time in the next 14 days (the demo schedules should give some)");
    const target = others[0];
    assert.equal(
      await page.locator(`#mg-times button[data-local-start="${opening.localStart}"]`).count(),
      0,
      "the appointment's own time is not offered",
    );
    await page.emulateMedia({ colorScheme: "dark" });
    await assertAccessible(page, "the other times, dark colours");
    await page.emulateMedia({ colorScheme: "light" });
    await assertFitsScreen(page);

    await page.locator(`#mg-days button.day[data-date="${target.localStart.slice(0, 10)}"]`).click();
    const time = page.locator(`#mg-times button[data-local-start="${target.localStart}"]`);
    assert.equal((await time.innerText()).trim(), timeWords(target.localStart));
    await time.click();

    // ---- check the move, then move ----
    await page.getByRole("heading", { name: "Move your appointment?" }).waitFor();
    assert.equal(await focusedId(page), "mg-move-title");
    assert.match(await page.locator("#mg-move-from").innerText(), new RegExp(`^${whenPattern(opening.localStart)}$`));
    assert.match(await page.locator("#mg-move-to").innerText(), new RegExp(`^${whenPattern(target.localStart)}$`));
    const moveButton = page.getByRole("button", { name: "Move my appointment" });
    const moves = [];
    const onMove = (req) => {
      if (new URL(req.url()).pathname === bookingApi + "RescheduleManagedAppointment") moves.push(req.postDataJSON());
    };
    page.on("request", onMove);
    const [moved] = await responsesOf(page, "RescheduleManagedAppointment", () =>
      waitOutRateLimit(page, { act: () => moveButton.click(), ready: page.locator("#mg-done") }),
    );
    page.off("request", onMove);
    assert.ok(moved, "RescheduleManagedAppointment answered");
    const sent = moved.request().postDataJSON();
    assert.equal(sent.token, token);
    assert.equal(sent.therapist, target.therapist, "the opening's therapist is passed back unchanged");
    assert.equal(Date.parse(sent.startTime), Date.parse(target.startTime), "and its start");
    assert.match(sent.requestId ?? "", /^[0-9a-f-]{32,36}$/i, "a random request_id");
    assert.ok(moves.every((m) => m.requestId === sent.requestId), "the same move sent again keeps its request_id");
    const movedTo = await moved.json();
    assert.equal(movedTo.localStart, target.localStart);
    assert.equal(movedTo.active, true);

    // The page says so, with the new time.
    const status = page.locator("#mg-done");
    assert.equal(await status.getAttribute("role"), "status");
    assert.equal(await focusedId(page), "mg-done", "what happened has focus");
    assert.match(await status.innerText(), new RegExp(`moved to ${whenPattern(target.localStart)}\\.`));
    assert.match(await summary.innerText(), new RegExp(`${escape(dayWords(target.localStart))}.*${escape(timeWords(target.localStart))}`));
    assert.ok(await page.getByRole("heading", { level: 2, name: "You are booked." }).isVisible());
    await assertFitsScreen(page);

    // ---- cancel: asked in the page, then cancelled ----
    await page.getByRole("button", { name: "Cancel this appointment" }).click();
    await page.getByRole("heading", { name: "Cancel this appointment?" }).waitFor();
    assert.equal(await focusedId(page), "mg-cancel-title");
    assert.match(await page.locator("#mg-cancel-what").innerText(), new RegExp(escape(timeWords(target.localStart))));
    await assertAccessible(page, "the check before cancelling");
    const [cancelled] = await responsesOf(page, "CancelManagedAppointment", () =>
      waitOutRateLimit(page, {
        act: () => page.getByRole("button", { name: "Yes, cancel it" }).click(),
        ready: page.locator("#mg-done").filter({ hasText: "cancelled" }),
      }),
    );
    assert.ok(cancelled, "CancelManagedAppointment answered");
    assert.deepEqual(cancelled.request().postDataJSON(), { token });
    const gone = await cancelled.json();
    assert.equal(gone.cancelled, true);
    assert.ok(!gone.changeable, "a cancelled appointment cannot be changed");
    openToken = undefined;

    await page.getByRole("heading", { level: 2, name: "This appointment is cancelled." }).waitFor();
    assert.equal(await focusedId(page), "mg-done");
    assert.equal(await page.getByRole("button", { name: "Choose another time" }).count(), 0, "no more moving");
    assert.equal(await page.getByRole("button", { name: "Cancel this appointment" }).count(), 0, "no more cancelling");
    assert.ok(await page.getByRole("link", { name: "Book a new appointment" }).isVisible());
    assert.deepEqual(dialogs, [], "no browser dialog (the check is in the page)");
    await assertFitsScreen(page);
    await assertAccessible(page, "the cancelled appointment");
  });
});

test("a link that opens nothing: a random token and a mistyped one say the same", async (t) => {
  await withPage(phone.context, t, async (page) => {
    const calls = [];
    page.on("request", (req) => {
      if (new URL(req.url()).pathname === bookingApi + "GetManagedAppointment") calls.push(req.postDataJSON());
    });
    const gone = page.locator("#mg-gone");

    // A random token: 256 bits, base64url, as the service makes them — but none it made.
    const random = randomBytes(32).toString("base64url");
    assert.equal(random.length, 43);
    const [answer] = await Promise.all([
      page.waitForResponse((res) => new URL(res.url()).pathname === bookingApi + "GetManagedAppointment" && res.status() !== 429),
      waitOutRateLimit(page, {
        act: async () => {
          const res = await page.goto(`${baseUrl}/manage.html?t=${random}`);
          assert.equal(res.status(), 200, `GET /manage.html: HTTP ${res.status()}`);
        },
        ready: gone,
        again: () => page.locator("#mg-error").getByRole("button", { name: "Try again" }).click(),
      }),
    ]);
    assert.equal(answer.status(), 404, `GetManagedAppointment of a random token: HTTP ${answer.status()}`);
    const body = await answer.json();
    assert.equal(body.code, "not_found");
    assert.equal(body.message, goneWords, "always the same words");
    assert.deepEqual(calls.at(-1), { token: random });
    const randomWords = (await gone.innerText()).trim();
    assert.match(randomWords, new RegExp(`^${escape(goneWords)} If you need help, call us\\.`));
    assert.ok(!page.url().includes(random), "the token is gone from the address bar");
    assert.equal(await page.locator("#mg-view").isVisible(), false);
    await assertFitsScreen(page);
    await assertAccessible(page, "a link that opens nothing");

    // Not a token at all: the same words, and the page asks nobody.
    const before = calls.length;
    const res = await page.goto(`${baseUrl}/manage.html?t=short`);
    assert.equal(res.status(), 200);
    await gone.waitFor();
    assert.equal((await gone.innerText()).trim(), randomWords, "the same words as for a random token");
    assert.equal(calls.length, before, "no call for something that is not a token");
    assert.equal(new URL(page.url()).search, "", "t is gone from the address bar");
  });
});
