// End-to-end browser test: a likely duplicate is caught before it is
// created, against a running clinic with the demo data, as the front desk:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/patients_duplicates.test.mjs
//
// Maya Okafor's demo details (deploy/demo/patients/01-okafor.json) entered
// as a new patient: "Create patient" asks FindSimilarPatients first, which
// finds her; the page lists her (name, date of birth, phone in the national
// format, email, the reasons) with "Use this patient" first and focused, and
// "Create a new patient anyway" after it. "Use this patient" opens her
// record. CreatePatient is never called: nothing is created.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const service = "/clinic.patients.v1.PatientService/";
const demoFile = new URL("../../deploy/demo/patients/01-okafor.json", import.meta.url);

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser({ locale: "en-US" });
});

after(async () => {
  await browser?.close();
});

const pad = (n) => String(n).padStart(2, "0");

test("Maya Okafor entered again: 'Use this patient' first, and it opens her record", async (t) => {
  const { patient: maya } = JSON.parse(await readFile(demoFile, "utf8"));
  const birth = `${maya.birthDate.year}-${pad(maya.birthDate.month)}-${pad(maya.birthDate.day)}`;
  await withPage(browser.context, t, async (page) => {
    const creates = [];
    page.on("request", (req) => {
      if (req.url().endsWith(service + "CreatePatient")) creates.push(req);
    });
    await logIn(page, accountFor(await readAccounts(), "front_desk"));
    await page.goto(baseUrl + "/staff/patients/new");
    await page.getByRole("heading", { level: 1, name: "New patient" }).waitFor();

    await page.getByLabel("Given name").fill(maya.givenName);
    await page.getByLabel("Family name").fill(maya.familyName);
    await page.getByLabel("Date of birth").fill(birth);
    await page.getByLabel("Phone", { exact: true }).fill(maya.phone);
    await page.getByLabel("Email", { exact: true }).fill(maya.email);

    const found = page.waitForResponse((res) => res.url().endsWith(service + "FindSimilarPatients") && res.request().method() === "POST");
    await page.getByRole("button", { name: "Create patient" }).click();
    const res = await found;
    assert.equal(res.status(), 200, `FindSimilarPatients: ${await res.text()}`);
    const sent = res.request().postDataJSON();
    assert.equal(sent.patient.givenName, maya.givenName);
    assert.equal(sent.patient.familyName, maya.familyName);
    assert.deepEqual(sent.patient.birthDate, maya.birthDate);
    assert.equal(sent.patient.email, maya.email);
    assert.ok(!sent.exclude, "nothing to leave out for a new patient");
    const { matches = [] } = await res.json();
    assert.ok(matches.length > 0, "the demo patient Maya Okafor is found");
    const first = matches[0];
    assert.equal(`${first.patient.givenName} ${first.patient.familyName}`, `${maya.givenName} ${maya.familyName}`, "best match first");

    // The warning: who, and why.
    const panel = page.getByRole("region", { name: "Is this a patient you already have?" });
    await panel.waitFor();
    const text = await panel.innerText();
    for (const expected of [`${maya.givenName} ${maya.familyName}`, "Mar 14, 1988", "(303) 555-0141", maya.email]) {
      assert.ok(text.includes(expected), `the warning shows "${expected}": ${text}`);
    }
    for (const reason of first.reasons ?? []) {
      assert.ok(text.toLowerCase().includes(reason.toLowerCase()), `the warning says "${reason}": ${text}`);
    }
    assert.doesNotMatch(text, /patients\//, "no resource id shown");

    // "Use this patient" is the first choice, and has the focus; "Create a new patient anyway" comes after.
    const use = panel.getByRole("link", { name: "Use this patient" }).first();
    const anyway = panel.getByRole("button", { name: "Create a new patient anyway" });
    await anyway.waitFor();
    assert.equal(await use.evaluate((el) => el === document.activeElement), true, "'Use this patient' has the focus");
    const order = await use.evaluate(
      (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING),
      await anyway.elementHandle(),
    );
    assert.ok(order, "'Use this patient' comes before 'Create a new patient anyway'");
    assert.equal(await page.getByRole("button", { name: "Create patient" }).count(), 0, "the plain Create is replaced by the choice");

    // Enter on the focused choice opens her record.
    await page.keyboard.press("Enter");
    const id = first.patient.name.slice("patients/".length);
    await page.waitForURL((url) => url.pathname === `/staff/patients/${id}`);
    await page.getByRole("heading", { level: 1, name: new RegExp(`${maya.givenName} ${maya.familyName}`) }).waitFor();
    assert.equal(creates.length, 0, "CreatePatient was never called");
  });
});
