// End-to-end browser test of Admin → Staff and My account, against a running
// clinic with its demo accounts:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/staff_admin.test.mjs
//
// The admin creates a member (one-time password shown once), edits them and
// resets their password; the member logs in with it, sees their session and
// changes their password (a wrong current password is shown at its field);
// the admin then deactivates them and they can no longer log in. Each run
// leaves one deactivated member (hidden from the staff list by default).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, logOut, readAccounts, submitLogin, withPage } from "./lib.mjs";

const staffService = "/clinic.staff.v1.StaffService/";

let browser;
let context;
let accounts;
let createdName = "";

before(async () => {
  await checkServer();
  accounts = await readAccounts();
  browser = await launchBrowser();
  context = browser.context;
});

after(async () => {
  // If the test stopped half-way, do not leave an active test member behind.
  if (createdName && context) {
    const page = await context.newPage();
    try {
      await logIn(page, accountFor(accounts, "admin"));
      await page.evaluate(async (name) => {
        await fetch("/clinic.staff.v1.StaffService/DeactivateStaffMember", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ name }),
        });
      }, createdName);
    } catch (err) {
      console.error(`# could not deactivate ${createdName}: ${err.message}`);
    } finally {
      await page.close();
    }
  }
  await browser?.close();
});

const nextCall = (page, method) =>
  page.waitForResponse((res) => res.url().endsWith(staffService + method) && res.request().method() === "POST");

