// Unit tests of the staff and account screens' pure logic
// (admin/staff-model.ts, shared/form-errors.ts,
// shared/errors.ts, router.ts) and of the build's CSP check
// (scripts/check-dist.mjs). Server errors are built as connect-web gets them:
// ConnectErrors with google.rpc.BadRequest / ErrorInfo details.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";
import { inlineProblems } from "../scripts/check-dist.mjs";

let server;
let s;
let f;
let errs;
let r;
let StaffRole;
let create;
let StaffMemberSchema;
let toBinary;
let ConnectError;
let Code;
let errorFromJson;
let BadRequestSchema;
let ErrorInfoSchema;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  s = await server.ssrLoadModule("/src/staff/admin/staff-model.ts");
  f = await server.ssrLoadModule("/src/staff/shared/form-errors.ts");
  errs = await server.ssrLoadModule("/src/staff/shared/errors.ts");
  r = await server.ssrLoadModule("/src/staff/router.ts");
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
  ({ StaffMemberSchema } = await server.ssrLoadModule("/src/gen/clinic/staff/v1/staff_pb.ts"));
  ({ create, toBinary } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ errorFromJson } = await server.ssrLoadModule("@connectrpc/connect/protocol-connect"));
  ({ BadRequestSchema, ErrorInfoSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

/** A ConnectError carrying a google.rpc.BadRequest with these [field, description] violations. */
function badRequest(violations, { code = Code.InvalidArgument, message = "invalid request" } = {}) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError(message, code, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

/** The error connect-web makes of the gateway's JSON error body (base64 of the binary detail). */
function fromWire(body) {
  return errorFromJson(body, undefined, new ConnectError("the body was not a Connect error", Code.Unknown));
}
const base64 = (bytes) => Buffer.from(bytes).toString("base64");

describe("staff form", () => {
  test("credentials are split at commas, spaces and new lines", () => {
    assert.deepEqual(s.parseCredentials(" PT, DPT  OCS,PT "), ["PT", "DPT", "OCS"]);
    assert.deepEqual(s.parseCredentials("   "), []);
  });
  test("home locations are chosen by name: added once, removed, kept as resource names", () => {
    assert.deepEqual(s.normalizeHomeLocations(["locations/north", " south ", "locations/north", ""]), ["locations/north", "locations/south"]);
    assert.deepEqual(s.addHomeLocation(["locations/a"], "locations/b"), ["locations/a", "locations/b"]);
    assert.deepEqual(s.addHomeLocation(["locations/a"], "locations/a"), ["locations/a"], "not twice");
    assert.deepEqual(s.removeHomeLocation(["locations/a", "locations/b"], "locations/a"), ["locations/b"]);
    assert.deepEqual(s.emptyStaffValues().home_locations, []);
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
    assert.deepEqual(v.home_locations, ["locations/a", "locations/b"]);
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
      home_locations: ["locations/a", "locations/b"],
    };
    assert.deepEqual(s.staffChangedPaths(before, { ...before }), []);
    assert.deepEqual(s.staffChangedPaths(before, { ...before, given_name: " Ann " }), [], "white space is not a change");
    assert.deepEqual(s.staffChangedPaths(before, { ...before, credentials: "PT," }), []);
    assert.deepEqual(s.staffChangedPaths(before, { ...before, home_locations: ["locations/b", "a"] }), [], "the same locations in another order");
    assert.deepEqual(s.staffChangedPaths(before, { ...before, home_locations: ["locations/a", "locations/b", "locations/c"] }), ["home_locations"]);
    assert.deepEqual(s.staffChangedPaths(before, { ...before, email: "ann@x.org", roles: [StaffRole.FRONT_DESK, StaffRole.ADMIN] }), ["email", "roles"]);
    assert.deepEqual(s.staffChangedPaths(before, { ...before, credentials: "PT OCS", home_locations: [] }), ["credentials", "home_locations"]);
  });
  test("required fields and at least one role are checked before sending", () => {
    const e = s.checkStaffValues(s.emptyStaffValues());
    assert.deepEqual(Object.keys(e.fields).sort(), ["email", "family_name", "given_name", "roles"]);
  });
  test("server errors land at the fields", () => {
    const e = s.staffFormErrors(
      badRequest([
        ["staff_member.email", "already used by another member"],
        ["staffMember.roles[1]", "duplicate role"],
        ["credentials[0]", "1 to 16 letters, digits or hyphens"],
        ["credentials[2]", "something else"],
      ]),
    );
    assert.equal(e.fields.email, "already used by another member");
    assert.equal(e.fields.roles, "duplicate role");
    assert.equal(e.fields.credentials, "1 to 16 letters, digits or hyphens; something else");
    const o = s.staffFormErrors(badRequest([["update_mask", "unknown path foo"]]));
    assert.deepEqual(o.fields, {});
    assert.deepEqual(o.other, ["unknown path foo"], "a field the form lacks: its description, not its path");
  });
  test("an email taken (ALREADY_EXISTS) with a violation lands at the email", () => {
    const e = s.staffFormErrors(badRequest([["staff_member.email", "already used by another member"]], { code: Code.AlreadyExists }));
    assert.deepEqual(e, { fields: { email: "already used by another member" }, other: [] });
  });
  test("without details the message is one general error, not read for fields", () => {
    const e = s.staffFormErrors(new ConnectError("staff_member.email: already used by another member", Code.AlreadyExists));
    assert.deepEqual(e, { fields: {}, other: ["staff_member.email: already used by another member"] });
    assert.deepEqual(s.staffFormErrors(new ConnectError("", Code.NotFound)).other, ["No such staff member."]);
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
    const e = s.passwordFormErrors(badRequest([["new_password", "is a common password"]]));
    assert.equal(e.fields.new_password, "is a common password");
    assert.equal(s.passwordFormErrors(badRequest([["currentPassword", "wrong password"]])).fields.current_password, "wrong password");
    assert.deepEqual(s.passwordFormErrors(new ConnectError("try later", Code.FailedPrecondition)).other, ["try later"]);
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

describe("form errors", () => {
  const fields = ["given_name", "email", "birth_date", "roles", "address.city"];
  test("prefix, camelCase and indexes", () => {
    assert.equal(f.fieldForErrorPath("staffMember.homeLocations[2]", ["home_locations"], ["staff_member."]), "home_locations");
    assert.equal(f.fieldForErrorPath("other.thing", ["home_locations"], ["staff_member."]), undefined);
  });
  test("BadRequest violations land at the fields they name", () => {
    const e = f.fieldErrorsFrom(
      badRequest([
        ["patient.email", "not a valid email address (needs exactly one @)"],
        ["patient.birth_date", "must not be in the future"],
        ["patient.address.city", "too long"],
        ["roles[1]", "unknown role"],
        ["patient.givenName", "is required"],
      ]),
      fields,
      ["patient."],
    );
    assert.deepEqual(e, {
      fields: {
        email: "not a valid email address (needs exactly one @)",
        birth_date: "must not be in the future",
        "address.city": "too long",
        roles: "unknown role",
        given_name: "is required",
      },
      other: [],
    });
  });
  test("deeper paths go to their field; two at one field are joined", () => {
    const e = f.fieldErrorsFrom(
      badRequest([
        ["patient.birth_date.month", "out of range"],
        ["patient.birth_date.day", "out of range for the month"],
      ]),
      fields,
      ["patient."],
    );
    assert.deepEqual(e.fields, { birth_date: "out of range; out of range for the month" });
  });
  test("a violation naming no form field is a general error, in words", () => {
    const e = f.fieldErrorsFrom(
      badRequest([
        ["update_mask", 'unknown path "state"'],
        ["", "something is wrong with the request"],
        ["patient.email", ""],
      ]),
      fields,
      ["patient."],
    );
    assert.deepEqual(e.fields, { email: "is not valid" });
    assert.deepEqual(e.other, ['unknown path "state"', "something is wrong with the request"]);
    assert.ok(!e.other.some((m) => m.includes("update_mask")), "no request path is shown");
  });
  test("no details (an older server): the message as one general error", () => {
    const e = f.fieldErrorsFrom(new ConnectError("patient.email: not a valid email address", Code.InvalidArgument), fields, ["patient."]);
    assert.deepEqual(e, { fields: {}, other: ["patient.email: not a valid email address"] });
    const down = f.fieldErrorsFrom(new ConnectError("fetch failed", Code.Unavailable), fields);
    assert.deepEqual(down.other, ["The server could not be reached. Check the connection and try again."]);
    const empty = f.fieldErrorsFrom(badRequest([], { message: "bad request" }), fields);
    assert.deepEqual(empty, { fields: {}, other: ["bad request"] }, "a BadRequest without violations still says something");
    const custom = f.fieldErrorsFrom(new ConnectError("", Code.NotFound), fields, [], () => "No such thing.");
    assert.deepEqual(custom.other, ["No such thing."]);
  });
  test("the wire form: the gateway's JSON error body, as connect-web decodes it", () => {
    const detail = toBinary(
      BadRequestSchema,
      create(BadRequestSchema, {
        fieldViolations: [
          { field: "patient.email", description: "not a valid email address (needs exactly one @)" },
          { field: "patient.phone", description: "may contain only digits, spaces and + - . ( ) / x #" },
          { field: "request_id", description: "must be a UUID" },
        ],
      }),
    );
    const err = fromWire({
      code: "invalid_argument",
      message: "patient.email: not a valid email address (needs exactly one @)",
      details: [{ type: "google.rpc.BadRequest", value: base64(detail) }],
    });
    assert.equal(err.code, Code.InvalidArgument);
    assert.deepEqual(errs.fieldViolations(err), [
      { field: "patient.email", description: "not a valid email address (needs exactly one @)" },
      { field: "patient.phone", description: "may contain only digits, spaces and + - . ( ) / x #" },
      { field: "request_id", description: "must be a UUID" },
    ]);
    assert.deepEqual(f.fieldErrorsFrom(err, ["email", "phone"], ["patient."]), {
      fields: {
        email: "not a valid email address (needs exactly one @)",
        phone: "may contain only digits, spaces and + - . ( ) / x #",
      },
      other: ["must be a UUID"],
    });
  });
  test("the wire form without details, and with a detail of another type", () => {
    const plain = fromWire({ code: "invalid_argument", message: "email: not valid" });
    assert.equal(errs.fieldViolations(plain), undefined);
    assert.deepEqual(f.fieldErrorsFrom(plain, ["email"]), { fields: {}, other: ["email: not valid"] });
    const info = toBinary(ErrorInfoSchema, create(ErrorInfoSchema, { reason: "SLOT_TAKEN", domain: "appointments.clinic" }));
    const other = fromWire({ code: "already_exists", message: "slot taken", details: [{ type: "google.rpc.ErrorInfo", value: base64(info) }] });
    assert.equal(errs.fieldViolations(other), undefined);
  });
});

describe("error reasons", () => {
  test("the ErrorInfo reason, from an error built here or from the wire", () => {
    const built = new ConnectError("slot taken", Code.AlreadyExists, undefined, [
      { desc: ErrorInfoSchema, value: { reason: "SLOT_TAKEN", domain: "appointments.clinic", metadata: { resource: "appointments/a1" } } },
    ]);
    assert.equal(errs.errorReason(built), "SLOT_TAKEN");
    const info = toBinary(ErrorInfoSchema, create(ErrorInfoSchema, { reason: "ETAG_MISMATCH", domain: "patients.clinic" }));
    const wire = fromWire({ code: "aborted", message: "etag", details: [{ type: "google.rpc.ErrorInfo", value: base64(info) }] });
    assert.equal(errs.errorReason(wire), "ETAG_MISMATCH");
  });
  test("none without an ErrorInfo, or for something that is not a ConnectError", () => {
    assert.equal(errs.errorReason(new ConnectError("slot taken", Code.AlreadyExists)), undefined);
    assert.equal(errs.errorReason(badRequest([["email", "bad"]])), undefined);
    assert.equal(errs.errorReason(new Error("boom")), undefined);
  });
  test("calls in words", () => {
    assert.equal(errs.describeCallError(new ConnectError("", Code.PermissionDenied)), "You do not have permission to do this.");
    assert.equal(errs.describeCallError(new ConnectError("", Code.NotFound), "Gone."), "Gone.");
    assert.equal(errs.describeCallError(new ConnectError("start after end", Code.InvalidArgument)), "start after end");
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
