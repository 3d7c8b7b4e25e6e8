// End-to-end browser test of "Reminder before the visit" on the admin pages
// of appointment types and locations, against a running clinic with its demo
// accounts and scheduling demo data:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/admin_reminder_lead.test.mjs
//
// The admin creates an appointment type of this run (a unique name) with a
// reminder 2 days before the visit: CreateAppointmentType carries
// reminderLead "172800s"; after a reload "2 days" is still chosen, and the
// list says "Reminder 2 days before". A lead the server refuses (the request
// rewritten on its way to 1 minute) is shown at the field. A lead set through
// the API that is none of the choices (36 hours) shows as chosen, in words.
// Back to "Location's setting": UpdateAppointmentType with update_mask
// reminderLead and no reminderLead; the list no longer mentions a reminder.
// A second test only reads: a demo location's editor offers the practice's
// default (24 hours) and the choices, showing what the location has.
//
// Each run leaves one appointment type ("Reminder check Zz…", not bookable
// online) with the location's setting; there is no verb to retire a type.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, decodeBadRequest, launchBrowser, logIn, readAccounts, uniqueName, withPage } from "./lib.mjs";
import { api, assertSpeaksPlainly, nextCall } from "./calendar_lib.mjs";

const typesApi = "/clinic.appointments.v1.AppointmentTypeService/";
const locationsApi = "/clinic.appointments.v1.LocationService/";
const label = "Reminder before the visit";
const choices = ["1 hour", "2 hours", "3 hours", "6 hours", "12 hours", "1 day", "2 days", "3 days", "7 days"];

let browser;
let context;
let accounts;

before(async () => {
  await checkServer();
  accounts = await readAccounts();
  browser = await launchBrowser();
  context = browser.context;
});

after(async () => {
  await browser?.close();
});

/** The select's chosen option: [value, text]. */
async function chosen(select) {
  return select.evaluate((el) => [el.value, el.selectedOptions[0]?.textContent?.trim() ?? ""]);
}

/** The select's options' texts. */
async function optionTexts(select) {
  return select.evaluate((el) => [...el.options].map((o) => o.textContent.trim()));
}

/** Opens a type's editor (a fresh load) and waits until it shows the type. */
async function openType(page, id, displayName) {
  const loaded = nextCall(page, typesApi + "GetAppointmentType");
  await page.goto(`${baseUrl}/staff/admin/appointment-types/${encodeURIComponent(id)}`);
  assert.equal((await loaded).status(), 200);
  await page.getByRole("heading", { level: 1, name: displayName }).waitFor();
  return page.getByLabel(label, { exact: true });
}

/** The row of the appointment types list that shows `displayName`, after the list loads. */
async function listRow(page, displayName) {
  const listed = nextCall(page, typesApi + "ListAppointmentTypes");
  await page.goto(baseUrl + "/staff/admin/appointment-types");
  assert.equal((await listed).status(), 200);
  await page.getByRole("heading", { level: 1, name: "Appointment types" }).waitFor();
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: displayName, exact: true }) });
  await row.waitFor();
  return row;
}

