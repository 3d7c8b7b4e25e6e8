// End-to-end browser test of a therapist's calendar feed ("Your calendar in
// your phone" on My day), against a running clinic (gateway with the
// GET /feeds/<token>.ics route, appointments, patients and notifications
// services, and the demo data):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/calendar_feed.test.mjs
//
// - The first demo therapist logs in (My day). The section "Your calendar in
//   your phone" (GetCalendarFeed for themself) offers "Make a calendar link"
//   — or, when an earlier run left one, "Make a new link (the old one stops
//   working)". Either sends CreateCalendarFeed with the therapist's staff
//   name; the URL it answers is shown once in a read-only field with "Copy"
//   and how to subscribe, "Made <date>, last read never" and what the events
//   show. A plain fetch() of the URL: 200, Content-Type text/calendar, a
//   VCALENDAR, and (unless the practice turned patient names on) none of the
//   family names of the patients of the therapist's appointments from 30
//   days ago to 90 days ahead.
// - "Make a new link (the old one stops working)": a new URL; the old one
//   answers 404, the new one 200. "Turn off" (RevokeCalendarFeed): "Make a
//   calendar link" again, and the URL answers 404; after a reload too (no
//   feed: GetCalendarFeed NOT_FOUND).
// Each run leaves the therapist without a feed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";
import { api, appointmentsApi, assertSpeaksPlainly, patientsApi } from "./calendar_lib.mjs";

const notificationsApi = "/clinic.notifications.v1.NotificationService/";

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser({ locale: "en-US" });
});

after(async () => {
  await browser?.close();
});

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Waits for the page's next call of a NotificationService method while `act` runs. */
async function call(page, method, act) {
  const answered = page.waitForResponse((res) => new URL(res.url()).pathname === notificationsApi + method && res.request().method() === "POST");
  await act();
  return answered;
}

