// Browser test: buffers are drawn, and a start inside one is not offered.
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/calendar_buffers.test.mjs
//
// On the demo Denver calendar the front desk books (through the API) an
// appointment whose type keeps a buffer after it (the demo's Follow-up: 45
// minutes and 15 of buffer), on a random day 3 to 8 weeks ahead chosen so
// that the therapist is free again right after the buffer. The day view shows
// the buffer as its own hatched block right under the appointment. Clicking
// the time inside the buffer opens the booking dialog; once the type is
// chosen, the dialog loads FindAvailableSlots and says "<therapist> is not
// free at <time> for a follow-up; the next free time is <time>" before
// anything else is filled in — the server agrees (that start is not among its
// slots). The offered time is taken, a patient created inline, and the
// booking goes through at that time. Nothing says "just taken".
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";
import {
  addMinutes,
  assertSpeaksPlainly,
  bookSlot,
  catalog,
  clickSlot,
  createPatient,
  createPatientInline,
  denver,
  durationMinutes,
  expectBookingDialog,
  findSlot,
  nextCall,
  openCalendarAt,
  uniqueName,
} from "./calendar_lib.mjs";

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser({ timezoneId: "Europe/Berlin" });
});

after(async () => {
  await browser?.close();
});

test("a buffer is drawn; a start inside it is not offered; the offered time is booked", async (t) => {
  const accounts = await readAccounts();
  await withPage(browser.context, t, async (page) => {
    await logIn(page, accountFor(accounts, "front_desk"));
    const { locations, types } = await catalog(page);
    const location = denver(locations);
    const withBuffer = types.filter((ty) => durationMinutes(ty.bufferAfter) > 0);
    const type = withBuffer.find((ty) => /follow/i.test(ty.displayName)) ?? withBuffer[0];
    assert.ok(type, "the demo has a type with a buffer after it");
    const grid = location.slotMinutes || 15;
    const minutes = durationMinutes(type.duration);
    const buffer = durationMinutes(type.bufferAfter);
    assert.equal(minutes % grid, 0, `${type.displayName} ends on the ${grid}-minute grid, so its buffer starts on it`);

    // A free start whose "end + buffer" is free too (for the same therapist):
    // once it is booked, that is the next free time after the buffer's start.
    const first = await findSlot(page, location, [type], {
      accept: (s, all) => {
        const after = `${s.localStart.slice(0, 11)}${addMinutes(s.localStart.slice(11, 16), minutes + buffer)}`;
        return all.some((o) => o.therapist === s.therapist && o.localStart === after);
      },
    });
    const day = first.localStart.slice(0, 10);
    const start = first.localStart.slice(11, 16);
    const inBuffer = addMinutes(start, minutes);
    const nextFree = addMinutes(start, minutes + buffer);
    const holder = await createPatient(page, uniqueName("Buf"), "Holder");
    const appt = await bookSlot(page, first, holder);

    // 1. The day view draws the buffer: a block right after the appointment.
    await openCalendarAt(page, { location, date: day });
    const event = page.locator(`#calendar-host [data-appointment="${appt.name}"]`);
    await event.waitFor();
    const bufferBlock = page.locator(`#calendar-host .appt-buffer[data-buffer-of="${appt.name}"][data-buffer="after"]`);
    await bufferBlock.waitFor();
    assert.match(await bufferBlock.getAttribute("title"), new RegExp(`^Buffer after .*\\(${buffer} min, ${inBuffer}–${nextFree}\\)`));
    const [eventBox, bufferBox] = [await event.boundingBox(), await bufferBlock.boundingBox()];
    assert.ok(bufferBox.height > 4, "the buffer has a height");
    assert.ok(Math.abs(bufferBox.y - (eventBox.y + eventBox.height)) <= 4, `the buffer starts where the appointment ends (${bufferBox.y} vs ${eventBox.y + eventBox.height})`);
    assert.ok(Math.abs(bufferBox.x - eventBox.x) <= eventBox.width, "in the therapist's column");
    await page.locator(".calendar-legend").getByText("Buffer").waitFor();

    // 2. A click inside the buffer: the dialog says the time is not free, and the next one.
    const slotsSeen = nextCall(page, "FindAvailableSlots");
    await clickSlot(page, first.therapist, inBuffer);
    const clicked = { ...first, localStart: `${day}T${inBuffer}`, type };
    const dialog = await expectBookingDialog(page, clicked);
    const found = await (await slotsSeen).json();
    const therapistName = (await dialog.getByLabel("Therapist").locator("option:checked").innerText()).trim();
    const notFree = dialog.locator("#bk-not-free");
    await notFree.waitFor();
    const text = (await notFree.locator("p").first().innerText()).trim();
    const escape = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    assert.match(
      text,
      new RegExp(`^${escape(therapistName)} is not free at ${inBuffer} for an? ${escape(type.displayName)}; the next free time is ${nextFree}\\.$`, "i"),
    );
    assertSpeaksPlainly(await dialog.innerText(), "the booking dialog");
    const starts = (found.slots ?? []).filter((s) => s.therapist === first.therapist).map((s) => s.localStart);
    assert.ok(!starts.includes(`${day}T${inBuffer}`), "FindAvailableSlots does not offer the start inside the buffer");
    assert.ok(starts.includes(`${day}T${nextFree}`), "FindAvailableSlots offers the next free time");
    // Nothing was sent to BookAppointment, and nothing says "just taken".
    assert.equal(await dialog.getByText(/just taken/).count(), 0);

    // 3. The offered time is taken; the booking goes through at that time.
    await notFree.locator(`button[data-time="${nextFree}"]`).click();
    assert.equal(await dialog.getByLabel(/^Time/).inputValue(), nextFree);
    await dialog.locator("#bk-free").getByText(`is free at ${nextFree}`).waitFor();
    const patient = await createPatientInline(page, dialog, { invalidFirst: false, prefix: "Buf" });
    const booked = nextCall(page, "BookAppointment");
    await dialog.getByRole("button", { name: "Book", exact: true }).click();
    const res = await booked;
    assert.equal(res.status(), 200, `BookAppointment: ${await res.text()}`);
    const made = await res.json();
    assert.equal(made.localStart, `${day}T${nextFree}`, "booked at the offered time");
    assert.equal(made.therapist, first.therapist);
    await dialog.waitFor({ state: "hidden" });
    await page.locator(`#calendar-host [data-appointment="${made.name}"]`).waitFor();
    await page.getByText(`Booked ${patient}`).waitFor();
  });
});
