// End-to-end browser test of logging in and of what each role may open,
// against a running clinic with its demo accounts (one admin, one front desk,
// two therapists):
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/staff_access.test.mjs
//
// The tests run in order in one browser profile: the front desk's search
// (step 1) is what the admin then finds in the audit trail (step 4).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, logOut, readAccounts, submitLogin, withPage } from "./lib.mjs";

const sessionCookie = "__Host-clinic_session";
const fallbackCookie = "clinic_session";

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

/** The nav's "Admin" menu (present only for admins). */
const adminMenu = (page) => page.getByRole("navigation", { name: "Staff" }).locator("summary", { hasText: /^\s*Admin\s*$/ });

async function sessionCookies() {
  const cookies = await context.cookies(baseUrl);
  return cookies.filter((c) => c.name === sessionCookie || c.name === fallbackCookie);
}

test("the front desk logs in and sees the patient list; the session cookie is __Host-, HttpOnly, Secure, Strict", async (t) => {
  await withPage(context, t, async (page) => {
    const frontDesk = accountFor(accounts, "front_desk");

    // A wrong password is refused, with the server's message shown.
    await page.goto(baseUrl + "/staff/login");
    await page.getByRole("heading", { level: 1, name: "Log in" }).waitFor();
    const refusedRes = await submitLogin(page, frontDesk.email, frontDesk.password + "-wrong");
    assert.equal(refusedRes.status(), 401, `a wrong password: HTTP ${refusedRes.status()}`);
    await page.getByRole("alert").filter({ hasText: /wrong email or password/i }).waitFor();
    assert.equal(await page.getByLabel("Password").getAttribute("aria-invalid"), "true");

    await logIn(page, frontDesk);
    await page.getByRole("heading", { level: 1, name: "Patients" }).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/staff\/patients\/?$/);
    // Searching is what the audit trail records (ListPatients).
    const search = page.getByRole("searchbox", { name: "Search" });
    const listed = page.waitForResponse((res) => res.url().endsWith("/clinic.patients.v1.PatientService/ListPatients"));
    await search.fill("Zz");
    await search.press("Enter");
    const listRes = await listed;
    assert.equal(listRes.status(), 200, `ListPatients as the front desk: ${await listRes.text()}`);
    await page.getByRole("status").filter({ hasText: /Name starting with/ }).waitFor();

    // The header shows who is logged in, with their roles; no Admin menu.
    await page.getByRole("banner").getByText("Front desk").waitFor();
    assert.equal(await adminMenu(page).count(), 0, "the front desk has no Admin menu");

    // The session cookie, as the browser stored it.
    const cookies = await sessionCookies();
    const names = (await context.cookies(baseUrl)).map((c) => c.name).join(", ") || "none";
    const host = cookies.find((c) => c.name === sessionCookie);
    if (!host && cookies.some((c) => c.name === fallbackCookie)) {
      assert.fail(
        `the session cookie is "${fallbackCookie}", not "${sessionCookie}": the gateway's fallback was used ` +
          "(the browser did not get or did not accept the Secure __Host- cookie over plain-HTTP loopback)",
      );
    }
    assert.ok(host, `no ${sessionCookie} cookie after logging in (cookies: ${names})`);
    assert.equal(host.httpOnly, true, "HttpOnly");
    assert.equal(host.secure, true, "Secure");
    assert.equal(host.sameSite, "Strict", "SameSite=Strict");
    assert.equal(host.path, "/", "Path=/");
    assert.ok(!host.domain.startsWith("."), `__Host- cookies have no Domain: ${host.domain}`);
    const visibleToScript = await page.evaluate(() => document.cookie);
    assert.ok(!visibleToScript.includes("clinic_session"), "scripts cannot read the session cookie");

    // Works on a phone: nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the patient list is ${overflow}px wider than a 360px screen`);
  });
});

