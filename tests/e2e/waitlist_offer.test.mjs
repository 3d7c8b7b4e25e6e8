// End-to-end browser test of a waitlist offer, against a running clinic
// (gateway, appointments, patients, booking and notifications services, the
// local SMTP server's Maildir, and the demo data):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//   CLINIC_MAILDIR=<the local SMTP server's Maildir> node tests/e2e/waitlist_offer.test.mjs
//
// - The front desk, through the API: two new patients, A (no email) and B
//   (an email unique to the run); A is booked at a free time 3 to 8 weeks
//   ahead at the Denver location (FindAvailableSlots, a follow-up); B goes on
//   the waitlist for that location, type and therapist (priority 100, until
//   a week after the time). A's appointment is cancelled (CancelAppointment):
//   its waitlist matches start with B's entry.
// - Within 20 s the offer's email to B is in $CLINIC_MAILDIR/new, its text
//   has the link /offer.html?t=<token>. On a phone, a visitor opens it:
//   GetOffer with the token (then gone from the address bar); "This time is
//   held for you", the time in words, "We are holding this time for you
//   until …"; no AcceptOffer, and B has no appointment yet (ListAppointments
//   for B). "Take this time" → AcceptOffer: "Booked: …" and "See, move or
//   cancel it" → /manage.html?t=<manage_token>. B now has exactly one
//   appointment, at that time with that therapist, source
//   APPOINTMENT_SOURCE_WAITLIST_OFFER; the offer (ListWaitlistOffers for B)
//   is ACCEPTED with that appointment.
// - The same link opened again: "You took this time"; the button again →
//   AcceptOffer answers the same booking (the same manage link); still one
//   appointment.
// - The front desk's Waitlist page (Denver): B's entry is gone, and the
//   Offers section lists the offer with B's name and "Taken".
//
// Skipped (with the reason) when CLINIC_MAILDIR is unset: the link is only
// in the email. The anonymous calls are rate-limited per address; a 429 with
// a short Retry-After is waited out (lib.mjs, waitOutRateLimit). Each run
// leaves two patients and two cancelled appointments (B's is cancelled at
// the end); if the test stops half-way, what it made is cancelled or removed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, bookingApi, checkServer, launchBrowser, logIn, phoneContext, readAccounts, waitOutRateLimit, withPage } from "./lib.mjs";
import {
  addDays,
  api,
  appointmentsApi,
  assertSpeaksPlainly,
  bookSlot,
  catalog,
  createPatient,
  denver,
  findSlot,
  isoDate,
  patientsApi,
  uniqueName,
} from "./calendar_lib.mjs";
import { findMail, maildir, noMaildir } from "./maildir_lib.mjs";

let desktop;
let phone;

before(async () => {
  await checkServer();
  desktop = await launchBrowser({ locale: "en-US" });
  phone = await launchBrowser({ ...phoneContext, locale: "en-US" });
});

after(async () => {
  await desktop?.close();
  await phone?.close();
});

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Dates and times in words, from "2026-12-01T09:00" as it is, as the public pages write them.
const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
/** "Tuesday 1 December". */
function dayWords(localStart) {
  const [y, m, d] = localStart.slice(0, 10).split("-").map(Number);
  return `${weekdays[new Date(Date.UTC(y, m - 1, d)).getUTCDay()]} ${d} ${months[m - 1]}`;
}
/** "9:00 AM" (or "09:00 AM": the service's hour may be zero-padded). */
function timePattern(localStart) {
  const h = Number(localStart.slice(11, 13));
  return `0?${h % 12 === 0 ? 12 : h % 12}:${localStart.slice(14, 16)} ${h < 12 ? "AM" : "PM"}`;
}

/** Collects the responses of a BookingService method (any status) while `fn` runs; returns them. */
async function responsesOf(page, method, fn) {
  const seen = [];
  const on = (res) => {
    if (new URL(res.url()).pathname === bookingApi + method) seen.push(res);
  };
  page.on("response", on);
  try {
    await fn();
  } finally {
    page.off("response", on);
  }
  return seen;
}

