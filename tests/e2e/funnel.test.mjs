// End-to-end browser test of the staff app's Funnel page (GetFunnelReport),
// against a running clinic:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/funnel.test.mjs
//
// - The front desk opens Funnel from the navigation: one GetFunnelReport for
//   the last 30 days up to today (the browser runs in UTC, the service counts
//   UTC days); the table has a Total row whose requests match the response
//   and are at least 1 (the demo data has contact requests created at start,
//   today); a "Screenings done" column sits between "Screenings booked" and
//   "Converted" and its total matches the response; the chart of the total
//   funnel is an image named by its counts (five stages); no "locations/…"
//   id is on the page.
// - From after To: "Show" shows the error at To (aria-invalid,
//   aria-describedby, data-error-for) and sends no GetFunnelReport.
//
// Reads only; leaves nothing behind.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const getFunnelReport = "/clinic.screenings.v1.ScreeningService/GetFunnelReport";

before(async () => {
  await checkServer();
});

/** Runs fn with a page of a fresh desktop browser in UTC (its own profile: the staff session ends with it). */
async function asStaff(t, fn) {
  const desktop = await launchBrowser({ timezoneId: "UTC" });
  try {
    await withPage(desktop.context, t, fn);
  } finally {
    await desktop.close();
  }
}

const isReportCall = (req) => new URL(req.url()).pathname === getFunnelReport && req.method() === "POST";

/** "YYYY-MM-DD" of a UTC day `days` from today. */
function utcDay(days = 0) {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Logs in as the front desk and opens Funnel from the navigation; returns the GetFunnelReport response. */
async function openFunnel(page) {
  await logIn(page, accountFor(await readAccounts(), "front_desk"));
  const answered = page.waitForResponse((res) => isReportCall(res.request()));
  await page.getByRole("navigation", { name: "Staff" }).getByRole("link", { name: "Funnel", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Funnel" }).waitFor();
  const res = await answered;
  assert.equal(res.status(), 200, `GetFunnelReport: HTTP ${res.status()} ${await res.text()}`);
  return res;
}

test("the front desk sees the funnel of the last 30 days with a total and no location ids", async (t) => {
  await asStaff(t, async (page) => {
    const res = await openFunnel(page);
    assert.equal(new URL(page.url()).pathname, "/staff/funnel");

    // The default range: the last 30 days up to today, today included.
    const sent = res.request().postDataJSON();
    const [y, mo, d] = utcDay().split("-").map(Number);
    assert.deepEqual(sent.endDate, { year: y, month: mo, day: d }, `end_date: ${JSON.stringify(sent)}`);
    const [y0, mo0, d0] = utcDay(-29).split("-").map(Number);
    assert.deepEqual(sent.startDate, { year: y0, month: mo0, day: d0 }, `start_date: ${JSON.stringify(sent)}`);
    assert.equal(await page.getByLabel("From", { exact: true }).inputValue(), utcDay(-29));
    assert.equal(await page.getByLabel("To", { exact: true }).inputValue(), utcDay());

    const report = await res.json();
    const totalRequests = Number(report.total?.requests ?? 0);
    assert.ok(totalRequests >= 1, `the demo data has contact requests today: ${JSON.stringify(report.total)}`);

    // The Total row: its first cell (after the "Total" row header) is the requests.
    const total = page.getByRole("row", { name: /^Total\b/ });
    await total.waitFor();
    const requestsText = (await total.getByRole("cell").first().innerText()).trim();
    const shown = Number(requestsText.replace(/,/g, ""));
    assert.ok(shown >= 1, `the Total row's requests: "${requestsText}"`);
    assert.equal(shown, totalRequests, "the Total row shows the report's total");
    const headers = [
      "Location",
      "Campaign",
      "Requests",
      "Reached",
      "Screenings booked",
      "Screenings done",
      "Converted",
      "Booking rate",
      "Conversion rate",
    ];
    for (const header of headers) {
      await page.getByRole("columnheader", { name: header, exact: true }).waitFor();
    }
    const shownHeaders = (await page.locator("table.funnel-table thead th").allInnerTexts()).map((h) => h.trim());
    assert.deepEqual(shownHeaders, headers, "the columns, screenings done between screening booked and converted");
    // Screenings done: the fourth count of the Total row (0 when the response leaves it out).
    const doneText = (await total.getByRole("cell").nth(3).innerText()).trim();
    assert.equal(Number(doneText.replace(/,/g, "")), Number(report.total?.screeningsDone ?? 0), `the Total row's screenings done: "${doneText}"`);
    // Rates: a percentage with one decimal.
    assert.match((await total.getByRole("cell").nth(5).innerText()).trim(), /^\d+\.\d%$/);
    assert.match((await total.getByRole("cell").nth(6).innerText()).trim(), /^\d+\.\d%$/);

    // The chart of the total funnel, named by its counts.
    const chart = page.getByRole("img", {
      name: /^Funnel for the period: requests [\d,]+, reached [\d,]+, screenings booked [\d,]+, screenings done [\d,]+, converted [\d,]+\.$/,
    });
    await chart.waitFor();
    assert.match(await chart.getAttribute("aria-label"), new RegExp(`requests ${totalRequests.toLocaleString("en-US")},`));
    // The requests bar fills its track (the largest count); the widths are set
    // through the CSSOM, since the CSP refuses style attributes.
    const bar = chart.locator(".funnel-bar").first();
    const track = chart.locator(".funnel-track").first();
    const [barBox, trackBox] = [await bar.boundingBox(), await track.boundingBox()];
    assert.ok(barBox && trackBox && barBox.width >= trackBox.width * 0.95, `requests bar ${barBox?.width} of ${trackBox?.width}`);

    // Locations by name, never by id.
    await page.locator("#funnel-status").filter({ hasNotText: "Loading" }).waitFor();
    const text = await page.locator("main").innerText();
    assert.ok(!text.includes("locations/"), `no location id on the page:\n${text}`);
    assert.ok(!text.includes("No contact requests in this period."));
  });
});

test("from after to: the error is shown at To and no report is asked for", async (t) => {
  await asStaff(t, async (page) => {
    await openFunnel(page);
    await page.getByRole("row", { name: /^Total\b/ }).waitFor();

    let calls = 0;
    page.on("request", (req) => {
      if (isReportCall(req)) calls++;
    });
    await page.getByLabel("From", { exact: true }).fill(utcDay(1));
    await page.getByLabel("To", { exact: true }).fill(utcDay());
    await page.getByRole("button", { name: "Show", exact: true }).click();

    const error = page.locator('[data-error-for="funnel-to"]');
    await error.waitFor();
    assert.match(await error.innerText(), /on or after the first day/);
    const to = page.getByLabel("To", { exact: true });
    assert.equal(await to.getAttribute("aria-invalid"), "true");
    assert.ok((await to.getAttribute("aria-describedby")).split(" ").includes(await error.getAttribute("id")));
    await page.getByRole("alert").filter({ hasText: "The report was not shown." }).waitFor();

    await page.waitForTimeout(500);
    assert.equal(calls, 0, "no GetFunnelReport for an invalid range");
    assert.ok(!(await page.locator("main").innerText()).includes("locations/"));
  });
});
