// Unit tests of the calendar's pure logic: wall-clock times in a zone <->
// instants (src/staff/shared/tz.ts), appointments and schedules -> calendar events,
// states -> styles, and the requests (src/staff/calendar/calendar-model.ts), and the
// admin forms (src/staff/admin/admin-model.ts). Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let tz;
let m;
let adm;
let pb;
let svc;
let proto;
let rpc;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  tz = await server.ssrLoadModule("/src/staff/shared/tz.ts");
  m = await server.ssrLoadModule("/src/staff/calendar/calendar-model.ts");
  adm = await server.ssrLoadModule("/src/staff/admin/admin-model.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts");
  svc = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_service_pb.ts");
  proto = await server.ssrLoadModule("@bufbuild/protobuf");
  rpc = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts");
});

after(async () => {
  await server?.close();
});

const iso = (ms) => new Date(ms).toISOString();
const tsIso = (ts) => new Date(Number(ts.seconds) * 1000 + ts.nanos / 1e6).toISOString();

describe("tz: wall time <-> instant", () => {
  test("an ordinary time in several zones", () => {
    assert.equal(iso(tz.wallToMs("2026-01-15T09:00", "America/New_York")), "2026-01-15T14:00:00.000Z");
    assert.equal(iso(tz.wallToMs("2026-07-15T09:00", "America/New_York")), "2026-07-15T13:00:00.000Z");
    assert.equal(iso(tz.wallToMs("2026-01-15T09:00", "Europe/Berlin")), "2026-01-15T08:00:00.000Z");
    assert.equal(iso(tz.wallToMs("2026-01-15T09:00", "Australia/Lord_Howe")), "2026-01-14T22:00:00.000Z");
    assert.equal(iso(tz.wallToMs("2026-07-15T09:00", "Australia/Lord_Howe")), "2026-07-14T22:30:00.000Z");
    assert.equal(iso(tz.wallToMs("2026-01-15T09:00", "Asia/Kolkata")), "2026-01-15T03:30:00.000Z");
    assert.equal(iso(tz.wallToMs("2026-01-15T09:00:00", "UTC")), "2026-01-15T09:00:00.000Z");
  });

  test("round trip instant -> wall -> instant", () => {
    for (const zone of ["America/Denver", "Europe/Berlin", "Australia/Sydney", "Pacific/Chatham"]) {
      for (let ms = Date.UTC(2026, 0, 1); ms < Date.UTC(2027, 0, 1); ms += 7 * 3600_000 + 13 * 60_000) {
        const wall = tz.wallString(ms, zone);
        const back = tz.resolveWall(wall, zone);
        assert.ok(back.instant === ms || back.later === ms, `${zone} ${iso(ms)} -> ${wall} -> ${iso(back.instant)}`);
      }
    }
  });

  test("spring forward: a time that does not exist moves forward; its neighbours are exact", () => {
    // 2026-03-08 02:00 EST -> 03:00 EDT in New York.
    const gap = tz.resolveWall("2026-03-08T02:30", "America/New_York");
    assert.equal(gap.kind, "gap");
    assert.equal(tz.wallString(gap.instant, "America/New_York"), "2026-03-08T03:30:00");
    assert.equal(iso(tz.wallToMs("2026-03-08T01:59", "America/New_York")), "2026-03-08T06:59:00.000Z");
    assert.equal(iso(tz.wallToMs("2026-03-08T03:00", "America/New_York")), "2026-03-08T07:00:00.000Z");
    // 09:00 stays 09:00 on the change day.
    assert.equal(tz.wallString(tz.wallToMs("2026-03-08T09:00", "America/New_York"), "America/New_York"), "2026-03-08T09:00:00");
  });

  test("fall back: a repeated time resolves to the first, and the second is reported", () => {
    // 2026-11-01 02:00 EDT -> 01:00 EST in New York.
    const r = tz.resolveWall("2026-11-01T01:30", "America/New_York");
    assert.equal(r.kind, "overlap");
    assert.equal(iso(r.instant), "2026-11-01T05:30:00.000Z");
    assert.equal(iso(r.later), "2026-11-01T06:30:00.000Z");
    // Berlin: 2026-10-25 03:00 CEST -> 02:00 CET.
    const b = tz.resolveWall("2026-10-25T02:15", "Europe/Berlin");
    assert.equal(b.kind, "overlap");
    assert.equal(iso(b.instant), "2026-10-25T00:15:00.000Z");
    // Lord Howe: a half-hour change (2026-04-05 02:00 +11 -> 01:30 +10:30).
    const lh = tz.resolveWall("2026-04-05T01:45", "Australia/Lord_Howe");
    assert.equal(lh.kind, "overlap");
    assert.equal(lh.later - lh.instant, 30 * 60_000);
  });

  test("a 09:00 schedule is 09:00 local on every day of 2026 in four zones", () => {
    for (const zone of ["America/New_York", "Europe/Berlin", "Australia/Sydney", "Australia/Lord_Howe"]) {
      for (const date of tz.dateRange("2026-01-01", 365)) {
        const ms = tz.wallToMs(`${date}T09:00`, zone);
        assert.equal(tz.wallString(ms, zone), `${date}T09:00:00`, `${zone} ${date}`);
      }
    }
  });

  test("offsets, as the calendar takes them", () => {
    assert.equal(tz.offsetString(Date.UTC(2026, 0, 15), "America/Denver"), "-07:00");
    assert.equal(tz.offsetString(Date.UTC(2026, 6, 15), "America/Denver"), "-06:00");
    assert.equal(tz.offsetString(Date.UTC(2026, 0, 15), "Asia/Kolkata"), "+05:30");
    assert.equal(tz.offsetString(Date.UTC(2026, 0, 15), "UTC"), "+00:00");
    assert.equal(tz.offsetMinutes(Date.UTC(2026, 0, 15), "Pacific/Chatham"), 825);
  });

  test("Timestamps", () => {
    const ts = tz.wallToTimestamp("2026-03-10T09:15", "America/Denver");
    assert.equal(tsIso(ts), "2026-03-10T15:15:00.000Z");
    assert.equal(tz.timestampToWall(ts, "America/Denver"), "2026-03-10T09:15:00");
    assert.equal(tz.timestampToWall(ts, "Europe/Berlin"), "2026-03-10T16:15:00");
  });

  test("dates, weeks and day ranges", () => {
    assert.equal(tz.addDays("2026-02-28", 1), "2026-03-01");
    assert.equal(tz.addDays("2024-02-28", 1), "2024-02-29");
    assert.equal(tz.addDays("2026-01-01", -1), "2025-12-31");
    assert.equal(tz.weekday("2026-03-08"), 0);
    assert.equal(tz.weekStart("2026-03-08"), "2026-03-02");
    assert.equal(tz.weekStart("2026-03-02"), "2026-03-02");
    // The day of the change is 23 hours long in New York.
    const r = tz.dayRangeMs("2026-03-08", 1, "America/New_York");
    assert.equal(r.end - r.start, 23 * 3600_000);
    assert.equal(tz.todayIn("Pacific/Kiritimati", Date.UTC(2026, 0, 1, 11)), "2026-01-02");
    assert.equal(tz.todayIn("Pacific/Pago_Pago", Date.UTC(2026, 0, 1, 10)), "2025-12-31");
  });

  test("bad input", () => {
    assert.equal(tz.parseWall("2026-02-30T09:00"), undefined);
    assert.equal(tz.parseWall("2026-03-01T25:00"), undefined);
    assert.equal(tz.parseWall("nope"), undefined);
    assert.throws(() => tz.wallToMs("2026-13-01T09:00", "UTC"), RangeError);
    assert.equal(tz.isKnownZone("Mars/Olympus_Mons"), false);
    assert.equal(tz.isKnownZone("America/Denver"), true);
    assert.equal(tz.hhmmToMinutes("24:00"), 1440);
    assert.equal(tz.hhmmToMinutes("24:30"), undefined);
    assert.equal(tz.minutesToHhmm(545), "09:05");
  });
});

