// Unit tests of the pickers' pure logic (src/staff/shared/pickers/picker-model.ts):
// names matched as typed (accents and case ignored), what each option says,
// the patient search's query, and the keyboard in the list. Vite loads the
// TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let p;
let create;
let StaffMemberSchema;
let StaffRole;
let StaffState;
let PatientSchema;
let PatientState;
let LocationSchema;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  p = await server.ssrLoadModule("/src/staff/shared/pickers/picker-model.ts");
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ StaffMemberSchema, StaffState } = await server.ssrLoadModule("/src/gen/clinic/staff/v1/staff_pb.ts"));
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
  ({ PatientSchema, PatientState } = await server.ssrLoadModule("/src/gen/clinic/patients/v1/patients_pb.ts"));
  ({ LocationSchema } = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts"));
});

after(async () => {
  await server?.close();
});

describe("matching names", () => {
  test("case, accents, dashes and spaces are ignored", () => {
    assert.equal(p.foldForSearch("  Lucía   FERNÁNDEZ "), "lucia fernandez");
    assert.equal(p.foldForSearch("Denver – Highlands"), "denver highlands");
  });
  test("every word typed starts a word of the name, in any order", () => {
    assert.equal(p.nameMatches("Lucía Fernández", "fernandez"), true);
    assert.equal(p.nameMatches("Lucía Fernández", "fer lu"), true);
    assert.equal(p.nameMatches("Lucía Fernández", "ernan"), false, "not inside a word");
    assert.equal(p.nameMatches("Lucía Fernández", ""), true, "nothing typed matches");
  });
  test("staff: by name, with a role, sorted, at most the limit", () => {
    const member = (id, given, family, roles, state = StaffState.ACTIVE) =>
      create(StaffMemberSchema, { name: `staff/${id}`, givenName: given, familyName: family, email: `${id}@clinic.example`, roles, state });
    const list = [
      member("1", "Zoë", "Park", [StaffRole.THERAPIST]),
      member("2", "Ann", "Lee", [StaffRole.ADMIN]),
      member("3", "Andrés", "Zapata", [StaffRole.THERAPIST], StaffState.DEACTIVATED),
    ];
    assert.deepEqual(p.matchStaff(list, "").map((m) => m.name), ["staff/3", "staff/2", "staff/1"], "Andrés, Ann, Zoë");
    assert.deepEqual(p.matchStaff(list, "an").map((m) => m.name), ["staff/3", "staff/2"]);
    assert.deepEqual(p.matchStaff(list, "zoe").map((m) => m.name), ["staff/1"]);
    assert.deepEqual(p.matchStaff(list, "", { role: StaffRole.THERAPIST }).map((m) => m.name), ["staff/3", "staff/1"]);
    assert.deepEqual(p.matchStaff(list, "", { limit: 1 }).map((m) => m.name), ["staff/3"]);
    assert.deepEqual(p.matchStaff(list, "3@clinic").map((m) => m.name), ["staff/3"], "an email typed");
    assert.deepEqual(p.staffOption(list[2]), { value: "staff/3", label: "Andrés Zapata", detail: "Therapist · deactivated" });
  });
});

describe("what options say", () => {
  test("locations by display name, never their resource names", () => {
    const locs = [
      create(LocationSchema, { name: "locations/b", displayName: "Denver – Highlands" }),
      create(LocationSchema, { name: "locations/a", displayName: "Boulder – Pearl Street" }),
    ];
    assert.deepEqual(p.sortLocations(locs).map((l) => l.displayName), ["Boulder – Pearl Street", "Denver – Highlands"]);
    assert.equal(p.locationLabel("locations/b", locs), "Denver – Highlands");
    assert.equal(p.locationLabel("locations/zzz", locs), "Unknown location");
    assert.equal(p.locationLabel("", locs), "");
  });
  test("patients with their date of birth", () => {
    const patient = create(PatientSchema, {
      name: "patients/p5",
      givenName: "Lucía",
      familyName: "Fernández",
      birthDate: { year: 2001, month: 9, day: 9 },
      state: PatientState.ACTIVE,
    });
    assert.deepEqual(p.patientOption(patient), { value: "patients/p5", label: "Lucía Fernández", detail: "born 9 Sep 2001" });
    const archived = create(PatientSchema, { ...patient, preferredName: "Lu", state: PatientState.ARCHIVED });
    assert.deepEqual(p.patientOption(archived), { value: "patients/p5", label: "Lucía Fernández (Lu)", detail: "born 9 Sep 2001 · archived" });
    assert.equal(p.birthDateWords(undefined), "");
    assert.equal(p.birthDateWords({ year: 1990, month: 4, day: 2 }), "2 Apr 1990");
  });
  test("the patient search waits for two characters and sends what was typed", () => {
    assert.equal(p.patientQuery(" "), undefined);
    assert.equal(p.patientQuery("f"), undefined);
    assert.equal(p.patientQuery("  fernández  lu "), "fernández lu");
    assert.equal(p.patientQuery("0142"), "0142");
    assert.equal(p.patientQuery("x".repeat(150)).length, 100);
  });
  test("the live region's words", () => {
    assert.equal(p.resultsWords(0, ["patient", "patients"]), "No patients found.");
    assert.match(p.resultsWords(1, ["patient", "patients"]), /^1 patient found\./);
    assert.match(p.resultsWords(20, ["patient", "patients"], true), /^20\+ patients found\./);
  });
});

describe("the keyboard in the list", () => {
  test("arrows move and wrap; Home and End go to the ends", () => {
    assert.equal(p.moveActive(-1, 3, "ArrowDown"), 0);
    assert.equal(p.moveActive(0, 3, "ArrowDown"), 1);
    assert.equal(p.moveActive(2, 3, "ArrowDown"), 0);
    assert.equal(p.moveActive(-1, 3, "ArrowUp"), 2);
    assert.equal(p.moveActive(0, 3, "ArrowUp"), 2);
    assert.equal(p.moveActive(1, 3, "Home"), 0);
    assert.equal(p.moveActive(1, 3, "End"), 2);
    assert.equal(p.moveActive(5, 3, "x"), 2);
    assert.equal(p.moveActive(0, 0, "ArrowDown"), -1);
  });
});