test("a therapist has no Admin menu and gets no access to admin pages", async (t) => {
  await withPage(context, t, async (page) => {
    await logIn(page, accountFor(accounts, "therapist"));
    // A therapist lands on their day.
    await page.getByRole("heading", { level: 1, name: "My day" }).waitFor();
    await page.getByRole("banner").getByText("Therapist").waitFor();
    assert.equal(await adminMenu(page).count(), 0, "a therapist's navigation has no Admin");

    await page.goto(baseUrl + "/staff/admin/staff");
    await page.getByRole("heading", { level: 1, name: "You do not have access to this page" }).waitFor();
    assert.equal(await adminMenu(page).count(), 0);

    await page.goto(baseUrl + "/staff/admin/audit");
    await page.getByRole("heading", { level: 1, name: "You do not have access to this page" }).waitFor();

    // The server refuses too (403 permission_denied), whatever the page shows.
    const answer = await page.evaluate(async () => {
      const res = await fetch("/clinic.patients.v1.PatientService/ListPatientAuditEvents", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      return { status: res.status, body: await res.text() };
    });
    assert.equal(answer.status, 403, `ListPatientAuditEvents as a therapist: ${answer.status} ${answer.body}`);
    assert.equal(JSON.parse(answer.body).code, "permission_denied");
  });
});

test("logging out ends the session: the app's pages ask for a login again", async (t) => {
  await withPage(context, t, async (page) => {
    await page.goto(baseUrl + "/staff/patients");
    await page.getByRole("heading", { level: 1, name: "Patients" }).waitFor();
    await logOut(page);
    assert.deepEqual(await sessionCookies(), [], "the session cookie is cleared");

    await page.goto(baseUrl + "/staff/patients");
    await page.waitForURL((url) => url.pathname === "/staff/login");
    await page.getByRole("heading", { level: 1, name: "Log in" }).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("next"), "/staff/patients");

    // The API refuses without a session.
    const status = await page.evaluate(async () => {
      const res = await fetch("/clinic.patients.v1.PatientService/ListPatients", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: "{}",
      });
      return res.status;
    });
    assert.equal(status, 401, "ListPatients without a session");
  });
});

test("an admin logs in to the page asked for, sees the audit trail and the staff list", async (t) => {
  await withPage(context, t, async (page) => {
    // Asking for the audit trail while logged out comes back to it after login.
    await page.goto(baseUrl + "/staff/admin/audit");
    await page.waitForURL((url) => url.pathname === "/staff/login" && url.searchParams.get("next") === "/staff/admin/audit");
    const events = page.waitForResponse((res) => res.url().endsWith("/clinic.patients.v1.PatientService/ListPatientAuditEvents"));
    await logIn(page, accountFor(accounts, "admin"));
    await page.waitForURL((url) => url.pathname === "/staff/admin/audit");
    await page.getByRole("heading", { level: 1, name: "Audit trail" }).waitFor();
    const eventsRes = await events;
    assert.equal(eventsRes.status(), 200, `ListPatientAuditEvents as the admin: ${await eventsRes.text()}`);

    // The front desk's search is there, newest first.
    const table = page.getByRole("table");
    await table.waitFor();
    const rows = table.locator("tbody tr");
    assert.ok((await rows.count()) > 0, "the audit trail has events");
    await rows.filter({ hasText: "searched patients" }).first().waitFor();
    const times = await table.locator("tbody tr td:first-child time").evaluateAll((els) => els.map((e) => e.getAttribute("datetime")));
    const sorted = [...times].sort().reverse();
    assert.deepEqual(times, sorted, "newest first");
    const headers = await table.locator("thead th").allInnerTexts();
    for (const h of ["Time", "Who", "Action", "Patient", "Outcome", "Details"]) {
      assert.ok(headers.some((x) => x.trim() === h), `a "${h}" column (${headers.join(", ")})`);
    }

    // Admin → Staff through the menu: the four demo members.
    await adminMenu(page).click();
    const listed = page.waitForResponse((res) => res.url().endsWith("/clinic.staff.v1.StaffService/ListStaffMembers"));
    await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Staff", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "Staff" }).waitFor();
    const listRes = await listed;
    assert.equal(listRes.status(), 200, `ListStaffMembers: ${await listRes.text()}`);
    await page.getByRole("status").filter({ hasText: /members? shown/ }).waitFor();
    const members = page.getByRole("table").locator("tbody tr");
    assert.equal(await members.count(), 4, `the staff list: ${(await members.allInnerTexts()).join(" | ")}`);
    for (const a of accounts) {
      await page.getByRole("table").getByText(a.email, { exact: true }).waitFor();
    }
  });
});
