// Unit tests of waitlist offers in the staff app (src/staff/calendar/offers-model.ts):
// the ListWaitlistOffers request, each offer in words (the patient, the time
// offered in the location's zone with the type and therapist, "Offered, held
// until 18:15", "Taken 17:02", "Lapsed 18:15 — offered to the next person"),
// the type filter, and the appointment dialog's line after a cancellation with
// waitlist matches. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let o;
let pb;
let proto;
let tz;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  o = await server.ssrLoadModule("/src/staff/calendar/offers-model.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts");
  proto = await server.ssrLoadModule("@bufbuild/protobuf");
  tz = await server.ssrLoadModule("/src/staff/shared/tz.ts");
});

after(async () => {
  await server?.close();
});

const denver = "America/Denver";
// Tuesday 10 March 2026, 17:30 in Denver (MDT, UTC-6).
const now = Date.UTC(2026, 2, 10, 23, 30);
const at = (wall, zone = denver) => tz.wallToTimestamp(wall, zone);

function offer(over = {}) {
  return proto.create(pb.WaitlistOfferSchema, {
    name: "waitlistOffers/o1",
    waitlistEntry: "waitlistEntries/e1",
    patient: "patients/p1",
    slot: {
      therapist: "staff/theo",
      location: "locations/denver",
      appointmentType: "appointmentTypes/followup",
      startTime: at("2026-03-12T09:00"),
      endTime: at("2026-03-12T09:45"),
      localStart: "2026-03-12T09:00",
      timeZone: denver,
    },
    freedBy: "appointments/a1",
    state: pb.WaitlistOffer_State.OFFERED,
    createTime: at("2026-03-10T16:15"),
    expireTime: at("2026-03-10T18:15"),
    ...over,
  });
}

const names = {
  patient: (n) => ({ "patients/p1": "Jane Doe", "patients/p2": "Sam Lee" })[n] ?? "Patient",
  type: (n) => ({ "appointmentTypes/followup": "Follow-up" })[n],
  therapist: (n) => ({ "staff/theo": "Theo Rapp" })[n],
};

describe("the offers section", () => {
  test("ListWaitlistOffers for the location, the newest 50", () => {
    const req = o.listOffersRequest("locations/denver");
    assert.equal(req.location, "locations/denver");
    assert.equal(req.pageSize, 50);
    assert.equal(req.patient, "");
    assert.equal(req.waitlistEntry, "");
  });
  test("the state in words, times in the location's zone", () => {
    assert.deepEqual(o.offerStateWords(offer(), denver, now), { state: "offered", words: "Offered, held until 18:15" });
    const taken = offer({ state: pb.WaitlistOffer_State.ACCEPTED, outcomeTime: at("2026-03-10T17:02"), appointment: "appointments/a2" });
    assert.deepEqual(o.offerStateWords(taken, denver, now), { state: "accepted", words: "Taken 17:02" });
    const lapsed = offer({ state: pb.WaitlistOffer_State.LAPSED, outcomeTime: at("2026-03-10T18:15") });
    assert.deepEqual(o.offerStateWords(lapsed, denver, now), { state: "lapsed", words: "Lapsed 18:15 — offered to the next person" });
  });
  test("another day than today says its day", () => {
    const taken = offer({ state: pb.WaitlistOffer_State.ACCEPTED, outcomeTime: at("2026-03-09T17:02") });
    const { words } = o.offerStateWords(taken, denver, now, undefined, "en-GB");
    assert.equal(words, "Taken 17:02 (Mon, 9 Mar 2026)");
    // The same instant in another zone's today: still the location's day.
    assert.equal(o.clockInWords(at("2026-03-10T23:00"), denver, now), "23:00");
    assert.equal(o.clockInWords(undefined, denver, now), "");
  });
  test("lapsed: the next person only when a newer offer of the same freed time is listed", () => {
    const lapsed = offer({ state: pb.WaitlistOffer_State.LAPSED, outcomeTime: at("2026-03-10T18:15") });
    const next = offer({ name: "waitlistOffers/o2", patient: "patients/p2", createTime: at("2026-03-10T18:15") });
    const other = offer({ name: "waitlistOffers/o3", freedBy: "appointments/other", createTime: at("2026-03-10T18:20") });
    assert.equal(o.offerStateWords(lapsed, denver, now, [next, lapsed]).words, "Lapsed 18:15 — offered to the next person");
    assert.equal(o.offerStateWords(lapsed, denver, now, [other, lapsed]).words, "Lapsed 18:15 — not offered to anyone else");
    assert.equal(o.offeredToNext(lapsed, [lapsed]), false);
    // An older offer of the same time (offered before this one) is not "the next".
    const older = offer({ name: "waitlistOffers/o0", createTime: at("2026-03-10T14:00") });
    assert.equal(o.offeredToNext(lapsed, [lapsed, older]), false);
  });
  test("a row: names for ids, the location's wall time, the type with the therapist", () => {
    const row = o.offerRow(offer(), names, denver, now, undefined, "en-GB");
    assert.equal(row.name, "waitlistOffers/o1");
    assert.equal(row.patient, "patients/p1");
    assert.equal(row.patientName, "Jane Doe");
    assert.equal(row.when, tz.describeWall("2026-03-12T09:00", "en-GB"));
    assert.equal(row.what, "Follow-up with Theo Rapp");
    assert.equal(row.made, "16:15");
    assert.equal(row.stateWords, "Offered, held until 18:15");
    for (const text of Object.entries(row).filter(([k]) => !["name", "patient"].includes(k)).map(([, v]) => String(v))) {
      assert.doesNotMatch(text, /\b(staff|patients|locations|appointmentTypes|waitlistOffers|appointments)\/|\d{4}-\d{2}-\d{2}T/, text);
    }
  });
  test("a row without local_start reads the start in the slot's zone; unknown names in words", () => {
    const bare = offer({
      patient: "patients/unknown",
      slot: { therapist: "staff/gone", appointmentType: "appointmentTypes/gone", startTime: at("2026-03-12T09:00"), timeZone: "" },
    });
    const row = o.offerRow(bare, names, denver, now, undefined, "en-GB");
    assert.equal(row.when, tz.describeWall("2026-03-12T09:00", "en-GB"), "in the page's zone");
    assert.equal(row.what, "Appointment with a therapist");
    assert.equal(row.patientName, "Patient");
  });
  test("only the chosen type's offers", () => {
    const a = offer();
    const b = offer({ name: "waitlistOffers/o2", slot: { appointmentType: "appointmentTypes/eval" } });
    assert.deepEqual(o.offersOfType([a, b], "appointmentTypes/eval").map((x) => x.name), ["waitlistOffers/o2"]);
    assert.equal(o.offersOfType([a, b], "").length, 2);
  });
});

describe("after a cancellation with waitlist matches", () => {
  test("the first match is offered the time by email; nothing without matches", () => {
    assert.equal(
      o.autoOfferLine(2, "Jane Doe"),
      "Jane Doe (first on the list) is offered this time automatically by email; if they do not take it in time, the next one is.",
    );
    assert.equal(o.autoOfferLine(0, "Jane Doe"), "");
  });
});
