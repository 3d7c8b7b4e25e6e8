// End-to-end browser test of the contact-request funnel's first steps, against
// a running clinic:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/contact_request.test.mjs
//
// - On a phone, a visitor fills the public page's "Contact us — we'll call you
//   back" form (RequestContact) and sees the confirmation. The front desk, on a
//   desktop, finds the request in Contact requests (asked "just now"), records
//   "Reached" then "Screening booked" (RecordContactAttempt), and it leaves the
//   open queue; with "Show closed requests too" it is there, closed, with the call.
// - The form sent without a name, phone or email: RequestContact answers
//   invalid_argument with a google.rpc.BadRequest; each violation is shown at
//   its field.
// - Markup in a name and a concern is shown as text in the staff queue, never
//   run (no window.__xss, no dialog); the request is then closed.
//
// Each run leaves two closed contact requests with unique names.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  accountFor,
  baseUrl,
  checkServer,
  decodeBadRequest,
  launchBrowser,
  logIn,
  openContactForm,
  phoneContext,
  readAccounts,
  submitContactForm,
  uniqueName,
  withPage,
} from "./lib.mjs";

const screenings = "/clinic.screenings.v1.ScreeningService/";

let phone;

before(async () => {
  await checkServer();
  // The public page needs no login: one phone-sized browser for every test.
  phone = await launchBrowser(phoneContext);
});

after(async () => {
  await phone?.close();
});

/** Runs fn with a page of a fresh desktop browser (its own profile: the staff session ends with it). */
async function asStaff(t, fn) {
  const desktop = await launchBrowser();
  try {
    await withPage(desktop.context, t, fn);
  } finally {
    await desktop.close();
  }
}

/** Waits for the page's next call of a ScreeningService method and returns its response. */
function nextCall(page, method) {
  return page.waitForResponse((res) => res.url().endsWith(screenings + method) && res.request().method() === "POST");
}

/** A phone number no other run is likely to have open (the service keeps at most three open requests per number). */
function randomPhone() {
  return `303 555 01${String(Math.floor(Math.random() * 100)).padStart(2, "0")}`;
}

/** The page is no wider than its screen. */
async function assertFitsScreen(page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
}

/** Logs in as the front desk and opens Contact requests from the navigation; returns the ListContactRequests response. */
async function openQueue(page) {
  await logIn(page, accountFor(await readAccounts(), "front_desk"));
  const listed = nextCall(page, "ListContactRequests");
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Contact requests" }).click();
  await page.getByRole("heading", { level: 1, name: "Contact requests" }).waitFor();
  const res = await listed;
  assert.equal(res.status(), 200, `ListContactRequests: HTTP ${res.status()} ${await res.text()}`);
  return res;
}

/**
 * The card of the request whose heading is `name`, paging through the queue
 * ("More") until it is found or there is no more. Oldest first: a new request
 * is on the last page.
 */
async function findRequestCard(page, name) {
  const card = page.locator("contact-request-card").filter({ has: page.getByRole("heading", { level: 2, name, exact: true }) });
  for (let pages = 0; pages < 40; pages++) {
    await page.locator("#contacts-status").filter({ hasNotText: "Loading" }).waitFor();
    if ((await card.count()) > 0) break;
    const more = page.getByRole("button", { name: "More", exact: true });
    if (!(await more.isVisible())) break;
    const next = nextCall(page, "ListContactRequests");
    await more.click();
    await next;
  }
  assert.equal(await card.count(), 1, `the request of "${name}" is listed once`);
  return card;
}

/** Records a call on a card: outcome, then what next, a note; returns the RecordContactAttempt response. */
async function recordCall(page, card, outcome, then, note) {
  await card.getByLabel("Outcome").selectOption({ label: outcome });
  await card.getByLabel("Then").selectOption({ label: then });
  await card.getByLabel("Note").fill(note);
  const recorded = nextCall(page, "RecordContactAttempt");
  await card.getByRole("button", { name: /^Record call/ }).click();
  const res = await recorded;
  assert.equal(res.status(), 200, `RecordContactAttempt: HTTP ${res.status()} ${await res.text()}`);
  return res;
}

