// Unit tests of the funnel report's pure logic
// (src/staff/funnel/funnel-model.ts): who may see it, the date range (default,
// checks, request, address), rates and labels in words, the chart's bar
// widths and text (five stages: screenings done between booked and
// converted); and the /staff/funnel route. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let r;
let StaffRole;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/funnel/funnel-model.ts");
  r = await server.ssrLoadModule("/src/staff/router.ts");
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
});

after(async () => {
  await server?.close();
});

describe("who", () => {
  test("the front desk and admins, not therapists alone", () => {
    assert.equal(m.canSeeFunnel([StaffRole.FRONT_DESK]), true);
    assert.equal(m.canSeeFunnel([StaffRole.ADMIN]), true);
    assert.equal(m.canSeeFunnel([StaffRole.THERAPIST, StaffRole.ADMIN]), true);
    assert.equal(m.canSeeFunnel([StaffRole.THERAPIST]), false);
    assert.equal(m.canSeeFunnel([]), false);
    assert.equal(m.canSeeFunnel(undefined), false);
  });
});

describe("dates", () => {
  test("parse: real days only", () => {
    assert.deepEqual(m.parseIsoDate("2026-03-10"), { year: 2026, month: 3, day: 10 });
    assert.deepEqual(m.parseIsoDate("2024-02-29"), { year: 2024, month: 2, day: 29 });
    assert.equal(m.parseIsoDate("2026-02-29"), undefined);
    assert.equal(m.parseIsoDate("2026-13-01"), undefined);
    assert.equal(m.parseIsoDate("2026-04-31"), undefined);
    assert.equal(m.parseIsoDate("2026-3-1"), undefined);
    assert.equal(m.parseIsoDate(""), undefined);
    assert.equal(m.parseIsoDate("yesterday"), undefined);
  });
  test("days between, across months, years and a leap day", () => {
    const d = (s) => m.parseIsoDate(s);
    assert.equal(m.daysBetween(d("2026-03-10"), d("2026-03-10")), 0);
    assert.equal(m.daysBetween(d("2026-02-28"), d("2026-03-01")), 1);
    assert.equal(m.daysBetween(d("2024-02-28"), d("2024-03-01")), 2);
    assert.equal(m.daysBetween(d("2026-03-10"), d("2026-03-09")), -1);
    assert.equal(m.daysBetween(d("2025-01-01"), d("2026-01-01")), 365);
    assert.equal(m.daysBetween(d("2024-01-01"), d("2025-01-01")), 366);
  });
  test("the default range: the last 30 days up to today, local dates, today included", () => {
    // 00:30 local time: the local date, not the UTC one.
    const now = new Date(2026, 2, 10, 0, 30);
    const range = m.defaultRange(now);
    assert.deepEqual(range, { start_date: "2026-02-09", end_date: "2026-03-10" });
    assert.equal(m.daysBetween(m.parseIsoDate(range.start_date), m.parseIsoDate(range.end_date)), 29);
    assert.deepEqual(m.defaultRange(new Date(2026, 0, 5, 23, 59)), { start_date: "2025-12-07", end_date: "2026-01-05" });
    assert.deepEqual(m.checkRange(range), { fields: {}, other: [] });
  });
  test("the range from the address, else the default", () => {
    const now = new Date(2026, 2, 10, 12);
    assert.deepEqual(m.rangeFromSearch("?from=2026-01-01&to=2026-01-31", now), { start_date: "2026-01-01", end_date: "2026-01-31" });
    assert.deepEqual(m.rangeFromSearch("?from=2026-01-01", now), m.defaultRange(now));
    assert.deepEqual(m.rangeFromSearch("?from=nope&to=2026-01-31", now), m.defaultRange(now));
    assert.deepEqual(m.rangeFromSearch("", now), m.defaultRange(now));
    assert.equal(m.rangeSearch({ start_date: "2026-01-01", end_date: "2026-01-31" }), "from=2026-01-01&to=2026-01-31");
  });
  test("checks: both required, real days, from on or before to, at most 366 days", () => {
    const check = (start_date, end_date) => m.checkRange({ start_date, end_date }).fields;
    assert.deepEqual(check("2026-03-01", "2026-03-31"), {});
    assert.deepEqual(check("2026-03-01", "2026-03-01"), {}, "one day");
    assert.deepEqual(Object.keys(check("", "")).sort(), ["end_date", "start_date"]);
    assert.match(check("", "2026-03-01").start_date, /first day/);
    assert.match(check("2026-03-01", " ").end_date, /last day/);
    assert.match(check("2026-02-30", "2026-03-01").start_date, /real date/);
    assert.match(check("2026-03-02", "2026-03-01").end_date, /on or after the first day/);
    assert.equal(check("2026-03-02", "2026-03-01").start_date, undefined);
    assert.deepEqual(check("2025-03-01", "2026-03-02"), {}, "366 days");
    assert.match(check("2025-03-01", "2026-03-03").end_date, /At most 366 days/);
    assert.deepEqual(m.checkRange({ start_date: "", end_date: "" }).other, []);
  });
  test("the request: google.type.Date start and end", () => {
    assert.deepEqual(m.funnelRequest({ start_date: "2026-02-09", end_date: "2026-03-10" }), {
      startDate: { year: 2026, month: 2, day: 9 },
      endDate: { year: 2026, month: 3, day: 10 },
    });
    assert.throws(() => m.funnelRequest({ start_date: "", end_date: "2026-03-10" }));
  });
});

