// Unit tests of "Book the series" (src/staff/plans/series-model.ts): the
// defaults (where the therapist works, a follow-up, as many weekdays as
// visits a week, tomorrow and not before the plan's start), the
// ScheduleVisitSeries requests (preview without a request_id, the booking
// with one, and the retry key), the answer in the location's words (visits
// not at the preferred day and time marked, gaps by week) and errors at the
// fields. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let svc;
let create;
let ConnectError;
let Code;
let BadRequestSchema;
let DayOfWeek;
let timestampFromMs;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/plans/series-model.ts");
  svc = await server.ssrLoadModule("/src/gen/clinic/therapy_plans/v1/therapy_plans_service_pb.ts");
  ({ DayOfWeek } = await server.ssrLoadModule("/src/gen/google/type/dayofweek_pb.ts"));
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ timestampFromMs } = await server.ssrLoadModule("@bufbuild/protobuf/wkt"));
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

const values = (extra = {}) => ({
  location: "locations/boulder",
  appointment_type: "appointmentTypes/fu",
  weekdays: [DayOfWeek.THURSDAY, DayOfWeek.MONDAY],
  time_of_day: "09:30",
  first_date: "2026-12-07",
  ...extra,
});

describe("defaults", () => {
  test("as many weekdays as visits a week, spread over the week", () => {
    assert.deepEqual(m.defaultWeekdays(2), [DayOfWeek.MONDAY, DayOfWeek.THURSDAY]);
    assert.deepEqual(m.defaultWeekdays(1), [DayOfWeek.MONDAY]);
    assert.deepEqual(m.defaultWeekdays(3), [DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.FRIDAY]);
    assert.equal(m.defaultWeekdays(5).length, 5);
    assert.equal(m.defaultWeekdays(7).length, 7);
  });
  test("a follow-up type, active", () => {
    const types = [
      { name: "appointmentTypes/ie", displayName: "Initial evaluation", active: true },
      { name: "appointmentTypes/old", displayName: "Follow-up (old)", active: false },
      { name: "appointmentTypes/fu", displayName: "Follow-up", active: true },
    ];
    assert.equal(m.defaultSeriesType(types), "appointmentTypes/fu");
    assert.equal(m.defaultSeriesType(types.slice(0, 1)), "appointmentTypes/ie");
    assert.equal(m.defaultSeriesType([]), "");
  });
  test("where the therapist works, else their home, else the first location", () => {
    const locs = [{ name: "locations/denver" }, { name: "locations/boulder" }];
    assert.equal(m.seriesLocation(locs, ["locations/boulder"], ["locations/denver"]), "locations/boulder");
    assert.equal(m.seriesLocation(locs, ["locations/gone"], ["locations/denver"]), "locations/denver");
    assert.equal(m.seriesLocation(locs, [], []), "locations/denver");
  });
  test("the first date: tomorrow, not before the plan's start", () => {
    assert.equal(m.defaultFirstDate("2026-12-01", "2026-11-20"), "2026-12-02");
    assert.equal(m.defaultFirstDate("2026-12-01", "2026-12-10"), "2026-12-10");
    assert.equal(m.defaultFirstDate("2026-12-31", ""), "2027-01-01");
  });
  test("weekdays toggled stay in the week's order", () => {
    assert.deepEqual(m.toggleWeekday([DayOfWeek.THURSDAY], DayOfWeek.MONDAY, true), [DayOfWeek.MONDAY, DayOfWeek.THURSDAY]);
    assert.deepEqual(m.toggleWeekday([DayOfWeek.MONDAY, DayOfWeek.THURSDAY], DayOfWeek.MONDAY, false), [DayOfWeek.THURSDAY]);
    assert.equal(m.choiceWords(values()), "Monday and Thursday at 09:30");
  });
});