test("a visitor asks for a call back on a phone; the front desk records the call and it leaves the queue", async (t) => {
  const given = uniqueName();
  const family = "Callback";
  const email = `${given.toLowerCase()}@example.com`;
  const number = randomPhone();
  const concern = "Inner knee pain after long runs, for three weeks.";

  // ---- the public page, on a phone ----
  await withPage(phone.context, t, async (page) => {
    await openContactForm(page);
    await assertFitsScreen(page);
    await page.getByLabel("First name").fill(given);
    await page.getByLabel("Last name").fill(family);
    await page.getByRole("textbox", { name: "Phone", exact: true }).fill(number);
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
    await page.getByRole("radio", { name: "Phone call" }).check();
    await page.getByLabel("Best time to call").fill("weekday evenings");
    assert.equal(await page.getByLabel("Where does it hurt?").inputValue(), "knee", "Knee is chosen on the knee-pain page");
    assert.equal(
      await page.getByLabel("Location").locator("option").first().innerText(),
      "Any location",
      "the location choice starts with Any location",
    );
    await page.getByLabel("What hurts, and since when?").fill(concern);
    await page.getByLabel("I agree to be contacted about my request").check();

    // The honeypot is out of people's way: not shown, not reachable, not read out.
    const honeypot = page.locator('input[name="website"]');
    assert.equal(await honeypot.getAttribute("tabindex"), "-1");
    assert.equal(await honeypot.getAttribute("autocomplete"), "off");
    assert.ok(await honeypot.evaluate((el) => el.closest('[aria-hidden="true"]') !== null), "the honeypot is aria-hidden");
    assert.equal(await honeypot.inputValue(), "");

    const res = await submitContactForm(page);
    assert.equal(res.status(), 200, `RequestContact: HTTP ${res.status()} ${await res.text()}`);
    const sent = res.request().postDataJSON();
    assert.equal(sent.givenName, given);
    assert.equal(sent.familyName, family);
    assert.equal(sent.email, email);
    assert.equal(sent.preferredContact, "PREFERRED_CONTACT_PHONE");
    assert.equal(sent.painArea, "PAIN_AREA_KNEE");
    assert.equal(sent.consentToContact, true);
    assert.equal(sent.campaign, "conditions/inner-knee-pain");
    assert.ok(!sent.website, "the honeypot is sent empty");
    assert.match(sent.requestId ?? "", /^[0-9a-f-]{32,36}$/i, "a fresh random request_id");

    // The form is replaced by the service's message, which takes focus.
    const body = await res.json();
    const done = page.locator("#contact-done");
    await done.waitFor({ state: "visible" });
    assert.equal(await done.getAttribute("role"), "status");
    if (body.message?.trim()) assert.equal((await done.innerText()).trim(), body.message.trim());
    assert.ok((await done.innerText()).trim().length > 0, "a confirmation is shown");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "contact-done", "the confirmation has focus");
    assert.equal(await page.locator("#contact-form").count(), 0, "the form is gone");
    await assertFitsScreen(page);
  });

  // ---- the front desk, on a desktop ----
  await asStaff(t, async (page) => {
    const listed = await openQueue(page);
    const asked = listed.request().postDataJSON();
    assert.ok(!asked.states || asked.states.length === 0, `the open queue asks for the default states: ${JSON.stringify(asked)}`);

    const card = await findRequestCard(page, `${given} ${family}`);
    const age = (await card.locator(".contact-age").innerText()).trim();
    assert.match(age, /^(just now|\d+ min ago)$/, `asked a moment ago: "${age}"`);
    assert.equal((await card.locator(".badge.state").innerText()).trim(), "New");
    const tel = await card.locator('a[href^="tel:"]').getAttribute("href");
    assert.match(tel, /^tel:\+?\d{7,15}$/, `a tel: link: ${tel}`);
    assert.ok(tel.endsWith(number.replace(/\D/g, "").slice(-7)), `the number: ${tel}`);
    assert.equal(await card.getByRole("link", { name: email }).getAttribute("href"), `mailto:${email}`);
    const text = await card.innerText();
    for (const expected of ["Phone call, weekday evenings", "Knee", concern, "conditions/inner-knee-pain", "No calls yet."]) {
      assert.ok(text.includes(expected), `the card shows "${expected}":\n${text}`);
    }

    // Reached, and a screening is booked: the request closes and leaves the open queue.
    const reloaded = nextCall(page, "ListContactRequests");
    const res = await recordCall(page, card, "Reached", "Screening booked", "Free screening booked (e2e).");
    const sent = res.request().postDataJSON();
    assert.equal(sent.outcome, "CONTACT_OUTCOME_REACHED");
    assert.equal(sent.nextState, "CONTACT_REQUEST_STATE_SCREENING_BOOKED");
    assert.ok(sent.etag, "the call carries the etag last read");
    assert.ok(sent.requestId, "and a request_id");
    const updated = await res.json();
    assert.equal(updated.state, "CONTACT_REQUEST_STATE_SCREENING_BOOKED");
    assert.equal(updated.attempts?.length, 1);

    await card.waitFor({ state: "detached" });
    await page.getByRole("status").filter({ hasText: "left the open queue" }).waitFor();
    const list = await (await reloaded).json();
    assert.ok(
      !(list.contactRequests ?? []).some((r) => r.name === updated.name),
      "the reloaded open queue does not have it",
    );
    assert.equal(await card.count(), 0);

    // "Show closed requests too": there it is, closed, with the call and no form.
    const all = nextCall(page, "ListContactRequests");
    await page.getByLabel("Show closed requests too").check();
    const allRes = await all;
    assert.equal((allRes.request().postDataJSON().states ?? []).length, 6, "every state is asked for");
    assert.match(page.url(), /[?&]closed=1\b/, "the filter is kept in the URL");
    const closed = await findRequestCard(page, `${given} ${family}`);
    assert.equal((await closed.locator(".badge.state").innerText()).trim(), "Screening booked");
    const attempts = await closed.locator("ol.attempts").innerText();
    assert.match(attempts, /Reached/);
    assert.match(attempts, /Free screening booked \(e2e\)\./);
    assert.equal(await closed.getByRole("button", { name: /^Record call/ }).count(), 0, "a closed request takes no more calls");
  });
});

