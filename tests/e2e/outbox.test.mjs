// End-to-end browser tests of the messages to patients, against a running
// clinic (gateway, appointments, patients, booking and notifications
// services, and the demo data):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//   CLINIC_MAILDIR=<the local SMTP server's Maildir> node tests/e2e/outbox.test.mjs
//
// - The front desk books an appointment for the demo patient Grace Kim (who
//   has an email) through the API (BookAppointment with a unique request_id,
//   at a free slot FindAvailableSlots finds 3 to 8 weeks ahead), opens Outbox
//   from the navigation and chooses her with the patient picker (ListMessages
//   with her name; the address keeps ?patient=<id>). Reloading every second
//   (up to 20 s), a "confirmation" row for that appointment appears: her
//   name, her email, the subject, the delivery in words; "Show message"
//   shows the text and the calendar file's facts (method REQUEST, the
//   sequence, the start as the slot's local time). Then the appointment is
//   cancelled through the API (CancelAppointment) and a "cancellation" row
//   appears, its calendar file with method CANCEL and a higher sequence. No
//   resource id or RFC 3339 time on the page. With CLINIC_MAILDIR set (./clinic
//   test sets it to the local SMTP server's Maildir), the confirmation email
//   is found in $CLINIC_MAILDIR/new with the same subject, her address, and a
//   calendar part (METHOD:REQUEST, DTSTART the slot's start).
// - On a phone, a new person books a free screening online with an email
//   (as book_online.test.mjs does). With CLINIC_MAILDIR set, their
//   confirmation email is found, the manage link (/manage.html?t=…) is taken
//   from its text and opened: the manage page shows the booking ("You are
//   booked." and its time).
//
// The mail parts are skipped (with the reason) when CLINIC_MAILDIR is unset.
// Each run leaves one cancelled appointment for Grace Kim, and one patient
// with one cancelled online appointment (cancelled through its manage
// token, in `after` if the test stops half-way).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import {
  accountFor,
  baseUrl,
  callPublicApi,
  checkServer,
  chooseFirstLocation,
  clickBook,
  fillBookingDetails,
  launchBrowser,
  logIn,
  openBooking,
  phoneContext,
  pickFirstOpenTime,
  readAccounts,
  uniqueName,
  waitOutRateLimit,
  withPage,
} from "./lib.mjs";
import { api, appointmentsApi, bookSlot, catalog, denver, findSlot, patientsApi } from "./calendar_lib.mjs";
import { findMail as findMailWithin, maildir, noMaildir } from "./maildir_lib.mjs";

/** Waits (up to 30 s) for an email `match` accepts, delivered since `since`. */
const findMail = (since, match, what) => findMailWithin(since, match, what, 30_000);

const listMessagesPath = "/clinic.notifications.v1.NotificationService/ListMessages";

let desktop;
let phone;
/** A manage token of an online booking this run made and has not cancelled yet (cancelled in `after`). */
let openToken;

before(async () => {
  await checkServer();
  desktop = await launchBrowser({ locale: "en-US" });
  phone = await launchBrowser({ ...phoneContext, locale: "en-US" });
});

after(async () => {
  await desktop?.close();
  await phone?.close();
  if (openToken) {
    const { status, body } = await callPublicApi("CancelManagedAppointment", { token: openToken }).catch((err) => ({
      status: 0,
      body: String(err),
    }));
    console.error(`# clean-up: cancelled the online booking through its link: HTTP ${status} ${JSON.stringify(body)}`);
  }
});