/** A plain GET of the feed's URL (no cookie, no browser): { status, type, body }. */
async function fetchFeed(url) {
  const res = await fetch(new URL(url, baseUrl), { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await res.text() };
}

/** The family names of the patients of the therapist's appointments from 30 days ago to 90 days ahead (at most 40 patients). */
async function familyNames(page, therapist) {
  const day = 86_400_000;
  const now = Date.now();
  const patients = new Set();
  // ListAppointments takes at most 92 days at a time.
  for (const [from, to] of [[now - 30 * day, now + 60 * day], [now + 60 * day, now + 91 * day]]) {
    let pageToken = "";
    for (let i = 0; i < 10; i++) {
      const [status, body] = await api(page, appointmentsApi + "ListAppointments", {
        therapist,
        startTime: new Date(from).toISOString(),
        endTime: new Date(to).toISOString(),
        pageSize: 500,
        pageToken,
      });
      assert.equal(status, 200, `ListAppointments: ${JSON.stringify(body)}`);
      for (const a of body.appointments ?? []) patients.add(a.patient);
      pageToken = body.nextPageToken ?? "";
      if (!pageToken) break;
    }
  }
  const names = new Set();
  for (const name of [...patients].slice(0, 40)) {
    const [status, p] = await api(page, patientsApi + "GetPatient", { name });
    if (status === 200 && p.familyName?.trim().length >= 3) names.add(p.familyName.trim());
  }
  return [...names];
}

test("a therapist makes a calendar link on My day, subscribes to it, makes a new one and turns it off", async (t) => {
  const therapist = accountFor(await readAccounts(), "therapist");
  await withPage(browser.context, t, async (page) => {
    await logIn(page, therapist);
    await page.waitForURL((url) => url.pathname === "/staff/my-day");
    await page.getByRole("heading", { level: 1, name: "My day" }).waitFor();
    const me = await page.evaluate(async () => (await (await fetch("/auth/me")).json()).staffMember);

    const section = page.getByRole("region", { name: "Your calendar in your phone", exact: true });
    await section.waitFor();
    const makeFirst = section.getByRole("button", { name: "Make a calendar link", exact: true });
    const makeNew = section.getByRole("button", { name: "Make a new link (the old one stops working)", exact: true });
    const turnOff = section.getByRole("button", { name: "Turn off", exact: true });
    await makeFirst.or(makeNew).first().waitFor();

    // ---- make a link (a new one, if an earlier run left one) ----
    // (The button shown decides which; both send CreateCalendarFeed.)
    const make = (await makeFirst.isVisible()) ? makeFirst : makeNew;
    const firstRes = await call(page, "CreateCalendarFeed", () => make.click());
    assert.equal(firstRes.status(), 200, `CreateCalendarFeed: ${await firstRes.text()}`);
    assert.deepEqual(firstRes.request().postDataJSON(), { therapist: me.name }, "the signed-in therapist's own feed");
    const first = await firstRes.json();
    assert.match(first.url ?? "", /\/feeds\/[A-Za-z0-9_-]+\.ics$/, `the URL: ${first.url}`);

    const input = section.getByLabel(/^Your calendar link/);
    await input.waitFor();
    assert.equal(await input.inputValue(), first.url, "the URL is shown");
    assert.equal(await input.getAttribute("readonly"), "", "read-only");
    await section.getByRole("button", { name: "Copy", exact: true }).waitFor();
    const words = (await section.innerText()).replace(/\s+/g, " ");
    assert.ok(
      words.includes(
        "Add it to your calendar program as a subscription (by URL). Anyone with this link sees your schedule; make a new one or turn it off if it leaks.",
      ),
      words,
    );
    if (!first.showsPatientNames) assert.ok(words.includes("Events show the appointment type and location, not patient names"), words);
    assert.match(await section.locator("#feed-made").innerText(), /^Made .+, last read never$/);
    await makeNew.waitFor();
    await turnOff.waitFor();
    assertSpeaksPlainly(await section.locator("#feed-made").innerText(), "the feed's line");

    // ---- subscribe: a plain GET of the URL ----
    const feed = await fetchFeed(first.url);
    assert.equal(feed.status, 200, `GET the feed: HTTP ${feed.status} ${feed.body.slice(0, 200)}`);
    assert.match(feed.type, /^text\/calendar\b/, `Content-Type: ${feed.type}`);
    assert.match(feed.body, /^BEGIN:VCALENDAR\r?$/m);
    assert.match(feed.body, /^END:VCALENDAR\r?$/m);
    if (!first.showsPatientNames) {
      const unfolded = feed.body.replace(/\r?\n[ \t]/g, "");
      for (const family of await familyNames(page, me.name)) {
        assert.doesNotMatch(unfolded, new RegExp(`\\b${escape(family)}\\b`), `the feed names the patient ${family}`);
      }
    }

    // ---- a new link: the old one stops working ----
    const secondRes = await call(page, "CreateCalendarFeed", () => makeNew.click());
    assert.equal(secondRes.status(), 200, `CreateCalendarFeed: ${await secondRes.text()}`);
    const second = await secondRes.json();
    assert.notEqual(second.url, first.url, "a new URL");
    await page.waitForFunction((url) => document.querySelector("#feed-url")?.value === url, second.url);
    assert.equal((await fetchFeed(first.url)).status, 404, "the old URL no longer works");
    assert.equal((await fetchFeed(second.url)).status, 200, "the new one does");

    // ---- turn it off ----
    const revoked = await call(page, "RevokeCalendarFeed", () => turnOff.click());
    assert.equal(revoked.status(), 200, `RevokeCalendarFeed: ${await revoked.text()}`);
    assert.deepEqual(revoked.request().postDataJSON(), { therapist: me.name });
    await makeFirst.waitFor();
    assert.equal(await section.locator("#feed-url").count(), 0, "the URL is no longer shown");
    const gone = await fetchFeed(second.url);
    assert.equal(gone.status, 404, `GET a turned-off feed: HTTP ${gone.status}`);

    // After a reload: no feed.
    const got = await call(page, "GetCalendarFeed", () => page.reload());
    assert.equal(got.status(), 404, "GetCalendarFeed: NOT_FOUND when there is none");
    await makeFirst.waitFor();
  });
});
