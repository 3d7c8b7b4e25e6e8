// Unit tests of a therapist's My day (src/staff/home/my-day-model.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let StaffRole;
let LocationSchema;
let create;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/home/my-day-model.ts");
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
  ({ LocationSchema } = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts"));
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
});

after(async () => {
  await server?.close();
});

describe("who has what", () => {
  test("My day is a therapist's", () => {
    assert.equal(m.canHaveMyDay([StaffRole.THERAPIST]), true);
    assert.equal(m.canHaveMyDay([StaffRole.ADMIN, StaffRole.THERAPIST]), true);
    assert.equal(m.canHaveMyDay([StaffRole.FRONT_DESK]), false);
    assert.equal(m.canHaveMyDay(undefined), false);
  });
  test("the waitlist is the front desk's and admins'", () => {
    assert.equal(m.canSeeWaitlist([StaffRole.FRONT_DESK]), true);
    assert.equal(m.canSeeWaitlist([StaffRole.ADMIN]), true);
    assert.equal(m.canSeeWaitlist([StaffRole.THERAPIST]), false);
    assert.equal(m.canSeeWaitlist([]), false);
  });
});

describe("the zone and the window", () => {
  const locs = () => [
    create(LocationSchema, { name: "locations/ny", timeZone: "America/New_York" }),
    create(LocationSchema, { name: "locations/bo", timeZone: "America/Denver" }),
  ];
  test("the first home location's zone, else the first location's, else the browser's", () => {
    assert.equal(m.homeZone(["locations/bo"], locs(), "Europe/Paris"), "America/Denver");
    assert.equal(m.homeZone(["locations/gone"], locs(), "Europe/Paris"), "America/New_York");
    assert.equal(m.homeZone([], [], "Europe/Paris"), "Europe/Paris");
  });
  test("today 00:00 to the end of the 7th day after, local", () => {
    // 2026-03-10 20:00 UTC = 14:00 in Denver (MDT, UTC-6).
    const now = Date.UTC(2026, 2, 10, 20, 0);
    const w = m.myDayWindow(["America/Denver"], now);
    assert.equal(new Date(w.startMs).toISOString(), "2026-03-10T06:00:00.000Z");
    assert.equal(new Date(w.endMs).toISOString(), "2026-03-18T06:00:00.000Z");
  });
  test("just after local midnight it is already the new day", () => {
    // 2026-03-11 06:30 UTC = 00:30 in Denver.
    const w = m.myDayWindow(["America/Denver"], Date.UTC(2026, 2, 11, 6, 30));
    assert.equal(new Date(w.startMs).toISOString(), "2026-03-11T06:00:00.000Z");
  });
  test("several zones: the window covers each one's days", () => {
    const now = Date.UTC(2026, 2, 10, 20, 0);
    const w = m.myDayWindow(["America/Denver", "America/New_York", "America/Denver"], now);
    assert.equal(new Date(w.startMs).toISOString(), "2026-03-10T04:00:00.000Z");
    assert.equal(new Date(w.endMs).toISOString(), "2026-03-18T06:00:00.000Z");
  });
});

describe("the plan", () => {
  const view = (name, date, time, startMs) => ({ name, date, wall: `${date}T${time}:00`, startMs });
  test("today in order, then each of the next 7 days, empty ones too", () => {
    const views = [
      view("late", "2026-03-10", "15:30", 30),
      view("early", "2026-03-10", "09:00", 10),
      view("thu", "2026-03-12", "10:30", 50),
      view("yesterday", "2026-03-09", "09:00", 1),
      view("too far", "2026-03-18", "09:00", 99),
      view("last", "2026-03-17", "14:00", 90),
    ];
    const plan = m.planMyDay(views, "2026-03-10", "en-US");
    assert.equal(plan.today.label, "Tuesday, March 10, 2026");
    assert.deepEqual(plan.today.items.map((v) => v.name), ["early", "late"]);
    assert.deepEqual(plan.week.map((d) => d.date), ["2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14", "2026-03-15", "2026-03-16", "2026-03-17"]);
    assert.deepEqual(plan.week[1].items.map((v) => v.name), ["thu"]);
    assert.deepEqual(plan.week[0].items, []);
    assert.deepEqual(plan.week[6].items.map((v) => v.name), ["last"]);
    assert.equal(plan.week[1].label, "Thursday, March 12, 2026");
  });
  test("counts in words", () => {
    assert.equal(m.countWords(0), "No appointments");
    assert.equal(m.countWords(1), "1 appointment");
    assert.equal(m.countWords(4), "4 appointments");
  });
});
