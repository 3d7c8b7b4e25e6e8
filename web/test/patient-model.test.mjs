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
let PatientSchema;
let SimilarPatientSchema;
let create;

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
  ({ PatientSchema } = await server.ssrLoadModule("/src/gen/clinic/patients/v1/patients_pb.ts"));
  ({ SimilarPatientSchema } = await server.ssrLoadModule("/src/gen/clinic/patients/v1/patients_service_pb.ts"));
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
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

describe("every field's error at once", () => {
  test("an empty given name, a bad email and a bad phone are three field errors, none in the summary only", () => {
    const e = m.patientFormErrors(
      invalid(
        ["patient.given_name", "is required"],
        ["patient.email", "is not a valid email address"],
        ["patient.phone", "is not a valid phone number for US"],
      ),
    );
    assert.deepEqual(e.fields, {
      given_name: "is required",
      email: "is not a valid email address",
      phone: "is not a valid phone number for US",
    });
    assert.deepEqual(e.other, []);
  });
  test("two violations of one field are both kept", () => {
    const e = m.patientFormErrors(invalid(["patient.phone", "is too short"], ["patient.phone", "has letters"]));
    assert.deepEqual(e.fields, { phone: "is too short; has letters" });
  });
});

describe("readSearch: one box, read as the server reads `query`", () => {
  test("empty is everyone", () => {
    assert.deepEqual(m.readSearch("   "), { kind: "all" });
    assert.deepEqual(m.searchFilters(m.readSearch("")), { query: "", email: "" });
  });
  test("names, accents and all, go as typed", () => {
    assert.deepEqual(m.readSearch(" fernandez "), { kind: "name", value: "fernandez" });
    assert.deepEqual(m.readSearch("Maya  Okafor"), { kind: "name", value: "Maya Okafor" });
    assert.deepEqual(m.searchFilters(m.readSearch("Fernández")), { query: "Fernández", email: "" });
  });
  test("a date is a date of birth", () => {
    assert.equal(m.readSearch("1988-03-14").kind, "birth_date");
    assert.equal(m.readSearch("03/14/1988").kind, "birth_date");
    assert.deepEqual(m.searchFilters(m.readSearch("1988-03-14")), { query: "1988-03-14", email: "" });
  });
  test("4 to 15 digits are the end of a phone number", () => {
    assert.deepEqual(m.readSearch("0141"), { kind: "phone_digits", value: "0141" });
    assert.equal(m.readSearch("555-0141").kind, "phone_digits");
    assert.equal(m.readSearch("(303) 555-0141").kind, "phone_digits");
    assert.equal(m.readSearch("014").kind, "name");
    assert.equal(m.readSearch("Room 101").kind, "name");
    assert.deepEqual(m.searchFilters(m.readSearch("555-0141")), { query: "555-0141", email: "" });
  });
  test("an @ is a whole email address", () => {
    assert.deepEqual(m.searchFilters(m.readSearch("maya.okafor@example.com")), { query: "", email: "maya.okafor@example.com" });
  });
  test("at most 100 characters", () => {
    assert.equal(m.readSearch("a".repeat(150)).value.length, 100);
  });
  test("said in words", () => {
    assert.equal(m.describeSearch({ kind: "all" }), "All patients");
    assert.equal(m.describeSearch(m.readSearch("0141")), "Phone ending in “0141”");
    assert.equal(m.describeSearch(m.readSearch("1988-03-14")), "Date of birth “1988-03-14”");
    assert.equal(m.describeSearch(m.readSearch("fer")), "Name starting with “fer”");
  });
  test("a search the server cannot read says why, without a request path", () => {
    const err = invalid(["query", "must not be in the future"]);
    const text = m.searchErrorMessage(err, m.readSearch("2099-01-01"));
    assert.equal(text, "That date of birth must not be in the future.");
    assert.doesNotMatch(text, /query/);
    assert.equal(m.searchErrorMessage(new ConnectError("", Code.Unavailable), m.readSearch("x")), "The server could not be reached. Check the connection and try again.");
  });
});