test("an appointment type reminded 2 days before, kept after a reload and shown in the list, then back to the location's setting", async (t) => {
  await withPage(context, t, async (page, consoleErrors) => {
    const displayName = `Reminder check ${uniqueName()}`;
    await logIn(page, accountFor(accounts, "admin"));

    // Create it with "2 days" from the new-type form.
    await page.goto(baseUrl + "/staff/admin/appointment-types");
    await page.getByRole("heading", { level: 1, name: "Appointment types" }).waitFor();
    await page.getByRole("link", { name: "New appointment type" }).click();
    await page.getByRole("heading", { level: 1, name: "New appointment type" }).waitFor();
    await page.getByRole("textbox", { name: /^Name\b/ }).fill(displayName);
    const select = page.getByLabel(label, { exact: true });
    const [firstValue, firstText] = await chosen(select);
    assert.equal(firstValue, "", "a new type follows the location's setting");
    assert.match(firstText, /^Location.s setting$/);
    assert.deepEqual((await optionTexts(select)).slice(1), choices);
    await select.selectOption({ label: "2 days" });
    const created = nextCall(page, typesApi + "CreateAppointmentType");
    await page.getByRole("button", { name: "Create appointment type" }).click();
    const createRes = await created;
    assert.equal(createRes.status(), 200, `CreateAppointmentType: ${await createRes.text()}`);
    assert.equal(createRes.request().postDataJSON().appointmentType.reminderLead, "172800s", "2 days sent in seconds");
    const type = await createRes.json();
    assert.equal(type.reminderLead, "172800s");
    const id = type.name.slice("appointmentTypes/".length);

    // The editor opens on it; after a reload "2 days" is still chosen.
    await page.getByRole("heading", { level: 1, name: displayName }).waitFor();
    await page.getByText("Appointment type created.").waitFor();
    assert.deepEqual(await chosen(page.getByLabel(label, { exact: true })), ["172800", "2 days"]);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: displayName }).waitFor();
    assert.deepEqual(await chosen(page.getByLabel(label, { exact: true })), ["172800", "2 days"], "still 2 days after a reload");

    // The list says so, in words.
    let row = await listRow(page, displayName);
    await row.getByText("Reminder 2 days before").waitFor();
    assertSpeaksPlainly(await page.locator("main").innerText(), "the appointment types list");

    // A lead the server refuses is shown at the field (the request is
    // rewritten on its way to 1 minute; the service allows 1 hour to 14 days).
    let leadSelect = await openType(page, id, displayName);
    await leadSelect.selectOption({ label: "1 hour" });
    const rewrite = (route) => {
      const body = route.request().postDataJSON();
      body.appointmentType.reminderLead = "60s";
      return route.continue({ postData: JSON.stringify(body) });
    };
    const isUpdate = (url) => new URL(url).pathname === typesApi + "UpdateAppointmentType";
    await page.route(isUpdate, rewrite);
    const refused = nextCall(page, typesApi + "UpdateAppointmentType");
    await page.getByRole("button", { name: "Save changes" }).click();
    const refusedRes = await refused;
    await page.unroute(isUpdate, rewrite);
    const refusedBody = await refusedRes.json();
    assert.equal(refusedBody.code, "invalid_argument", `UpdateAppointmentType with 1 minute: ${refusedRes.status()} ${JSON.stringify(refusedBody)}`);
    const detail = (refusedBody.details ?? []).find((d) => d.type === "google.rpc.BadRequest");
    assert.ok(detail, `a google.rpc.BadRequest detail: ${JSON.stringify(refusedBody.details)}`);
    const violations = decodeBadRequest(detail.value);
    const violation = violations.find((v) => v.field === "appointment_type.reminder_lead");
    assert.ok(violation, `a violation of appointment_type.reminder_lead: ${JSON.stringify(violations)}`);
    await page.waitForFunction(() => document.querySelector("#type-reminder_lead")?.getAttribute("aria-invalid") === "true");
    const error = page.locator('[data-error-for="type-reminder_lead"]');
    assert.equal((await error.innerText()).trim(), violation.description.trim(), "the server's words under the field");
    const errorId = await error.getAttribute("id");
    assert.ok((await leadSelect.getAttribute("aria-describedby")).split(" ").includes(errorId), "the field points at its error");
    const summary = page.getByRole("alert").filter({ hasText: "The changes were not saved." });
    await summary.getByRole("link", { name: label }).waitFor();
    assert.doesNotMatch(await summary.innerText(), /reminder_lead|reminderLead/, "no field path in the summary");
    const [, afterError] = await api(page, typesApi + "GetAppointmentType", { name: type.name });
    assert.equal(afterError.reminderLead, "172800s", "nothing was saved");

    // A lead set through the API that is none of the choices: shown, chosen, in words.
    const [setStatus, setBody] = await api(page, typesApi + "UpdateAppointmentType", {
      appointmentType: { name: type.name, etag: afterError.etag, reminderLead: "129600s" },
      updateMask: "reminderLead",
    });
    assert.equal(setStatus, 200, `UpdateAppointmentType to 36 hours: ${JSON.stringify(setBody)}`);
    leadSelect = await openType(page, id, displayName);
    assert.deepEqual(await chosen(leadSelect), ["129600", "36 hours"]);
    row = await listRow(page, displayName);
    await row.getByText("Reminder 36 hours before").waitFor();

    // Back to the location's setting: the mask path is sent with the field unset.
    leadSelect = await openType(page, id, displayName);
    await leadSelect.selectOption({ value: "" });
    const updated = nextCall(page, typesApi + "UpdateAppointmentType");
    await page.getByRole("button", { name: "Save changes" }).click();
    const updateRes = await updated;
    assert.equal(updateRes.status(), 200, `UpdateAppointmentType: ${await updateRes.text()}`);
    const sent = updateRes.request().postDataJSON();
    assert.equal(sent.updateMask, "reminderLead", "only the reminder is changed");
    assert.equal(sent.appointmentType.reminderLead, undefined, "cleared: no reminderLead sent");
    assert.ok(sent.appointmentType.etag, "the update carries the etag");
    assert.equal((await updateRes.json()).reminderLead, undefined, "the type has no lead of its own any more");
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: displayName }).waitFor();
    const [backValue, backText] = await chosen(page.getByLabel(label, { exact: true }));
    assert.equal(backValue, "");
    assert.match(backText, /^Location.s setting$/);
    row = await listRow(page, displayName);
    assert.doesNotMatch(await row.innerText(), /Reminder [^\n]* before/, "no reminder of its own in the list");

    assert.deepEqual(
      consoleErrors.filter((e) => !/Failed to load resource/.test(e)),
      [],
      "no errors in the console (the refused save's 400 aside)",
    );
  });
});

test("a location's editor offers the practice's default (24 hours) and shows what the location has", async (t) => {
  await withPage(context, t, async (page, consoleErrors) => {
    await logIn(page, accountFor(accounts, "admin"));
    const [status, body] = await api(page, locationsApi + "ListLocations", {});
    assert.equal(status, 200, `ListLocations: ${JSON.stringify(body)}`);
    const location = body.locations?.[0];
    assert.ok(location, "the demo data has a location");

    const loaded = nextCall(page, locationsApi + "GetLocation");
    await page.goto(`${baseUrl}/staff/admin/locations/${encodeURIComponent(location.name.slice("locations/".length))}`);
    assert.equal((await loaded).status(), 200);
    await page.getByRole("heading", { level: 1, name: location.displayName }).waitFor();
    const select = page.getByLabel(label, { exact: true });
    const texts = await optionTexts(select);
    assert.equal(texts[0], "Practice default (24 hours)");
    for (const c of choices) assert.ok(texts.includes(c), `"${c}" is offered: ${texts.join(", ")}`);
    const [value] = await chosen(select);
    const seconds = location.reminderLead ? String(Math.round(parseFloat(location.reminderLead))) : "";
    assert.equal(value, seconds, `the location's lead (${location.reminderLead ?? "unset"}) is chosen`);
    assertSpeaksPlainly(await page.locator("main").innerText(), "the location editor");
    // A 429 from /auth/login (the suite logs in often from one address) is
    // waited out by logIn; the browser still logs the refused load.
    assert.deepEqual(
      consoleErrors.filter((e) => !/status of 429/.test(e)),
      [],
      "no errors in the console",
    );
  });
});
