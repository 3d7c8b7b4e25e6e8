// Unit tests of the contact-request queue's pure logic
// (src/staff/contacts/contacts-model.ts): how long ago someone asked, the
// enums in words, open states, the list and record-a-call requests, links,
// times in a location's zone, and errors as connect-web gets them; and the
// /staff/contacts route. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let r;
let pb;
let StaffRole;
let ConnectError;
let Code;
let BadRequestSchema;
let timestampFromMs;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/contacts/contacts-model.ts");
  r = await server.ssrLoadModule("/src/staff/router.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/screenings/v1/screenings_pb.ts");
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
  ({ timestampFromMs } = await server.ssrLoadModule("@bufbuild/protobuf/wkt"));
});

after(async () => {
  await server?.close();
});

const sec = 1000;
const min = 60 * sec;
const hour = 60 * min;
const day = 24 * hour;
const now = Date.UTC(2026, 2, 10, 12, 0, 0);

describe("how long ago", () => {
  test("just now, minutes, hours", () => {
    assert.equal(m.formatAge(now, now), "just now");
    assert.equal(m.formatAge(now - 59 * sec, now), "just now");
    assert.equal(m.formatAge(now + 5 * sec, now), "just now", "a clock a little ahead");
    assert.equal(m.formatAge(now - min, now), "1 min ago");
    assert.equal(m.formatAge(now - 59 * min - 59 * sec, now), "59 min ago");
    assert.equal(m.formatAge(now - hour, now), "1 h ago");
    assert.equal(m.formatAge(now - 3 * hour - 20 * min, now), "3 h ago");
    assert.equal(m.formatAge(now - 23 * hour - 59 * min, now), "23 h ago");
  });
  test("days, months, years", () => {
    assert.equal(m.formatAge(now - day, now), "1 day ago");
    assert.equal(m.formatAge(now - 2 * day - 5 * hour, now), "2 days ago");
    assert.equal(m.formatAge(now - 59 * day, now), "59 days ago");
    assert.equal(m.formatAge(now - 60 * day, now), "2 months ago");
    assert.equal(m.formatAge(now - 364 * day, now), "12 months ago");
    assert.equal(m.formatAge(now - 365 * day, now), "1 year ago");
    assert.equal(m.formatAge(now - 800 * day, now), "2 years ago");
  });
  test("a missing time says nothing", () => {
    assert.equal(m.formatAge(NaN, now), "");
    assert.ok(Number.isNaN(m.tsMs(undefined)));
    assert.equal(m.tsMs(timestampFromMs(now - 5 * min)), now - 5 * min);
  });
});

describe("words", () => {
  test("every value of every enum has words", () => {
    const tables = [
      [pb.ContactRequestState, m.stateWords],
      [pb.ContactOutcome, m.outcomeWords],
      [pb.ContactChannel, m.channelWords],
      [pb.BodyArea, m.bodyAreaWords],
      [pb.ContactSource, m.sourceWords],
    ];
    for (const [e, table] of tables) {
      for (const v of Object.values(e).filter((x) => typeof x === "number")) {
        assert.ok(table[v], `${v} has words`);
        assert.doesNotMatch(table[v], /_|^[A-Z_]+$/, "words, not an enum name");
      }
    }
    assert.equal(m.words(m.stateWords, pb.ContactRequestState.SCREENING_BOOKED), "Screening booked");
    assert.equal(m.words(m.outcomeWords, pb.ContactOutcome.LEFT_MESSAGE), "Left a message");
    assert.equal(m.words(m.channelWords, pb.ContactChannel.SMS), "Text message");
    assert.equal(m.words(m.bodyAreaWords, pb.BodyArea.ANKLE_FOOT), "Ankle or foot");
    assert.equal(m.words(m.stateWords, 99), "Unknown (99)", "a state from a newer server");
  });
});

