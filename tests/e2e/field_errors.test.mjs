// End-to-end browser test of server validation errors shown at their fields,
// against a running clinic, logged in as the front desk:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/field_errors.test.mjs
//
// The new-patient form is sent with several bad fields at once (an email
// without @, a phone that is not a phone number, a birth date in the future).
// CreatePatient answers INVALID_ARGUMENT with a google.rpc.BadRequest detail
// naming every one of them; the page shows each description under its input
// (aria-invalid, aria-describedby -> the text), and no request path such as
// "patient.email". Nothing is created.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, decodeBadRequest, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const createPatient = "/clinic.patients.v1.PatientService/CreatePatient";

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

function uniqueName() {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let s = "";
  for (let i = 0; i < 10; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return "Zz" + s;
}

/** A date a year from now, as an <input type=date> value. */
function nextYear() {
  const d = new Date();
  d.setFullYear(d.getFullYear() + 1);
  return d.toISOString().slice(0, 10);
}

test("several bad fields at once: each server error is shown at its field", async (t) => {
  await withPage(context, t, async (page) => {
    await logIn(page, accountFor(await readAccounts(), "front_desk"));
    await page.getByRole("heading", { level: 1, name: "Patients" }).waitFor();
    await page.getByRole("link", { name: "New patient" }).click();
    await page.getByRole("heading", { level: 1, name: "New patient" }).waitFor();

    await page.getByLabel("Given name").fill(uniqueName());
    await page.getByLabel("Family name").fill("Fielderrors");
    // The form is novalidate: the browser lets these through; the server judges them.
    await page.getByLabel("Date of birth").fill(nextYear());
    await page.getByLabel("Phone", { exact: true }).fill("call me maybe");
    await page.getByLabel("Email", { exact: true }).fill("ann.example.com");

    const answered = page.waitForResponse((res) => res.url().endsWith(createPatient) && res.request().method() === "POST");
    await page.getByRole("button", { name: "Create patient" }).click();
    const res = await answered;
    const body = await res.json();
    assert.equal(body.code, "invalid_argument", `CreatePatient answered ${res.status()} ${JSON.stringify(body)}`);

    // The error is structured: a google.rpc.BadRequest detail names the fields.
    assert.ok(Array.isArray(body.details), `the error has details: ${JSON.stringify(body)}`);
    const detail = body.details.find((d) => d.type === "google.rpc.BadRequest");
    assert.ok(detail, `a google.rpc.BadRequest detail: ${JSON.stringify(body.details)}`);
    const violations = decodeBadRequest(detail.value);
    const byField = new Map(violations.map((v) => [v.field, v.description]));
    for (const field of ["patient.email", "patient.phone", "patient.birth_date"]) {
      assert.ok(byField.get(field), `a violation of ${field}: ${JSON.stringify(violations)}`);
    }

    // Each description is shown under its input, which points at it.
    const inputs = { "patient.email": "f-email", "patient.phone": "f-phone", "patient.birth_date": "f-birth_date" };
    await page.waitForFunction(() => document.querySelector("#f-email")?.getAttribute("aria-invalid") === "true");
    for (const [field, inputId] of Object.entries(inputs)) {
      const input = page.locator(`[id="${inputId}"]`);
      assert.equal(await input.getAttribute("aria-invalid"), "true", `${inputId} is marked invalid`);
      const describedBy = (await input.getAttribute("aria-describedby")) ?? "";
      const errorId = describedBy.split(/\s+/).find((id) => id.endsWith("-error"));
      assert.ok(errorId, `${inputId} points at its error: aria-describedby="${describedBy}"`);
      const error = page.locator(`[id="${errorId}"]`);
      assert.ok(await error.isVisible(), `the error of ${inputId} is visible`);
      assert.equal(await error.getAttribute("data-error-for"), inputId, `the error names its input`);
      assert.equal((await error.innerText()).trim(), byField.get(field), `the server's description of ${field} is shown at ${inputId}`);
      const besideInput = await page.evaluate(
        ([i, e]) => document.getElementById(i)?.parentElement === document.getElementById(e)?.parentElement,
        [inputId, errorId],
      );
      assert.ok(besideInput, `the error of ${inputId} is next to the input`);
    }
    // The fields without a problem are not marked.
    assert.equal(await page.locator("#f-given_name").getAttribute("aria-invalid"), null);

    // The summary says nothing was created, and no request path is shown anywhere.
    const summary = page.getByRole("alert").filter({ hasText: "The patient was not created." });
    await summary.waitFor();
    const shown = await page.locator("main").innerText();
    for (const path of ["patient.email", "patient.phone", "patient.birth_date", "birth_date"]) {
      assert.ok(!shown.includes(path), `the page shows no request path "${path}"`);
    }
    assert.doesNotMatch(shown, /\bpatient\.[a-z_]+/, "no patient.<field> path on the page");
    assert.match(new URL(page.url()).pathname, /\/staff\/patients\/new$/, "still the new-patient form");
  });
});