/** Runs of white space as one space (a mail server may fold a long header again). */
const squash = (s) => s.replace(/\s+/g, " ").trim();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** "Wed, Dec 2, 2026, 09:00": a local "YYYY-MM-DDTHH:MM" as the staff app writes it (en-US, 24 h), no zone arithmetic. */
function staffWall(localStart) {
  const [y, m, d] = localStart.slice(0, 10).split("-").map(Number);
  const [hh, mm] = localStart.slice(11, 16).split(":").map(Number);
  return new Intl.DateTimeFormat("en-US", {
    timeZone: "UTC",
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(new Date(Date.UTC(y, m - 1, d, hh, mm)));
}

/** "20261202T160000Z": an RFC 3339 instant as a calendar file's UTC time. */
const icsUtc = (rfc3339) => new Date(rfc3339).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");

// Dates and times in words, from "2026-12-01T09:00" as it is, as the public pages write them.
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

/** No resource id or RFC 3339 time in what people read. */
function assertSpeaksPlainly(text, what) {
  assert.doesNotMatch(text, /\b(appointments|patients|messages|locations|staff|appointmentTypes)\/[\w-]{6,}/, `${what} names an id: ${text}`);
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d\d:\d\d/, `${what} shows an RFC 3339 time: ${text}`);
}

// ---- the Outbox page ----

/** Waits for the page's next ListMessages (that `accept`s its request) and for the list to be shown. */
async function listed(page, act, accept = () => true) {
  const answered = page.waitForResponse(
    (res) => new URL(res.url()).pathname === listMessagesPath && res.request().method() === "POST" && accept(res.request().postDataJSON() ?? {}),
  );
  await act();
  const res = await answered;
  assert.equal(res.status(), 200, `ListMessages: HTTP ${res.status()} ${await res.text()}`);
  await page.locator('#outbox-status[aria-busy="false"]').waitFor();
  return res;
}

/**
 * The row of an appointment's message of `kind` ("confirmation",
 * "cancellation"): the page is reloaded every second until it shows, for at
 * most 20 s (the notifications service reads the appointments' events on
 * its own time).
 */
async function waitForRow(page, appointment, kind) {
  const row = page
    .locator(`tr.outbox-row[data-appointment="${appointment}"]`)
    .filter({ has: page.locator("td.outbox-kind", { hasText: new RegExp(`^\\s*${kind}\\s*$`) }) });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if ((await row.count()) > 0) return row.first();
    if (Date.now() > deadline) {
      const shown = await page.locator("main").innerText();
      assert.fail(`no "${kind}" row for the appointment in the Outbox after 20 s; the page says:\n${shown.slice(0, 1500)}`);
    }
    await sleep(1000);
    await listed(page, () => page.reload());
  }
}

/** The calendar file's fact named `label` in an open message ("Method" -> "REQUEST (adds …)"). */
async function fact(detail, label) {
  const dd = detail.locator(`xpath=.//dl/dt[normalize-space(.)="${label}"]/following-sibling::dd[1]`);
  return (await dd.count()) ? (await dd.innerText()).trim() : "";
}

/** Opens a row's message ("Show message"); returns the shown part. */
async function openMessage(row) {
  // A locator that does not depend on the name: clicking turns "Show message"
  // into "Hide message".
  const button = row.locator("button.outbox-toggle");
  assert.match((await button.getAttribute("aria-label")) ?? "", /^Show message/);
  await button.click();
  assert.equal(await button.getAttribute("aria-expanded"), "true");
  const detail = row.page().locator(`#${await button.getAttribute("aria-controls")}`);
  await detail.waitFor({ state: "visible" });
  return detail;
}

// ---- the Maildir ----

/** A property of an (unfolded) calendar file: "METHOD" -> "REQUEST". */
const icsProperty = (ics, name) => new RegExp(`^${name}(?:;[^:\\n]*)?:(.*)$`, "m").exec(ics)?.[1]?.trim() ?? "";

// ---- the tests ----

