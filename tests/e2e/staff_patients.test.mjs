// End-to-end browser test of the public home page and the staff app's patient
// screens, against a running clinic (gateway + services + database), logged
// in as the front desk.
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/staff_patients.test.mjs
//
// Drives Debian's chromium through playwright-core (no browser download).
// On failure a screenshot is written to a temp directory and its path printed.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const service = "/clinic.patients.v1.PatientService/";

let browser;
let context;

before(async () => {
  await checkServer();
  browser = await launchBrowser();
  context = browser.context;
});

after(async () => {
  await browser?.close();
});

/** Waits for the page's next call of a PatientService method and returns its response. */
function nextCall(page, method) {
  return page.waitForResponse(
    (res) => res.url().endsWith(service + method) && res.request().method() === "POST",
  );
}

const digits = (s) => s.replace(/\D/g, "");

function uniqueName() {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let s = "";
  for (let i = 0; i < 10; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return "Zz" + s;
}

test("the public home page loads and has a heading", async (t) => {
  await withPage(context, t, async (page) => {
    const res = await page.goto(baseUrl + "/");
    assert.equal(res.status(), 200);
    const h1 = page.getByRole("heading", { level: 1 });
    await h1.waitFor();
    assert.match(await h1.innerText(), /free screening/i);
    assert.equal(await page.locator("main").count(), 1, "one main landmark");
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    const scripts = await page.locator("script[src]").evaluateAll((els) => els.map((e) => e.src));
    assert.ok(!scripts.some((src) => /staff/.test(src)), `public page loads no staff code: ${scripts}`);

    // Works on a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `page is ${overflow}px wider than a 360px screen`);
  });
});

test("staff create, find, edit a patient and see a server validation error", async (t) => {
  await withPage(context, t, async (page) => {
    const given = uniqueName();
    // Unique too, so that no patient an earlier run left is a likely duplicate.
    const family = "Tester" + uniqueName().slice(2, 6);

    // /staff asks for a login first, then opens the patient list.
    await page.goto(baseUrl + "/staff");
    await page.waitForURL(/\/staff\/login\?next=/);
    await logIn(page, accountFor(await readAccounts(), "front_desk"));
    await page.getByRole("heading", { level: 1, name: "Patients" }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/staff\/patients\/?$/);

    // Create a patient through the form.
    await page.getByRole("link", { name: "New patient" }).click();
    await page.getByRole("heading", { level: 1, name: "New patient" }).waitFor();
    await page.getByLabel("Given name").fill(given);
    await page.getByLabel("Family name").fill(family);
    await page.getByLabel("Date of birth").fill("1985-04-12");
    await page.getByLabel("Sex at birth").selectOption({ label: "Female" });
    await page.getByLabel("Phone", { exact: true }).fill("+1 206 555 0100");
    await page.getByLabel("Email", { exact: true }).fill(`${given.toLowerCase()}@example.com`);
    await page.getByLabel("City").fill("Seattle");
    const created = nextCall(page, "CreatePatient");
    await page.getByRole("button", { name: "Create patient" }).click();
    const createRes = await created;
    assert.equal(createRes.status(), 200, `CreatePatient: ${await createRes.text()}`);
    await page.waitForURL(/\/staff\/patients\/[^/]+$/);
    assert.doesNotMatch(page.url(), /\/new$/);
    await page.getByRole("heading", { level: 1, name: new RegExp(given) }).waitFor();
    await page.getByText("Patient created.").waitFor();

    // Find it in the list.
    await page.getByRole("link", { name: "Patients", exact: true }).first().click();
    await page.getByRole("heading", { level: 1, name: "Patients" }).waitFor();
    const search = page.getByRole("searchbox", { name: "Search" });
    await search.fill(given);
    await search.press("Enter");
    const row = page.getByRole("link", { name: new RegExp(`${given} ${family}`) });
    await row.waitFor();
    assert.equal(await row.count(), 1);
    // The phone in the list is in the national format of the practice (US).
    const listed = page.getByRole("row").filter({ has: row });
    assert.ok((await listed.innerText()).includes("(206) 555-0100"), `the list shows the phone nationally: ${await listed.innerText()}`);

    // Open it and change the phone number.
    await row.click();
    await page.getByRole("heading", { level: 1, name: new RegExp(given) }).waitFor();
    const phone = page.getByLabel("Phone", { exact: true });
    // Stored as +12065550100, shown in the national format.
    assert.equal(await phone.inputValue(), "(206) 555-0100");
    await phone.fill("+1 206 555 0199");
    const updated = nextCall(page, "UpdatePatient");
    await page.getByRole("button", { name: "Save changes" }).click();
    const updateRes = await updated;
    assert.equal(updateRes.status(), 200, `UpdatePatient: ${await updateRes.text()}`);
    const sent = updateRes.request().postDataJSON();
    assert.equal(sent.updateMask, "phone", "update_mask names only the changed field");
    assert.ok(sent.patient.etag, "the update carries the etag");
    await page.getByText("Saved.", { exact: true }).waitFor();

    // The change survives a reload.
    await page.reload();
    await page.getByRole("heading", { level: 1, name: new RegExp(given) }).waitFor();
    assert.equal(await page.getByLabel("Phone", { exact: true }).inputValue(), "(206) 555-0199");
    assert.equal(digits(await page.getByLabel("Phone", { exact: true }).inputValue()), "2065550199");

    // A bad email: the server's INVALID_ARGUMENT is shown at the email field.
    const email = page.getByLabel("Email", { exact: true });
    await email.fill("not-an-email");
    const rejected = nextCall(page, "UpdatePatient");
    await page.getByRole("button", { name: "Save changes" }).click();
    const rejectRes = await rejected;
    const body = await rejectRes.json();
    assert.equal(body.code, "invalid_argument", `UpdatePatient answered ${rejectRes.status()} ${JSON.stringify(body)}`);
    assert.match(body.message, /email/);
    await page.waitForFunction(() => document.querySelector("#f-email")?.getAttribute("aria-invalid") === "true");
    const describedBy = (await email.getAttribute("aria-describedby")) ?? "";
    const errorId = describedBy.split(/\s+/).find((id) => id.endsWith("-error"));
    assert.ok(errorId, `the email field points at its error: aria-describedby="${describedBy}"`);
    const errorText = (await page.locator(`[id="${errorId}"]`).innerText()).trim();
    assert.ok(errorText.length > 0, "the error text is not empty");
    assert.ok(body.message.includes(errorText), `shown "${errorText}" comes from the server's "${body.message}"`);
    await page.getByRole("alert").filter({ hasText: "not saved" }).waitFor();
  });
});
