// End-to-end browser test of the admin screens that choose things by name,
// against a running clinic with its demo accounts and scheduling demo data:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/admin_staff_pickers.test.mjs
//
// The admin creates a therapist of this run (through the API), then on the
// member's page picks the home location "Denver – Highlands" by name and
// saves: the page shows the name, never the id. Then in the therapist's
// schedule, "Same hours Monday to Friday" fills five days in one action and
// the schedule is saved. `after` empties that schedule and deactivates the
// member, so each run leaves one deactivated member without hours.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, uniqueName, withPage } from "./lib.mjs";

const staffApi = "/clinic.staff.v1.StaffService/";
const scheduleApi = "/clinic.appointments.v1.ScheduleService/";
const locationApi = "/clinic.appointments.v1.LocationService/";
const locationName = "Denver – Highlands";

let browser;
let context;
let accounts;
/** The member this run created, "staff/…". */
let member = "";
let memberLabel = "";
/** "locations/…" of Denver – Highlands. */
let denver = "";

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

const nextCall = (page, path) =>
  page.waitForResponse((res) => new URL(res.url()).pathname === path && res.request().method() === "POST");

before(async () => {
  await checkServer();
  accounts = await readAccounts();
  browser = await launchBrowser();
  context = browser.context;
});

after(async () => {
  // Leave no active test member (and no hours that could be offered) behind.
  if (member && context) {
    const page = await context.newPage();
    try {
      await logIn(page, accountFor(accounts, "admin"));
      const name = `${member}/schedule`;
      const [status, schedule] = await api(page, scheduleApi + "GetProviderSchedule", { name });
      if (status === 200 && schedule.etag) {
        await api(page, scheduleApi + "UpdateProviderSchedule", { schedule: { name, etag: schedule.etag } });
      }
      await api(page, staffApi + "DeactivateStaffMember", { name: member });
    } catch (err) {
      console.error(`# could not clean up ${member}: ${err.message}`);
    } finally {
      await page.close();
    }
  }
  await browser?.close();
});