describe("phones on the form", () => {
  test("a stored E.164 number is shown in the national format, and not sent back unless changed", () => {
    const p = create(PatientSchema, { givenName: "Maya", phone: "+13035550141", emergencyContact: { name: "Ann", phone: "+13035550199" } });
    const v = m.valuesFromPatient(p);
    assert.equal(v.phone, "(303) 555-0141");
    assert.equal(v["emergency_contact.phone"], "(303) 555-0199");
    assert.deepEqual(m.changedPaths(v, { ...v }), []);
  });
  test("another country's number keeps its international form", () => {
    assert.equal(m.valuesFromPatient(create(PatientSchema, { phone: "+34612345678" })).phone, "+34 612345678");
  });
});

describe("likely duplicates", () => {
  const maya = () => ({
    ...m.emptyValues(),
    given_name: " Maya ",
    family_name: "Okafor",
    birth_date: "1988-03-14",
    phone: "(303) 555-0141",
    email: "maya.okafor@example.com",
    notes: "not compared",
  });
  test("looked for only with a date of birth and something to compare", () => {
    assert.equal(m.canLookForSimilar(maya()), true);
    assert.equal(m.canLookForSimilar({ ...maya(), birth_date: "" }), false);
    assert.equal(m.canLookForSimilar({ ...m.emptyValues(), birth_date: "1988-03-14" }), false);
    assert.equal(m.canLookForSimilar({ ...m.emptyValues(), birth_date: "1988-03-14", phone: "0141" }), true);
  });
  test("the request carries who the person is, and the patient being edited to leave out", () => {
    const r = m.similarPatientsRequest(maya(), "patients/p-1");
    assert.equal(r.patient.givenName, "Maya");
    assert.equal(r.patient.familyName, "Okafor");
    assert.deepEqual([r.patient.birthDate.year, r.patient.birthDate.month, r.patient.birthDate.day], [1988, 3, 14]);
    assert.equal(r.patient.phone, "(303) 555-0141");
    assert.equal(r.patient.email, "maya.okafor@example.com");
    assert.equal(r.patient.notes, "");
    assert.equal(r.exclude, "patients/p-1");
    assert.equal(m.similarPatientsRequest(maya()).exclude, "");
  });
  test("the identity key ignores case, spaces and other fields", () => {
    const a = maya();
    assert.equal(m.identityKey(a), m.identityKey({ ...a, given_name: "maya", notes: "other" }));
    assert.notEqual(m.identityKey(a), m.identityKey({ ...a, phone: "(303) 555-0142" }));
    assert.equal(m.identityChanged(a, { ...a, "address.city": "Boulder" }), false);
    assert.equal(m.identityChanged(a, { ...a, family_name: "Okafor-Lee" }), true);
  });
  test("matches in words: name, birth date, phone nationally, email, reasons; best first", () => {
    const matches = [
      create(SimilarPatientSchema, {
        patient: create(PatientSchema, {
          name: "patients/abc",
          givenName: "Maya",
          familyName: "Okafor",
          birthDate: { year: 1988, month: 3, day: 14 },
          phone: "+13035550141",
          email: "maya.okafor@example.com",
        }),
        reasons: ["same date of birth", "same phone", "same email"],
      }),
      create(SimilarPatientSchema, { patient: create(PatientSchema, { name: "patients/def", givenName: "May", familyName: "Okafor" }), reasons: [] }),
      create(SimilarPatientSchema, { reasons: ["no patient"] }),
    ];
    const views = m.similarViews(matches, "en-US");
    assert.equal(views.length, 2);
    assert.deepEqual(views[0], {
      name: "patients/abc",
      href: "/staff/patients/abc",
      displayName: "Maya Okafor",
      birthDate: "Mar 14, 1988",
      phone: "(303) 555-0141",
      email: "maya.okafor@example.com",
      reasons: "Same date of birth, same phone, same email",
    });
    assert.equal(views[1].birthDate, "");
    assert.equal(views[1].reasons, "");
  });
});
