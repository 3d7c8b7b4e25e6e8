// Unit tests of the login logic (src/staff/account/auth-model.ts): the next= redirect
// sanitizer, the login page's address and the login error messages.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let StaffRole;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/account/auth-model.ts");
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
});

after(async () => {
  await server?.close();
});

describe("sanitizeNext", () => {
  test("keeps pages of the staff app, with query and hash", () => {
    assert.equal(m.sanitizeNext("/staff/patients/abc"), "/staff/patients/abc");
    assert.equal(m.sanitizeNext("/staff/patients?q=ann&archived=1"), "/staff/patients?q=ann&archived=1");
    assert.equal(m.sanitizeNext("/staff/admin/audit?actor=staff%2Fx#top"), "/staff/admin/audit?actor=staff%2Fx#top");
    assert.equal(m.sanitizeNext("/staff"), "/staff");
    assert.equal(m.sanitizeNext("/staff/"), "/staff/");
  });
  test("missing or empty gives the patient list", () => {
    assert.equal(m.sanitizeNext(null), "/staff/patients");
    assert.equal(m.sanitizeNext(undefined), "/staff/patients");
    assert.equal(m.sanitizeNext(""), "/staff/patients");
  });
  test("other sites are refused", () => {
    for (const bad of [
      "https://evil.example/staff",
      "http://evil.example",
      "//evil.example/staff/patients",
      "///evil.example/staff",
      "/\\evil.example/staff",
      "\\\\evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
      " /staff/patients",
      "/staff/patients\n",
      "/staff/\tpatients",
      "staff/patients",
      "evil.example/staff",
    ]) {
      assert.equal(m.sanitizeNext(bad), "/staff/patients", JSON.stringify(bad));
    }
  });
  test("pages outside /staff are refused", () => {
    for (const bad of ["/", "/index.html", "/staffing", "/staff..", "/auth/logout", "/clinic.patients.v1.PatientService/ListPatients"]) {
      assert.equal(m.sanitizeNext(bad), "/staff/patients", bad);
    }
  });
  test("dot segments and encoded separators cannot leave /staff", () => {
    assert.equal(m.sanitizeNext("/staff/../evil"), "/staff/patients");
    assert.equal(m.sanitizeNext("/staff/%2e%2e/evil"), "/staff/patients");
    assert.equal(m.sanitizeNext("/staff/%2F%2Fevil.example"), "/staff/patients");
    assert.equal(m.sanitizeNext("/staff/%5cevil"), "/staff/patients");
    // Normalized but still inside the app is fine.
    assert.equal(m.sanitizeNext("/staff/admin/../patients"), "/staff/patients");
  });
  test("never back to the login page", () => {
    assert.equal(m.sanitizeNext("/staff/login"), "/staff/patients");
    assert.equal(m.sanitizeNext("/staff/login/"), "/staff/patients");
    assert.equal(m.sanitizeNext("/staff/login?next=/staff/account"), "/staff/patients");
  });
});

describe("loginUrl", () => {
  test("carries the page to come back to", () => {
    assert.equal(m.loginUrl("/staff/patients/abc"), "/staff/login?next=%2Fstaff%2Fpatients%2Fabc");
    assert.equal(m.loginUrl("/staff/patients?q=a%20b"), "/staff/login?next=%2Fstaff%2Fpatients%3Fq%3Da%2520b");
    assert.equal(m.loginUrl("/staff/patients"), "/staff/login?next=%2Fstaff%2Fpatients");
  });
  test("no next= for the login page itself or a page outside the app", () => {
    assert.equal(m.loginUrl("/staff/login?next=%2Fstaff%2Faccount"), "/staff/login");
    assert.equal(m.loginUrl("/elsewhere"), "/staff/login");
    assert.equal(m.loginUrl(""), "/staff/login");
    assert.equal(m.loginUrl(undefined), "/staff/login");
  });
  test("what loginUrl puts in next= comes back out of sanitizeNext", () => {
    for (const page of ["/staff/patients/abc", "/staff/admin/audit?from=2025-01-01&to=2025-01-31", "/staff/account"]) {
      const next = new URL(m.loginUrl(page), "http://x").searchParams.get("next");
      assert.equal(m.sanitizeNext(next), page);
    }
  });
});

describe("loginErrorMessage", () => {
  test("401 shows the server's message as a sentence", () => {
    assert.equal(
      m.loginErrorMessage(401, { code: "unauthenticated", message: "wrong email or password" }, null),
      "Wrong email or password.",
    );
    assert.equal(m.loginErrorMessage(401, undefined, null), "Wrong email or password.");
  });
  test("429 shows the wait", () => {
    assert.equal(
      m.loginErrorMessage(429, { code: "resource_exhausted", message: "too many failed login attempts; try again in 15 minutes" }, "900"),
      "Too many failed login attempts; try again in 15 minutes.",
    );
    assert.equal(
      m.loginErrorMessage(429, undefined, "61"),
      "Too many failed login attempts; try again in 2 minutes.",
    );
    assert.equal(m.loginErrorMessage(429, {}, null), "Too many failed login attempts; try again later.");
  });
  test("server trouble is not blamed on the person", () => {
    assert.match(m.loginErrorMessage(502, { message: "upstream connect error" }, null), /could not log you in/);
    assert.match(m.loginErrorMessage(503, undefined, null), /could not log you in/);
  });
});

describe("roles", () => {
  test("rolesText and isAdmin", () => {
    assert.equal(m.rolesText([StaffRole.ADMIN, StaffRole.FRONT_DESK]), "Admin, Front desk");
    assert.equal(m.rolesText([StaffRole.UNSPECIFIED, StaffRole.THERAPIST]), "Therapist");
    assert.equal(m.isAdmin({ roles: [StaffRole.THERAPIST, StaffRole.ADMIN] }), true);
    assert.equal(m.isAdmin({ roles: [StaffRole.FRONT_DESK] }), false);
    assert.equal(m.isAdmin(undefined), false);
  });
  test("memberName and staffId", () => {
    assert.equal(m.memberName({ givenName: "Ann", familyName: "Lee", email: "a@x" }), "Ann Lee");
    assert.equal(m.memberName({ givenName: "", familyName: "", email: "a@x" }), "a@x");
    assert.equal(m.staffId("staff/123"), "123");
  });
});
