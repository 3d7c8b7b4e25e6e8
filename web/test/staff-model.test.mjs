// Unit tests of the staff, audit and account screens' pure logic
// (staff-model.ts, audit-model.ts, form-errors.ts, router.ts) and of the
// build's CSP check (scripts/check-dist.mjs).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";
import { inlineProblems } from "../scripts/check-dist.mjs";

let server;
let s;
let a;
let f;
let r;
let StaffRole;
let create;
let StaffMemberSchema;
let timestampDate;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  s = await server.ssrLoadModule("/src/staff/staff-model.ts");
  a = await server.ssrLoadModule("/src/staff/audit-model.ts");
  f = await server.ssrLoadModule("/src/staff/form-errors.ts");
  r = await server.ssrLoadModule("/src/staff/router.ts");
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
  ({ StaffMemberSchema } = await server.ssrLoadModule("/src/gen/clinic/staff/v1/staff_pb.ts"));
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ timestampDate } = await server.ssrLoadModule("@bufbuild/protobuf/wkt"));
});

after(async () => {
  await server?.close();
});

describe("staff form", () => {
  test("lists are split at commas, spaces and new lines", () => {
    assert.deepEqual(s.parseCredentials(" PT, DPT  OCS,PT "), ["PT", "DPT", "OCS"]);
    assert.deepEqual(s.parseHomeLocations("locations/north\nsouth, locations/north"), ["locations/north", "locations/south"]);
    assert.deepEqual(s.parseCredentials("   "), []);
  });
  test("values <-> member", () => {
    const m = create(StaffMemberSchema, {
      name: "staff/1",
      givenName: "Ann",
      familyName: "Lee",
      email: "ann@example.com",
      roles: [StaffRole.ADMIN, StaffRole.THERAPIST],
      credentials: ["PT", "OCS"],
      homeLocations: ["locations/a", "locations/b"],
      etag: "e1",
    });
    const v = s.valuesFromMember(m);
    assert.deepEqual(v.roles, [StaffRole.THERAPIST, StaffRole.ADMIN], "in the form's order");
    assert.equal(v.credentials, "PT, OCS");
    const back = s.memberFromValues({ ...v, given_name: "  Ann " });
    assert.equal(back.givenName, "Ann");
    assert.deepEqual(back.homeLocations, ["locations/a", "locations/b"]);
    assert.equal(back.name, "", "output-only fields are not set from the form");
  });
  test("update_mask names only what changed", () => {
    const before = {
      given_name: "Ann",
      family_name: "Lee",
      email: "ann@example.com",
      roles: [StaffRole.FRONT_DESK],
      credentials: "PT",
      home_locations: "locations/a",
    };
    assert.deepEqual(s.staffChangedPaths(before, { ...before }), []);
    assert.deepEqual(s.staffChangedPaths(before, { ...before, given_name: " Ann " }), [], "white space is not a change");
    assert.deepEqual(s.staffChangedPaths(before, { ...before, credentials: "PT," }), []);
    assert.deepEqual(s.staffChangedPaths(before, { ...before, home_locations: "a" }), [], "a bare id is the same location");
    assert.deepEqual(s.staffChangedPaths(before, { ...before, email: "ann@x.org", roles: [StaffRole.FRONT_DESK, StaffRole.ADMIN] }), ["email", "roles"]);
    assert.deepEqual(s.staffChangedPaths(before, { ...before, credentials: "PT OCS", home_locations: "" }), ["credentials", "home_locations"]);
  });
  test("required fields and at least one role are checked before sending", () => {
    const e = s.checkStaffValues(s.emptyStaffValues());
    assert.deepEqual(Object.keys(e.fields).sort(), ["email", "family_name", "given_name", "roles"]);
  });
  test("server errors land at the fields", () => {
    const e = s.parseStaffErrors("staff_member.email: already used by another member; staffMember.roles[1]: duplicate role\ncredentials[0]: 1 to 16 letters, digits or hyphens; something else");
    assert.equal(e.fields.email, "already used by another member");
    assert.equal(e.fields.roles, "duplicate role");
    assert.equal(e.fields.credentials, "1 to 16 letters, digits or hyphens; something else");
    const o = s.parseStaffErrors("update_mask: unknown path foo");
    assert.deepEqual(o.fields, {});
    assert.deepEqual(o.other, ["update_mask: unknown path foo"]);
  });
});

describe("change password", () => {
  test("checks before sending", () => {
    assert.deepEqual(s.checkPasswordChange("", "", "").fields, {
      current_password: "enter your current password",
      new_password: "enter a new password",
    });
    assert.equal(s.checkPasswordChange("old", "short", "short").fields.new_password, "must be at least 12 characters");
    assert.equal(s.checkPasswordChange("old", "long enough pass", "long enough pasS").fields.confirm_password, "does not match the new password");
    assert.deepEqual(s.checkPasswordChange("old", "long enough pass", "long enough pass").fields, {});
  });
  test("server errors land at the fields", () => {
    const e = s.parsePasswordErrors("new_password: is a common password");
    assert.equal(e.fields.new_password, "is a common password");
    assert.equal(s.parsePasswordErrors("currentPassword: wrong password").fields.current_password, "wrong password");
    assert.deepEqual(s.parsePasswordErrors("try later").other, ["try later"]);
  });
  test("user agents read as browser on system", () => {
    assert.equal(
      s.describeUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36"),
      "Chrome on Linux",
    );
    assert.equal(
      s.describeUserAgent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"),
      "Safari on iOS",
    );
    assert.equal(s.describeUserAgent(""), "Unknown browser");
  });
});