test("the front desk sees an appointment's confirmation and cancellation in the Outbox (and the email)", async (t) => {
  const started = Date.now() - 5_000;
  const kim = JSON.parse(await readFile(new URL("../../deploy/demo/patients/06-kim.json", import.meta.url), "utf8")).patient;
  const fullName = `${kim.givenName} ${kim.familyName}`;
  assert.ok(kim.email, "the demo patient has an email");
  let confirmationSubject = "";
  let slot;

  await withPage(desktop.context, t, async (page) => {
    await logIn(page, accountFor(await readAccounts(), "front_desk"));

    // ---- book an appointment for Grace Kim through the API ----
    const [found, body] = await api(page, patientsApi + "ListPatients", { query: kim.familyName, pageSize: 100 });
    assert.equal(found, 200, `ListPatients: ${JSON.stringify(body)}`);
    const patient = (body.patients ?? []).find(
      (p) => p.givenName === kim.givenName && p.familyName === kim.familyName && p.email === kim.email,
    );
    assert.ok(patient, `the demo patient ${fullName} (${kim.email}) is there`);
    const { locations, types } = await catalog(page);
    const location = denver(locations);
    slot = await findSlot(page, location, types);
    const appointment = await bookSlot(page, slot, patient);
    let cancelled = false;

    try {
      // ---- the Outbox, from the navigation; her messages ----
      await listed(page, () => page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Outbox", exact: true }).click());
      assert.equal(new URL(page.url()).pathname, "/staff/outbox");
      await page.getByRole("heading", { level: 1, name: "Outbox" }).waitFor();
      await listed(
        page,
        async () => {
          await page.getByRole("combobox", { name: "Patient", exact: true }).fill(kim.familyName);
          await page.getByRole("option", { name: new RegExp(`^${escape(fullName)}`) }).first().click();
        },
        (req) => req.patient === patient.name,
      );
      assert.equal(new URL(page.url()).searchParams.get("patient"), patient.name.slice("patients/".length), "the address keeps the patient");

      // ---- the confirmation ----
      const row = await waitForRow(page, appointment.name, "confirmation");
      const cells = (await row.locator("td").allInnerTexts()).map((s) => s.trim());
      assert.match(cells[0], /\d{2}:\d{2}/, "the time it was made");
      assert.ok(cells[1].startsWith(fullName), `the patient's name: ${cells[1]}`);
      assert.equal(cells[2], "confirmation");
      assert.equal(cells[3], kim.email, "sent to her email");
      confirmationSubject = cells[4];
      assert.ok(confirmationSubject.length > 0, "a subject");
      assert.match(cells[5], /^(queued|sent|retrying)\b/, `the delivery in words: ${cells[5]}`);
      if (cells[5].startsWith("sent")) assert.match(cells[5], /^sent( \(\d+ attempts\))?: \S/, "sent, with the relay's answer");

      const detail = await openMessage(row);
      const shown = await detail.innerText();
      assert.ok(shown.includes(`Subject: ${confirmationSubject}`), `the subject is shown: ${shown}`);
      assert.ok((await detail.locator(".outbox-body").innerText()).includes(kim.givenName), "the text greets her");
      assert.match(await fact(detail, "Method"), /^REQUEST\b/, "the calendar file adds the appointment");
      const confirmationSequence = Number(await fact(detail, "Sequence"));
      assert.ok(Number.isInteger(confirmationSequence), "the calendar file's sequence");
      const starts = await fact(detail, "Starts");
      assert.ok(starts.startsWith(staffWall(slot.localStart)), `starts at the slot's local time ${staffWall(slot.localStart)}: ${starts}`);
      assert.ok((await fact(detail, "Ends")).length > 0, "an end");
      assert.ok((await fact(detail, "Summary")).length > 0, "a summary");
      assertSpeaksPlainly(await page.locator("main").innerText(), "the Outbox");

      // ---- cancel it through the API: the cancellation ----
      const [status, res] = await api(page, appointmentsApi + "CancelAppointment", {
        name: appointment.name,
        reason: "Outbox test: the patient cannot come.",
        etag: appointment.etag,
      });
      assert.equal(status, 200, `CancelAppointment: ${JSON.stringify(res)}`);
      cancelled = true;
      await listed(page, () => page.reload());
      const cancellation = await waitForRow(page, appointment.name, "cancellation");
      const cancelCells = (await cancellation.locator("td").allInnerTexts()).map((s) => s.trim());
      assert.ok(cancelCells[1].startsWith(fullName), `the patient's name: ${cancelCells[1]}`);
      assert.equal(cancelCells[3], kim.email);
      assert.match(cancelCells[5], /^(queued|sent|retrying)\b/);
      const cancelDetail = await openMessage(cancellation);
      assert.match(await fact(cancelDetail, "Method"), /^CANCEL\b/, "the calendar file removes the appointment");
      assert.ok(Number(await fact(cancelDetail, "Sequence")) > confirmationSequence, "a higher sequence than the confirmation's");
      assert.ok((await fact(cancelDetail, "Starts")).startsWith(staffWall(slot.localStart)), "the same appointment");
      assertSpeaksPlainly(await page.locator("main").innerText(), "the Outbox");
    } finally {
      if (!cancelled) {
        const [status] = await api(page, appointmentsApi + "CancelAppointment", {
          name: appointment.name,
          reason: "Outbox test: clean-up after a failure.",
        }).catch(() => [0]);
        console.error(`# clean-up: cancelled the test's appointment: HTTP ${status}`);
      }
    }
  });

  await t.test("the confirmation email arrived, with the same subject and the calendar file", async (st) => {
    if (!maildir) return st.skip(noMaildir);
    const mail = await findMail(
      started,
      (m) => m.to.toLowerCase().includes(kim.email.toLowerCase()) && squash(m.subject) === squash(confirmationSubject),
      `to ${kim.email} with the subject "${confirmationSubject}"`,
    );
    assert.ok(mail.text.includes(kim.givenName), `the text greets her: ${mail.text}`);
    assert.equal(icsProperty(mail.ics, "METHOD"), "REQUEST", `the calendar part (${mail.file})`);
    assert.equal(icsProperty(mail.ics, "DTSTART"), icsUtc(slot.startTime), "the calendar part starts at the slot's start");
  });
});

test("on a phone, a new person books online; the confirmation email's manage link opens the booking", async (t) => {
  const started = Date.now() - 5_000;
  const given = uniqueName();
  const email = `${given.toLowerCase()}@example.com`;

  await withPage(phone.context, t, async (page) => {
    // ---- book the first open time, as book_online.test.mjs does ----
    await openBooking(page);
    const { findOpenings } = await chooseFirstLocation(page);
    const opening = await pickFirstOpenTime(page, findOpenings);
    await fillBookingDetails(page, { given, family: "Mailed", email });
    const booked = await clickBook(page);
    assert.equal(booked.status(), 200, `BookOnline: HTTP ${booked.status()} ${await booked.text()}`);
    const { manageToken } = await booked.json();
    openToken = manageToken;
    await page.locator("#bk-done").waitFor({ state: "visible" });

    await t.test("the confirmation email's manage link opens the booking", async (st) => {
      if (!maildir) return st.skip(noMaildir);
      const mail = await findMail(started, (m) => m.to.toLowerCase().includes(email), `to ${email}`);
      assert.equal(icsProperty(mail.ics, "METHOD"), "REQUEST", `the calendar part (${mail.file})`);
      assert.equal(icsProperty(mail.ics, "DTSTART"), icsUtc(opening.startTime), "the calendar part starts at the time booked");
      const link = /(?:https?:\/\/[^\s/]+)?\/manage\.html\?t=([A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/.exec(mail.text);
      assert.ok(link, `the text has a manage link (/manage.html?t=…): ${mail.text}`);
      const token = link[1];

      await waitOutRateLimit(page, {
        act: async () => {
          const res = await page.goto(`${baseUrl}/manage.html?t=${token}`);
          assert.equal(res.status(), 200, `GET /manage.html: HTTP ${res.status()}`);
        },
        ready: page.locator("#mg-view"),
        again: () => page.locator("#mg-error").getByRole("button", { name: "Try again" }).click(),
      });
      assert.ok(!page.url().includes(token), "the token is gone from the address bar");
      await page.getByRole("heading", { level: 2, name: "You are booked." }).waitFor();
      assert.match(
        await page.locator("#mg-summary").innerText(),
        new RegExp(`${escape(dayWords(opening.localStart))}.*${escape(timeWords(opening.localStart))}`),
        "the booking's day and time",
      );
    });
  });

  // ---- leave the time free for the next run (waiting out the anonymous rate limit) ----
  let answer;
  for (let attempt = 1; attempt <= 4; attempt++) {
    answer = await callPublicApi("CancelManagedAppointment", { token: openToken });
    if (answer.status !== 429) break;
    await sleep(15_000);
  }
  assert.equal(answer.status, 200, `CancelManagedAppointment: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
  openToken = undefined;
});
