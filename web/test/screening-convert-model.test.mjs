// Unit tests of "Book the initial evaluation"'s pure logic
// (src/staff/screenings/convert-model.ts): when the section shows, the
// defaults (therapist, location, the initial-evaluation type, the next
// weekday), the FindAvailableSlots requests, times and the booked evaluation
// in words (the slot's local_start, never the browser's zone), the
// ConvertScreening request and its retry key, and errors as connect-web gets
// them — in clinic language, never with an id. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let pb;
let create;
let ConnectError;
let Code;
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
  m = await server.ssrLoadModule("/src/staff/screenings/convert-model.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/screenings/v1/screenings_pb.ts");
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema, ErrorInfoSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

function invalid(...violations) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError("invalid", Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

function withReason(message, code, reason) {
  return new ConnectError(message, code, undefined, [{ desc: ErrorInfoSchema, value: { reason, domain: "appointments.clinic" } }]);
}

/** No resource id in a text people read. */
function assertNoIds(text) {
  assert.doesNotMatch(text, /\b(staff|appointments|locations|appointmentTypes|patients|holds|screenings|contactRequests)\/\S/, text);
}

// The demo data's types (deploy/demo/seed_schedule.mjs).
const types = [
  { name: "appointmentTypes/screening", displayName: "Free screening", active: true, allowedCredentials: [] },
  { name: "appointmentTypes/initial", displayName: "Initial evaluation", active: true, allowedCredentials: ["PT", "DPT"] },
  { name: "appointmentTypes/followup", displayName: "Follow-up", active: true, allowedCredentials: [] },
  { name: "appointmentTypes/reeval", displayName: "Re-evaluation", active: true, allowedCredentials: ["PT", "DPT"] },
];

describe("when the section shows", () => {
  const screening = (init) => create(pb.ScreeningSchema, { name: "screenings/s1", ...init });
  test("completed with a PT evaluation and nothing booked: the form", () => {
    const S = pb.ScreeningState;
    const O = pb.ScreeningOutcome;
    assert.equal(m.convertView(screening({ state: S.COMPLETED, outcome: O.PT_EVALUATION })), "book");
    assert.equal(
      m.convertView(screening({ state: S.COMPLETED, outcome: O.PT_EVALUATION, evaluationAppointment: "appointments/a1" })),
      "booked",
    );
  });
  test("other outcomes and screenings in progress: nothing", () => {
    const S = pb.ScreeningState;
    const O = pb.ScreeningOutcome;
    for (const outcome of [O.REFER_TO_PHYSICIAN, O.SELF_CARE, O.NO_FURTHER_ACTION, O.UNSPECIFIED]) {
      assert.equal(m.convertView(screening({ state: S.COMPLETED, outcome })), "none", `outcome ${outcome}`);
    }
    assert.equal(m.convertView(screening({ state: S.IN_PROGRESS, outcome: O.PT_EVALUATION })), "none");
    assert.equal(m.convertView(undefined), "none");
  });
});

describe("defaults", () => {
  test("the initial evaluation: 'evaluation' but not 're-'", () => {
    assert.equal(m.isInitialEvaluation("Initial evaluation"), true);
    assert.equal(m.isInitialEvaluation("PT Evaluation"), true);
    assert.equal(m.isInitialEvaluation("Re-evaluation"), false);
    assert.equal(m.isInitialEvaluation("Reevaluation"), false);
    assert.equal(m.isInitialEvaluation("Free screening"), false);
    assert.equal(m.isInitialEvaluation("Follow-up"), false);
    assert.equal(m.defaultTypeName(types), "appointmentTypes/initial");
    assert.equal(m.defaultTypeName(types, "appointmentTypes/followup"), "appointmentTypes/followup", "a choice is kept while offered");
    assert.equal(m.defaultTypeName(types, "appointmentTypes/gone"), "appointmentTypes/initial");
    assert.equal(m.defaultTypeName(types.filter((t) => t.name !== "appointmentTypes/initial")), "", "none: the person chooses");
  });
  test("types a therapist may deliver: active, and any one allowed credential", () => {
    const pt = { credentials: ["pt", "OCS"] };
    const pta = { credentials: ["PTA"] };
    assert.deepEqual(
      m.fittingTypes(types, pt).map((t) => t.displayName),
      ["Free screening", "Initial evaluation", "Follow-up", "Re-evaluation"],
    );
    assert.deepEqual(m.fittingTypes(types, pta).map((t) => t.displayName), ["Free screening", "Follow-up"]);
    assert.equal(m.defaultTypeName(m.fittingTypes(types, pta)), "");
    assert.equal(m.typeFits({ active: false, allowedCredentials: [] }, pt), false, "retired");
    assert.equal(m.typeFits({ active: true, allowedCredentials: ["PT"] }, undefined), true, "no therapist yet");
  });
  test("the therapist: the screening's when they are a therapist, else the first", () => {
    const therapists = [{ name: "staff/a" }, { name: "staff/b" }];
    assert.equal(m.defaultTherapist(therapists, "staff/b"), "staff/b");
    assert.equal(m.defaultTherapist(therapists, "staff/admin"), "staff/a");
    assert.equal(m.defaultTherapist([], "staff/b"), "");
  });
  test("the location: where the therapist works, else a home location, else the first", () => {
    const locations = [{ name: "locations/boulder" }, { name: "locations/denver" }];
    const schedule = {
      weeklyHours: [
        { location: "locations/denver", day: 1 },
        { location: "locations/denver", day: 2 },
        { location: "locations/boulder", day: 6 },
      ],
    };
    assert.deepEqual(m.scheduleLocations(schedule), ["locations/denver", "locations/boulder"]);
    assert.deepEqual(m.scheduleLocations(undefined), []);
    const worksAt = m.scheduleLocations(schedule);
    assert.equal(m.defaultLocation(locations, { worksAt }), "locations/denver");
    assert.equal(m.defaultLocation(locations, { worksAt, current: "locations/boulder" }), "locations/boulder", "works there too");
    assert.equal(m.defaultLocation(locations, { worksAt: ["locations/denver"], current: "locations/boulder" }), "locations/denver");
    assert.equal(m.defaultLocation(locations, { home: ["locations/gone", "locations/denver"] }), "locations/denver");
    assert.equal(m.defaultLocation(locations, { current: "locations/denver" }), "locations/denver");
    assert.equal(m.defaultLocation(locations, { worksAt: ["locations/gone"] }), "locations/boulder");
    assert.equal(m.defaultLocation([], {}), "");
  });
  test("the day: the next weekday", () => {
    assert.equal(m.nextWeekday("2026-03-09"), "2026-03-10", "Monday → Tuesday");
    assert.equal(m.nextWeekday("2026-03-13"), "2026-03-16", "Friday → Monday");
    assert.equal(m.nextWeekday("2026-03-14"), "2026-03-16", "Saturday → Monday");
    assert.equal(m.nextWeekday("2026-03-15"), "2026-03-16", "Sunday → Monday");
    assert.equal(m.nextWeekday("2026-12-31"), "2027-01-01", "a Thursday at the year's end");
  });
});

describe("open times", () => {
  const q = { appointmentType: "appointmentTypes/initial", location: "locations/boulder", therapist: "staff/a", day: "2026-03-31" };
  test("one day, one location, one therapist", () => {
    assert.deepEqual(m.slotsRequest(q), {
      appointmentType: "appointmentTypes/initial",
      locations: ["locations/boulder"],
      therapist: "staff/a",
      startDate: { year: 2026, month: 3, day: 31 },
      endDate: { year: 2026, month: 3, day: 31 },
    });
  });
  test("the next open day: the following 14 days, the earliest slot only", () => {
    assert.deepEqual(m.nextOpenRequest(q), {
      appointmentType: "appointmentTypes/initial",
      locations: ["locations/boulder"],
      therapist: "staff/a",
      startDate: { year: 2026, month: 4, day: 1 },
      endDate: { year: 2026, month: 4, day: 14 },
      maxSlots: 1,
    });
    assert.equal(m.searchDays, 14);
  });
  test("a search needs a type, a location, a therapist and a real day", () => {
    assert.equal(m.canSearch(q), true);
    assert.equal(m.canSearch({ ...q, appointmentType: "" }), false);
    assert.equal(m.canSearch({ ...q, location: "" }), false);
    assert.equal(m.canSearch({ ...q, therapist: "" }), false);
    assert.equal(m.canSearch({ ...q, day: "" }), false);
    assert.equal(m.canSearch({ ...q, day: "2026-02-30" }), false);
    assert.throws(() => m.slotsRequest({ ...q, day: "" }));
  });
  test("the day's slots of the therapist, earliest first; the same slot", () => {
    const slots = [
      { therapist: "staff/a", localStart: "2026-03-31T10:15" },
      { therapist: "staff/b", localStart: "2026-03-31T08:00" },
      { therapist: "staff/a", localStart: "2026-03-31T08:30" },
      { therapist: "staff/a", localStart: "2026-04-01T08:00" },
    ];
    assert.deepEqual(
      m.slotsOfDay(slots, "staff/a", "2026-03-31").map((s) => s.localStart),
      ["2026-03-31T08:30", "2026-03-31T10:15"],
    );
    assert.equal(m.sameSlot(slots[0], { therapist: "staff/a", localStart: "2026-03-31T10:15" }), true);
    assert.equal(m.sameSlot(slots[0], slots[2]), false);
    assert.equal(m.sameSlot(slots[0], undefined), false);
  });
});

describe("in words", () => {
  test("days and times from local_start, as they are", () => {
    assert.equal(m.dayWords("2026-03-10"), "Tuesday 10 March 2026");
    assert.equal(m.dayWords("2027-01-01"), "Friday 1 January 2027");
    assert.equal(m.timeWords("2026-03-10T09:00"), "09:00");
    assert.equal(m.timeWords("2026-03-10T16:45:00"), "16:45");
    assert.equal(m.whenWords("2026-03-10T09:00", "MDT"), "Tuesday 10 March 2026, 09:00 MDT");
    assert.equal(m.whenWords("2026-03-10T09:00"), "Tuesday 10 March 2026, 09:00");
    assert.equal(m.noOpenTimes("2026-03-14"), "No open times on Saturday 14 March 2026; try another day.");
  });
  test("the booked evaluation: when, with whom, where", () => {
    assert.equal(
      m.bookedLine({ localStart: "2026-03-10T09:00", zoneName: "MDT", therapistName: "Ann Lee", locationName: "Boulder – Pearl Street" }),
      "Initial evaluation booked: Tuesday 10 March 2026, 09:00 MDT with Ann Lee at Boulder – Pearl Street.",
    );
    assert.equal(
      m.bookedLine({ localStart: "2026-03-10T09:00", zoneName: "", therapistName: " ", locationName: "" }),
      "Initial evaluation booked: Tuesday 10 March 2026, 09:00.",
      "what is not known is left out",
    );
  });
  test("the contact request it came from", () => {
    assert.equal(m.contactRequestLine("Ann Example"), "The contact request from Ann Example is marked converted.");
    assert.equal(m.contactRequestLine(""), "The contact request this screening came from is marked converted.");
  });
});

describe("the request", () => {
  const startTime = { seconds: 1773154800n, nanos: 0 };
  const values = {
    location: "locations/boulder",
    appointmentType: "appointmentTypes/initial",
    therapist: "staff/a",
    startTime,
    notes: "  Left knee.  ",
  };
  test("ConvertScreening: the slot's start passed back, notes trimmed, the retry key", () => {
    assert.deepEqual(m.convertRequest("screenings/s1", values, "rid-1"), {
      name: "screenings/s1",
      location: "locations/boulder",
      appointmentType: "appointmentTypes/initial",
      therapist: "staff/a",
      startTime: { seconds: 1773154800n, nanos: 0 },
      notes: "Left knee.",
      requestId: "rid-1",
    });
  });
  test("the same booking has the same key; another time or note is another", () => {
    const key = m.convertKey("screenings/s1", values);
    assert.equal(m.convertKey("screenings/s1", { ...values, notes: "Left knee." }), key, "whitespace only");
    assert.notEqual(m.convertKey("screenings/s1", { ...values, startTime: { seconds: 1773155700n, nanos: 0 } }), key);
    assert.notEqual(m.convertKey("screenings/s1", { ...values, therapist: "staff/b" }), key);
    assert.notEqual(m.convertKey("screenings/s1", { ...values, notes: "Right knee." }), key);
    assert.notEqual(m.convertKey("screenings/s2", values), key);
  });
  test("a retry after no answer keeps the request_id; any other error takes a new one", () => {
    assert.equal(m.keepsRequestId(new ConnectError("", Code.Unavailable)), true);
    assert.equal(m.keepsRequestId(new ConnectError("", Code.DeadlineExceeded)), true);
    assert.equal(m.keepsRequestId(new TypeError("Failed to fetch")), true, "a network failure");
    assert.equal(m.keepsRequestId(new ConnectError("", Code.AlreadyExists)), false);
    assert.equal(m.keepsRequestId(new ConnectError("", Code.FailedPrecondition)), false);
    assert.equal(m.keepsRequestId(invalid(["start_time", "is required"])), false);
  });
  test("checks before sending: a time, and notes of at most 2,000 characters", () => {
    assert.deepEqual(m.checkConvert(values), { fields: {}, other: [] });
    assert.deepEqual(Object.keys(m.checkConvert({ ...values, startTime: undefined }).fields), ["start_time"]);
    assert.match(m.checkConvert({ ...values, startTime: undefined }).fields.start_time, /Choose one of the open times/);
    assert.deepEqual(
      Object.keys(m.checkConvert({ location: "", appointmentType: "", therapist: "", startTime: undefined, notes: "" }).fields).sort(),
      ["appointment_type", "location", "start_time", "therapist"],
    );
    assert.equal(m.checkConvert({ ...values, notes: "x".repeat(2000) }).fields.notes, undefined);
    assert.match(m.checkConvert({ ...values, notes: "x".repeat(2001) }).fields.notes, /At most 2,000 characters/);
  });
});

describe("errors", () => {
  const names = new Map([
    ["staff/a", "Ann Lee"],
    ["locations/boulder", "Boulder – Pearl Street"],
    ["appointmentTypes/initial", "Initial evaluation"],
    ["patients/p1", "Jo Okafor"],
  ]);
  test("messages: known names instead of ids; else nothing (the caller's own words)", () => {
    assert.equal(m.plainMessage("staff/a does not work at locations/boulder then", names), "Ann Lee does not work at Boulder – Pearl Street then");
    assert.equal(m.plainMessage("no hours for staff/a.", names), "No hours for Ann Lee.");
    assert.equal(m.plainMessage("slot taken: staff/a at 09:00 overlaps appointments/9f3c", names), undefined);
    assert.equal(m.plainMessage("screening is already converted"), "Screening is already converted");
    assert.equal(m.plainMessage("  "), undefined);
  });
  test("a time taken meanwhile (ALREADY_EXISTS, SLOT_TAKEN, SLOT_HELD): at the times, no ids", () => {
    const raw = "slot taken: staff/a at 2026-03-10T09:00 (America/Denver) overlaps appointments/9f3c (with buffers)";
    for (const err of [
      new ConnectError(raw, Code.AlreadyExists),
      withReason(raw, Code.AlreadyExists, "SLOT_TAKEN"),
      withReason("held", Code.FailedPrecondition, "SLOT_HELD"),
    ]) {
      assert.equal(m.convertFailure(err), "taken");
      const e = m.convertFormErrors(err, { names });
      assert.deepEqual(e.other, []);
      assert.equal(e.fields.start_time, m.slotTakenMessage);
      assertNoIds(e.fields.start_time);
    }
  });
  test("the patient busy then: said with the patient's name", () => {
    const err = withReason("slot taken: patients/p1 already has appointments/x at 2026-03-10T09:00", Code.AlreadyExists, "PATIENT_BUSY");
    assert.equal(m.convertFailure(err), "patient-busy");
    assert.equal(
      m.convertFormErrors(err, { names, patientName: "Jo Okafor" }).fields.start_time,
      "Jo Okafor already has an appointment at that time; choose another time.",
    );
    assert.match(m.convertFormErrors(err).fields.start_time, /^The patient already has an appointment/);
  });
  test("BadRequest violations at the fields they name; ids in descriptions are not shown", () => {
    const err = invalid(
      ["location", "locations/zzz is not a location"],
      ["appointment_type", "Re-evaluation is not an initial evaluation"],
      ["startTime", "must be on the location's 15-minute grid"],
      ["notes", "at most 2,000 characters"],
      ["therapist", "staff/a may not deliver this type"],
      ["request_id", "is required"],
    );
    const e = m.convertFormErrors(err, { names });
    assert.deepEqual(e.fields, {
      location: "is not valid",
      appointment_type: "Re-evaluation is not an initial evaluation",
      start_time: "Must be on the location's 15-minute grid",
      notes: "At most 2,000 characters",
      therapist: "Ann Lee may not deliver this type",
    });
    assert.deepEqual(e.other, ["Is required"], "no request path is shown");
    assert.equal(m.convertFailure(err), "other");
  });
  test("the screening's state (converted already, another outcome): its words, or fixed ones", () => {
    const converted = new ConnectError("this screening is already converted", Code.FailedPrecondition);
    assert.equal(m.convertFailure(converted), "precondition");
    assert.deepEqual(m.convertFormErrors(converted, { names }), { fields: {}, other: ["This screening is already converted"] });
    const withIds = new ConnectError("screenings/s1 already booked appointments/a1", Code.FailedPrecondition);
    const e = m.convertFormErrors(withIds, { names });
    assert.match(e.other[0], /cannot be turned into an initial evaluation now/);
    assertNoIds(e.other[0]);
  });
  test("no answer, and the rest, in words", () => {
    assert.match(m.describeConvertError(new ConnectError("", Code.Unavailable)), /could not be reached/);
    assert.match(m.describeConvertError(new ConnectError("", Code.DeadlineExceeded)), /too long/);
    assert.match(m.describeConvertError(new ConnectError("", Code.Unknown)), /will not be booked twice/);
    assert.match(m.describeConvertError(new ConnectError("", Code.PermissionDenied)), /permission/);
    assert.match(m.describeConvertError(new ConnectError("appointments/x not found", Code.NotFound)), /does not exist/);
    assert.equal(m.describeConvertError(new ConnectError("", Code.AlreadyExists)), m.slotTakenMessage);
    for (const code of [Code.InvalidArgument, Code.FailedPrecondition, Code.Internal, Code.ResourceExhausted]) {
      assertNoIds(m.describeConvertError(new ConnectError("staff/zz at locations/yy", code), names));
    }
  });
});