/** B's appointments from now to 90 days ahead (cancelled ones left out). */
async function appointmentsOf(page, patient) {
  const [status, body] = await api(page, appointmentsApi + "ListAppointments", {
    patient,
    startTime: new Date().toISOString(),
    endTime: new Date(Date.now() + 90 * 86_400_000).toISOString(),
    pageSize: 100,
  });
  assert.equal(status, 200, `ListAppointments: ${JSON.stringify(body)}`);
  return (body.appointments ?? []).filter((a) => a.state !== "APPOINTMENT_STATE_CANCELLED");
}

/** Opens the offer link in `page` and waits for the offer (waiting out a 429). Returns GetOffer's 200 response. */
async function openOffer(page, token) {
  const answers = await responsesOf(page, "GetOffer", () =>
    waitOutRateLimit(page, {
      act: async () => {
        const res = await page.goto(`${baseUrl}/offer.html?t=${token}`);
        assert.equal(res.status(), 200, `GET /offer.html: HTTP ${res.status()}`);
      },
      ready: page.locator("#of-view"),
      again: () => page.locator("#of-error").getByRole("button", { name: "Try again" }).click(),
    }),
  );
  const ok = answers.filter((r) => r.status() === 200);
  assert.ok(ok.length > 0, `GetOffer answered: ${answers.map((r) => r.status()).join(", ")}`);
  assert.deepEqual(ok.at(-1).request().postDataJSON(), { token });
  assert.ok(!page.url().includes(token), `the token is gone from the address bar: ${page.url()}`);
  return ok.at(-1);
}

/** Clicks the offer's button and waits for "Booked" (waiting out a 429). Returns AcceptOffer's 200 response. */
async function takeIt(page, buttonName) {
  const answers = await responsesOf(page, "AcceptOffer", () =>
    waitOutRateLimit(page, {
      act: () => page.locator("#of-actions").getByRole("button", { name: buttonName }).click(),
      ready: page.locator("#of-done"),
    }),
  );
  const ok = answers.filter((r) => r.status() === 200);
  assert.ok(ok.length > 0, `AcceptOffer answered: ${answers.map((r) => r.status()).join(", ")}`);
  return ok.at(-1);
}