describe("requests", () => {
  test("a preview has no request_id; the booking has one", () => {
    const plan = { name: "therapyPlans/p1" };
    const preview = m.seriesRequest(plan, values(), { preview: true, requestId: "ignored" });
    assert.equal(preview.name, "therapyPlans/p1");
    assert.equal(preview.preview, true);
    assert.equal(preview.requestId, "");
    assert.equal(preview.location, "locations/boulder");
    assert.equal(preview.appointmentType, "appointmentTypes/fu");
    assert.deepEqual(preview.weekdays, [DayOfWeek.MONDAY, DayOfWeek.THURSDAY]);
    assert.equal(preview.timeOfDay.hours, 9);
    assert.equal(preview.timeOfDay.minutes, 30);
    assert.equal(preview.firstDate.day, 7);
    const book = m.seriesRequest(plan, values(), { preview: false, requestId: "r1" });
    assert.equal(book.preview, false);
    assert.equal(book.requestId, "r1");
    assert.equal(m.seriesRequest(plan, values({ first_date: "" }), { preview: true }).firstDate, undefined, "default: the server's");
  });
  test("the same series has the same key (weekdays in any order); another does not", () => {
    const plan = { name: "therapyPlans/p1" };
    assert.equal(m.seriesKey(plan, values()), m.seriesKey(plan, values({ weekdays: [DayOfWeek.MONDAY, DayOfWeek.THURSDAY] })));
    assert.notEqual(m.seriesKey(plan, values()), m.seriesKey(plan, values({ time_of_day: "10:00" })));
  });
  test("what is plainly missing, at once", () => {
    const e = m.checkSeries(values({ location: "", weekdays: [], time_of_day: "", first_date: "2026-13-01" }));
    assert.deepEqual(Object.keys(e.fields).sort(), ["first_date", "location", "time_of_day", "weekdays"]);
    assert.deepEqual(m.checkSeries(values()).fields, {});
  });
  test("errors at the fields: weekdays[1] at the weekdays; the rest in words", () => {
    const err = new ConnectError("invalid", Code.InvalidArgument, undefined, [
      {
        desc: BadRequestSchema,
        value: {
          fieldViolations: [
            { field: "weekdays[1]", description: "the therapist does not work on Sundays" },
            { field: "time_of_day", description: "outside the location's opening hours" },
            { field: "name", description: "the plan is not active" },
          ],
        },
      },
    ]);
    const e = m.seriesFormErrors(err);
    assert.deepEqual(e.fields, { weekdays: "the therapist does not work on Sundays", time_of_day: "outside the location's opening hours" });
    assert.deepEqual(e.other, ["the plan is not active"]);
    assert.deepEqual(m.seriesFormErrors(new ConnectError("The plan is on hold.", Code.FailedPrecondition)).other, ["The plan is on hold."]);
  });
});

describe("the answer in words", () => {
  const response = (booked) =>
    create(svc.ScheduleVisitSeriesResponseSchema, {
      timeZone: "America/Denver",
      visits: [
        { localStart: "2026-12-10T09:30", startTime: timestampFromMs(Date.UTC(2026, 11, 10, 16, 30)), preferred: true, appointment: booked ? "appointments/a2" : "" },
        { localStart: "2026-12-07T11:00", startTime: timestampFromMs(Date.UTC(2026, 11, 7, 18, 0)), preferred: false, appointment: booked ? "appointments/a1" : "" },
        // Without local_start: read in the location's zone.
        { startTime: timestampFromMs(Date.UTC(2026, 11, 14, 16, 30)), preferred: true, appointment: booked ? "appointments/a3" : "" },
      ],
      gaps: [{ weekStart: { year: 2026, month: 12, day: 21 }, missing: 1, reason: "The clinic is closed on 24 and 25 December." }],
    });
  test("the visits in order, those not at the preferred time marked; the gaps by week", () => {
    const v = m.seriesView(response(false), 2026);
    assert.deepEqual(
      v.visits.map((x) => [x.words, x.preferred]),
      [
        ["Monday 7 December 11:00", false],
        ["Thursday 10 December 09:30", true],
        ["Monday 14 December 09:30", true],
      ],
    );
    assert.equal(v.moved, 1);
    assert.equal(v.booked, 0);
    assert.deepEqual(v.gaps, [{ week: "Week of Monday 21 December", missing: "1 visit missing", reason: "The clinic is closed on 24 and 25 December." }]);
    assert.equal(m.previewWords(v), "3 visits proposed, 1 at the nearest open time.");
    assert.equal(m.bookButtonWords(3), "Book these 3 visits");
    assert.equal(m.bookButtonWords(1), "Book this visit");
    const text = JSON.stringify(v);
    assert.doesNotMatch(text, /appointments\/|T\d{2}:\d{2}:\d{2}|Z"/);
  });
  test("what was booked", () => {
    const v = m.seriesView(response(true), 2026);
    assert.equal(v.booked, 3);
    assert.equal(m.bookedWords(v), "3 visits booked, from Monday 7 December 11:00 to Monday 14 December 09:30.");
    assert.equal(m.bookedWords(m.seriesView(response(false), 2026)), "No visit was booked.");
  });
});

test("series visits say their number and what is due", () => {
  assert.equal(m.purposeWords(10, 2), "visit 10 · progress note due");
  assert.equal(m.purposeWords(12, 3), "visit 12 · re-evaluation due");
  assert.equal(m.purposeWords(3, 1), "visit 3");
  assert.equal(m.purposeWords(0, 0), "");
});