describe("states and the list request", () => {
  test("new and contacted are open; the rest are closed", () => {
    const S = pb.ContactRequestState;
    assert.equal(m.isOpen(S.NEW), true);
    assert.equal(m.isOpen(S.CONTACTED), true);
    for (const s of [S.SCREENING_BOOKED, S.CONVERTED, S.NOT_INTERESTED, S.UNREACHABLE, S.UNSPECIFIED]) {
      assert.equal(m.isOpen(s), false, String(s));
    }
    assert.equal(m.allStates.length, 6);
    assert.ok(!m.allStates.includes(S.UNSPECIFIED));
  });
  test("the open queue asks for no states (the server's default); closed too asks for all", () => {
    assert.deepEqual(m.listRequest({ showClosed: false }), { states: [], location: "", pageSize: 50, pageToken: "" });
    const all = m.listRequest({ showClosed: true, location: "locations/north", pageToken: "t2", pageSize: 20 });
    assert.deepEqual(all.states, [...m.allStates]);
    assert.equal(all.location, "locations/north");
    assert.equal(all.pageToken, "t2");
    assert.equal(all.pageSize, 20);
  });
  test("the front desk and admins work the queue; a therapist does not", () => {
    assert.equal(m.canWorkQueue([StaffRole.FRONT_DESK]), true);
    assert.equal(m.canWorkQueue([StaffRole.THERAPIST, StaffRole.ADMIN]), true);
    assert.equal(m.canWorkQueue([StaffRole.THERAPIST]), false);
    assert.equal(m.canWorkQueue([]), false);
    assert.equal(m.canWorkQueue(undefined), false);
  });
});

describe("a person", () => {
  test("name and id", () => {
    assert.equal(m.contactName({ givenName: " Ann ", familyName: "Lee" }), "Ann Lee");
    assert.equal(m.contactName({ givenName: "Ann", familyName: "" }), "Ann");
    assert.equal(m.contactRequestId("contactRequests/3f2a-11"), "3f2a-11");
    assert.equal(m.contactRequestId('contactRequests/a"b c'), "a-b-c", "safe in an element id");
  });
  test("the patient a request led to: a link to the patient's page, nothing else", () => {
    assert.equal(m.patientHref("patients/3f2a9c1e-0b7d-4e8a-9c55-1a2b3c4d5e6f"), "/staff/patients/3f2a9c1e-0b7d-4e8a-9c55-1a2b3c4d5e6f");
    assert.deepEqual(r.parseRoute(m.patientHref("patients/p-1")), { name: "patient", id: "p-1" }, "the router's patient page");
    assert.equal(m.patientHref(""), "", "not linked yet");
    assert.equal(m.patientHref("staff/p-1"), "");
    assert.equal(m.patientHref("patients/"), "");
    assert.equal(m.patientHref("patients/../admin"), "");
    assert.equal(m.patientHref("patients/a/b"), "");
    assert.equal(m.patientHref("javascript:alert(1)"), "");
  });
  test("tel: and mailto: links", () => {
    assert.equal(m.telHref("+1 (555) 010-0199"), "tel:+15550100199");
    assert.equal(m.telHref("0170 12+34"), "tel:01701234");
    assert.equal(m.telHref("call me"), "");
    assert.equal(m.telHref("javascript:alert(1)"), "tel:1", "only digits and a leading + survive");
    assert.equal(m.mailtoHref("ann@example.com"), "mailto:ann@example.com");
    assert.equal(m.mailtoHref("a@b.c?subject=x&body=y"), "mailto:a@b.c%3Fsubject%3Dx%26body%3Dy", "no extra headers");
    assert.equal(m.mailtoHref("a@b.c?bcc=x@y.z"), "", "two addresses are not one");
    assert.equal(m.mailtoHref("not an address"), "");
    assert.equal(m.mailtoHref(""), "");
  });
});

describe("times", () => {
  test("in the location's zone, with its abbreviation", () => {
    const t = Date.UTC(2026, 0, 10, 22, 5); // 14:05 in Los Angeles (PST), 23:05 in Berlin
    const la = m.formatTime(t, "America/Los_Angeles", "en-US");
    assert.match(la, /Jan 10, 2026/);
    assert.match(la, /02:05\s?PM/);
    assert.match(la, /PST/);
    const berlin = m.formatTime(t, "Europe/Berlin", "en-GB");
    assert.match(berlin, /10 Jan 2026/);
    assert.match(berlin, /23:05/);
  });
  test("without a zone (or an unknown one) in the browser's", () => {
    const t = Date.UTC(2026, 2, 10, 22, 5);
    assert.equal(m.formatTime(t, undefined, "en-GB"), m.formatTime(t, "Not/AZone", "en-GB"));
    assert.equal(m.formatTime(NaN), "");
  });
});