test("the contact form without a name, phone or email: the server's errors at those fields", async (t) => {
  await withPage(phone.context, t, async (page) => {
    await openContactForm(page);
    await page.getByLabel("What hurts, and since when?").fill("My knee hurts.");
    await page.getByLabel("I agree to be contacted about my request").check();

    // The server judges the form: nothing is checked in the browser first.
    const res = await submitContactForm(page);
    const body = await res.json();
    assert.equal(body.code, "invalid_argument", `RequestContact answered ${res.status()} ${JSON.stringify(body)}`);
    const detail = (body.details ?? []).find((d) => d.type === "google.rpc.BadRequest");
    assert.ok(detail, `a google.rpc.BadRequest detail: ${JSON.stringify(body.details)}`);
    const violations = decodeBadRequest(detail.value);
    const byField = new Map();
    for (const v of violations) byField.set(v.field, byField.has(v.field) ? `${byField.get(v.field)}; ${v.description}` : v.description);
    assert.ok(byField.has("given_name"), `a violation of given_name: ${JSON.stringify(violations)}`);
    assert.ok(byField.has("phone") || byField.has("email"), `a violation of phone or email: ${JSON.stringify(violations)}`);

    // The summary at the top takes focus.
    const summary = page.getByRole("alert").filter({ hasText: "Your request was not sent." });
    await summary.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), "cf-problems", "the summary has focus");

    // Each violation of a form field is shown under its input, which points at it.
    const inputs = { given_name: "cf-given_name", phone: "cf-phone", email: "cf-email", consent_to_contact: "cf-consent_to_contact" };
    for (const [field, description] of byField) {
      const inputId = inputs[field];
      if (!inputId) continue;
      const input = page.locator(`[id="${inputId}"]`);
      assert.equal(await input.getAttribute("aria-invalid"), "true", `${inputId} is marked invalid`);
      const describedBy = ((await input.getAttribute("aria-describedby")) ?? "").split(/\s+/);
      assert.ok(describedBy.includes(`${inputId}-error`), `${inputId} points at its error: ${describedBy}`);
      const error = page.locator(`[id="${inputId}-error"]`);
      assert.ok(await error.isVisible(), `the error of ${inputId} is visible`);
      assert.equal(await error.getAttribute("data-error-for"), inputId);
      assert.equal((await error.innerText()).trim(), description, `the server's description of ${field} is shown at ${inputId}`);
      assert.ok((await summary.innerText()).includes(description), `the summary lists "${description}"`);
    }
    // A field without a problem is not marked; no request path is shown.
    assert.equal(await page.locator("#cf-family_name").getAttribute("aria-invalid"), null);
    const shown = await page.locator("main").innerText();
    assert.ok(!/\bgiven_name\b|\bconsent_to_contact\b/.test(shown), "no request path on the page");

    // Typing a name clears its error; the form is still there to fix and send.
    await page.getByLabel("First name").fill("Ann");
    assert.equal(await page.locator("#cf-given_name").getAttribute("aria-invalid"), null);
    assert.equal(await page.locator("#cf-given_name-error").count(), 0);
    assert.ok(await page.getByRole("button", { name: "Ask for a call back" }).isEnabled());
    await assertFitsScreen(page);
  });
});

