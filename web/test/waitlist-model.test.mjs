// Unit tests of the waitlist's pure logic (src/staff/calendar/waitlist-model.ts):
// the booking dialog's "Add to waitlist" form (defaults, checks, the request,
// the server's errors at its fields) and the waitlist page's rows in words.
// Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let w;
let pb;
let proto;
let rpc;
let connect;
let tz;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  w = await server.ssrLoadModule("/src/staff/calendar/waitlist-model.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts");
  proto = await server.ssrLoadModule("@bufbuild/protobuf");
  rpc = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts");
  connect = await server.ssrLoadModule("@connectrpc/connect");
  tz = await server.ssrLoadModule("/src/staff/shared/tz.ts");
});

after(async () => {
  await server?.close();
});

const ctx = { patient: "patients/p1", location: "locations/denver", appointmentType: "appointmentTypes/followup" };

describe("the Add to waitlist form", () => {
  test("defaults: two weeks from today, any time, anyone", () => {
    assert.deepEqual(w.defaultWaitlistValues("2026-03-10"), {
      latestDate: "2026-03-24",
      timeOfDay: pb.TimeOfDayPreference.UNSPECIFIED,
      therapist: "",
      notes: "",
    });
    assert.deepEqual(
      w.timeOfDayChoices.map(([v]) => v),
      [pb.TimeOfDayPreference.UNSPECIFIED, pb.TimeOfDayPreference.MORNING, pb.TimeOfDayPreference.AFTERNOON, pb.TimeOfDayPreference.EVENING],
    );
  });
  test("checks before sending", () => {
    const ok = w.defaultWaitlistValues("2026-03-10");
    assert.equal(w.hasWaitlistErrors(w.checkWaitlist(ok, ctx, "2026-03-10")), false);
    const none = w.checkWaitlist(ok, { ...ctx, patient: "", appointmentType: "" }, "2026-03-10");
    assert.equal(none.other.length, 2);
    assert.match(none.other[0], /patient/);
    assert.deepEqual(w.checkWaitlist({ ...ok, latestDate: "" }, ctx, "2026-03-10").fields, {
      latest_date: "Choose the latest date the patient would still come.",
    });
    assert.deepEqual(w.checkWaitlist({ ...ok, latestDate: "2026-03-09" }, ctx, "2026-03-10").fields, {
      latest_date: "The latest date cannot be in the past.",
    });
    assert.match(w.checkWaitlist({ ...ok, notes: "x".repeat(501) }, ctx, "2026-03-10").fields.notes, /At most 500/);
  });
  test("the request: the entry and its request_id; the retry key", () => {
    const values = { latestDate: "2026-03-24", timeOfDay: pb.TimeOfDayPreference.MORNING, therapist: "staff/theo", notes: "  short notice ok " };
    const req = w.waitlistRequest(values, ctx, "r-1");
    assert.equal(req.requestId, "r-1");
    assert.equal(req.entry.patient, "patients/p1");
    assert.equal(req.entry.location, "locations/denver");
    assert.equal(req.entry.appointmentType, "appointmentTypes/followup");
    assert.equal(req.entry.therapist, "staff/theo");
    assert.equal(req.entry.timeOfDay, pb.TimeOfDayPreference.MORNING);
    assert.deepEqual([req.entry.latestDate.year, req.entry.latestDate.month, req.entry.latestDate.day], [2026, 3, 24]);
    assert.equal(req.entry.notes, "short notice ok");
    assert.equal(w.waitlistKey(values, ctx), w.waitlistKey({ ...values, notes: "short notice ok" }, ctx));
    assert.notEqual(w.waitlistKey(values, ctx), w.waitlistKey({ ...values, therapist: "" }, ctx));
  });
  test("the server's errors at the fields, never a path or an id", () => {
    const { ConnectError, Code } = connect;
    const bad = new ConnectError("invalid", Code.InvalidArgument, undefined, [
      {
        desc: rpc.BadRequestSchema,
        value: {
          fieldViolations: [
            { field: "entry.latest_date", description: "must be today or later" },
            { field: "entry.notes", description: "at most 500 characters" },
            { field: "entry.patient", description: "patients/p1 does not exist" },
            { field: "entry.location", description: "the location is closed for good" },
          ],
        },
      },
    ]);
    const e = w.waitlistFormErrors(bad);
    assert.deepEqual(e.fields, { latest_date: "Must be today or later", notes: "At most 500 characters" });
    assert.deepEqual(e.other, ["The location is closed for good"]);
    const other = w.waitlistFormErrors(new ConnectError("staff/x: denied", Code.FailedPrecondition));
    assert.deepEqual(other, { fields: {}, other: ["The patient was not added to the waitlist. Try again."] });
    assert.deepEqual(w.waitlistFormErrors(new ConnectError("x", Code.PermissionDenied)).other, ["You do not have permission to do this."]);
  });
  test("what is said once added", () => {
    const entry = proto.create(pb.WaitlistEntrySchema, {
      timeOfDay: pb.TimeOfDayPreference.MORNING,
      latestDate: { year: 2026, month: 3, day: 24 },
      therapist: "staff/theo",
    });
    const text = w.waitlistAddedMessage(entry, { patientName: "Jane Doe", locationName: "Denver – Highlands", typeName: "Follow-up", therapistName: "Theo Rapp" });
    assert.match(text, /^Jane Doe is on the waitlist at Denver – Highlands for a follow-up until .*24.*2026 \(mornings, with Theo Rapp\)\.$/);
  });
});

describe("the waitlist page", () => {
  test("a row in words", () => {
    const e = proto.create(pb.WaitlistEntrySchema, {
      name: "waitlistEntries/w1",
      patient: "patients/p1",
      appointmentType: "appointmentTypes/followup",
      timeOfDay: pb.TimeOfDayPreference.AFTERNOON,
      latestDate: { year: 2026, month: 3, day: 24 },
      notes: "can come at short notice",
      priority: 5,
      createTime: tz.wallToTimestamp("2026-03-10T23:30", "America/Denver"),
    });
    const names = { patient: () => "Jane Doe", type: () => "Follow-up", therapist: () => "Theo Rapp" };
    const row = w.waitlistRow(e, names, "America/Denver");
    assert.equal(row.patientName, "Jane Doe");
    assert.equal(row.typeName, "Follow-up");
    assert.equal(row.therapistName, "Anyone");
    assert.equal(row.timeOfDay, "Afternoons");
    assert.match(row.latestDate, /24.*2026/);
    assert.match(row.added, /10.*2026/, "the day added in the location's zone (06:30 UTC the 11th)");
    assert.equal(w.waitlistRow({ ...e, therapist: "staff/theo" }, names, "UTC").therapistName, "Theo Rapp");
    assert.equal(w.removeQuestion(row), "Remove Jane Doe (Follow-up) from the waitlist?");
    const req = w.listWaitlistRequest("locations/denver", "", "tok");
    assert.deepEqual([req.location, req.appointmentType, req.pageToken, req.pageSize], ["locations/denver", "", "tok", 200]);
  });
});