describe("record a call", () => {
  test("an outcome is required", () => {
    assert.deepEqual(m.checkAttempt({ outcome: "", note: "", next_state: "" }).fields, { outcome: "Choose what happened." });
    assert.deepEqual(m.checkAttempt({ outcome: "reached", note: "ok", next_state: "" }).fields, {});
    assert.ok(m.checkAttempt({ outcome: "reached", note: "x".repeat(1001), next_state: "" }).fields.note);
  });
  test("the request: outcome, trimmed note, next state (empty: keep open), etag, request_id", () => {
    const req = m.recordAttemptRequest(
      { name: "contactRequests/1", etag: "e1" },
      { outcome: "reached", note: "  booked Tue 9:00 ", next_state: "screening_booked" },
      "rid-1",
    );
    assert.deepEqual(req, {
      name: "contactRequests/1",
      outcome: pb.ContactOutcome.REACHED,
      note: "booked Tue 9:00",
      nextState: pb.ContactRequestState.SCREENING_BOOKED,
      etag: "e1",
      requestId: "rid-1",
    });
    const keep = m.recordAttemptRequest({ name: "contactRequests/1", etag: "" }, { outcome: "no_answer", note: "", next_state: "" }, "r");
    assert.equal(keep.outcome, pb.ContactOutcome.NO_ANSWER);
    assert.equal(keep.nextState, pb.ContactRequestState.UNSPECIFIED);
    const choices = Object.fromEntries(m.nextStateChoices);
    assert.deepEqual(Object.keys(choices), ["", "screening_booked", "not_interested", "unreachable", "converted"]);
    for (const [value] of m.nextStateChoices.slice(1)) {
      const next = m.recordAttemptRequest({ name: "n", etag: "" }, { outcome: "reached", note: "", next_state: value }, "r").nextState;
      assert.equal(m.isOpen(next), false, `${value} closes the request`);
    }
    for (const [value] of m.outcomeChoices) {
      assert.notEqual(m.recordAttemptRequest({ name: "n", etag: "" }, { outcome: value, note: "", next_state: "" }, "r").outcome, 0);
    }
  });
  test("server errors: at the fields from BadRequest; a closed request, a stale etag in words and reload", () => {
    const bad = new ConnectError("invalid", Code.InvalidArgument, undefined, [
      { desc: BadRequestSchema, value: { fieldViolations: [{ field: "note", description: "is too long" }, { field: "name", description: "unknown request" }] } },
    ]);
    assert.deepEqual(m.attemptFormErrors(bad), { fields: { note: "is too long" }, other: ["unknown request"] });
    assert.equal(m.reloadAfter(bad), false);

    const closed = new ConnectError("the request is closed", Code.FailedPrecondition);
    const e = m.attemptFormErrors(closed);
    assert.deepEqual(e.fields, {});
    assert.match(e.other[0], /closed and takes no more calls/);
    assert.equal(m.reloadAfter(closed), true);
    assert.equal(m.reloadAfter(new ConnectError("stale", Code.Aborted)), true);
    assert.match(m.attemptFormErrors(new ConnectError("stale", Code.Aborted)).other[0], /Someone else/);
  });
  test("a retry after no answer keeps the request_id; a definite answer does not", () => {
    assert.equal(m.attemptOutcomeUnknown(new ConnectError("down", Code.Unavailable)), true);
    assert.equal(m.attemptOutcomeUnknown(new ConnectError("slow", Code.DeadlineExceeded)), true);
    assert.equal(m.attemptOutcomeUnknown(new TypeError("Failed to fetch")), true);
    assert.equal(m.attemptOutcomeUnknown(new ConnectError("bad", Code.InvalidArgument)), false);
    assert.equal(m.attemptOutcomeUnknown(new ConnectError("closed", Code.FailedPrecondition)), false);
  });
  test("what the queue says afterwards", () => {
    const S = pb.ContactRequestState;
    assert.equal(
      m.recordedMessage({ givenName: "Ann", familyName: "Lee", state: S.SCREENING_BOOKED }, false),
      "Call recorded for Ann Lee: screening booked; the request left the open queue.",
    );
    assert.equal(
      m.recordedMessage({ givenName: "Ann", familyName: "", state: S.CONTACTED }, false),
      "Call recorded for Ann: contacted, still in the queue.",
    );
    assert.match(m.recordedMessage({ givenName: "Ann", familyName: "", state: S.UNREACHABLE }, true), /closed/);
  });
});

describe("route", () => {
  test("/staff/contacts is the queue, for every role to reach (the shell checks the role)", () => {
    assert.deepEqual(r.parseRoute("/staff/contacts"), { name: "contacts" });
    assert.deepEqual(r.parseRoute("/staff/contacts/"), { name: "contacts" });
    assert.equal(r.isAdminRoute(r.parseRoute("/staff/contacts")), false);
    assert.deepEqual(r.parseRoute("/staff/contacts/x"), { name: "not-found" });
  });
});
