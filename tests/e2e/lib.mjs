// Shared by the browser tests: the browser, a page per test with a screenshot
// on failure, the demo accounts and logging in through the login page.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const baseUrl = (process.env.CLINIC_BASE_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const chromiumPath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Fails at once, saying so, when nothing answers at CLINIC_BASE_URL. */
export async function checkServer() {
  try {
    const res = await fetch(baseUrl + "/", { signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
  } catch (err) {
    throw new Error(
      `nothing answers at CLINIC_BASE_URL=${baseUrl} (${err.cause?.code ?? err.message}); start the system first, e.g. ./clinic up --detach`,
    );
  }
}

/**
 * A browser with a fresh profile: { context, close }. `options` are extra
 * context options, e.g. { timezoneId: "Pacific/Auckland" } for a browser in
 * another time zone than the clinic.
 */
export async function launchBrowser(options = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), "clinic-e2e-profile-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

let shotDir;

/** Runs fn with a fresh page; on failure saves a screenshot and prints where. */
export async function withPage(context, t, fn) {
  const page = await context.newPage();
  const consoleErrors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  page.on("pageerror", (err) => consoleErrors.push(String(err)));
  try {
    await fn(page, consoleErrors);
  } catch (err) {
    shotDir ??= await mkdtemp(join(tmpdir(), "clinic-e2e-shots-"));
    const file = join(shotDir, t.name.replace(/[^a-z0-9]+/gi, "_") + ".png");
    try {
      await page.screenshot({ path: file, fullPage: true });
      console.error(`# screenshot of the failure: ${file}`);
    } catch (shotErr) {
      console.error(`# could not take a screenshot: ${shotErr.message}`);
    }
    console.error(`# page url: ${page.url()}`);
    if (consoleErrors.length) console.error(`# browser console errors:\n#   ${consoleErrors.join("\n#   ")}`);
    throw err;
  } finally {
    await page.close();
  }
}

export const roles = ["admin", "front_desk", "therapist"];

/**
 * Reads demo accounts, one a line: "email<TAB>role<TAB>password" (runs of
 * spaces also separate, as `./clinic demo-accounts` prints them). Blank lines
 * and lines starting with "#" are skipped.
 */
export function parseAccounts(text) {
  const accounts = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const parts = line.includes("\t") ? line.split("\t").map((s) => s.trim()) : line.split(/\s+/);
    if (parts.length !== 3 || parts.some((p) => p === "")) {
      throw new Error(`demo accounts, line ${i + 1}: expected "email<TAB>role<TAB>password", got ${parts.length} fields`);
    }
    const [email, role, password] = parts;
    if (!email.includes("@")) throw new Error(`demo accounts, line ${i + 1}: "${email}" is not an email address`);
    if (!roles.includes(role)) {
      throw new Error(`demo accounts, line ${i + 1}: role "${role}" is not one of ${roles.join(", ")}`);
    }
    accounts.push({ email, role, password });
  });
  return accounts;
}

const defaultAccountsFile = fileURLToPath(new URL("../../.clinic/demo-accounts.tsv", import.meta.url));