describe("audit filters", () => {
  test("URL round trip, bad dates dropped", () => {
    const filters = { resource: "patients/p1", actor: "staff/s1", from: "2025-03-01", to: "2025-03-31" };
    assert.deepEqual(a.filtersFromSearch(a.filtersToSearch(filters)), filters);
    assert.equal(a.filtersToSearch(a.emptyAuditFilters()), "");
    assert.deepEqual(a.filtersFromSearch("?from=yesterday&to=2025-13-01x"), a.emptyAuditFilters());
  });
  test("bare ids get their collection", () => {
    assert.equal(a.withPrefix(" abc ", "patients"), "patients/abc");
    assert.equal(a.withPrefix("patients/abc", "patients"), "patients/abc");
    assert.equal(a.withPrefix("", "staff"), "");
  });
  test("the To day is included: until the next local midnight", () => {
    const req = a.auditRequestFilters({ resource: "p1", actor: "", from: "2025-03-01", to: "2025-03-01" });
    assert.equal(req.resource, "patients/p1");
    assert.equal(req.actor, "");
    const start = timestampDate(req.startTime);
    const end = timestampDate(req.endTime);
    assert.deepEqual([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours()], [2025, 2, 1, 0]);
    assert.deepEqual([end.getFullYear(), end.getMonth(), end.getDate(), end.getHours()], [2025, 2, 2, 0]);
    const none = a.auditRequestFilters(a.emptyAuditFilters());
    assert.equal(none.startTime, undefined);
    assert.equal(none.endTime, undefined);
  });
  test("checks", () => {
    assert.deepEqual(a.checkAuditFilters(a.emptyAuditFilters()), {});
    assert.ok(a.checkAuditFilters({ resource: "staff/x", actor: "", from: "", to: "" }).resource);
    assert.ok(a.checkAuditFilters({ resource: "", actor: "patients/x", from: "", to: "" }).actor);
    assert.deepEqual(a.checkAuditFilters({ resource: "", actor: "anonymous", from: "", to: "" }), {});
    assert.ok(a.checkAuditFilters({ resource: "", actor: "", from: "2025-02-30", to: "" }).from);
    assert.equal(a.checkAuditFilters({ resource: "", actor: "", from: "2025-03-02", to: "2025-03-01" }).to, "is before the From date");
  });
  test("how events read", () => {
    assert.equal(a.shortAction("clinic.patients.v1.PatientService/GetPatient"), "GetPatient");
    assert.equal(a.roleWords("STAFF_ROLE_FRONT_DESK"), "Front desk");
    assert.equal(a.outcomeWords("OK"), "OK");
    assert.equal(a.outcomeWords("PERMISSION_DENIED"), "Permission denied");
    const t = a.formatLocalTime({ seconds: BigInt(Date.UTC(2025, 0, 2, 3, 4, 5) / 1000), nanos: 0 });
    assert.equal(t.iso, "2025-01-02T03:04:05.000Z");
    assert.match(t.text, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.deepEqual(a.formatLocalTime(undefined), { text: "", iso: "" });
  });
});

describe("form errors", () => {
  test("prefix, camelCase and indexes", () => {
    assert.equal(f.fieldForErrorPath("staffMember.homeLocations[2]", ["home_locations"], ["staff_member."]), "home_locations");
    assert.equal(f.fieldForErrorPath("other.thing", ["home_locations"], ["staff_member."]), undefined);
  });
});

describe("routes", () => {
  test("admin pages", () => {
    assert.deepEqual(r.parseRoute("/staff/admin/staff"), { name: "staff-list" });
    assert.deepEqual(r.parseRoute("/staff/admin/staff/new"), { name: "staff-new" });
    assert.deepEqual(r.parseRoute("/staff/admin/staff/abc-1"), { name: "staff-member", id: "abc-1" });
    assert.deepEqual(r.parseRoute("/staff/admin/audit/"), { name: "audit" });
    assert.deepEqual(r.parseRoute("/staff/admin"), { name: "admin" });
    assert.deepEqual(r.parseRoute("/staff/admin/nothing"), { name: "not-found" });
    for (const p of ["/staff/admin", "/staff/admin/staff", "/staff/admin/staff/new", "/staff/admin/staff/x", "/staff/admin/audit"]) {
      assert.equal(r.isAdminRoute(r.parseRoute(p)), true, p);
    }
    for (const p of ["/staff/patients", "/staff/account", "/staff/login", "/staff/calendar"]) {
      assert.equal(r.isAdminRoute(r.parseRoute(p)), false, p);
    }
  });
  test("login and account; a broken escape is not a crash", () => {
    assert.deepEqual(r.parseRoute("/staff/login"), { name: "login" });
    assert.deepEqual(r.parseRoute("/staff/account"), { name: "account" });
    assert.deepEqual(r.parseRoute("/staff/patients/%E0%A4%A"), { name: "patient", id: "%E0%A4%A" });
  });
});

describe("check-dist (CSP)", () => {
  test("external scripts and stylesheets pass", () => {
    assert.deepEqual(
      inlineProblems('<script type="module" crossorigin src="/assets/a.js"></script><link rel="stylesheet" href="/assets/a.css"><!-- <style> -->'),
      [],
    );
  });
  test("inline script, style, style= and handlers fail", () => {
    assert.equal(inlineProblems("<script>alert(1)</script>").length, 1);
    assert.equal(inlineProblems('<script type="module">import "x"</script>').length, 1);
    assert.equal(inlineProblems("<style>p{}</style>").length, 1);
    assert.equal(inlineProblems('<p style="color:red">x</p>').length, 1);
    assert.equal(inlineProblems('<body onload="go()">').length, 1);
    assert.equal(inlineProblems('<a href="javascript:go()">x</a>').length, 1);
  });
});
