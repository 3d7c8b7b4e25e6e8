// Browser test: the week view is readable, and the list view lists the week.
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/calendar_week.test.mjs
//
// The front desk books (through the API) the shortest demo type (the
// 20-minute free screening) for a new patient on a random day 3 to 8 weeks
// ahead at Denver, then opens that week in the week view at the default
// zoom (a 1280 × 900 window): the appointment shows the patient's name and
// the type, whole (not cut off by the block), and its tooltip has the full
// line. "List" then shows the therapist's week: the days as headings and the
// appointment as one line with its local time, the patient, the type and the
// state; the address keeps view=list and the therapist.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";
import {
  addMinutes,
  assertSpeaksPlainly,
  bookSlot,
  catalog,
  createPatient,
  denver,
  durationMinutes,
  findSlot,
  nextCall,
  openCalendarAt,
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

/** Whether an element's box lies inside another's and its text is not cut off. */
async function shownWhole(page, inner, outer) {
  return page.evaluate(
    ([a, b]) => {
      const r = a.getBoundingClientRect();
      const o = b.getBoundingClientRect();
      const inside = r.top >= o.top - 1 && r.bottom <= o.bottom + 1 && r.left >= o.left - 1 && r.right <= o.right + 1;
      const notCut = a.scrollWidth <= a.clientWidth + 1 || getComputedStyle(a).display === "inline";
      return { inside, notCut, height: r.height, width: r.width, box: [r.top, r.bottom, o.top, o.bottom] };
    },
    [await inner.elementHandle(), await outer.elementHandle()],
  );
}

test("the week view shows the patient's name and the type; the list view lists the week", async (t) => {
  const accounts = await readAccounts();
  await withPage(browser.context, t, async (page) => {
    await logIn(page, accountFor(accounts, "front_desk"));
    const { locations, types } = await catalog(page);
    const location = denver(locations);
    const shortest = [...types].sort((a, b) => durationMinutes(a.duration) - durationMinutes(b.duration))[0];
    const slot = await findSlot(page, location, [shortest]);
    const given = uniqueName("Wk").slice(0, 8);
    const patient = await createPatient(page, given, "Lee");
    const name = `${given} Lee`;
    const appt = await bookSlot(page, slot, patient);
    const day = slot.localStart.slice(0, 10);
    const start = slot.localStart.slice(11, 16);
    const end = addMinutes(start, durationMinutes(shortest.duration));

    // 1. The week view at the default zoom: the name and the type, whole.
    await openCalendarAt(page, { location, date: day, view: "week" });
    await page.getByRole("button", { name: "Week", pressed: true }).waitFor();
    const event = page.locator(`#calendar-host [data-appointment="${appt.name}"]`);
    await event.waitFor();
    await event.scrollIntoViewIfNeeded();
    const who = event.locator(".appt-who");
    const what = event.locator(".appt-what");
    assert.equal((await who.innerText()).trim(), name);
    assert.equal((await what.innerText()).trim(), shortest.displayName);
    for (const [part, label] of [
      [who, "the patient's name"],
      [what, "the type"],
    ]) {
      assert.ok(await part.isVisible(), `${label} is visible`);
      const shown = await shownWhole(page, part, event);
      assert.ok(shown.height > 0 && shown.width > 0, `${label} has a size`);
      assert.ok(shown.inside, `${label} lies inside the ${durationMinutes(shortest.duration)}-minute block: ${JSON.stringify(shown.box)}`);
      assert.ok(shown.notCut, `${label} is not cut off`);
    }
    const title = await event.getAttribute("title");
    assert.ok(title.startsWith(`${start}–${end} ${name} — ${shortest.displayName} with `), `the tooltip has the full line: ${title}`);
    assert.match(title, /\(Booked\)$/);

    // 2. The list view: the therapist's week, a heading per day, a line per appointment.
    const listed = nextCall(page, "ListAppointments");
    await page.getByRole("button", { name: "List", exact: true }).click();
    const listRes = await listed;
    assert.equal(listRes.status(), 200);
    const therapistSelect = page.locator("#cal-therapist");
    await therapistSelect.waitFor();
    if ((await therapistSelect.inputValue()) !== slot.therapist) {
      const again = nextCall(page, "ListAppointments");
      await therapistSelect.selectOption(slot.therapist);
      const res = await again;
      assert.equal(res.request().postDataJSON().therapist, slot.therapist, "the list asks for that therapist's appointments");
    } else {
      assert.equal(listRes.request().postDataJSON().therapist, slot.therapist, "the list asks for that therapist's appointments");
    }
    const list = page.locator("#calendar-list");
    const line = list.locator(`[data-appointment="${appt.name}"]`);
    await line.waitFor();
    const text = (await line.innerText()).replace(/\s+/g, " ").trim();
    assert.ok(text.startsWith(`${start}–${end}`), `the line starts with the local time: ${text}`);
    assert.ok(text.includes(name), `the line names the patient: ${text}`);
    assert.ok(text.includes(shortest.displayName), `the line names the type: ${text}`);
    assert.ok(text.includes("Booked"), `the line says the state: ${text}`);
    const headings = await list.locator("h3").allInnerTexts();
    assert.ok(headings.length >= 5, `a heading per day: ${headings.join(" / ")}`);
    const heading = await line.evaluate((el) => el.closest("ul").previousElementSibling?.textContent ?? "");
    const dayOfMonth = String(Number(day.slice(8, 10)));
    assert.ok(new RegExp(`\\b${dayOfMonth}\\b`).test(heading) && heading.includes(day.slice(0, 4)), `under its day: ${heading}`);
    assertSpeaksPlainly(await list.innerText(), "the list view");
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("view"), "list");
    assert.equal(url.searchParams.get("therapist"), slot.therapist.slice("staff/".length));

    // Its line opens the appointment.
    await line.click();
    const details = page.getByRole("dialog", { name });
    await details.waitFor();
    await details.getByRole("button", { name: "Close", exact: true }).click();
  });
});
