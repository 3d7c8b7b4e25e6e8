// Unit tests of the audit trail's pure logic (src/staff/admin/audit-model.ts):
// every audited RPC in plain words (the test fails when PatientService or
// AppointmentService gains an RPC without wording), outcomes in words, who
// did it, which patients, times in the practice's zone, the filters, and the
// two trails merged newest first. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let a;
let PatientService;
let AppointmentService;
let create;
let AuditEventSchema;
let timestampDate;
let timestampFromMs;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  a = await server.ssrLoadModule("/src/staff/admin/audit-model.ts");
  ({ PatientService } = await server.ssrLoadModule("/src/gen/clinic/patients/v1/patients_service_pb.ts"));
  ({ AppointmentService } = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_service_pb.ts"));
  ({ AuditEventSchema } = await server.ssrLoadModule("/src/gen/clinic/audit/v1/audit_pb.ts"));
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ timestampDate, timestampFromMs } = await server.ssrLoadModule("@bufbuild/protobuf/wkt"));
});

after(async () => {
  await server?.close();
});

/** An AuditEvent at `ms` (ms since the epoch) with these fields. */
function event(ms, fields = {}) {
  return create(AuditEventSchema, { eventTime: timestampFromMs(ms), outcome: "OK", ...fields });
}

describe("actions in words", () => {
  test("every RPC of PatientService and AppointmentService has its wording", () => {
    const missing = [];
    for (const service of [PatientService, AppointmentService]) {
      assert.ok(service.methods.length > 5, `${service.typeName} has its methods`);
      for (const m of service.methods) {
        const action = `${service.typeName}/${m.name}`;
        if (!Object.hasOwn(a.actionWords, action)) missing.push(action);
      }
    }
    assert.deepEqual(missing, [], `RPCs without wording in audit-model.ts actionWords: ${missing.join(", ")}`);
  });
  test("the wording has no RPC that no longer exists", () => {
    const known = new Set(
      [PatientService, AppointmentService].flatMap((s) => s.methods.map((m) => `${s.typeName}/${m.name}`)),
    );
    for (const action of Object.keys(a.actionWords)) assert.ok(known.has(action), `${action} is an RPC`);
  });
  test("plain words, never method names", () => {
    assert.equal(a.describeAction("clinic.patients.v1.PatientService/GetPatient"), "viewed record");
    assert.equal(a.describeAction("clinic.patients.v1.PatientService/ListPatients"), "searched patients");
    assert.equal(a.describeAction("clinic.appointments.v1.AppointmentService/BookAppointment"), "booked appointment");
    assert.equal(a.describeAction("clinic.appointments.v1.AppointmentService/CheckInAppointment"), "checked in");
    assert.equal(a.describeAction("clinic.appointments.v1.AppointmentService/CancelAppointment"), "cancelled appointment");
    assert.equal(a.describeAction("clinic.appointments.v1.AppointmentService/ListAppointments"), "listed appointments");
    for (const words of Object.values(a.actionWords)) {
      assert.match(words, /^[a-z][a-z -]+$/, `"${words}" reads as words`);
    }
  });
  test("an RPC of a newer server reads as its name in words", () => {
    assert.equal(a.describeAction("clinic.payments.v1.PaymentService/RefundPayment"), "refund payment");
    assert.equal(a.shortAction("clinic.patients.v1.PatientService/GetPatient"), "GetPatient");
  });
});