describe("states", () => {
  test("styles", () => {
    const S = pb.AppointmentState;
    assert.deepEqual(m.stateStyle(S.CHECKED_IN), { label: "Checked in", className: "appt-checked-in", active: true, faded: false });
    assert.equal(m.stateStyle(S.CANCELLED).faded, true);
    assert.equal(m.stateStyle(S.CANCELLED).active, false);
    assert.equal(m.stateStyle(S.NO_SHOW).className, "appt-no-show");
    assert.equal(m.stateStyle(S.BOOKED).active, true);
    assert.equal(m.stateStyle(99).label, "Unknown");
  });
  test("verbs per state", () => {
    const S = pb.AppointmentState;
    const later = 2_000, now = 1_000;
    assert.deepEqual(m.allowedVerbs(S.BOOKED, later, now), ["confirm", "checkIn", "reschedule", "cancel"]);
    assert.deepEqual(m.allowedVerbs(S.BOOKED, now - 1, now), ["confirm", "checkIn", "noShow", "reschedule", "cancel"]);
    assert.deepEqual(m.allowedVerbs(S.CONFIRMED, later, now), ["checkIn", "reschedule", "cancel"]);
    assert.deepEqual(m.allowedVerbs(S.CHECKED_IN, later, now), ["complete"]);
    assert.deepEqual(m.allowedVerbs(S.CANCELLED, later, now), []);
    assert.equal(m.canMove(S.CHECKED_IN), false);
    assert.equal(m.canMove(S.CONFIRMED), true);
  });
  test("cancelled appointments are hidden unless asked for", () => {
    const S = pb.AppointmentState;
    const list = [S.BOOKED, S.CANCELLED, S.NO_SHOW].map((state) => proto.create(pb.AppointmentSchema, { state }));
    assert.equal(m.visibleAppointments(list, false).length, 2);
    assert.equal(m.visibleAppointments(list, true).length, 3);
  });
  test("text colour on a type colour", () => {
    assert.equal(m.textColorOn("#ffffff"), "#000000");
    assert.equal(m.textColorOn("#1d3557"), "#ffffff");
    assert.equal(m.textColorOn("#f4a261"), "#000000");
    assert.equal(m.validColor("red"), undefined);
    assert.equal(m.validColor("#ABCDEF"), "#abcdef");
  });
});

