// Accessibility of the public page (/) with axe-core, against a running clinic:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 node tests/e2e/public_a11y.test.mjs
//
// axe-core (tests/e2e/package.json) is read from node_modules and evaluated in
// the page through the DevTools protocol (page.evaluate of its source), which
// the gateway's Content-Security-Policy does not block — unlike a <script>
// element with inline content — so the page is checked as it is served.
// No violation of impact "serious" or "critical" is allowed: on a phone and on
// a desktop, in light and dark colours, and with the contact form's errors
// shown. The keyboard reaches every field of the form in order, each showing
// its focus, but not the honeypot. The booking page (/book.html) likewise, at
// each step: the locations, the open times (also in dark colours), the
// details with their errors shown, and the summary before booking (nothing
// is booked).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  checkServer,
  chooseFirstLocation,
  launchBrowser,
  openBooking,
  openContactForm,
  phoneContext,
  submitContactForm,
  withPage,
} from "./lib.mjs";

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let browser;

before(async () => {
  await checkServer();
  browser = await launchBrowser(phoneContext);
});

after(async () => {
  await browser?.close();
});

/** axe-core's violations of impact serious or critical on the page as it is now. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) {
    await page.evaluate(axeSource + "\n;void 0");
  }
  const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Violations in words for the assertion message: rule, help, and where. */
function report(violations) {
  return violations
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.helpUrl})\n` +
        v.nodes
          .slice(0, 8)
          .map((n) => `      ${n.target.join(" ")} — ${(n.failureSummary ?? "").replace(/\s+/g, " ").trim()}`)
          .join("\n"),
    )
    .join("\n  ");
}

async function assertNoSerious(page, where) {
  // Pico animates colours (a 0.2 s transition): after a switch to dark colours,
  // wait for the transitions to end, or axe reads colours half-way.
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  const violations = await seriousViolations(page);
  assert.equal(violations.length, 0, `axe-core, ${where}:\n  ${report(violations)}`);
}

test("the public page has no serious or critical accessibility violations", async (t) => {
  await withPage(browser.context, t, async (page) => {
    const locationsLoaded = page
      .waitForResponse((res) => new URL(res.url()).pathname === "/clinic.appointments.v1.LocationService/ListLocations")
      .catch(() => undefined);
    await openContactForm(page);
    await locationsLoaded;

    await assertNoSerious(page, "on a phone (390 px)");
    await page.emulateMedia({ colorScheme: "dark" });
    await assertNoSerious(page, "on a phone, dark colours");
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
    await assertNoSerious(page, "on a desktop (1280 px)");

    // With the server's errors at the fields and the summary shown.
    await page.setViewportSize({ width: 390, height: 844 });
    const res = await submitContactForm(page);
    assert.equal((await res.json()).code, "invalid_argument", "an empty form is refused");
    await page.getByRole("alert").filter({ hasText: "Your request was not sent." }).waitFor();
    await assertNoSerious(page, "with the form's errors shown");
  });
});

test("the keyboard goes through the contact form in order and skips the honeypot", async (t) => {
  await withPage(browser.context, t, async (page) => {
    await openContactForm(page);
    await page.getByLabel("First name").focus();
    const visited = [];
    const noRing = [];
    for (let i = 0; i < 30; i++) {
      const here = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el) return { id: "", name: "", ring: false };
        // A visible focus indicator: an outline or Pico's focus ring (a box-shadow).
        const style = getComputedStyle(el);
        const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
        return { id: el.id, name: el.getAttribute("name") ?? "", ring };
      });
      visited.push(here.id || here.name);
      if (!here.ring) noRing.push(here.id || here.name);
      if (here.id === "cf-submit") break;
      await page.keyboard.press("Tab");
    }
    const expected = [
      "cf-given_name",
      "cf-family_name",
      "cf-phone",
      "cf-email",
      "preferred_contact",
      "cf-preferred_times",
      "cf-location",
      "cf-pain_area",
      "cf-concern",
      "cf-consent_to_contact",
      "cf-submit",
    ];
    assert.deepEqual(visited, expected, "Tab order through the form");
    assert.ok(!visited.includes("cf-website") && !visited.includes("website"), "the honeypot is not reachable");
    assert.deepEqual(noRing, [], "every control shows where the focus is");
  });
});

test("the booking page has no serious or critical accessibility violations at any step", async (t) => {
  await withPage(browser.context, t, async (page) => {
    await page.emulateMedia({ colorScheme: "light" });
    await openBooking(page);
    await assertNoSerious(page, "booking, the locations (phone)");

    const { findOpenings } = await chooseFirstLocation(page);
    await assertNoSerious(page, "booking, the open times (phone)");
    await page.emulateMedia({ colorScheme: "dark" });
    await assertNoSerious(page, "booking, the open times (phone, dark colours)");
    await page.emulateMedia({ colorScheme: "light" });

    const { openings = [] } = await findOpenings.json();
    if (openings.length === 0) {
      t.diagnostic("no open times in the next 14 days: the details and summary steps were not checked");
      return;
    }
    await page.locator("#bk-days button.day:not(.none)").first().click();
    await page.locator("#bk-times button").first().click();
    await page.getByRole("heading", { name: "Your details" }).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("alert").filter({ hasText: "Please check your details." }).waitFor();
    await assertNoSerious(page, "booking, the details with their errors (phone)");

    await page.getByLabel("First name").fill("Ann");
    await page.getByLabel("Last name").fill("Axe");
    await page.getByLabel("Day", { exact: true }).fill("2");
    await page.getByLabel("Month", { exact: true }).fill("4");
    await page.getByLabel("Year", { exact: true }).fill("1990");
    await page.getByRole("textbox", { name: "Email", exact: true }).fill("ann.axe@example.com");
    await page.getByLabel("I agree to be contacted about this appointment").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("heading", { name: "Check and book" }).waitFor();
    await assertNoSerious(page, "booking, the summary (phone)");
    await page.setViewportSize({ width: 1280, height: 900 });
    await assertNoSerious(page, "booking, the summary (desktop)");
    await page.setViewportSize({ width: 390, height: 844 });
  });
});
