// End-to-end browser test of the patient search box, against a running
// clinic with the demo data, as the front desk:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/patients_search.test.mjs
//
// One box, sent as ListPatients' `query`: "fernandez" finds Lucía Fernández
// (accents and case ignored; deploy/demo/patients/05-fernandez.json); the
// last 4 digits of Maya Okafor's phone find her, as does her date of birth
// (deploy/demo/patients/01-okafor.json). Phones are listed in the national
// format. It only reads.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { accountFor, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const listPatients = "/clinic.patients.v1.PatientService/ListPatients";
const demo = async (file) => JSON.parse(await readFile(new URL(`../../deploy/demo/patients/${file}`, import.meta.url), "utf8")).patient;

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser({ locale: "en-US" });
});

after(async () => {
  await browser?.close();
});

/** Types `text` in the search box, presses Enter and returns the ListPatients answer (for that text). */
async function search(page, text) {
  const box = page.getByRole("searchbox", { name: "Search" });
  const answered = page.waitForResponse(
    (res) => res.url().endsWith(listPatients) && res.request().postDataJSON()?.query === text && !res.request().postDataJSON()?.pageToken,
  );
  await box.fill(text);
  await box.press("Enter");
  const res = await answered;
  assert.equal(res.status(), 200, `ListPatients for "${text}": ${await res.text()}`);
  const sent = res.request().postDataJSON();
  assert.ok(!sent.namePrefix && !sent.phone, `only query is sent: ${JSON.stringify(sent)}`);
  await page.locator("#patient-results-status").filter({ hasNotText: "Loading" }).waitFor();
  return res.json();
}

/** The result row of the patient named `name`. */
const rowOf = (page, name) => page.getByRole("row").filter({ has: page.getByRole("link", { name: new RegExp(name) }) });

test("one search box: an unaccented name, the last digits of a phone, a date of birth", async (t) => {
  const fernandez = await demo("05-fernandez.json");
  const okafor = await demo("01-okafor.json");
  await withPage(browser.context, t, async (page) => {
    await logIn(page, accountFor(await readAccounts(), "front_desk"));
    await page.getByRole("heading", { level: 1, name: "Patients" }).waitFor();
    const box = page.getByRole("searchbox", { name: "Search" });
    const hintId = await box.getAttribute("aria-describedby");
    const hint = await page.locator(`[id="${hintId}"]`).innerText();
    assert.match(hint, /Name, date of birth or last digits of phone/);

    // "fernandez" finds Fernández.
    const full = `${fernandez.givenName} ${fernandez.familyName}`;
    const byName = await search(page, "fernandez");
    assert.ok(
      (byName.patients ?? []).some((p) => p.familyName === fernandez.familyName && p.givenName === fernandez.givenName),
      `"fernandez" finds ${full}: ${JSON.stringify(byName.patients?.map((p) => p.familyName))}`,
    );
    await rowOf(page, full).first().waitFor();
    // Her Spanish number keeps its international form.
    assert.match(await rowOf(page, full).first().innerText(), /\+34 612345678/);

    // The last 4 digits of Maya Okafor's phone.
    const last4 = okafor.phone.replace(/\D/g, "").slice(-4);
    const mayaName = `${okafor.givenName} ${okafor.familyName}`;
    const byPhone = await search(page, last4);
    assert.ok((byPhone.patients ?? []).some((p) => p.familyName === okafor.familyName), `"${last4}" finds ${mayaName}`);
    const mayaRow = rowOf(page, mayaName).first();
    await mayaRow.waitFor();
    assert.ok((await mayaRow.innerText()).includes("(303) 555-0141"), `her phone in the national format: ${await mayaRow.innerText()}`);
    assert.match(await page.locator("#patient-results-status").innerText(), /Phone ending in/);

    // Her date of birth.
    const pad = (n) => String(n).padStart(2, "0");
    const birth = `${okafor.birthDate.year}-${pad(okafor.birthDate.month)}-${pad(okafor.birthDate.day)}`;
    const byBirth = await search(page, birth);
    assert.ok((byBirth.patients ?? []).length > 0, `${birth} finds someone`);
    assert.ok(
      byBirth.patients.every((p) => p.birthDate?.year === okafor.birthDate.year && p.birthDate?.month === okafor.birthDate.month && p.birthDate?.day === okafor.birthDate.day),
      "only patients born that day",
    );
    await rowOf(page, mayaName).first().waitFor();
    assert.ok((await rowOf(page, mayaName).first().innerText()).includes("Mar 14, 1988"), "the date of birth in words");

    // The search is kept in the address.
    assert.equal(new URL(page.url()).searchParams.get("q"), birth);
  });
});