function location(extra = {}) {
  const D = { MONDAY: 1, TUESDAY: 2, WEDNESDAY: 3, THURSDAY: 4, FRIDAY: 5 };
  return proto.create(pb.LocationSchema, {
    name: "locations/boulder",
    timeZone: "America/Denver",
    slotMinutes: 15,
    openingHours: Object.values(D).map((day) => ({ day, open: { hours: 8 }, close: { hours: 18 } })),
    ...extra,
  });
}

function schedule() {
  return proto.create(pb.ProviderScheduleSchema, {
    name: "staff/t1/schedule",
    weeklyHours: [
      { location: "locations/boulder", day: 2, start: { hours: 9 }, end: { hours: 17 } },
      { location: "locations/other", day: 3, start: { hours: 9 }, end: { hours: 17 } },
    ],
    breaks: [{ location: "locations/boulder", day: 2, start: { hours: 12 }, end: { hours: 13 } }],
    exceptions: [
      { kind: pb.ScheduleException_Kind.TIME_OFF, date: { year: 2026, month: 3, day: 17 }, location: "" },
      { kind: pb.ScheduleException_Kind.TIME_OFF, date: { year: 2026, month: 3, day: 24 }, location: "locations/boulder", start: { hours: 15 }, end: { hours: 17 } },
      { kind: pb.ScheduleException_Kind.EXTRA_HOURS, date: { year: 2026, month: 3, day: 12 }, location: "locations/boulder", start: { hours: 7 }, end: { hours: 11 } },
    ],
  });
}

