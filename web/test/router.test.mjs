// Unit tests of the staff app's routes and home pages (src/staff/router.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
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
  r = await server.ssrLoadModule("/src/staff/router.ts");
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
});

after(async () => {
  await server?.close();
});

describe("routes", () => {
  test("/staff is each member's home", () => {
    assert.deepEqual(r.parseRoute("/staff"), { name: "home" });
    assert.deepEqual(r.parseRoute("/staff/"), { name: "home" });
  });
  test("My day and the waitlist", () => {
    assert.deepEqual(r.parseRoute("/staff/my-day"), { name: "my-day" });
    assert.deepEqual(r.parseRoute("/staff/my-day/"), { name: "my-day" });
    assert.deepEqual(r.parseRoute("/staff/my-day/x"), { name: "not-found" });
    assert.deepEqual(r.parseRoute("/staff/waitlist"), { name: "waitlist" });
    assert.deepEqual(r.parseRoute("/staff/waitlist/x"), { name: "not-found" });
    assert.equal(r.isAdminRoute(r.parseRoute("/staff/my-day")), false);
    assert.equal(r.isAdminRoute(r.parseRoute("/staff/waitlist")), false);
  });
  test("the patient pages are unchanged", () => {
    assert.deepEqual(r.parseRoute("/staff/patients"), { name: "patients" });
    assert.deepEqual(r.parseRoute("/staff/patients/new"), { name: "patient-new" });
    assert.deepEqual(r.parseRoute("/staff/patients/abc"), { name: "patient", id: "abc" });
  });
});

describe("home pages", () => {
  test("a therapist's home is My day; everyone else's the patient list", () => {
    assert.equal(r.homePathFor([StaffRole.THERAPIST]), "/staff/my-day");
    assert.equal(r.homePathFor([StaffRole.ADMIN, StaffRole.THERAPIST]), "/staff/my-day");
    assert.equal(r.homePathFor([StaffRole.FRONT_DESK]), "/staff/patients");
    assert.equal(r.homePathFor([StaffRole.ADMIN]), "/staff/patients");
    assert.equal(r.homePathFor(undefined), "/staff/patients");
  });
  test("after a login without a next= page, the home page instead of the patient list", () => {
    assert.equal(r.shouldGoHomeAfterLogin("", "/staff/patients"), true);
    assert.equal(r.shouldGoHomeAfterLogin("?next=%2Fstaff", "/staff/patients"), true);
    assert.equal(r.shouldGoHomeAfterLogin("?next=%2Fstaff%2Fpatients", "/staff/patients"), false, "the list was asked for");
    assert.equal(r.shouldGoHomeAfterLogin("?next=%2Fstaff%2Fcalendar", "/staff/calendar"), false);
    assert.equal(r.shouldGoHomeAfterLogin("", "/staff/patients", "?q=ann"), false);
  });
});