/** The accounts in the file CLINIC_DEMO_ACCOUNTS names (default .clinic/demo-accounts.tsv). */
export async function readAccounts() {
  const file = process.env.CLINIC_DEMO_ACCOUNTS || (existsSync(defaultAccountsFile) ? defaultAccountsFile : "");
  if (!file) {
    throw new Error(
      "set CLINIC_DEMO_ACCOUNTS to the demo accounts file (email<TAB>role<TAB>password a line), e.g. .clinic/demo-accounts.tsv from ./clinic up",
    );
  }
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read CLINIC_DEMO_ACCOUNTS=${file}: ${err.message}`);
  }
  const accounts = parseAccounts(text);
  if (accounts.length === 0) throw new Error(`no accounts in ${file}`);
  return accounts;
}

/** The n-th account with this role (0 = the first). */
export function accountFor(accounts, role, n = 0) {
  const found = accounts.filter((a) => a.role === role);
  assert.ok(found.length > n, `the demo accounts have ${found.length} ${role} account(s); this test needs ${n + 1}`);
  return found[n];
}

const isLoginPage = (url) => new URL(url).pathname.replace(/\/+$/, "") === "/staff/login";

/**
 * Fills the login form on the current (login) page and submits it; returns
 * the /auth/login response. The gateway rate-limits /auth/login per address:
 * a short wait it asks for (429 with a Retry-After of up to 30 s) is waited
 * out and the form sent again.
 */
export async function submitLogin(page, email, password) {
  for (let attempt = 1; ; attempt++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    const answered = page.waitForResponse((res) => new URL(res.url()).pathname === "/auth/login" && res.request().method() === "POST");
    await page.getByRole("button", { name: "Log in" }).click();
    const res = await answered;
    const retryAfter = Number(res.headers()["retry-after"]);
    const shortWait = retryAfter > 0 && retryAfter <= 30 && /too many requests/i.test(await res.text());
    if (res.status() === 429 && shortWait && attempt < 4) {
      await page.getByRole("alert").waitFor();
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 250));
      continue;
    }
    return res;
  }
}

/**
 * Logs in through the login page: opens it unless the page is already there
 * (e.g. after a redirect with ?next=), submits email and password, and waits
 * to leave the login page.
 */
export async function logIn(page, account) {
  if (!/^https?:/.test(page.url()) || !isLoginPage(page.url())) {
    await page.goto(baseUrl + "/staff/login");
  }
  await page.getByRole("heading", { level: 1, name: "Log in" }).waitFor();
  const res = await submitLogin(page, account.email, account.password);
  assert.equal(res.status(), 200, `log in as ${account.role} ${account.email}: HTTP ${res.status()} ${await res.text()}`);
  await page.waitForURL((url) => !isLoginPage(url.href));
  await page.getByRole("button", { name: "Log out" }).waitFor();
}

/** Clicks "Log out" in the header and waits for the login page. */
export async function logOut(page) {
  const answered = page.waitForResponse((res) => new URL(res.url()).pathname === "/auth/logout");
  await page.getByRole("button", { name: "Log out" }).click();
  const res = await answered;
  assert.equal(res.status(), 200, `/auth/logout: HTTP ${res.status()} ${await res.text()}`);
  await page.waitForURL((url) => isLoginPage(url.href));
  await page.getByRole("heading", { level: 1, name: "Log in" }).waitFor();
}

// ---- reading a google.rpc.BadRequest from its binary form (no protobuf library here) ----

function readVarint(bytes, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[pos++];
    if (b === undefined) throw new Error("truncated varint");
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [value, pos];
    shift += 7;
  }
}

/** The fields of a message as [number, value] pairs; length-delimited values as bytes. */
function readFields(bytes) {
  const fields = [];
  let pos = 0;
  while (pos < bytes.length) {
    let key;
    [key, pos] = readVarint(bytes, pos);
    const number = Math.floor(key / 8);
    const wireType = key & 7;
    if (wireType === 0) {
      let v;
      [v, pos] = readVarint(bytes, pos);
      fields.push([number, v]);
    } else if (wireType === 2) {
      let len;
      [len, pos] = readVarint(bytes, pos);
      fields.push([number, bytes.subarray(pos, pos + len)]);
      pos += len;
    } else if (wireType === 1) {
      pos += 8;
    } else if (wireType === 5) {
      pos += 4;
    } else {
      throw new Error(`unexpected wire type ${wireType}`);
    }
  }
  return fields;
}

/**
 * BadRequest { repeated FieldViolation field_violations = 1; }
 * FieldViolation { string field = 1; string description = 2; }
 */
export function decodeBadRequest(base64) {
  const text = (b) => new TextDecoder().decode(b);
  return readFields(Buffer.from(base64, "base64"))
    .filter(([n]) => n === 1)
    .map(([, v]) => {
      const violation = { field: "", description: "" };
      for (const [n, f] of readFields(v)) {
        if (n === 1) violation.field = text(f);
        if (n === 2) violation.description = text(f);
      }
      return violation;
    });
}

// ---- the public site's contact form ----

export const requestContactPath = "/clinic.booking.v1.BookingService/RequestContact";

/** A phone-sized browser (a 390 x 844 screen, touch), for launchBrowser. */
export const phoneContext = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

/** "Zz" and ten random letters: a name no other run has used. */
export function uniqueName() {
  const letters = "abcdefghijklmnopqrstuvwxyz";
  let s = "";
  for (let i = 0; i < 10; i++) s += letters[Math.floor(Math.random() * letters.length)];
  return "Zz" + s;
}

/** Opens the public page and waits for its contact form (shown by its script). */
export async function openContactForm(page) {
  const res = await page.goto(baseUrl + "/");
  assert.equal(res.status(), 200, `GET /: HTTP ${res.status()}`);
  await page.locator("#contact-form").waitFor({ state: "visible" });
}

/**
 * Clicks the contact form's "Ask for a call back" and returns the
 * RequestContact response. The gateway rate-limits anonymous calls per
 * address: a 429 with a short Retry-After (up to 60 s) is waited out — the
 * page says "Too many requests…" meanwhile — and the same form sent again,
 * with the same request_id.
 */
export async function submitContactForm(page) {
  let firstRequestId;
  for (let attempt = 1; ; attempt++) {
    const answered = page.waitForResponse(
      (res) => new URL(res.url()).pathname === requestContactPath && res.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Ask for a call back" }).click();
    const res = await answered;
    const requestId = res.request().postDataJSON()?.requestId;
    firstRequestId ??= requestId;
    assert.equal(requestId, firstRequestId, "sending the same form again keeps its request_id");
    const retryAfter = Number(res.headers()["retry-after"]);
    if (res.status() === 429 && retryAfter > 0 && retryAfter <= 60 && attempt < 4) {
      await page.locator("#cf-problems").getByText("Too many requests").waitFor();
      await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 250));
      continue;
    }
    return res;
  }
}

// ---- the public booking page (book.html) ----

export const bookingApi = "/clinic.booking.v1.BookingService/";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `act` (something that makes the page call the API) and waits until
 * `ready` (a locator) shows. The gateway rate-limits anonymous calls per
 * address: when the page shows an alert saying "Too many requests" instead
 * (after a 429 with a short Retry-After, up to 60 s), the wait is waited out
 * and `again` run — the page's own way to try again ("Try again", or the
 * same button) — at most three times; the page itself never retries. Any
 * other alert instead of `ready` fails the test with its words.
 */
export async function waitOutRateLimit(page, { act, ready, again = act }) {
  let retryAfter = 0;
  const on429 = (res) => {
    if (res.status() === 429 && new URL(res.url()).pathname.startsWith("/clinic.")) {
      retryAfter = Math.max(retryAfter, Number(res.headers()["retry-after"]) || 1);
    }
  };
  page.on("response", on429);
  try {
    await act();
    for (let attempt = 1; ; attempt++) {
      const alerts = page.getByRole("alert");
      // Whichever shows first (a hidden `ready` earlier in the page must not hide an alert after it).
      await ready.or(alerts).filter({ visible: true }).first().waitFor();
      const said = (await alerts.allInnerTexts()).map((s) => s.trim()).filter(Boolean);
      if (said.some((s) => /Too many requests/.test(s))) {
        assert.ok(attempt < 4, `still rate-limited after ${attempt - 1} waits: ${said.join(" / ")}`);
        assert.ok(retryAfter <= 60, `the gateway asks to wait ${retryAfter} s`);
        await sleep(retryAfter * 1000 + 250);
        retryAfter = 0;
        await again();
        continue;
      }
      if (!(await ready.first().isVisible())) assert.fail(`the page says: ${said.join(" / ")}`);
      return;
    }
  } finally {
    page.off("response", on429);
  }
}

/**
 * Opens the public home page (/), follows "Book a free screening" and waits
 * for the booking page's first step: the locations and the appointment
 * types to choose from (waiting out a 429 of the anonymous rate limit).
 */
export async function openBookingFromHome(page) {
  const res = await page.goto(baseUrl + "/");
  assert.equal(res.status(), 200, `GET /: HTTP ${res.status()}`);
  await waitOutRateLimit(page, {
    act: () => page.getByRole("main").getByRole("link", { name: "Book a free screening" }).click(),
    ready: page.getByRole("group", { name: "Appointment", exact: true }).getByRole("radio").first(),
    again: () => page.getByRole("button", { name: "Try again" }).click(),
  });
}

/** Opens /book.html directly and waits for its first step, as openBookingFromHome. */
export async function openBooking(page) {
  await waitOutRateLimit(page, {
    act: async () => {
      const res = await page.goto(baseUrl + "/book.html");
      assert.equal(res.status(), 200, `GET /book.html: HTTP ${res.status()}`);
    },
    ready: page.getByRole("group", { name: "Appointment", exact: true }).getByRole("radio").first(),
    again: () => page.getByRole("button", { name: "Try again" }).click(),
  });
}

/**
 * On the booking page's first step, chooses the first location (and keeps
 * the type chosen at first, the free screening), asks for the open times
 * and waits for them (waiting out a 429). Returns { location, locationName,
 * findOpenings } — the FindOpenings response of the 14-day window.
 */
export async function chooseFirstLocation(page) {
  const first = page.getByRole("group", { name: "Location", exact: true }).locator("label.choice").first();
  const locationName = (await first.locator("strong").innerText()).trim();
  const radio = first.getByRole("radio");
  await radio.check();
  const location = await radio.inputValue();
  let findOpenings;
  const onResponse = (res) => {
    if (new URL(res.url()).pathname === bookingApi + "FindOpenings" && res.status() === 200) findOpenings = res;
  };
  page.on("response", onResponse);
  try {
    await waitOutRateLimit(page, {
      act: () => page.getByRole("button", { name: "Show open times" }).click(),
      ready: page.locator("#bk-calendar"),
      again: () => page.locator("#bk-time-error").getByRole("button", { name: "Try again" }).click(),
    });
  } finally {
    page.off("response", onResponse);
  }
  assert.ok(findOpenings, "FindOpenings answered");
  return { location, locationName, findOpenings };
}

/**
 * On the booking page's times: picks the first day with open times and its
 * first time (as FindOpenings' `findOpenings` response lists them) and waits
 * for the details step. Returns that opening.
 */
export async function pickFirstOpenTime(page, findOpenings) {
  const { openings = [] } = await findOpenings.json();
  assert.ok(openings.length > 0, "FindOpenings has open times in the next 14 days (the demo schedules should give some)");
  const first = [...openings].sort((a, b) => (a.localStart < b.localStart ? -1 : 1))[0];
  await page.locator(`#bk-days button.day[data-date="${first.localStart.slice(0, 10)}"]`).click();
  await page.locator(`#bk-times button[data-local-start="${first.localStart}"]`).click();
  await page.getByRole("heading", { name: "Your details" }).waitFor();
  return first;
}