describe("words", () => {
  test("rates: percent with one decimal", () => {
    assert.equal(m.formatRate(0), "0.0%");
    assert.equal(m.formatRate(1), "100.0%");
    assert.equal(m.formatRate(0.125), "12.5%");
    assert.equal(m.formatRate(1 / 3), "33.3%");
    assert.equal(m.formatRate(2 / 3), "66.7%");
    assert.equal(m.formatRate(0.00049), "0.0%");
    assert.equal(m.formatRate(NaN), "–");
    assert.equal(m.formatRate(undefined), "–");
  });
  test("counts", () => {
    assert.equal(m.formatCount(0), "0");
    assert.equal(m.formatCount(1234), "1,234");
  });
  test("locations: the display name, never the id", () => {
    const names = new Map([
      ["locations/1", "Downtown"],
      ["locations/2", "  "],
    ]);
    assert.equal(m.locationLabel("locations/1", names), "Downtown");
    assert.equal(m.locationLabel("", names), "No location");
    assert.equal(m.locationLabel("locations/2", names), "Unknown location");
    assert.equal(m.locationLabel("locations/9", names), "Unknown location");
    assert.equal(m.locationLabel("locations/1", new Map()), "Unknown location");
  });
  test("campaigns", () => {
    assert.equal(m.campaignLabel("conditions/inner-knee-pain"), "conditions/inner-knee-pain");
    assert.equal(m.campaignLabel(""), "None");
    assert.equal(m.campaignLabel("  "), "None");
  });
});

describe("the chart", () => {
  test("bar widths relative to the largest; any count at least 1%; nothing: all 0", () => {
    assert.deepEqual(m.barWidths([40, 30, 12, 5]), [100, 75, 30, 12.5]);
    assert.deepEqual(m.barWidths([3, 2, 1, 0]), [100, 66.7, 33.3, 0]);
    assert.deepEqual(m.barWidths([1000, 1, 0, 0]), [100, 1, 0, 0]);
    assert.deepEqual(m.barWidths([0, 0, 0, 0]), [0, 0, 0, 0]);
    assert.deepEqual(m.barWidths([5, -1, NaN, 5]), [100, 0, 0, 100]);
    assert.deepEqual(m.barWidths([]), []);
  });
  test("the five stages of the total, and their text", () => {
    const stages = m.funnelStages({ requests: 40, contacted: 30, screeningsBooked: 12, screeningsDone: 8, converted: 5 });
    assert.deepEqual(stages, [
      { label: "Requests", count: 40, width: 100 },
      { label: "Reached", count: 30, width: 75 },
      { label: "Screenings booked", count: 12, width: 30 },
      { label: "Screenings done", count: 8, width: 20 },
      { label: "Converted", count: 5, width: 12.5 },
    ]);
    assert.equal(
      m.funnelSummary(stages),
      "Funnel for the period: requests 40, reached 30, screenings booked 12, screenings done 8, converted 5.",
    );
    assert.deepEqual(
      m.funnelStages(undefined).map((s) => [s.count, s.width]),
      [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
        [0, 0],
      ],
    );
  });
  test("screenings done sit between screenings booked and converted; a report without them counts 0", () => {
    const labels = m.funnelStages({ requests: 3, contacted: 2, screeningsBooked: 2, screeningsDone: 1, converted: 1 }).map((s) => s.label);
    assert.deepEqual(labels.slice(2), ["Screenings booked", "Screenings done", "Converted"]);
    // An older service that does not send the field: the generated message's default, 0.
    const older = m.funnelStages({ requests: 4, contacted: 2, screeningsBooked: 1, converted: 1 });
    assert.deepEqual(older[3], { label: "Screenings done", count: 0, width: 0 });
  });
});

describe("route", () => {
  test("/staff/funnel is the funnel, not an admin page (the shell checks the role)", () => {
    assert.deepEqual(r.parseRoute("/staff/funnel"), { name: "funnel" });
    assert.deepEqual(r.parseRoute("/staff/funnel/"), { name: "funnel" });
    assert.equal(r.isAdminRoute(r.parseRoute("/staff/funnel")), false);
    assert.deepEqual(r.parseRoute("/staff/funnel/x"), { name: "not-found" });
  });
});
