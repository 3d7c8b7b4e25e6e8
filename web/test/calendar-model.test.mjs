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
    assert.deepEqual(m.allowedVerbs(S.CHECKED_IN, later, now), ["complete", "undoCheckIn"]);
    assert.deepEqual(m.allowedVerbs(S.NO_SHOW, later, now), ["undoNoShow"]);
    assert.deepEqual(m.allowedVerbs(S.CANCELLED, later, now), []);
    assert.deepEqual(m.allowedVerbs(S.COMPLETED, later, now), []);
    assert.equal(m.canMove(S.CHECKED_IN), false);
    assert.equal(m.canMove(S.CONFIRMED), true);
  });
  test("check-in on the local day, no-show after the start until the day ends, undo until the day ends", () => {
    const S = pb.AppointmentState;
    const zone = "America/Denver";
    const at = (wall) => tz.wallToMs(wall, zone);
    const start = at("2026-03-10T09:00");
    // The day before: no check-in, no no-show.
    assert.deepEqual(m.allowedVerbs(S.BOOKED, start, at("2026-03-09T16:00"), zone), ["confirm", "reschedule", "cancel"]);
    // In Auckland it is already the 10th at 16:00 Denver time on the 9th: the location's day counts.
    assert.equal(m.checkInOpen(start, zone, at("2026-03-09T16:00")), false);
    // That morning, before the start: check in, no no-show yet.
    assert.deepEqual(m.allowedVerbs(S.BOOKED, start, at("2026-03-10T07:30"), zone), ["confirm", "checkIn", "reschedule", "cancel"]);
    // After the start, same day: both.
    assert.deepEqual(m.allowedVerbs(S.CONFIRMED, start, at("2026-03-10T18:00"), zone), ["checkIn", "noShow", "reschedule", "cancel"]);
    // The next day: neither; an undo neither.
    assert.deepEqual(m.allowedVerbs(S.CONFIRMED, start, at("2026-03-11T08:00"), zone), ["reschedule", "cancel"]);
    assert.deepEqual(m.allowedVerbs(S.CHECKED_IN, start, at("2026-03-11T08:00"), zone), ["complete"]);
    assert.deepEqual(m.allowedVerbs(S.NO_SHOW, start, at("2026-03-11T00:00"), zone), []);
    assert.deepEqual(m.allowedVerbs(S.NO_SHOW, start, at("2026-03-10T23:59"), zone), ["undoNoShow"]);
    // Within an hour of the start across midnight.
    const late = at("2026-03-11T00:15");
    assert.equal(m.checkInOpen(late, zone, at("2026-03-10T23:30")), true);
    assert.equal(m.checkInOpen(late, zone, at("2026-03-10T23:00")), false);
    assert.equal(m.checkInOpen(at("2026-03-10T23:45"), zone, at("2026-03-11T00:30")), true);
    assert.equal(m.noShowOpen(at("2026-03-10T23:45"), zone, at("2026-03-11T00:30")), false, "a no-show ends with the day");
    // The day's end is the location's midnight, 23 hours after the last on a spring-forward day.
    assert.equal(m.localDayEndMs(at("2026-03-08T09:00"), zone), at("2026-03-09T00:00"));
    // Why check-in is not offered.
    assert.match(m.checkInHint(S.BOOKED, start, zone, at("2026-03-09T16:00")), /^Check-in opens on .*10.*2026/);
    assert.match(m.checkInHint(S.BOOKED, start, zone, at("2026-03-11T16:00")), /has passed/);
    assert.equal(m.checkInHint(S.BOOKED, start, zone, at("2026-03-10T08:00")), "");
    assert.equal(m.checkInHint(S.CHECKED_IN, start, zone, at("2026-03-11T08:00")), "");
  });
  test("verbs by role", async () => {
    const { StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts");
    const all = ["confirm", "checkIn", "noShow", "reschedule", "cancel", "complete", "undoCheckIn", "undoNoShow"];
    assert.deepEqual(m.verbsForRoles(all, [StaffRole.THERAPIST]), ["checkIn", "complete", "undoCheckIn", "undoNoShow"]);
    assert.deepEqual(m.verbsForRoles(all, [StaffRole.FRONT_DESK]), all);
    assert.deepEqual(m.verbsForRoles(all, []), all, "unknown roles hide nothing (the server decides)");
  });
  test("undo: the request, the reason, the line", () => {
    const a = proto.create(pb.AppointmentSchema, { name: "appointments/a1", etag: "e7" });
    const r = m.undoRequest(a, "  wrong patient  ");
    assert.deepEqual([r.name, r.etag, r.reason], ["appointments/a1", "e7", "wrong patient"]);
    assert.match(m.undoReasonError("  ", "undoCheckIn"), /why the check-in is undone/);
    assert.match(m.undoReasonError("", "undoNoShow"), /why the no-show is undone/);
    assert.match(m.undoReasonError("x".repeat(501), "undoCheckIn"), /At most 500/);
    assert.equal(m.undoReasonError("x".repeat(500), "undoCheckIn"), "");
    const undo = proto.create(pb.StatusUndoSchema, {
      undoneState: pb.AppointmentState.CHECKED_IN,
      staff: "staff/f1",
      time: tz.wallToTimestamp("2026-03-10T10:42", "America/Denver"),
      reason: "checked in the wrong patient",
    });
    const line = m.undoLine(undo, "Fran Desk", "America/Denver");
    assert.match(line, /^Check-in undone by Fran Desk at 10:42 \(.*10.*2026\): checked in the wrong patient$/);
    assert.doesNotMatch(line, /staff\/|T\d\d:\d\d/);
    assert.match(m.undoLine({ ...undo, undoneState: pb.AppointmentState.NO_SHOW }, "", "America/Denver"), /^No-show undone by a colleague/);
    assert.equal(m.undoLine(undefined, "x", "UTC"), "");
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
  test("a slot conflict: just taken only after the time was seen free, else not free; never the server's ids", async () => {
    const { ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect");
    const raw = "slot taken: staff/t1 at 2026-12-10T09:00 (America/Denver) overlaps appointments/x at 2026-12-10T08:30 (with buffers)";
    const words = { therapistName: "Theo Rapp", patientName: "Jane Doe", typeName: "Follow-up", wallStart: "2026-12-10T09:00" };
    const race = m.bookingErrorMessage(new ConnectError(raw, Code.AlreadyExists), { ...words, wasOpen: true });
    assert.deepEqual(race, { message: "That time was just taken: Theo Rapp was booked at 09:00 a moment ago.", taken: true, kind: "taken" });
    const never = m.bookingErrorMessage(new ConnectError(raw, Code.AlreadyExists), words);
    assert.equal(never.kind, "not-free");
    assert.equal(never.taken, true, "the calendar reloads");
    assert.match(never.message, /^Theo Rapp is not free at 09:00 for a follow-up: /);
    for (const r of [race, never]) assert.doesNotMatch(r.message, /staff\/|appointments\/|T\d\d:\d\d/);
    const bare = m.bookingErrorMessage(new ConnectError(raw, Code.AlreadyExists));
    assert.match(bare.message, /^The therapist is not free at that time/);
  });
  test("a slot conflict is known by its ErrorInfo reason, not its words", async () => {
    const { ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect");
    const withReason = (message, code, reason) =>
      new ConnectError(message, code, undefined, [{ desc: rpc.ErrorInfoSchema, value: { reason, domain: "appointments.clinic" } }]);
    const words = { therapistName: "Theo Rapp", patientName: "Jane Doe", typeName: "Initial evaluation", wallStart: "2026-12-10T11:15", wasOpen: true };
    const taken = m.bookingErrorMessage(withReason("slot taken: staff/t1 at 11:15 overlaps appointments/x", Code.AlreadyExists, "SLOT_TAKEN"), words);
    assert.equal(taken.kind, "taken");
    const reasonOnly = m.bookingErrorMessage(withReason("held", Code.FailedPrecondition, m.slotTakenReason), words);
    assert.equal(reasonOnly.taken, true, "SLOT_TAKEN whatever the code");
    const held = m.bookingErrorMessage(withReason("slot taken: staff/t1 is held (holds/h1)", Code.AlreadyExists, "SLOT_HELD"), words);
    assert.deepEqual(held, {
      message: "Someone is booking Theo Rapp at 11:15 right now: the time is held for a few minutes.",
      taken: true,
      kind: "held",
    });
    const busy = m.bookingErrorMessage(withReason("slot taken: patients/p1 already has appointments/y", Code.AlreadyExists, "PATIENT_BUSY"), words);
    assert.deepEqual(busy, { message: "Jane Doe already has another appointment at 11:15.", taken: false, kind: "patient-busy" });
    const db = m.bookingErrorMessage(withReason("conflicts with an existing record (no_overlap)", Code.AlreadyExists, "SQLSTATE_23P01"), words);
    assert.equal(db.taken, true, "ALREADY_EXISTS is a slot conflict whatever its reason");
  });
  test("other booking failures in the clinic's words", async () => {
    const { ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect");
    const words = { therapistName: "Theo Rapp", typeName: "Re-evaluation", locationName: "Denver – Highlands", wallStart: "2026-12-10T18:00" };
    const fp = (msg) => m.bookingErrorMessage(new ConnectError(msg, Code.FailedPrecondition), words);
    assert.equal(
      fp("start_time: 2026-12-10T18:00 to 18:45 (America/Denver) is outside staff/t1's hours at Denver").message,
      "18:00 is outside Theo Rapp's working hours at Denver – Highlands for a re-evaluation.",
    );
    assert.equal(fp("start_time: 2026-12-10T18:00 (America/Denver) is in the past").message, "18:00 has passed; choose a later time.");
    assert.equal(fp("therapist: staff/t1 may not deliver Re-evaluation (needs one of PT, DPT)").message, "Theo Rapp may not deliver a re-evaluation.");
    assert.equal(fp("appointment_type: appointmentTypes/x (Old) is retired").message, "This appointment type is no longer offered.");
    assert.equal(fp("the clinic is closed that day").message, "The clinic is closed that day", "a speakable message is shown");
    assert.equal(fp("hold: holds/h1 expired at 2026-12-10T09:00").message, "This time cannot be booked.");
    const grid = new ConnectError("bad", Code.InvalidArgument, undefined, [
      { desc: rpc.BadRequestSchema, value: { fieldViolations: [{ field: "appointment.start_time", description: "09:07:00 is not on the 15-minute slot grid of Denver" }] } },
    ]);
    assert.equal(m.bookingErrorMessage(grid, words).message, "09:07:00 is not on the 15-minute slot grid of Denver");
    assert.equal(m.bookingErrorMessage(new ConnectError("x", Code.Unavailable), words).message, "The server could not be reached. Check the connection and try again.");
    assert.equal(m.bookingErrorMessage(new ConnectError("x", Code.Aborted), words).message, "Someone else changed this appointment meanwhile; it was reloaded.");
  });
  test("verbs refused by the server, in words", async () => {
    const { ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect");
    const refused = new ConnectError("appointments/a1 can be checked in from 2026-03-10T00:00 (America/Denver)", Code.FailedPrecondition);
    assert.equal(
      m.verbErrorMessage(refused, "checkIn", "Tuesday, 10 March 2026"),
      "Check-in is possible only on the day of the appointment (Tuesday, 10 March 2026), while it is booked or confirmed.",
    );
    assert.match(m.verbErrorMessage(refused, "noShow"), /^A no-show can be recorded only once the appointment has started/);
    assert.match(m.verbErrorMessage(refused, "undoCheckIn"), /undone only until the end of the appointment's day/);
    assert.equal(m.verbErrorMessage(new ConnectError("nope", Code.PermissionDenied), "confirm"), "You do not have permission to do this.");
    assert.equal(m.verbErrorMessage(new ConnectError("appointments/a1: boom", Code.Internal), "confirm"), "That did not work. Try again.");
  });
  test("speakable: server messages with ids, RFC 3339 times or field paths are not shown", () => {
    assert.equal(m.speakable("the clinic is closed"), "The clinic is closed");
    for (const bad of [
      "staff/abc is busy",
      "overlaps appointments/x",
      "patients/p1 not found",
      "locations/l1 closed",
      "at 2026-03-10T09:00",
      "start_time: bad",
      "entry.notes: too long",
      "",
    ]) {
      assert.equal(m.speakable(bad), undefined, bad);
    }
    assert.equal(m.typePhrase("Follow-up"), "a follow-up");
    assert.equal(m.typePhrase("Initial evaluation"), "an initial evaluation");
    assert.equal(m.typePhrase("MRI review"), "an MRI review");
    assert.equal(m.typePhrase(""), "this appointment");
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

describe("buffers, the week's list, therapists", () => {
  const zone = "America/Denver";
  const appt = (extra) =>
    proto.create(pb.AppointmentSchema, {
      name: "appointments/a1",
      therapist: "staff/t1",
      patient: "patients/p1",
      location: "locations/denver",
      appointmentType: "appointmentTypes/followup",
      state: pb.AppointmentState.BOOKED,
      startTime: tz.wallToTimestamp("2026-03-10T10:30", zone),
      endTime: tz.wallToTimestamp("2026-03-10T11:15", zone),
      ...extra,
    });
  const followUp = () =>
    proto.create(pb.AppointmentTypeSchema, {
      name: "appointmentTypes/followup",
      displayName: "Follow-up",
      color: "#8A56C8",
      bufferBefore: { seconds: 300n },
      bufferAfter: { seconds: 900n },
    });
  const types = (name) => (name === "appointmentTypes/followup" ? followUp() : undefined);

  test("an appointment's buffers are background blocks before and after it, in wall time", () => {
    const events = m.bufferEvents([appt()], zone, types, () => "Jane Doe");
    assert.deepEqual(
      events.map((e) => [e.id, e.resourceId, e.start, e.end, e.display, e.classNames.join(" ")]),
      [
        ["buffer:before:appointments/a1", "staff/t1", "2026-03-10T10:25:00", "2026-03-10T10:30:00", "background", "appt-buffer appt-buffer-before"],
        ["buffer:after:appointments/a1", "staff/t1", "2026-03-10T11:15:00", "2026-03-10T11:30:00", "background", "appt-buffer appt-buffer-after"],
      ],
    );
    assert.equal(events[1].backgroundColor, "#8a56c8");
    assert.equal(events[1].extendedProps.appointment, "appointments/a1");
    assert.match(events[1].extendedProps.title, /^Buffer after Jane Doe's Follow-up \(15 min, 11:15–11:30\)/);
  });
  test("no buffers for appointments that free their slot, or types without buffers", () => {
    const S = pb.AppointmentState;
    for (const state of [S.CANCELLED, S.COMPLETED, S.NO_SHOW]) assert.deepEqual(m.bufferEvents([appt({ state })], zone, types, () => "J"), []);
    assert.equal(m.bufferEvents([appt({ state: S.CHECKED_IN })], zone, types, () => "J").length, 2);
    const none = proto.create(pb.AppointmentTypeSchema, { name: "appointmentTypes/followup", displayName: "Follow-up" });
    assert.deepEqual(m.bufferEvents([appt()], zone, () => none, () => "J"), []);
    assert.deepEqual(m.bufferEvents([appt()], zone, () => undefined, () => "J"), []);
  });
  test("an event's full line for its tooltip", () => {
    assert.equal(m.appointmentLine(appt(), zone, "Follow-up", "Jane Doe", "Theo Rapp"), "10:30–11:15 Jane Doe — Follow-up with Theo Rapp (Booked)");
  });
  test("the list view: the therapist's days with their appointments, by start, in each location's zone", () => {
    const S = pb.AppointmentState;
    const list = [
      appt({ name: "appointments/late", startTime: tz.wallToTimestamp("2026-03-10T15:00", zone), endTime: tz.wallToTimestamp("2026-03-10T15:45", zone) }),
      appt(),
      appt({ name: "appointments/other", therapist: "staff/t2" }),
      appt({ name: "appointments/gone", state: S.CANCELLED }),
      appt({
        name: "appointments/ny",
        location: "locations/ny",
        startTime: tz.wallToTimestamp("2026-03-12T09:00", "America/New_York"),
        endTime: tz.wallToTimestamp("2026-03-12T09:45", "America/New_York"),
      }),
    ];
    const dates = m.viewDates("2026-03-11", "list");
    assert.deepEqual(dates, ["2026-03-09", "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-14", "2026-03-15"]);
    const zoneOf = (l) => (l === "locations/ny" ? "America/New_York" : zone);
    const days = m.listDays(list, "staff/t1", dates, zoneOf, false);
    assert.equal(days.length, 7);
    assert.deepEqual(
      days[1].lines.map((l) => [l.appointment.name, l.start, l.end]),
      [
        ["appointments/a1", "10:30", "11:15"],
        ["appointments/late", "15:00", "15:45"],
      ],
    );
    assert.deepEqual(days[3].lines.map((l) => [l.appointment.name, l.start]), [["appointments/ny", "09:00"]]);
    assert.equal(m.listDays(list, "staff/t1", dates, zoneOf, true)[1].lines.length, 3, "cancelled when asked for");
    assert.equal(m.viewFromParam("list"), "list");
    assert.equal(m.viewFromParam("month"), "day");
    assert.equal(m.stepDate("2026-03-11", "list", 1), "2026-03-18");
  });
  test("ListAppointments for a therapist's week covers every location", () => {
    const req = m.listAppointmentsRequest("locations/denver", "2026-03-11", "list", zone, "", "staff/t1");
    assert.deepEqual(req.locations, []);
    assert.equal(req.therapist, "staff/t1");
    assert.equal(tsIso(req.startTime), "2026-03-09T06:00:00.000Z");
    assert.equal(tsIso(req.endTime), "2026-03-16T06:00:00.000Z");
  });
  test("a therapist's calendar opens where they work today, else at their home location", () => {
    const locs = [
      { name: "locations/boulder", timeZone: zone },
      { name: "locations/denver", timeZone: zone },
    ];
    const schedule = proto.create(pb.ProviderScheduleSchema, {
      weeklyHours: [
        { location: "locations/boulder", day: 1, start: { hours: 9 }, end: { hours: 17 } },
        { location: "locations/denver", day: 2, start: { hours: 9 }, end: { hours: 17 } },
      ],
      exceptions: [
        { kind: pb.ScheduleException_Kind.EXTRA_HOURS, date: { year: 2026, month: 3, day: 14 }, location: "locations/denver", start: { hours: 9 }, end: { hours: 12 } },
      ],
    });
    const at = (wall) => tz.wallToMs(wall, zone);
    // 2026-03-09 is a Monday, the 10th a Tuesday, the 14th a Saturday, the 15th a Sunday.
    assert.equal(m.therapistLocation(schedule, [], locs, at("2026-03-09T07:00")), "locations/boulder");
    assert.equal(m.therapistLocation(schedule, [], locs, at("2026-03-10T07:00")), "locations/denver");
    assert.equal(m.therapistLocation(schedule, [], locs, at("2026-03-14T07:00")), "locations/denver", "extra hours count");
    assert.equal(m.therapistLocation(schedule, ["locations/denver"], locs, at("2026-03-15T07:00")), "locations/denver", "home");
    assert.equal(m.therapistLocation(schedule, [], locs, at("2026-03-15T07:00")), "locations/boulder", "else where the weekly hours are");
    assert.equal(m.therapistLocation(undefined, ["locations/gone"], locs, at("2026-03-15T07:00")), "");
    const cols = [{ member: { name: "staff/a" } }, { member: { name: "staff/b" } }, { member: { name: "staff/c" } }];
    assert.deepEqual(m.ownColumnFirst(cols, "staff/c").map((c) => c.member.name), ["staff/c", "staff/a", "staff/b"]);
    assert.deepEqual(m.ownColumnFirst(cols, "").map((c) => c.member.name), ["staff/a", "staff/b", "staff/c"]);
  });
  test("waitlist matches speak of dates in words", () => {
    const e = proto.create(pb.WaitlistEntrySchema, {
      timeOfDay: pb.TimeOfDayPreference.MORNING,
      latestDate: { year: 2026, month: 4, day: 1 },
      priority: 10,
      notes: "short notice ok",
    });
    const text = m.describeWaitlistEntry(e, "Jane Doe");
    assert.match(text, /^Jane Doe — mornings, until .*2026, priority 10 \(short notice ok\)$/);
    assert.doesNotMatch(text, /2026-04-01/);
  });
});