test("the admin picks a home location by name and the page shows the name, never the id", async (t) => {
  await withPage(context, t, async (page) => {
    await logIn(page, accountFor(accounts, "admin"));

    const [locStatus, locBody] = await api(page, locationApi + "ListLocations", { pageSize: 200 });
    assert.equal(locStatus, 200, `ListLocations: ${JSON.stringify(locBody)}`);
    denver = (locBody.locations ?? []).find((l) => l.displayName === locationName)?.name ?? "";
    assert.ok(denver, `the demo data has the location ${locationName}`);

    // A therapist of this run.
    const family = uniqueName();
    memberLabel = `Hal ${family}`;
    const [status, created] = await api(page, staffApi + "CreateStaffMember", {
      requestId: `e2e-pickers-${family}`,
      staffMember: {
        givenName: "Hal",
        familyName: family,
        email: `e2e-${family.toLowerCase()}@clinic.example`,
        roles: ["STAFF_ROLE_THERAPIST"],
        credentials: ["PT"],
      },
    });
    assert.equal(status, 200, `CreateStaffMember: ${JSON.stringify(created)}`);
    member = created.staffMember.name;

    await page.goto(`${baseUrl}/staff/admin/staff/${encodeURIComponent(member.slice("staff/".length))}`);
    await page.getByRole("heading", { level: 1, name: memberLabel }).waitFor();
    await page.getByRole("group", { name: "Home locations" }).getByText("None.").waitFor();

    // The location is chosen from a list of names.
    const add = page.getByLabel("Add a home location");
    await add.locator("option", { hasText: locationName }).waitFor({ state: "attached" });
    const offered = await add.locator("option").allInnerTexts();
    assert.ok(!offered.some((o) => o.includes("locations/")), `the options are names: ${offered.join(" | ")}`);
    await add.selectOption({ label: locationName });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    const chosen = page.getByRole("list", { name: "Chosen home locations" });
    await chosen.getByText(locationName, { exact: true }).waitFor();

    const saved = nextCall(page, staffApi + "UpdateStaffMember");
    await page.getByRole("button", { name: "Save changes" }).click();
    const res = await saved;
    assert.equal(res.status(), 200, `UpdateStaffMember: ${await res.text()}`);
    const sent = res.request().postDataJSON();
    assert.equal(sent.updateMask, "homeLocations", "only the home locations changed");
    assert.ok(sent.staffMember.etag, "with the etag");
    assert.deepEqual(sent.staffMember.homeLocations, [denver], "the location's resource name is what is sent");
    assert.deepEqual((await res.json()).homeLocations, [denver]);
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    // After a reload the page still says the name, and no id anywhere.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: memberLabel }).waitFor();
    await page.getByRole("list", { name: "Chosen home locations" }).getByText(locationName, { exact: true }).waitFor();
    const text = await page.locator("main").innerText();
    assert.ok(!/locations\//.test(text), "no location id on the page");
    assert.ok(
      !(await page.getByLabel("Add a home location").locator("option", { hasText: locationName }).count()),
      "a chosen location is not offered again",
    );
  });
});

test("“Same hours Monday to Friday” fills five days in one action, and the schedule saves", async (t) => {
  assert.ok(member, "the member of the first test");
  await withPage(context, t, async (page) => {
    await logIn(page, accountFor(accounts, "admin"));
    await page.goto(`${baseUrl}/staff/admin/schedules/${encodeURIComponent(member.slice("staff/".length))}`);
    await page.getByRole("heading", { level: 1, name: `Schedule of ${memberLabel}` }).waitFor();

    const weekly = page.getByRole("group", { name: "Weekly hours" });
    const same = weekly.getByRole("group", { name: "Same hours Monday to Friday" });
    const where = same.getByLabel("Location", { exact: true });
    await where.locator("option", { hasText: locationName }).waitFor({ state: "attached" });
    await where.selectOption({ label: locationName });
    await same.getByLabel("From", { exact: true }).fill("08:30");
    await same.getByLabel("To", { exact: true }).fill("16:30");
    await same.getByRole("button", { name: "Set Monday to Friday" }).click();

    // Five rows, Monday to Friday, at that location, in one action.
    await weekly.getByRole("status").filter({ hasText: `Monday to Friday at ${locationName}: 08:30 to 16:30` }).waitFor();
    const days = weekly.getByRole("combobox", { name: /^Hours \d+ day$/ });
    assert.equal(await days.count(), 5, "five rows");
    const dayValues = [];
    for (let i = 0; i < 5; i++) dayValues.push(await days.nth(i).inputValue());
    assert.deepEqual(dayValues, ["1", "2", "3", "4", "5"], "Monday to Friday");
    const rowLocations = weekly.getByRole("combobox", { name: /^Hours \d+ location$/ });
    for (let i = 0; i < 5; i++) assert.equal(await rowLocations.nth(i).inputValue(), denver);

    const saved = nextCall(page, scheduleApi + "UpdateProviderSchedule");
    await page.getByRole("button", { name: "Save schedule" }).click();
    const res = await saved;
    assert.equal(res.status(), 200, `UpdateProviderSchedule: ${await res.text()}`);
    const sent = res.request().postDataJSON();
    assert.equal(sent.validateOnly ?? false, false);
    const hours = sent.schedule.weeklyHours ?? [];
    assert.deepEqual(
      hours.map((h) => h.day),
      ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"],
      "one row per day",
    );
    for (const h of hours) {
      assert.equal(h.location, denver);
      assert.deepEqual(h.start, { hours: 8, minutes: 30 });
      assert.deepEqual(h.end, { hours: 16, minutes: 30 });
    }
    await page.getByText("Schedule saved.").waitFor();
    const body = await res.json();
    assert.equal((body.schedule?.weeklyHours ?? []).length, 5, "the saved schedule has the five days");
  });
});