describe("outcomes and who", () => {
  test("outcomes in words", () => {
    assert.equal(a.outcomeWords("OK"), "done");
    assert.equal(a.outcomeWords(""), "done");
    assert.equal(a.outcomeWords("PERMISSION_DENIED"), "refused: no access");
    assert.equal(a.outcomeWords("NOT_FOUND"), "failed: not found");
    assert.equal(a.outcomeWords("ALREADY_EXISTS"), "refused: already taken");
    assert.equal(a.outcomeWords("SOMETHING_NEW"), "failed: something new");
    assert.equal(a.outcomeOk("OK"), true);
    assert.equal(a.outcomeOk("INTERNAL"), false);
    for (const code of ["CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]) {
      assert.doesNotMatch(a.outcomeWords(code), /_/, `${code} in words`);
    }
  });
  test("who: names, never ids", () => {
    const names = new Map([["staff/s1", "Ann Lee"]]);
    assert.equal(a.actorWords("staff/s1", names), "Ann Lee");
    assert.equal(a.actorWords("staff/unknown", names), "A staff member");
    assert.equal(a.actorWords("anonymous", names), "Someone online (not logged in)");
    assert.equal(a.actorWords("service/booking", names), "Online booking");
    assert.equal(a.actorWords("service/screenings", names), "The screenings service");
    assert.equal(a.roleWords("STAFF_ROLE_FRONT_DESK"), "Front desk");
  });
});

describe("patients of an event", () => {
  test("a record read names its patient", () => {
    const ev = { resource: "patients/p1", resources: [] };
    assert.deepEqual(a.eventPatients(ev), ["patients/p1"]);
    assert.deepEqual(a.eventSubject(ev), { patients: ["patients/p1"], more: 0 });
  });
  test("an appointment names the patients in `resources`", () => {
    const ev = { resource: "appointments/a1", resources: ["patients/p1"] };
    assert.deepEqual(a.eventSubject(ev), { patients: ["patients/p1"], more: 0 });
    const many = { resource: "appointments/a1", resources: ["patients/p1", "patients/p2", "patients/p3", "patients/p4"] };
    assert.deepEqual(a.eventSubject(many), { patients: ["patients/p1", "patients/p2"], more: 2 });
  });
  test("a search says how many it found, and the patient filtered by when among them", () => {
    const ev = { resource: "patients", resources: ["patients/p1", "patients/p2"] };
    assert.equal(a.isSearch(ev), true);
    assert.deepEqual(a.eventSubject(ev), { patients: [], more: 0, results: 2 });
    assert.deepEqual(a.eventSubject(ev, "patients/p2"), { patients: ["patients/p2"], more: 0, results: 2 });
    assert.equal(a.resultsText(1), "1 result");
    assert.equal(a.resultsText(0), "0 results");
  });
});

describe("times and filters", () => {
  test("the practice's zone when every location shares one, else the browser's", () => {
    assert.equal(a.practiceZone(["America/Denver", "America/Denver"], "Europe/Paris"), "America/Denver");
    assert.equal(a.practiceZone(["America/Denver", "America/New_York"], "Europe/Paris"), "Europe/Paris");
    assert.equal(a.practiceZone([], "Europe/Paris"), "Europe/Paris");
    assert.equal(a.practiceZone(["Nowhere/City"], "UTC"), "UTC");
  });
  test("an event's time in the zone, with seconds", () => {
    const ts = timestampFromMs(Date.UTC(2026, 2, 3, 21, 5, 9)); // 14:05:09 in Denver (MST)
    const t = a.auditTime(ts, "America/Denver", "en-GB");
    assert.equal(t.iso, "2026-03-03T21:05:09.000Z");
    assert.equal(t.time, "14:05:09");
    assert.match(t.date, /Tue.*3.*Mar.*2026/);
    assert.deepEqual(a.auditTime(undefined, "UTC"), { date: "", time: "", iso: "" });
    assert.match(a.zoneName("America/Denver", "en-US", Date.UTC(2026, 0, 1)), /Mountain|MST/);
  });
  test("URL round trip; bare ids get their collection; bad dates dropped", () => {
    const filters = { resource: "patients/p1", actor: "staff/s1", from: "2025-03-01", to: "2025-03-31" };
    assert.deepEqual(a.filtersFromSearch(a.filtersToSearch(filters)), filters);
    assert.equal(a.filtersToSearch(a.emptyAuditFilters()), "");
    assert.deepEqual(a.filtersFromSearch("?from=yesterday&to=2025-13-01x"), a.emptyAuditFilters());
    assert.deepEqual(a.filtersFromSearch("?resource=p1&actor=s1"), { resource: "patients/p1", actor: "staff/s1", from: "", to: "" });
    assert.equal(a.withPrefix("anonymous", "staff"), "anonymous");
  });
  test("checks", () => {
    assert.deepEqual(a.checkAuditFilters(a.emptyAuditFilters()), {});
    assert.ok(a.checkAuditFilters({ resource: "staff/x", actor: "", from: "", to: "" }).resource);
    assert.ok(a.checkAuditFilters({ resource: "patients", actor: "", from: "", to: "" }).resource);
    assert.ok(a.checkAuditFilters({ resource: "", actor: "patients/x", from: "", to: "" }).actor);
    assert.deepEqual(a.checkAuditFilters({ resource: "", actor: "anonymous", from: "", to: "" }), {});
    assert.ok(a.checkAuditFilters({ resource: "", actor: "", from: "2025-02-30", to: "" }).from);
    assert.equal(a.checkAuditFilters({ resource: "", actor: "", from: "2025-03-02", to: "2025-03-01" }).to, "is before the From date");
  });
  test("the days are the zone's days, To included", () => {
    const req = a.auditRequestFilters({ resource: "patients/p1", actor: "", from: "2026-03-01", to: "2026-03-01" }, "America/Denver");
    assert.equal(req.resource, "patients/p1");
    assert.equal(req.actor, "");
    assert.equal(timestampDate(req.startTime).toISOString(), "2026-03-01T07:00:00.000Z");
    assert.equal(timestampDate(req.endTime).toISOString(), "2026-03-02T07:00:00.000Z");
    // Across the spring-forward night (8 March 2026 in Denver) the day is 23 hours.
    const dst = a.auditRequestFilters({ resource: "", actor: "", from: "2026-03-08", to: "2026-03-08" }, "America/Denver");
    assert.equal(timestampDate(dst.endTime) - timestampDate(dst.startTime), 23 * 3600 * 1000);
    const none = a.auditRequestFilters(a.emptyAuditFilters(), "UTC");
    assert.equal(none.startTime, undefined);
    assert.equal(none.endTime, undefined);
  });
  test("the filters in words", () => {
    const f = { resource: "patients/p1", actor: "staff/s1", from: "2026-03-02", to: "" };
    const words = a.describeFilters(f, { patient: "Lucía Fernández", actor: "Ann Lee" }, "en-GB");
    assert.match(words, /^about Lucía Fernández, by Ann Lee, from Mon,? 2 Mar 2026$/);
    assert.equal(a.describeFilters(f, {}, "en-GB").startsWith("about one patient, by one staff member"), true);
    assert.equal(a.describeFilters(a.emptyAuditFilters(), {}), "");
  });
});

describe("two trails merged", () => {
  const minute = 60_000;
  const t0 = Date.UTC(2026, 2, 3, 12);
  const trail = (source, minutes, next) => ({
    events: a.sourced(source, minutes.map((m) => event(t0 - m * minute, { name: `auditEvents/${source}-${m}` }))),
    next,
  });
  const names = (shown) => shown.map((e) => e.event.name);

  test("both read to the end: everything, newest first", () => {
    const { shown, more } = a.mergeTrails({ patients: trail("patients", [1, 4], ""), appointments: trail("appointments", [2, 3], "") });
    assert.deepEqual(names(shown), ["auditEvents/patients-1", "auditEvents/appointments-2", "auditEvents/appointments-3", "auditEvents/patients-4"]);
    assert.deepEqual(more, []);
  });
  test("a trail with more pages holds back what may come after its last event", () => {
    // Patients read down to minute 2 with more to come; appointments down to 5, all read.
    const { shown, more } = a.mergeTrails({ patients: trail("patients", [1, 2], "p2"), appointments: trail("appointments", [3, 5], "") });
    assert.deepEqual(names(shown), ["auditEvents/patients-1", "auditEvents/patients-2"], "the appointments' older events wait");
    assert.deepEqual(more, ["patients"], "More reads the patients' next page");
    // After that page, the rest is in order.
    const next = trail("patients", [1, 2], "");
    next.events.push(...a.sourced("patients", [event(t0 - 4 * minute, { name: "auditEvents/patients-4" })]));
    const after = a.mergeTrails({ patients: next, appointments: trail("appointments", [3, 5], "") });
    assert.deepEqual(names(after.shown), [
      "auditEvents/patients-1",
      "auditEvents/patients-2",
      "auditEvents/appointments-3",
      "auditEvents/patients-4",
      "auditEvents/appointments-5",
    ]);
    assert.deepEqual(after.more, []);
  });
  test("both with more pages: More reads the one exhausted first", () => {
    const { shown, more } = a.mergeTrails({ patients: trail("patients", [1, 6], "p2"), appointments: trail("appointments", [2, 3], "a2") });
    assert.deepEqual(names(shown), ["auditEvents/patients-1", "auditEvents/appointments-2", "auditEvents/appointments-3"]);
    assert.deepEqual(more, ["appointments"]);
  });
  test("one trail only (the other could not be read)", () => {
    const { shown, more } = a.mergeTrails({ patients: trail("patients", [1, 2], "p2") });
    assert.deepEqual(names(shown), ["auditEvents/patients-1", "auditEvents/patients-2"]);
    assert.deepEqual(more, ["patients"]);
    assert.deepEqual(a.mergeTrails({}), { shown: [], more: [] });
  });
});