test("an admin creates, edits and resets a member; the member changes their password; the admin deactivates them", async (t) => {
  await withPage(context, t, async (page) => {
    const stamp = Date.now().toString(36);
    const email = `e2e-${stamp}@clinic.example`;
    const family = `Tester${stamp.replace(/\d/g, "")}`;
    const name = `Eve ${family}`;

    await logIn(page, accountFor(accounts, "admin"));
    await page.goto(baseUrl + "/staff/admin/staff");
    await page.getByRole("heading", { level: 1, name: "Staff" }).waitFor();
    await page.getByRole("link", { name: "New staff member" }).click();
    await page.getByRole("heading", { level: 1, name: "New staff member" }).waitFor();

    // Nothing filled in: the form says what is missing, at the fields.
    await page.getByRole("button", { name: "Create staff member" }).click();
    await page.getByRole("alert").filter({ hasText: "not created" }).waitFor();
    assert.equal(await page.getByLabel("Email").getAttribute("aria-invalid"), "true");

    await page.getByLabel("Given name").fill("Eve");
    await page.getByLabel("Family name").fill(family);
    await page.getByLabel("Email").fill(email);
    await page.getByRole("checkbox", { name: "Therapist" }).check();
    await page.getByLabel("Credentials").fill("PT, OCS");
    const created = nextCall(page, "CreateStaffMember");
    await page.getByRole("button", { name: "Create staff member" }).click();
    const createRes = await created;
    assert.equal(createRes.status(), 200, `CreateStaffMember: ${await createRes.text()}`);
    const createBody = await createRes.json();
    createdName = createBody.staffMember.name;
    assert.ok(createRes.request().postDataJSON().requestId, "CreateStaffMember carries a request_id");

    // The one-time password, shown once, ready to copy, with the note.
    await page.getByRole("heading", { level: 1, name: "Staff member created" }).waitFor();
    const shown = page.getByLabel(`One-time password for ${name}`);
    const initialPassword = await shown.inputValue();
    assert.equal(initialPassword, createBody.initialPassword, "the password shown is the one the server generated");
    assert.ok(await shown.getAttribute("readonly") !== null, "read-only");
    await page.getByText("shown only this once").waitFor();

    // Edit: only the changed field is in the update_mask, with the etag.
    await page.getByRole("link", { name: `Open ${name}’s page` }).click();
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await page.getByLabel("Credentials").fill("PT DPT");
    const updated = nextCall(page, "UpdateStaffMember");
    await page.getByRole("button", { name: "Save changes" }).click();
    const updateRes = await updated;
    assert.equal(updateRes.status(), 200, `UpdateStaffMember: ${await updateRes.text()}`);
    const sent = updateRes.request().postDataJSON();
    assert.equal(sent.updateMask, "credentials");
    assert.ok(sent.staffMember.etag, "the update carries the etag");
    assert.deepEqual((await updateRes.json()).credentials, ["PT", "DPT"]);
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    // Reset the password (after confirming): a new one-time password.
    await page.getByRole("button", { name: "Reset password…" }).click();
    const reset = nextCall(page, "ResetPassword");
    await page.getByRole("button", { name: "Yes, reset the password" }).click();
    const resetRes = await reset;
    assert.equal(resetRes.status(), 200, `ResetPassword: ${await resetRes.text()}`);
    const newPassword = await page.getByLabel(`One-time password for ${name}`).inputValue();
    assert.equal(newPassword, (await resetRes.json()).newPassword);
    assert.notEqual(newPassword, initialPassword);

    // The member logs in with it (the initial one no longer works).
    await logOut(page);
    assert.equal((await submitLogin(page, email, initialPassword)).status(), 401, "the password from before the reset is refused");
    await logIn(page, { email, password: newPassword, role: "therapist" });
    await page.getByRole("banner").getByText(name).waitFor();

    // My account: the current session is marked.
    await page.getByRole("banner").getByRole("link", { name }).click();
    await page.getByRole("heading", { level: 1, name: "My account" }).waitFor();
    await page.getByRole("table").getByText("this session").waitFor();

    // A wrong current password is shown at that field; the session goes on.
    const strong = `tidy lantern ${stamp} orbit`;
    await page.getByLabel("Current password").fill("not-the-password");
    await page.getByLabel("New password", { exact: true }).fill(strong);
    await page.getByLabel("New password again").fill(strong);
    const wrong = nextCall(page, "ChangePassword");
    await page.getByRole("button", { name: "Change password" }).click();
    const wrongRes = await wrong;
    assert.notEqual(wrongRes.status(), 200, "ChangePassword with a wrong current password");
    await page.waitForFunction(() => document.querySelector("#pw-current_password")?.getAttribute("aria-invalid") === "true");
    assert.equal(new URL(page.url()).pathname, "/staff/account", "still on the page, still logged in");

    // The right one: every session ends, and the login page says why.
    await page.getByLabel("Current password").fill(newPassword);
    const changed = nextCall(page, "ChangePassword");
    await page.getByRole("button", { name: "Change password" }).click();
    const changedRes = await changed;
    assert.equal(changedRes.status(), 200, `ChangePassword: ${await changedRes.text()}`);
    await page.waitForURL((url) => url.pathname === "/staff/login");
    await page.getByText(/password changed; log in again/i).waitFor();
    await logIn(page, { email, password: strong, role: "therapist" });
    await logOut(page);

    // The admin deactivates them (after confirming); they cannot log in.
    await logIn(page, accountFor(accounts, "admin"));
    await page.goto(baseUrl + "/staff/admin/staff/" + createdName.slice("staff/".length));
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await page.getByRole("button", { name: "Deactivate…" }).click();
    const deactivated = nextCall(page, "DeactivateStaffMember");
    await page.getByRole("button", { name: "Yes, deactivate" }).click();
    const deactivateRes = await deactivated;
    assert.equal(deactivateRes.status(), 200, `DeactivateStaffMember: ${await deactivateRes.text()}`);
    await page.getByRole("heading", { level: 1, name: /deactivated/ }).waitFor();
    createdName = "";

    // Hidden from the list unless "Show deactivated members".
    await page.goto(baseUrl + "/staff/admin/staff");
    await page.getByRole("status").filter({ hasText: /shown/ }).waitFor();
    assert.equal(await page.getByRole("link", { name }).count(), 0);
    await page.getByRole("switch", { name: "Show deactivated members" }).check();
    await page.getByRole("link", { name }).waitFor();

    await logOut(page);
    assert.equal((await submitLogin(page, email, strong)).status(), 401, "a deactivated member cannot log in");
  });
});