/**
 * Fills the booking page's details for a person born 2 April 1990 who
 * gives an email, consents, and goes on to "Check and book".
 */
export async function fillBookingDetails(page, { given, family, email }) {
  await page.getByLabel("First name").fill(given);
  await page.getByLabel("Last name").fill(family);
  await page.getByLabel("Day", { exact: true }).fill("2");
  await page.getByLabel("Month", { exact: true }).fill("4");
  await page.getByLabel("Year", { exact: true }).fill("1990");
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
  await page.getByLabel("I agree to be contacted about this appointment").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Check and book" }).waitFor();
}

/**
 * Clicks "Book" on the booking page's last step and returns the BookOnline
 * response. A 429 with a short Retry-After is waited out — the page says
 * "Too many requests…" — and the same booking sent again, with the same
 * request_id.
 */
export async function clickBook(page) {
  let firstRequestId;
  for (let attempt = 1; ; attempt++) {
    const answered = page.waitForResponse(
      (res) => new URL(res.url()).pathname === bookingApi + "BookOnline" && res.request().method() === "POST",
    );
    await page.getByRole("button", { name: "Book", exact: true }).click();
    const res = await answered;
    const requestId = res.request().postDataJSON()?.requestId;
    firstRequestId ??= requestId;
    assert.equal(requestId, firstRequestId, "booking the same time again keeps its request_id");
    const retryAfter = Number(res.headers()["retry-after"]);
    if (res.status() === 429 && retryAfter > 0 && retryAfter <= 60 && attempt < 4) {
      await page.getByRole("alert").filter({ hasText: "Too many requests" }).waitFor();
      await sleep(retryAfter * 1000 + 250);
      continue;
    }
    return res;
  }
}

/**
 * A Connect call of the public API from this process (no browser, no
 * session): { status, body }. For clean-up after a failed test, e.g. cancelling
 * through a manage link; rate-limited like the browser's calls.
 */
export async function callPublicApi(method, body) {
  const res = await fetch(baseUrl + bookingApi + method, {
    method: "POST",
    headers: { "content-type": "application/json", "connect-protocol-version": "1" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: res.status, body: json };
}
