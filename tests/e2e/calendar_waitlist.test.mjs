// Browser test: a patient is put on the waitlist from the booking dialog, and
// the waitlist page lists them for that location.
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/calendar_waitlist.test.mjs
//
// The front desk clicks a free time on the Denver calendar (a random day 3 to
// 8 weeks ahead), chooses the type, creates a patient inline and, instead of
// booking, "Add to waitlist…": the latest date is two weeks from today at
// first; mornings, the column's therapist and a note unique to the run are
// chosen, and CreateWaitlistEntry is sent with them (and a request_id). The
// dialog says so. Then "Waitlist" in the navigation (/staff/waitlist), the
// Denver location: the entry is listed with the patient's name, the type,
// the therapist, "Mornings" and the note; "Remove" asks first, then
// DeleteWaitlistEntry removes it (so runs leave nothing on the waitlist).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";
import {
  addDays,
  assertSpeaksPlainly,
  catalog,
  clickSlot,
  createPatientInline,
  denver,
  expectBookingDialog,
  findSlot,
  nextCall,
  openCalendarAt,
  todayIn,
  uniqueName,
} from "./calendar_lib.mjs";

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test("add to the waitlist from the booking dialog, then see and remove the entry on the waitlist page", async (t) => {
  const accounts = await readAccounts();
  await withPage(browser.context, t, async (page) => {
    await logIn(page, accountFor(accounts, "front_desk"));
    const { locations, types } = await catalog(page);
    const location = denver(locations);
    const type = types.find((ty) => /follow/i.test(ty.displayName)) ?? types[0];
    const slot = await findSlot(page, location, [type]);

    // 1. The booking dialog: a patient, then "Add to waitlist…".
    await openCalendarAt(page, { location, date: slot.localStart.slice(0, 10) });
    await clickSlot(page, slot.therapist, slot.localStart.slice(11, 16));
    const dialog = await expectBookingDialog(page, slot);
    const patient = await createPatientInline(page, dialog, { invalidFirst: false, prefix: "Wait" });
    await dialog.getByRole("button", { name: "Add to waitlist…" }).click();
    const form = dialog.locator("#bk-waitlist");
    await form.waitFor();
    await form.getByText(`Add ${patient} to the waitlist`).waitFor();
    const latest = form.getByLabel(/^Latest date/);
    assert.equal(await latest.inputValue(), addDays(todayIn(location.timeZone), 14), "two weeks from today at first");
    await form.getByLabel("Time of day").selectOption({ label: "Mornings (before 12:00)" });
    await form.getByLabel(/^Therapist/).selectOption(slot.therapist);
    const therapistName = (await form.getByLabel(/^Therapist/).locator("option:checked").innerText()).trim();
    const note = `e2e ${uniqueName("waits ")}`;
    await form.getByLabel(/^Waitlist notes/).fill(note);
    const created = nextCall(page, "CreateWaitlistEntry");
    await dialog.getByRole("button", { name: "Add to waitlist", exact: true }).click();
    const res = await created;
    assert.equal(res.status(), 200, `CreateWaitlistEntry: ${await res.text()}`);
    const sent = res.request().postDataJSON();
    assert.ok(sent.requestId, "a request_id");
    assert.equal(sent.entry.location, location.name);
    assert.equal(sent.entry.appointmentType, type.name);
    assert.equal(sent.entry.therapist, slot.therapist);
    assert.equal(sent.entry.timeOfDay, "TIME_OF_DAY_PREFERENCE_MORNING");
    assert.equal(sent.entry.notes, note);
    assert.ok(sent.entry.patient?.startsWith("patients/"));
    const entry = await res.json();
    const notice = dialog.locator("#bk-notice");
    await notice.getByText(`${patient} is on the waitlist at ${location.displayName}`).waitFor();
    assertSpeaksPlainly(await notice.innerText(), "the waitlist notice");
    await dialog.getByRole("button", { name: "Close", exact: true }).click();
    await dialog.waitFor({ state: "hidden" });

    // 2. The waitlist page, from the navigation, for that location.
    await page.getByRole("link", { name: "Waitlist", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Waitlist" }).waitFor();
    const locationSelect = page.getByLabel("Location", { exact: true });
    await locationSelect.waitFor();
    await page.waitForFunction(() => document.querySelector("#wl-location option"));
    if ((await locationSelect.inputValue()) !== location.name) {
      const listed = nextCall(page, "ListWaitlistEntries");
      await locationSelect.selectOption(location.name);
      const listRes = await listed;
      assert.equal(listRes.status(), 200);
      assert.equal(listRes.request().postDataJSON().location, location.name);
    }
    assert.equal(new URL(page.url()).pathname, "/staff/waitlist");
    assert.equal(new URL(page.url()).searchParams.get("location"), location.name.slice("locations/".length));
    const row = page.locator(`#wl-table tr[data-entry="${entry.name}"]`);
    await row.waitFor();
    const text = (await row.innerText()).replace(/\s+/g, " ");
    for (const part of [patient, type.displayName, therapistName, "Mornings", note]) {
      assert.ok(text.includes(part), `the entry shows ${part}: ${text}`);
    }
    await row.getByRole("link", { name: patient }).waitFor();
    assertSpeaksPlainly(await page.locator("waitlist-page").innerText(), "the waitlist page");

    // The same page opened by its address keeps the location.
    await page.goto(`${baseUrl}/staff/waitlist?location=${location.name.slice("locations/".length)}`);
    await row.waitFor();

    // 3. Remove it: asked first, then DeleteWaitlistEntry.
    await row.getByRole("button", { name: `Remove ${patient} (${type.displayName}) from the waitlist` }).click();
    await row.getByText(`Remove ${patient} (${type.displayName}) from the waitlist?`).waitFor();
    const deleted = nextCall(page, "DeleteWaitlistEntry");
    await row.getByRole("button", { name: "Yes, remove" }).click();
    const delRes = await deleted;
    assert.equal(delRes.status(), 200, `DeleteWaitlistEntry: ${await delRes.text()}`);
    assert.equal(delRes.request().postDataJSON().name, entry.name);
    await page.locator("#wl-notice").getByText(`${patient} (${type.displayName}) was removed from the waitlist.`).waitFor();
    await row.waitFor({ state: "detached" });
  });
});
