// Unit tests of the patient's appointments and waitlist, in words
// (src/staff/patients/appointments-model.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let pb;
let create;
let timestampFromMs;
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
  m = await server.ssrLoadModule("/src/staff/patients/appointments-model.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts");
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ timestampFromMs } = await server.ssrLoadModule("@bufbuild/protobuf/wkt"));
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

const denver = () => create(pb.LocationSchema, { name: "locations/bo", displayName: "Boulder – Pearl Street", timeZone: "America/Denver" });
const names = () => ({
  locations: new Map([["locations/bo", denver()]]),
  types: new Map([["appointmentTypes/fu", create(pb.AppointmentTypeSchema, { name: "appointmentTypes/fu", displayName: "Follow-up", active: true })]]),
  therapists: new Map([["staff/t1", "Theo Rapp"]]),
  patients: new Map([["patients/p1", "Maya Okafor"]]),
});

/** An appointment at 2026-03-10 09:00 in Denver (MDT, 15:00 UTC), 45 minutes. */
function appt(overrides = {}) {
  const start = Date.UTC(2026, 2, 10, 15, 0);
  return create(pb.AppointmentSchema, {
    name: "appointments/a1",
    patient: "patients/p1",
    therapist: "staff/t1",
    location: "locations/bo",
    appointmentType: "appointmentTypes/fu",
    startTime: timestampFromMs(start),
    endTime: timestampFromMs(start + 45 * 60_000),
    state: pb.AppointmentState.BOOKED,
    ...overrides,
  });
}

describe("an appointment in words", () => {
  test("the location's wall time, type, therapist, location and state", () => {
    const v = m.appointmentView(appt(), names(), { browserZone: "Pacific/Auckland", locale: "en-US" });
    assert.equal(v.wall, "2026-03-10T09:00:00");
    assert.equal(v.date, "2026-03-10");
    assert.equal(v.time, "09:00");
    assert.equal(v.timeRange, "09:00–09:45");
    assert.equal(v.day, "Tuesday, March 10, 2026");
    assert.equal(v.zoneNote, "MDT");
    assert.equal(v.typeName, "Follow-up");
    assert.equal(v.therapistName, "Theo Rapp");
    assert.equal(v.locationName, "Boulder – Pearl Street");
    assert.equal(v.patientName, "Maya Okafor");
    assert.equal(v.patientHref, "/staff/patients/p1");
    assert.equal(v.stateLabel, "Booked");
    assert.equal(v.stateClass, "state-booked");
    assert.equal(v.active, true);
  });
  test("no zone note when the browser is in the location's zone", () => {
    assert.equal(m.appointmentView(appt(), names(), { browserZone: "America/Denver" }).zoneNote, "");
  });
  test("the service's local_start is taken as it is", () => {
    const v = m.appointmentView(appt({ localStart: "2026-03-10T09:00" }), names(), { browserZone: "UTC" });
    assert.equal(v.wall, "2026-03-10T09:00:00");
  });
  test("unknown names in plain words, never ids", () => {
    const v = m.appointmentView(
      appt({ therapist: "staff/x", location: "locations/x", appointmentType: "appointmentTypes/x", patient: "patients/x" }),
      names(),
      { browserZone: "UTC" },
    );
    assert.equal(v.typeName, "Appointment");
    assert.equal(v.therapistName, "a therapist");
    assert.equal(v.locationName, "a location");
    assert.equal(v.patientName, "Patient");
    assert.equal(v.zone, "UTC");
    assert.equal(v.time, "15:00");
  });
  test("states", () => {
    const cancelled = m.appointmentView(appt({ state: pb.AppointmentState.CANCELLED, cancelReason: "sick" }), names());
    assert.equal(cancelled.stateLabel, "Cancelled");
    assert.equal(cancelled.active, false);
    assert.equal(cancelled.cancelReason, "sick");
    assert.equal(m.stateLabel(pb.AppointmentState.CHECKED_IN), "Checked in");
    assert.equal(m.stateLabel(pb.AppointmentState.NO_SHOW), "No-show");
    assert.equal(m.appointmentView(appt({ state: pb.AppointmentState.NO_SHOW }), names()).stateClass, "state-no-show");
  });
});