test(
  "a cancelled time is offered by email to the waitlisted patient, who takes it in one click (twice: the same booking)",
  { skip: maildir ? false : noMaildir },
  async (t) => {
    const started = Date.now() - 5_000;
    const accounts = await readAccounts();

    await withPage(desktop.context, t, async (page) => {
      await logIn(page, accountFor(accounts, "front_desk"));

      // What this run made, for the clean-up if it stops half-way.
      let freed; // A's appointment, until cancelled
      let entry; // B's waitlist entry, until taken
      let taken; // B's appointment
      try {
        // ---- A booked, B on the waitlist for that time ----
        const { locations, types } = await catalog(page);
        const location = denver(locations);
        const type = types.find((ty) => /follow/i.test(ty.displayName)) ?? types[0];
        const slot = await findSlot(page, location, [type]);
        const a = await createPatient(page, uniqueName("Freed"), "Canceller");
        freed = await bookSlot(page, slot, a);

        const given = uniqueName("Offer");
        const family = "Waitlisted";
        const email = `${given.toLowerCase()}@example.com`;
        const [bStatus, b] = await api(page, patientsApi + "CreatePatient", {
          patient: { givenName: given, familyName: family, birthDate: { year: 1985, month: 6, day: 3 }, email, phone: "+1 303 555 0177" },
          requestId: uniqueName("e2e-patient-"),
        });
        assert.equal(bStatus, 200, `CreatePatient: ${JSON.stringify(b)}`);
        const [wStatus, w] = await api(page, appointmentsApi + "CreateWaitlistEntry", {
          entry: {
            patient: b.name,
            location: location.name,
            appointmentType: type.name,
            therapist: slot.therapist,
            latestDate: isoDate(addDays(slot.localStart.slice(0, 10), 7)),
            priority: 100,
            notes: `e2e waitlist offer ${given}`,
          },
          requestId: uniqueName("e2e-waitlist-"),
        });
        assert.equal(wStatus, 200, `CreateWaitlistEntry: ${JSON.stringify(w)}`);
        entry = w;

        // ---- A's appointment cancelled: B is offered the time ----
        const [cStatus, cancelled] = await api(page, appointmentsApi + "CancelAppointment", {
          name: freed.name,
          reason: "Waitlist offer test: the patient cannot come.",
          etag: freed.etag,
        });
        assert.equal(cStatus, 200, `CancelAppointment: ${JSON.stringify(cancelled)}`);
        freed = undefined;
        const matches = cancelled.waitlistMatches ?? [];
        assert.equal(matches[0]?.name, entry.name, `B's entry is the first match: ${JSON.stringify(matches.map((m) => [m.name, m.priority]))}`);

        // ---- the offer's email to B, with the link ----
        const mail = await findMail(
          started,
          (m) => m.to.toLowerCase().includes(email) && m.parts.some((p) => p.content.includes("/offer.html?t=")),
          `to ${email} with a link /offer.html?t=…`,
        );
        const text = mail.parts.map((p) => p.content).join("\n");
        const link = /(?:https?:\/\/[^\s/"'<>]+)?\/offer\.html\?t=([A-Za-z0-9_-]+)/.exec(text);
        assert.ok(link, `the email has the offer link: ${mail.text}`);
        const token = link[1];
        const [oStatus, offers] = await api(page, appointmentsApi + "ListWaitlistOffers", { patient: b.name });
        assert.equal(oStatus, 200, `ListWaitlistOffers: ${JSON.stringify(offers)}`);
        assert.equal(offers.offers?.length, 1, `one offer for B: ${JSON.stringify(offers)}`);
        const offer = offers.offers[0];
        assert.equal(offer.state, "OFFERED");
        assert.equal(offer.waitlistEntry, entry.name);
        assert.equal(Date.parse(offer.slot.startTime), Date.parse(slot.startTime), "the time offered is the cancelled one");

        // ---- on a phone: the link opens the offer, and books nothing ----
        let booked;
        await withPage(phone.context, t, async (pub) => {
          const accepts = [];
          pub.on("request", (req) => {
            if (new URL(req.url()).pathname === bookingApi + "AcceptOffer") accepts.push(req.postDataJSON());
          });
          const opened = await openOffer(pub, token);
          const view = await opened.json();
          assert.equal(view.state, "OPEN", `GetOffer: ${JSON.stringify(view)}`);
          assert.equal(view.localStart, slot.localStart);
          await pub.getByRole("heading", { level: 2, name: "This time is held for you" }).waitFor();
          assert.match(await pub.locator("#of-summary").innerText(), new RegExp(`${escape(dayWords(slot.localStart))}.*${timePattern(slot.localStart)}`));
          assert.match(await pub.locator("#of-detail").innerText(), /^We are holding this time for you until .+\.$/);
          assert.equal(await pub.locator("#of-actions").getByRole("button").count(), 1, "one button");
          assert.equal(await pub.getByRole("button", { name: "Take this time" }).isEnabled(), true);
          assertSpeaksPlainly(await pub.locator("main").innerText(), "the offer page");
          assert.deepEqual(accepts, [], "opening the page books nothing");
          assert.deepEqual(await appointmentsOf(page, b.name), [], "B has no appointment before the click");

          // ---- "Take this time" ----
          const accepted = await takeIt(pub, "Take this time");
          assert.deepEqual(accepted.request().postDataJSON(), { token });
          booked = await accepted.json();
          assert.equal(booked.localStart, slot.localStart);
          assert.match(booked.manageToken ?? "", /^[A-Za-z0-9_-]{43}$/, "a manage token");
          const done = pub.locator("#of-done");
          assert.match(await pub.locator("#of-done-text").innerText(), /^Booked: /);
          const manage = done.getByRole("link", { name: "See, move or cancel it" });
          assert.equal(await manage.getAttribute("href"), `/manage.html?t=${booked.manageToken}`);
          assert.equal(await pub.evaluate(() => document.activeElement?.id), "of-done", "what happened has focus");
          assertSpeaksPlainly(await pub.locator("main").innerText(), "the offer page, booked");
        });

        const mine = await appointmentsOf(page, b.name);
        assert.equal(mine.length, 1, `exactly one appointment for B: ${JSON.stringify(mine)}`);
        taken = mine[0];
        entry = undefined; // taken: the entry is removed with the booking
        assert.equal(Date.parse(taken.startTime), Date.parse(slot.startTime), "at the time offered");
        assert.equal(taken.therapist, slot.therapist);
        assert.equal(taken.location, location.name);
        assert.equal(taken.appointmentType, type.name);
        assert.equal(taken.source, "APPOINTMENT_SOURCE_WAITLIST_OFFER");
        const [, afterTaking] = await api(page, appointmentsApi + "ListWaitlistOffers", { patient: b.name });
        assert.equal(afterTaking.offers?.[0]?.state, "ACCEPTED");
        assert.equal(afterTaking.offers?.[0]?.appointment, taken.name);

        // ---- the same link again: taken; the button answers the same booking ----
        await withPage(phone.context, t, async (pub) => {
          const opened = await openOffer(pub, token);
          assert.equal((await opened.json()).state, "TAKEN");
          await pub.getByRole("heading", { level: 2, name: "You took this time" }).waitFor();
          assert.match(await pub.locator("#of-summary").innerText(), /^You took this time: /);
          const again = await takeIt(pub, "Show my booking");
          const same = await again.json();
          assert.equal(same.manageToken, booked.manageToken, "the same booking");
          assert.equal(same.localStart, booked.localStart);
          assert.equal(
            await pub.locator("#of-done").getByRole("link", { name: "See, move or cancel it" }).getAttribute("href"),
            `/manage.html?t=${booked.manageToken}`,
          );
        });
        const still = await appointmentsOf(page, b.name);
        assert.deepEqual(still.map((x) => x.name), [taken.name], "still one appointment");

        // ---- the Waitlist page: the entry is gone, the offer is "Taken" ----
        await page.goto(`${baseUrl}/staff/waitlist?location=${location.name.slice("locations/".length)}`);
        await page.getByRole("heading", { level: 1, name: "Waitlist" }).waitFor();
        const offersSection = page.getByRole("region", { name: "Offers", exact: true });
        await offersSection.waitFor();
        const row = page.locator(`#wl-offers tr[data-offer="${offer.name}"]`);
        await row.waitFor();
        const rowText = (await row.innerText()).replace(/\s+/g, " ");
        assert.ok(rowText.includes(`${given} ${family}`), `the offer names B: ${rowText}`);
        assert.match(rowText, /\bTaken\b/, `the offer was taken: ${rowText}`);
        assert.equal(await row.getAttribute("data-state"), "accepted");
        await row.getByRole("link", { name: `${given} ${family}` }).waitFor();
        assert.equal(await page.locator(`#wl-table tr[data-entry="${w.name}"]`).count(), 0, "B is no longer on the waitlist");
        assertSpeaksPlainly(await offersSection.innerText(), "the Offers section");
      } finally {
        // Clean-up: nothing of this run stays booked or waiting.
        if (freed) {
          const [s] = await api(page, appointmentsApi + "CancelAppointment", { name: freed.name, reason: "Waitlist offer test: clean-up." }).catch(() => [0]);
          console.error(`# clean-up: cancelled A's appointment: HTTP ${s}`);
        }
        if (entry) {
          const [s] = await api(page, appointmentsApi + "DeleteWaitlistEntry", { name: entry.name }).catch(() => [0]);
          console.error(`# clean-up: removed B's waitlist entry: HTTP ${s}`);
        }
        if (taken) {
          const [s, body] = await api(page, appointmentsApi + "CancelAppointment", {
            name: taken.name,
            reason: "Waitlist offer test: done.",
          }).catch((err) => [0, String(err)]);
          if (s !== 200) console.error(`# clean-up: cancelling B's appointment: HTTP ${s} ${JSON.stringify(body)}`);
        }
      }
    });
  },
);