describe("working hours", () => {
  test("weekly hours less breaks", () => {
    // 2026-03-10 is a Tuesday.
    assert.deepEqual(m.workingIntervals(schedule(), location(), "2026-03-10"), [
      { start: 540, end: 720 },
      { start: 780, end: 1020 },
    ]);
    // Wednesday: hours at another location only.
    assert.deepEqual(m.workingIntervals(schedule(), location(), "2026-03-11"), []);
  });
  test("time off, extra hours within opening hours, closures", () => {
    assert.deepEqual(m.workingIntervals(schedule(), location(), "2026-03-17"), [], "a whole day off");
    assert.deepEqual(m.workingIntervals(schedule(), location(), "2026-03-24"), [
      { start: 540, end: 720 },
      { start: 780, end: 900 },
    ]);
    // Thursday extra hours 07:00-11:00, but the location opens at 08:00.
    assert.deepEqual(m.workingIntervals(schedule(), location(), "2026-03-12"), [{ start: 480, end: 660 }]);
    const closed = location({ closures: [{ date: { year: 2026, month: 3, day: 10 }, reason: "Holiday" }] });
    assert.deepEqual(m.workingIntervals(schedule(), closed, "2026-03-10"), []);
  });
  test("who gets a column, and background events in wall time", () => {
    assert.equal(m.worksAt(schedule(), location()), true);
    assert.equal(m.worksAt(schedule(), location({ name: "locations/none" })), false);
    const events = m.workingHourEvents([{ name: "staff/t1", schedule: schedule() }], location(), ["2026-03-10"]);
    assert.deepEqual(
      events.map((e) => [e.resourceId, e.start, e.end, e.display]),
      [
        ["staff/t1", "2026-03-10T09:00:00", "2026-03-10T12:00:00", "background"],
        ["staff/t1", "2026-03-10T13:00:00", "2026-03-10T17:00:00", "background"],
      ],
    );
  });
  test("hidden weekdays and visible hours", () => {
    assert.deepEqual(m.closedWeekdays(location()), [0, 6]);
    assert.deepEqual(m.closedWeekdays(location({ openingHours: [] })), []);
    assert.deepEqual(m.visibleHours(location()), { min: "07:00", max: "19:00" });
  });
});

describe("appointments on the calendar", () => {
  test("an appointment becomes an event in the location's wall time", () => {
    const a = proto.create(pb.AppointmentSchema, {
      name: "appointments/a1",
      therapist: "staff/t1",
      patient: "patients/p1",
      appointmentType: "appointmentTypes/x",
      state: pb.AppointmentState.CHECKED_IN,
      startTime: tz.wallToTimestamp("2026-03-08T09:00", "America/Denver"),
      endTime: tz.wallToTimestamp("2026-03-08T09:45", "America/Denver"),
    });
    const type = proto.create(pb.AppointmentTypeSchema, { displayName: "Follow-up", color: "#F4A261" });
    const e = m.appointmentEvent(a, "America/Denver", type, "Jane Doe");
    assert.equal(e.id, "appointments/a1");
    assert.equal(e.resourceId, "staff/t1");
    assert.equal(e.start, "2026-03-08T09:00:00");
    assert.equal(e.end, "2026-03-08T09:45:00");
    assert.equal(e.backgroundColor, "#f4a261");
    assert.deepEqual(e.classNames, ["appt", "appt-checked-in"]);
    assert.equal(e.editable, false);
    assert.match(e.title, /Jane Doe — Follow-up \(Checked in\)/);
    // The same instant at a Berlin location reads as Berlin time.
    // 09:00 MDT (the US changed that morning) is 15:00 UTC, 16:00 in Berlin (not yet summer time).
    assert.equal(m.appointmentEvent(a, "Europe/Berlin", type, "J").start, "2026-03-08T16:00:00");
  });
  test("a drag moves the wall time, not the instant, across a DST change", () => {
    // Friday 09:00 before the US change, dragged 2 days and 30 minutes later.
    assert.equal(m.movedWallStart("2026-03-06T09:00:00", { days: 2, seconds: 1800 }), "2026-03-08T09:30:00");
    assert.equal(m.movedWallStart("2026-03-06T09:00:00", { seconds: -3600 }), "2026-03-06T08:00:00");
    assert.equal(m.calendarWall("2026-03-10T09:15:00"), "2026-03-10T09:15:00");
    assert.equal(m.calendarWall("garbage"), undefined);
  });
});

