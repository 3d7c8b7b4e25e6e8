// End-to-end browser test: every field's error at once on the new-patient
// form, against a running clinic, logged in as the front desk:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/patients_all_errors.test.mjs
//
// A new patient with an empty given name, an email without "@" and the phone
// "12345" (not a number of the practice's region): CreatePatient answers
// INVALID_ARGUMENT with a google.rpc.BadRequest naming all three, and the
// form shows the three errors at once — each under its input (aria-invalid,
// aria-describedby) and each in the summary. Nothing is created.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, checkServer, decodeBadRequest, launchBrowser, logIn, readAccounts, uniqueName, withPage } from "./lib.mjs";

const service = "/clinic.patients.v1.PatientService/";

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

test("a new patient with three bad fields shows the three errors at once", async (t) => {
  await withPage(browser.context, t, async (page) => {
    const created = [];
    page.on("response", (res) => {
      if (res.url().endsWith(service + "CreatePatient") && res.status() === 200) created.push(res);
    });
    await logIn(page, accountFor(await readAccounts(), "front_desk"));
    await page.getByRole("heading", { level: 1, name: "Patients" }).waitFor();
    await page.getByRole("link", { name: "New patient" }).click();
    await page.getByRole("heading", { level: 1, name: "New patient" }).waitFor();

    // The given name stays empty; the family name and date of birth are fine.
    await page.getByLabel("Family name").fill(uniqueName());
    await page.getByLabel("Date of birth").fill("1990-04-02");
    await page.getByLabel("Email", { exact: true }).fill("not-an-email");
    await page.getByLabel("Phone", { exact: true }).fill("12345");

    const answered = page.waitForResponse((res) => res.url().endsWith(service + "CreatePatient") && res.request().method() === "POST");
    await page.getByRole("button", { name: "Create patient" }).click();
    const res = await answered;
    const body = await res.json();
    assert.equal(body.code, "invalid_argument", `CreatePatient answered ${res.status()} ${JSON.stringify(body)}`);
    const detail = (body.details ?? []).find((d) => d.type === "google.rpc.BadRequest");
    assert.ok(detail, `a google.rpc.BadRequest detail: ${JSON.stringify(body)}`);
    const byField = new Map(decodeBadRequest(detail.value).map((v) => [v.field, v.description]));
    for (const field of ["patient.given_name", "patient.email", "patient.phone"]) {
      assert.ok(byField.get(field), `the server names ${field}: ${JSON.stringify([...byField])}`);
    }

    // All three at once: each input marked and pointing at its own message.
    const inputs = { "patient.given_name": "f-given_name", "patient.email": "f-email", "patient.phone": "f-phone" };
    await page.waitForFunction(
      (ids) => ids.every((id) => document.getElementById(id)?.getAttribute("aria-invalid") === "true"),
      Object.values(inputs),
    );
    for (const [field, inputId] of Object.entries(inputs)) {
      const input = page.locator(`[id="${inputId}"]`);
      const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
      const errorId = describedBy.split(/\s+/).find((id) => id.endsWith("-error"));
      assert.ok(errorId, `${inputId} points at its error: aria-describedby="${describedBy}"`);
      const error = page.locator(`[id="${errorId}"]`);
      assert.ok(await error.isVisible(), `the error of ${inputId} is shown`);
      assert.equal((await error.innerText()).trim(), byField.get(field), `the server's words for ${field} at ${inputId}`);
    }
    assert.equal(await page.locator("[aria-invalid='true']").count(), 3, "exactly the three bad fields are marked");

    // The summary lists the three, each a link to its field; no request path anywhere.
    const summary = page.getByRole("alert").filter({ hasText: "The patient was not created." });
    await summary.waitFor();
    assert.equal(await summary.getByRole("link").count(), 3, "the summary links to each of the three fields");
    for (const label of ["Given name", "Email", "Phone"]) {
      await summary.getByRole("link", { name: label, exact: true }).waitFor();
    }
    const shown = await page.locator("main").innerText();
    assert.doesNotMatch(shown, /\bpatient\.[a-z_]+/, "no request path on the page");

    // Correcting one field clears only its error.
    await page.getByLabel("Given name").fill("Ann");
    assert.equal(await page.locator("#f-given_name").getAttribute("aria-invalid"), null);
    assert.equal(await page.locator("#f-email").getAttribute("aria-invalid"), "true");
    assert.equal(created.length, 0, "nothing was created");
  });
});