test("markup in a name and a concern is shown as text in the staff queue, never run", async (t) => {
  const given = '<img src=x onerror="window.__xss=1">';
  const family = uniqueName();
  const concern = "<script>window.__xss=1</script>";
  const email = `${family.toLowerCase()}@example.com`;
  const dialogs = [];
  const onDialog = (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  };

  await withPage(phone.context, t, async (page) => {
    page.on("dialog", onDialog);
    await openContactForm(page);
    await page.getByLabel("First name").fill(given);
    await page.getByLabel("Last name").fill(family);
    await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
    await page.getByLabel("What hurts, and since when?").fill(concern);
    await page.getByLabel("I agree to be contacted about my request").check();
    const res = await submitContactForm(page);
    assert.equal(res.status(), 200, `RequestContact with markup in the name: HTTP ${res.status()} ${await res.text()}`);
    await page.locator("#contact-done").waitFor({ state: "visible" });
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  });

  await asStaff(t, async (page) => {
    page.on("dialog", onDialog);
    await openQueue(page);
    const card = await findRequestCard(page, `${given} ${family}`);

    // The strings are there, as text.
    assert.equal((await card.getByRole("heading", { level: 2 }).innerText()).trim(), `${given} ${family}`);
    assert.equal((await card.locator(".concern").innerText()).trim(), concern);
    // Nothing of them became markup, and nothing ran.
    assert.equal(await page.locator('img[src="x"]').count(), 0, "no <img> from the name");
    assert.equal(await card.locator("script").count(), 0, "no <script> from the concern");
    assert.equal(await page.evaluate(() => window.__xss), undefined, "window.__xss stays undefined");

    // Close it, so the queue does not fill up with test requests.
    await recordCall(page, card, "Reached", "Not interested", "e2e: markup shown as text.");
    await card.waitFor({ state: "detached" });
    assert.equal(await page.evaluate(() => window.__xss), undefined);
  });

  assert.deepEqual(dialogs, [], "no dialog opened");
});
