// Unit tests of the booking dialog's open times (src/staff/calendar/booking-model.ts):
// the FindAvailableSlots requests, the day's open times, whether the time
// clicked is open, the nearest ones and what is said when it is not. Vite
// loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let b;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  b = await server.ssrLoadModule("/src/staff/calendar/booking-model.ts");
});

after(async () => {
  await server?.close();
});

const q = { appointmentType: "appointmentTypes/followup", location: "locations/denver", therapist: "staff/theo", day: "2026-03-10" };

describe("what is searched", () => {
  test("the day's open times for the type, location and therapist", () => {
    assert.deepEqual(b.daySlotsRequest(q), {
      appointmentType: "appointmentTypes/followup",
      locations: ["locations/denver"],
      therapist: "staff/theo",
      startDate: { year: 2026, month: 3, day: 10 },
      endDate: { year: 2026, month: 3, day: 10 },
      maxSlots: 500,
    });
    const later = b.laterSlotRequest(q);
    assert.deepEqual(later.startDate, { year: 2026, month: 3, day: 11 });
    assert.deepEqual(later.endDate, { year: 2026, month: 3, day: 24 });
    assert.equal(later.maxSlots, 1);
  });
  test("only with everything chosen; a new key for each search", () => {
    assert.equal(b.canSearchSlots(q), true);
    assert.equal(b.canSearchSlots({ ...q, appointmentType: "" }), false);
    assert.equal(b.canSearchSlots({ ...q, therapist: "" }), false);
    assert.equal(b.canSearchSlots({ ...q, day: "2026-02-30" }), false);
    assert.notEqual(b.slotQueryKey(q), b.slotQueryKey({ ...q, day: "2026-03-11" }));
  });
});

describe("open times", () => {
  const slots = [
    { therapist: "staff/theo", localStart: "2026-03-10T13:30" },
    { therapist: "staff/theo", localStart: "2026-03-10T09:00" },
    { therapist: "staff/theo", localStart: "2026-03-10T11:30" },
    { therapist: "staff/thea", localStart: "2026-03-10T11:15" },
    { therapist: "staff/theo", localStart: "2026-03-11T11:15" },
    { therapist: "staff/theo", localStart: "2026-03-10T11:30" },
  ];
  test("the therapist's, that day, earliest first, once each", () => {
    assert.deepEqual(b.openTimes(slots, "staff/theo", "2026-03-10"), ["09:00", "11:30", "13:30"]);
  });
  test("a time in a buffer is not free; the next one and the nearest are offered", () => {
    const times = ["09:00", "09:15", "11:30", "11:45", "13:30"];
    assert.deepEqual(b.availability(times, "11:15"), { free: false, next: "11:30", nearest: ["09:15", "11:30", "11:45", "13:30"] });
    assert.deepEqual(b.availability(times, "11:30", 2), { free: true, next: "11:45", nearest: ["11:45", "13:30"] });
    assert.deepEqual(b.availability(times, "17:00"), { free: false, next: undefined, nearest: ["09:15", "11:30", "11:45", "13:30"] });
    assert.deepEqual(b.availability([], "10:00"), { free: false, next: undefined, nearest: [] });
  });
  test("what is said", () => {
    assert.equal(
      b.notFreeMessage({ therapistName: "Theo Rapp", time: "11:15", typeName: "Follow-up", next: "11:30", anyThatDay: true }),
      "Theo Rapp is not free at 11:15 for a follow-up; the next free time is 11:30.",
    );
    assert.match(
      b.notFreeMessage({ therapistName: "Theo Rapp", time: "16:45", typeName: "Initial evaluation", later: "2026-03-11T09:00", anyThatDay: true }),
      /^Theo Rapp is not free at 16:45 for an initial evaluation; there is no free time later that day, the next free time is .*11.* at 09:00\.$/,
    );
    assert.equal(
      b.notFreeMessage({ therapistName: "Theo Rapp", time: "10:00", typeName: "Follow-up", later: "", anyThatDay: false }),
      "Theo Rapp is not free at 10:00 for a follow-up; there is no free time that day, nor in the 14 days after.",
    );
    assert.equal(b.freeMessage("Theo Rapp", "11:30", "Follow-up"), "Theo Rapp is free at 11:30 for a follow-up.");
    assert.match(b.openTimesHeading("2026-03-10", 12), /^Open times on .*10.*2026 \(12\)$/);
  });
});
