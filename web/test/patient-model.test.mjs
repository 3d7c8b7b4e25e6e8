// Unit tests of the staff app's pure logic (src/staff/patients/patient-model.ts).
// Vite loads the TypeScript, so no extra test framework is needed:
//   npm test          (after npm run gen)
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let ConnectError;
let Code;
let BadRequestSchema;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/patients/patient-model.ts");
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

/** CreatePatient's INVALID_ARGUMENT with google.rpc.BadRequest details: [field, description] pairs. */
function invalid(...violations) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError("invalid patient", Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

describe("classifySearch", () => {
  test("empty searches everything", () => {
    assert.deepEqual(m.classifySearch("  "), { kind: "all" });
  });
  test("text is a name prefix", () => {
    assert.deepEqual(m.classifySearch(" Ann Lee "), { kind: "name", value: "Ann Lee" });
    assert.deepEqual(m.classifySearch("O'Brien"), { kind: "name", value: "O'Brien" });
  });
  test("an @ makes an email", () => {
    assert.deepEqual(m.classifySearch("ann@example.com"), { kind: "email", value: "ann@example.com" });
  });
  test("mostly digits make a phone number", () => {
    assert.equal(m.classifySearch("+1 (206) 555-0100").kind, "phone");
    assert.equal(m.classifySearch("2065550100").kind, "phone");
    assert.equal(m.classifySearch("206 555 0100 x12").kind, "phone");
    assert.equal(m.classifySearch("12").kind, "name");
    assert.equal(m.classifySearch("Room 101").kind, "name");
  });
});

describe("dates", () => {
  test("round trip through <input type=date>", () => {
    const d = m.inputToDate("1985-04-02");
    assert.deepEqual([d.year, d.month, d.day], [1985, 4, 2]);
    assert.equal(m.dateToInput(d), "1985-04-02");
  });
  test("empty or partial dates are unset", () => {
    assert.equal(m.inputToDate(""), undefined);
    assert.equal(m.dateToInput(undefined), "");
    assert.equal(m.dateToInput({ year: 1985, month: 0, day: 0 }), "");
  });
});

describe("form values", () => {
  test("an empty address or emergency contact is left unset", () => {
    const v = m.emptyValues();
    v.given_name = " Ann ";
    const p = m.patientFromValues(v);
    assert.equal(p.givenName, "Ann");
    assert.equal(p.address, undefined);
    assert.equal(p.emergencyContact, undefined);
  });
  test("address fields travel and the country code is upper-cased", () => {
    const v = m.emptyValues();
    v["address.postal_code"] = "98101";
    v["address.country_code"] = "us";
    const p = m.patientFromValues(v);
    assert.equal(p.address.postalCode, "98101");
    assert.equal(p.address.countryCode, "US");
    assert.deepEqual(m.valuesFromPatient(p)["address.country_code"], "US");
  });
  test("changedPaths names only what changed, nested fields by path", () => {
    const before = m.emptyValues();
    before.phone = "+12065550100";
    const after = { ...before, phone: "+12065550199", "address.city": "Seattle", notes: "" };
    assert.deepEqual(m.changedPaths(before, after), ["phone", "address.city"]);
    assert.deepEqual(m.changedPaths(before, { ...before, phone: " +12065550100 " }), []);
  });
});

describe("server errors", () => {
  test("field paths with or without the patient. prefix", () => {
    assert.deepEqual(m.patientFormErrors(invalid(["patient.email", "not a valid email address"])), {
      fields: { email: "not a valid email address" },
      other: [],
    });
    assert.deepEqual(m.patientFormErrors(invalid(["email", "not a valid email address"])).fields, {
      email: "not a valid email address",
    });
  });
  test("nested and camelCase paths", () => {
    assert.deepEqual(m.patientFormErrors(invalid(["patient.address.postal_code", "too long"])).fields, {
      "address.postal_code": "too long",
    });
    assert.deepEqual(m.patientFormErrors(invalid(["patient.emergencyContact.phone", "must contain digits"])).fields, {
      "emergency_contact.phone": "must contain digits",
    });
    assert.deepEqual(m.patientFormErrors(invalid(["patient.birth_date.month", "out of range"])).fields, {
      birth_date: "out of range",
    });
    assert.equal(m.fieldForPath("patient.birthDate.year"), "birth_date");
    assert.equal(m.fieldForPath("patient.state"), undefined);
  });
  test("several errors, and ones that name no form field", () => {
    const e = m.patientFormErrors(invalid(["patient.given_name", "required"], ["patient.email", "not valid"]));
    assert.deepEqual(e.fields, { given_name: "required", email: "not valid" });
    const other = m.patientFormErrors(invalid(["update_mask", 'unknown path "state"']));
    assert.deepEqual(other.fields, {});
    assert.deepEqual(other.other, ['unknown path "state"']);
    assert.deepEqual(m.patientFormErrors(new ConnectError("something went wrong", Code.InvalidArgument)).other, ["something went wrong"]);
  });
  test("an error without details is not read for field names", () => {
    const e = m.patientFormErrors(new ConnectError("patient.email: not a valid email address", Code.InvalidArgument));
    assert.deepEqual(e, { fields: {}, other: ["patient.email: not a valid email address"] });
  });
  test("other failures in words for the desk", () => {
    assert.deepEqual(m.patientFormErrors(new ConnectError("", Code.NotFound)).other, ["No such patient."]);
    assert.equal(m.describeError(new ConnectError("", Code.PermissionDenied)), "You are not allowed to do this.");
    assert.equal(m.describeError(new ConnectError("", Code.Unauthenticated)), "You are not allowed to do this.");
    assert.equal(m.describeError(new ConnectError("", Code.Aborted)), "Someone else changed this record; reload to see their changes.");
  });
});