describe("upcoming and past", () => {
  test("split at now: upcoming soonest first, past most recent first; one under way is upcoming", () => {
    const h = 3_600_000;
    const at = (name, startMs) => ({ name, startMs, endMs: startMs + h });
    const now = 100 * h;
    const { upcoming, past } = m.splitAppointments([at("b", 110 * h), at("a", 105 * h), at("now", now - h / 2), at("old", 50 * h), at("older", 10 * h)], now);
    assert.deepEqual(upcoming.map((v) => v.name), ["now", "a", "b"]);
    assert.deepEqual(past.map((v) => v.name), ["old", "older"]);
  });
  test("Book opens the calendar with the patient chosen", () => {
    assert.equal(m.bookHref("patients/abc-1"), "/staff/calendar?patient=patients/abc-1");
  });
});

describe("waitlist", () => {
  const entry = (o = {}) =>
    create(pb.WaitlistEntrySchema, {
      name: "waitlistEntries/w1",
      patient: "patients/p1",
      location: "locations/bo",
      appointmentType: "appointmentTypes/fu",
      timeOfDay: pb.TimeOfDayPreference.MORNING,
      latestDate: { year: 2026, month: 3, day: 24 },
      ...o,
    });
  test("an entry in words", () => {
    const v = m.waitlistView(entry({ therapist: "staff/t1", notes: "after school", priority: 5 }), names(), "en-US");
    assert.equal(v.what, "Follow-up at Boulder – Pearl Street");
    assert.equal(v.who, "with Theo Rapp");
    assert.equal(v.when, "mornings");
    assert.equal(v.until, "until Tuesday, March 24, 2026");
    assert.equal(v.notes, "after school");
    assert.equal(m.waitlistView(entry(), names()).who, "any therapist");
  });
  test("the patient's entries from everyone's, once each", () => {
    const list = [entry(), entry({ name: "waitlistEntries/w2", patient: "patients/p2" }), entry()];
    assert.deepEqual(m.entriesOfPatient(list, "patients/p1").map((e) => e.name), ["waitlistEntries/w1"]);
  });
  test("the form starts two weeks out, any time, any therapist", () => {
    const v = m.defaultWaitlistValues("2026-03-10", "locations/bo", "appointmentTypes/fu");
    assert.deepEqual(v, {
      location: "locations/bo",
      appointment_type: "appointmentTypes/fu",
      latest_date: "2026-03-24",
      time_of_day: String(pb.TimeOfDayPreference.UNSPECIFIED),
      therapist: "",
      notes: "",
    });
    assert.equal(m.defaultWaitlistValues("2026-12-25").latest_date, "2027-01-08");
  });
  test("the request", () => {
    const values = { ...m.defaultWaitlistValues("2026-03-10", "locations/bo", "appointmentTypes/fu"), time_of_day: "2", therapist: "staff/t1", notes: " call first " };
    const r = m.waitlistRequest("patients/p1", values, "req-1");
    assert.equal(r.requestId, "req-1");
    assert.equal(r.entry.patient, "patients/p1");
    assert.equal(r.entry.location, "locations/bo");
    assert.equal(r.entry.appointmentType, "appointmentTypes/fu");
    assert.equal(r.entry.therapist, "staff/t1");
    assert.equal(r.entry.timeOfDay, pb.TimeOfDayPreference.AFTERNOON);
    assert.deepEqual([r.entry.latestDate.year, r.entry.latestDate.month, r.entry.latestDate.day], [2026, 3, 24]);
    assert.equal(r.entry.notes, "call first");
  });
  test("what is plainly missing, and the server's errors at the fields", () => {
    const missing = m.checkWaitlist({ ...m.defaultWaitlistValues("2026-03-10"), latest_date: "" });
    assert.deepEqual(Object.keys(missing.fields).sort(), ["appointment_type", "latest_date", "location"]);
    const err = new ConnectError("bad", Code.InvalidArgument, undefined, [
      { desc: BadRequestSchema, value: { fieldViolations: [{ field: "entry.latest_date", description: "must not be in the past" }, { field: "request_id", description: "too long" }] } },
    ]);
    assert.deepEqual(m.waitlistFormErrors(err), { fields: { latest_date: "must not be in the past" }, other: ["too long"] });
  });
});