describe("requests", () => {
  test("BookAppointment: the wall start in the location's zone, with the request_id", () => {
    const req = m.bookRequest({
      patient: "patients/p1",
      therapist: "staff/t1",
      location: "locations/boulder",
      appointmentType: "appointmentTypes/x",
      wallStart: "2026-03-10T09:15",
      zone: "America/Denver",
      notes: "  knee  ",
      requestId: "r-1",
    });
    assert.equal(req.requestId, "r-1");
    assert.equal(req.appointment.patient, "patients/p1");
    assert.equal(req.appointment.source, pb.AppointmentSource.FRONT_DESK);
    assert.equal(req.appointment.notes, "knee");
    assert.equal(tsIso(req.appointment.startTime), "2026-03-10T15:15:00.000Z");
    const json = proto.toJson(svc.BookAppointmentRequestSchema, req);
    assert.equal(json.appointment.startTime, "2026-03-10T15:15:00Z");
    assert.equal(json.requestId, "r-1");
  });
  test("ListAppointments covers the local days shown", () => {
    const day = m.listAppointmentsRequest("locations/b", "2026-03-08", "day", "America/New_York");
    assert.deepEqual(day.locations, ["locations/b"]);
    assert.equal(tsIso(day.startTime), "2026-03-08T05:00:00.000Z");
    assert.equal(tsIso(day.endTime), "2026-03-09T04:00:00.000Z");
    assert.equal(day.showCancelled, true);
    const week = m.listAppointmentsRequest("locations/b", "2026-03-11", "week", "Europe/Berlin", "tok");
    assert.equal(tsIso(week.startTime), "2026-03-08T23:00:00.000Z");
    assert.equal(tsIso(week.endTime), "2026-03-15T23:00:00.000Z");
    assert.equal(week.pageToken, "tok");
  });
  test("Reschedule and cancel carry the etag", () => {
    const a = proto.create(pb.AppointmentSchema, { name: "appointments/a1", therapist: "staff/t1", etag: "e1" });
    const r = m.rescheduleRequest(a, "2026-03-10T10:00", "America/Denver", "r-2", "staff/t1");
    assert.equal(r.therapist, "", "the same therapist is not sent");
    assert.equal(r.etag, "e1");
    assert.equal(tsIso(r.startTime), "2026-03-10T16:00:00.000Z");
    assert.equal(m.rescheduleRequest(a, "2026-03-10T10:00", "UTC", "r", "staff/t2").therapist, "staff/t2");
    const c = m.cancelRequest(a, "  ill ");
    assert.deepEqual([c.name, c.reason, c.etag], ["appointments/a1", "ill", "e1"]);
  });
  test("a slot taken meanwhile reads as such", async () => {
    const { ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect");
    const taken = m.bookingErrorMessage(new ConnectError("therapist busy 09:00-09:45", Code.AlreadyExists));
    assert.equal(taken.taken, true);
    assert.equal(taken.message, "That time was just taken: therapist busy 09:00-09:45");
    const fromServer = m.bookingErrorMessage(new ConnectError("slot taken: staff/t1 at 2026-12-10T09:00 (America/Denver) overlaps appointments/x", Code.AlreadyExists));
    assert.equal(fromServer.message, "That time was just taken: staff/t1 at 2026-12-10T09:00 (America/Denver) overlaps appointments/x");
    const pre = m.bookingErrorMessage(new ConnectError("start_time: outside working hours", Code.FailedPrecondition));
    assert.deepEqual(pre, { message: "start_time: outside working hours", taken: false });
  });
  test("a slot taken is known by its ErrorInfo reason, not its words", async () => {
    const { ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect");
    const withReason = (message, code, reason) =>
      new ConnectError(message, code, undefined, [{ desc: rpc.ErrorInfoSchema, value: { reason, domain: "appointments.clinic" } }]);
    const taken = m.bookingErrorMessage(withReason("slot taken: staff/t1 at 09:00 overlaps appointments/x", Code.AlreadyExists, "SLOT_TAKEN"));
    assert.deepEqual(taken, { message: "That time was just taken: staff/t1 at 09:00 overlaps appointments/x", taken: true });
    const held = m.bookingErrorMessage(withReason("held for another booking", Code.FailedPrecondition, m.slotTakenReason));
    assert.equal(held.taken, true, "SLOT_TAKEN whatever the code");
    const db = m.bookingErrorMessage(withReason("conflicts with an existing record (no_overlap)", Code.AlreadyExists, "SQLSTATE_23P01"));
    assert.equal(db.taken, true, "ALREADY_EXISTS is a taken slot whatever its reason");
    const other = m.bookingErrorMessage(withReason("outside working hours", Code.FailedPrecondition, "OUTSIDE_HOURS"));
    assert.deepEqual(other, { message: "outside working hours", taken: false }, "another reason is not a taken slot");
  });
});

describe("admin forms", () => {
  test("location form round trip and update mask", () => {
    const loc = location({ displayName: "Boulder", addressLines: ["1 Pearl St", "Suite 2"], etag: "e" });
    const f = adm.locationForm(loc);
    assert.equal(f.address_lines, "1 Pearl St\nSuite 2");
    assert.deepEqual(f.opening_hours[1], { open: "08:00", close: "18:00" });
    assert.deepEqual(f.opening_hours[7], { open: "", close: "" });
    assert.deepEqual(adm.locationMask(f, f), []);
    const g = { ...f, opening_hours: { ...f.opening_hours, 6: { open: "09:00", close: "12:00" } }, closures: [{ date: "2026-12-25", reason: "Christmas" }] };
    assert.deepEqual(adm.locationMask(f, g), ["opening_hours", "closures"]);
    const back = adm.locationFromForm(g);
    assert.equal(back.openingHours.length, 6);
    assert.equal(back.openingHours[5].day, 6);
    assert.deepEqual([back.closures[0].date.year, back.closures[0].reason], [2026, "Christmas"]);
    assert.deepEqual(adm.checkLocationForm({ ...g, time_zone: "Nowhere/City" }, tz.isKnownZone), { time_zone: "is not a known IANA time zone" });
    const bad = { ...f, opening_hours: { ...f.opening_hours, 1: { open: "18:00", close: "08:00" } } };
    assert.match(adm.checkLocationForm(bad, tz.isKnownZone).opening_hours, /Monday/);
  });
  test("appointment type form", () => {
    const f = { ...adm.emptyTypeForm(), display_name: "Follow-up", duration: "45", allowed_credentials: "pt, DPT pt" };
    const t = adm.typeFromForm(f);
    assert.deepEqual(t.allowedCredentials, ["PT", "DPT"]);
    assert.equal(m.durationMinutes(t.duration), 45);
    assert.deepEqual(adm.checkTypeForm(f), {});
    assert.ok(adm.checkTypeForm({ ...f, duration: "3" }).duration);
    assert.ok(adm.checkTypeForm({ ...f, color: "blue" }).color);
    assert.deepEqual(adm.typeMask(f, { ...f, color: "#000000", bookable_online: true }), ["bookable_online", "color"]);
  });
  test("schedule form -> ProviderSchedule, row checks and server row errors", () => {
    const f = adm.scheduleForm(schedule());
    assert.equal(f.weekly_hours.length, 2);
    assert.deepEqual(f.weekly_hours[0], { location: "locations/boulder", day: "2", start: "09:00", end: "17:00" });
    assert.equal(f.exceptions[0].start, "");
    const s = adm.scheduleFromForm(f, "staff/t1/schedule", "etag-1");
    assert.equal(s.etag, "etag-1");
    assert.equal(s.exceptions[0].start, undefined, "a whole day off has no times");
    assert.equal(s.exceptions[2].start.hours, 7);
    assert.equal(adm.hasRowErrors(adm.checkScheduleForm(f)), false);
    const broken = { ...f, breaks: [{ location: "locations/boulder", day: "2", start: "13:00", end: "12:00" }] };
    assert.deepEqual(adm.checkScheduleForm(broken), { breaks: { 0: "the end must be after the start" } });
    const parsed = adm.rowErrorsFromViolations([
      { field: "schedule.weekly_hours[1].end", description: "must be after start" },
      { field: "exceptions[0]", description: "date in the past" },
      { field: "", description: "something else" },
    ]);
    assert.deepEqual(parsed.rows, { weekly_hours: { 1: "end: must be after start" }, exceptions: { 0: "date in the past" } });
    assert.deepEqual(parsed.other, ["something else"]);
  });
  test("server row errors come from the BadRequest details of the error", async () => {
    const { ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect");
    const err = new ConnectError("invalid schedule", Code.InvalidArgument, undefined, [
      {
        desc: rpc.BadRequestSchema,
        value: {
          fieldViolations: [
            { field: "schedule.breaks[0].start", description: "must be within the weekly hours" },
            { field: "schedule.breaks[0].end", description: "must be after start" },
            { field: "schedule.name", description: "must look like staff/{id}/schedule" },
          ],
        },
      },
    ]);
    assert.deepEqual(adm.scheduleRowErrors(err), {
      rows: { breaks: { 0: "start: must be within the weekly hours; end: must be after start" } },
      other: ["must look like staff/{id}/schedule"],
    });
    const plain = new ConnectError("schedule.weekly_hours[1].end: must be after start", Code.FailedPrecondition);
    assert.deepEqual(adm.scheduleRowErrors(plain), { rows: {}, other: ["schedule.weekly_hours[1].end: must be after start"] });
  });
});
