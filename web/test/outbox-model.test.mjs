// Unit tests of the Outbox's pure logic (src/staff/outbox/outbox-model.ts):
// who may see it, the filters and their address, the ListMessages request,
// kinds and delivery states in words (with the attempts and the relay's
// last answer), the calendar file's main facts (folded lines, escaped
// text, time zones, components other than the event ignored) and a message
// as a row in words. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let o;
let router;
let create;
let timestampFromMs;
let MessageSchema;
let DeliveryState;
let Kind;
let StaffRole;
let Code;
let ConnectError;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  o = await server.ssrLoadModule("/src/staff/outbox/outbox-model.ts");
  router = await server.ssrLoadModule("/src/staff/router.ts");
  ({ MessageSchema, DeliveryState, Message_Kind: Kind } = await server.ssrLoadModule("/src/gen/clinic/notifications/v1/notifications_pb.ts"));
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ timestampFromMs } = await server.ssrLoadModule("@bufbuild/protobuf/wkt"));
  ({ Code, ConnectError } = await server.ssrLoadModule("@connectrpc/connect"));
});

after(async () => {
  await server?.close();
});

const crlf = (lines) => lines.map((l) => l + "\r\n").join("");

/** RFC 5545 folding as the notifications service does it: 75 octets, then CRLF + space (74 after). */
function fold(line) {
  const bytes = Buffer.from(line, "utf8");
  const out = [];
  let at = 0;
  let width = 75;
  while (bytes.length - at > width) {
    let cut = at + width;
    while (cut > at && (bytes[cut] & 0xc0) === 0x80) cut--;
    out.push(bytes.subarray(at, cut).toString("utf8"));
    at = cut;
    width = 74;
  }
  out.push(bytes.subarray(at).toString("utf8"));
  return out.join("\r\n ");
}

/** A calendar file as services/notifications/render.cc writes it. */
function serviceIcs({ cancel = false, sequence = 0, summary = "Free screening", location = "Denver – Cherry Creek, 200 Fillmore St, Denver" } = {}) {
  return crlf(
    [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Clinic back office//Appointments//EN",
      "CALSCALE:GREGORIAN",
      cancel ? "METHOD:CANCEL" : "METHOD:REQUEST",
      "X-WR-TIMEZONE:America/Denver",
      "BEGIN:VEVENT",
      "UID:appointments-0d3c9a52-8f3e-4a7e-9d52-1f0c3c7b2a11@clinic",
      `SEQUENCE:${sequence}`,
      "DTSTAMP:20261101T120000Z",
      "DTSTART:20261202T160000Z",
      "DTEND:20261202T164500Z",
      "SUMMARY:" + summary.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,"),
      "LOCATION:" + location.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,"),
      "DESCRIPTION:" + "A long description that goes on and on\\, well past the seventy-five octets a line may have; it is folded.",
      cancel ? "STATUS:CANCELLED" : "STATUS:CONFIRMED",
      "END:VEVENT",
      "END:VCALENDAR",
    ].map(fold),
  );
}

function message(fields = {}) {
  return create(MessageSchema, {
    name: "messages/42",
    appointment: "appointments/0d3c9a52-8f3e-4a7e-9d52-1f0c3c7b2a11",
    patient: "patients/7b1e2f00-1111-4222-8333-944455556666",
    kind: Kind.CONFIRMATION,
    recipient: "grace.kim@example.com",
    subject: "Your Free screening at Denver on Wednesday 2 December 2026 at 9:00 AM (MST)",
    body: "Hello Grace,\n\nYour Free screening is booked:\n\n  Wednesday 2 December 2026 at 9:00 AM (MST)\n",
    ics: serviceIcs(),
    state: DeliveryState.SENT,
    attempts: 1,
    lastResult: "250 accepted by smtp://127.0.0.1:2525",
    createTime: timestampFromMs(Date.UTC(2026, 10, 1, 19, 5, 9)),
    sendTime: timestampFromMs(Date.UTC(2026, 10, 1, 19, 5, 11)),
    ...fields,
  });
}

describe("who and what", () => {
  test("the front desk and admins see the outbox; therapists do not", () => {
    assert.equal(o.canSeeOutbox([StaffRole.FRONT_DESK]), true);
    assert.equal(o.canSeeOutbox([StaffRole.ADMIN]), true);
    assert.equal(o.canSeeOutbox([StaffRole.THERAPIST]), false);
    assert.equal(o.canSeeOutbox(undefined), false);
  });

  test("/staff/outbox is a page of its own, not an admin page", () => {
    assert.deepEqual(router.parseRoute("/staff/outbox"), { name: "outbox" });
    assert.deepEqual(router.parseRoute("/staff/outbox/"), { name: "outbox" });
    assert.deepEqual(router.parseRoute("/staff/outbox/x"), { name: "not-found" });
    assert.equal(router.isAdminRoute(router.parseRoute("/staff/outbox")), false);
  });

  test("the filters go to the address and back; anything unknown is dropped", () => {
    assert.equal(o.filtersToSearch(o.emptyOutboxFilters()), "");
    const f = { state: DeliveryState.GIVEN_UP, patient: "patients/abc-123" };
    assert.equal(o.filtersToSearch(f), "?state=given-up&patient=abc-123");
    assert.deepEqual(o.filtersFromSearch("?state=given-up&patient=abc-123"), f);
    assert.deepEqual(o.filtersFromSearch("?state=no-address"), { state: DeliveryState.NO_ADDRESS, patient: "" });
    assert.deepEqual(o.filtersFromSearch("?state=bogus&patient=../x"), o.emptyOutboxFilters());
    assert.deepEqual(o.filtersFromSearch("?patient=patients/abc"), { state: DeliveryState.DELIVERY_STATE_UNSPECIFIED, patient: "patients/abc" });
    assert.deepEqual(
      o.stateChoices.map((c) => c.label),
      ["All", "Queued", "Sent", "Retrying", "Given up", "No address"],
    );
  });

  test("ListMessages asks for the state and the patient, a page at a time", () => {
    const r = o.listMessagesRequest({ state: DeliveryState.RETRYING, patient: "patients/p1" }, "tok");
    assert.equal(r.state, DeliveryState.RETRYING);
    assert.equal(r.patient, "patients/p1");
    assert.equal(r.pageToken, "tok");
    assert.equal(r.pageSize, 50);
    assert.equal(r.appointment, "");
    const all = o.listMessagesRequest(o.emptyOutboxFilters());
    assert.equal(all.state, DeliveryState.DELIVERY_STATE_UNSPECIFIED);
    assert.equal(all.patient, "");
    assert.equal(all.pageToken, "");
  });

  test("the empty outbox in words", () => {
    assert.equal(o.emptyWords(o.emptyOutboxFilters()), "No messages to patients yet.");
    assert.equal(o.emptyWords({ state: DeliveryState.DELIVERY_STATE_UNSPECIFIED, patient: "patients/p" }, "Grace Kim"), "No messages to Grace Kim yet.");
    assert.equal(o.emptyWords({ state: DeliveryState.RETRYING, patient: "" }), "No messages are being retried.");
    assert.equal(o.emptyWords({ state: DeliveryState.GIVEN_UP, patient: "patients/p" }), "No messages to this patient are given up on.");
    assert.equal(o.emptyWords({ state: DeliveryState.NO_ADDRESS, patient: "" }), "No messages are without an email address.");
  });

  test("errors in words", () => {
    assert.equal(o.outboxCallError(new ConnectError("no", Code.Unimplemented)), "The outbox is not available on this server yet.");
    assert.match(o.outboxCallError(new ConnectError("down", Code.Unavailable)), /could not be reached/);
    assert.equal(o.outboxCallError(new ConnectError("The page token is not valid.", Code.InvalidArgument)), "The page token is not valid.");
  });
});

describe("kinds and delivery in words", () => {
  test("kinds", () => {
    assert.equal(o.kindWords(Kind.CONFIRMATION), "confirmation");
    assert.equal(o.kindWords(Kind.CHANGE), "change");
    assert.equal(o.kindWords(Kind.CANCELLATION), "cancellation");
    assert.equal(o.kindWords(Kind.WAITLIST_OFFER), "waitlist offer");
    assert.equal(o.kindWords(Kind.REMINDER), "reminder");
    assert.equal(o.kindWords(Kind.KIND_UNSPECIFIED), "message");
  });

  test("states", () => {
    assert.deepEqual(
      [DeliveryState.QUEUED, DeliveryState.SENT, DeliveryState.RETRYING, DeliveryState.GIVEN_UP, DeliveryState.NO_ADDRESS].map(o.stateWords),
      ["queued", "sent", "retrying", "given up", "no address"],
    );
  });

  test("the delivery with the attempts and the relay's last answer", () => {
    const d = (state, attempts, lastResult = "") => o.deliveryWords({ state, attempts, lastResult });
    assert.equal(d(DeliveryState.SENT, 1, "250 accepted by smtp://127.0.0.1:2525"), "sent: 250 accepted by smtp://127.0.0.1:2525");
    assert.equal(d(DeliveryState.SENT, 3, "250 OK"), "sent (3 attempts): 250 OK");
    assert.equal(d(DeliveryState.RETRYING, 2, "SMTP: couldn't connect"), "retrying (2 attempts): SMTP: couldn't connect");
    assert.equal(d(DeliveryState.RETRYING, 1, "SMTP: couldn't connect"), "retrying (1 attempt): SMTP: couldn't connect");
    assert.equal(d(DeliveryState.GIVEN_UP, 5, "550 mailbox unavailable"), "given up (5 attempts): 550 mailbox unavailable");
    assert.equal(d(DeliveryState.QUEUED, 0), "queued");
    assert.equal(d(DeliveryState.NO_ADDRESS, 0), "no address: the patient has no email address");
    assert.equal(d(DeliveryState.NO_ADDRESS, 0, "no email on file"), "no address: no email on file");
  });

  test("when the next attempt is due, only while waiting", () => {
    const next = timestampFromMs(Date.UTC(2026, 2, 3, 21, 5));
    assert.equal(o.nextAttemptWords({ state: DeliveryState.RETRYING, nextAttemptTime: next }, "America/Denver", "en-GB"), "next attempt Tue, 3 Mar 2026, 14:05");
    assert.equal(o.nextAttemptWords({ state: DeliveryState.SENT, nextAttemptTime: next }, "America/Denver", "en-GB"), "");
    assert.equal(o.nextAttemptWords({ state: DeliveryState.QUEUED, nextAttemptTime: undefined }, "America/Denver", "en-GB"), "");
  });
});

describe("the calendar file", () => {
  test("folded lines are joined again, at any octet, multi-byte characters kept", () => {
    const long = "LOCATION:" + "Zürich – Bahnhofstrasse ".repeat(6);
    const folded = fold(long);
    assert.ok(folded.includes("\r\n "), "the test line is folded");
    assert.deepEqual(o.unfoldIcs(crlf(["BEGIN:VCALENDAR", folded, "END:VCALENDAR"])), ["BEGIN:VCALENDAR", long, "END:VCALENDAR"]);
    // A tab continues a line too, and bare LF files are read.
    assert.deepEqual(o.unfoldIcs("SUMMARY:Free\n\tscreening\nEND:VEVENT"), ["SUMMARY:Freescreening", "END:VEVENT"]);
  });

  test("escaped text is unescaped: commas, semicolons, backslashes, new lines", () => {
    assert.equal(o.unescapeIcsText("Denver\\, CO\\; Suite 2\\nSecond line\\Nthird \\\\ end"), "Denver, CO; Suite 2\nSecond line\nthird \\ end");
  });

  test("a line's name, parameters and value; quoted parameters keep their colons", () => {
    const l = o.parseIcsLine('DTSTART;TZID="America/Denver";VALUE=DATE-TIME:20261202T090000');
    assert.equal(l.name, "DTSTART");
    assert.equal(l.params.get("TZID"), "America/Denver");
    assert.equal(l.value, "20261202T090000");
    const q = o.parseIcsLine('ATTENDEE;CN="Kim: Grace":mailto:grace.kim@example.com');
    assert.equal(q.params.get("CN"), "Kim: Grace");
    assert.equal(q.value, "mailto:grace.kim@example.com");
    assert.equal(o.parseIcsLine("no colon here"), undefined);
  });

  test("times: UTC, with a TZID, all day, floating; nonsense is not a time", () => {
    assert.deepEqual(o.parseIcsTime("20261202T160000Z"), { kind: "instant", ms: Date.UTC(2026, 11, 2, 16) });
    assert.deepEqual(o.parseIcsTime("20261202T090000", new Map([["TZID", "America/Denver"]])), {
      kind: "instant",
      ms: Date.UTC(2026, 11, 2, 16),
      zone: "America/Denver",
    });
    assert.deepEqual(o.parseIcsTime("20261202T090000", new Map([["TZID", "/America/Denver"]])).ms, Date.UTC(2026, 11, 2, 16));
    assert.deepEqual(o.parseIcsTime("20261202"), { kind: "date", date: "2026-12-02" });
    assert.deepEqual(o.parseIcsTime("20261202T090000"), { kind: "floating", wall: "2026-12-02T09:00:00" });
    assert.deepEqual(o.parseIcsTime("20261202T090000", new Map([["TZID", "Not/AZone"]])), { kind: "floating", wall: "2026-12-02T09:00:00" });
    assert.equal(o.parseIcsTime("20260231T090000Z"), undefined);
    assert.equal(o.parseIcsTime("2026-12-02T09:00:00Z"), undefined);
    assert.equal(o.parseIcsTime("20261202T250000Z"), undefined);
  });

  test("the service's confirmation: REQUEST, sequence, start and end in the location's zone, summary with an escaped comma", () => {
    const facts = o.parseIcs(serviceIcs({ sequence: 0, summary: "Free screening, knee" }));
    assert.equal(facts.method, "REQUEST");
    assert.equal(facts.sequence, 0);
    assert.equal(facts.summary, "Free screening, knee");
    assert.equal(facts.location, "Denver – Cherry Creek, 200 Fillmore St, Denver");
    assert.equal(facts.status, "CONFIRMED");
    assert.equal(facts.timeZone, "America/Denver");
    const w = o.icsWords(facts, "UTC", "en-GB");
    assert.equal(w.method, "REQUEST");
    assert.match(w.methodWords, /adds the appointment/);
    assert.equal(w.sequence, "0");
    // 16:00 UTC is 09:00 in Denver in December (the file's X-WR-TIMEZONE wins over the page's zone).
    assert.match(w.start, /^Wed, 2 Dec 2026, 09:00\b/);
    assert.match(w.end, /^09:45\b/, "the end on the same day is just its time");
    assert.equal(w.status, "confirmed");
    assert.equal(w.summary, "Free screening, knee");
  });

  test("a cancellation: CANCEL, a higher sequence", () => {
    const facts = o.parseIcs(serviceIcs({ cancel: true, sequence: 2 }));
    assert.equal(facts.method, "CANCEL");
    assert.equal(facts.sequence, 2);
    const w = o.icsWords(facts, "UTC", "en-GB");
    assert.equal(w.method, "CANCEL");
    assert.match(w.methodWords, /removes the appointment/);
    assert.equal(w.status, "cancelled");
  });

  test("VTIMEZONE and VALARM say nothing about the event; only the first event counts", () => {
    const facts = o.parseIcs(
      crlf([
        "BEGIN:VCALENDAR",
        "METHOD:REQUEST",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/Berlin",
        "BEGIN:STANDARD",
        "DTSTART:19701025T030000",
        "END:STANDARD",
        "END:VTIMEZONE",
        "BEGIN:VEVENT",
        "DTSTART;TZID=Europe/Berlin:20261202T090000",
        "DTEND;TZID=Europe/Berlin:20261203T100000",
        "SUMMARY:Physio",
        "BEGIN:VALARM",
        "SUMMARY:Alarm",
        "DESCRIPTION:Reminder",
        "END:VALARM",
        "END:VEVENT",
        "BEGIN:VEVENT",
        "SUMMARY:Another",
        "SEQUENCE:9",
        "END:VEVENT",
        "END:VCALENDAR",
      ]),
    );
    assert.equal(facts.summary, "Physio");
    assert.equal(facts.sequence, undefined);
    assert.equal(facts.start.ms, Date.UTC(2026, 11, 2, 8));
    const w = o.icsWords(facts, "America/Denver", "en-GB");
    assert.match(w.start, /^Wed, 2 Dec 2026, 09:00\b/, "shown in the event's own zone");
    assert.match(w.end, /^Thu, 3 Dec 2026, 10:00\b/, "an end on another day says its day");
    assert.equal(w.sequence, "");
  });

  test("an all-day event and a floating time", () => {
    const facts = o.parseIcs(crlf(["BEGIN:VCALENDAR", "BEGIN:VEVENT", "DTSTART;VALUE=DATE:20261202", "DTEND:20261202T113000", "END:VEVENT", "END:VCALENDAR"]));
    const w = o.icsWords(facts, "America/Denver", "en-GB");
    assert.match(w.start, /2 Dec 2026/);
    assert.doesNotMatch(w.start, /00:00/);
    assert.equal(w.method, "");
    assert.equal(w.methodWords, "not said");
  });

  test("not a calendar file", () => {
    assert.equal(o.parseIcs(""), undefined);
    assert.equal(o.parseIcs("hello\r\nworld"), undefined);
  });
});

describe("a message as a row", () => {
  const names = new Map([["patients/7b1e2f00-1111-4222-8333-944455556666", "Grace Kim"]]);
  const known = (n) => names.get(n);

  test("words only: the patient's name, local times, kind, delivery, the calendar's facts", () => {
    const row = o.messageRow(message(), known, "America/Denver", "en-GB");
    assert.equal(row.patientName, "Grace Kim");
    assert.equal(row.kind, "confirmation");
    assert.equal(row.recipient, "grace.kim@example.com");
    assert.equal(row.delivery, "sent: 250 accepted by smtp://127.0.0.1:2525");
    assert.equal(row.stateClass, "sent");
    assert.equal(row.created.text, "Sun, 1 Nov 2026, 12:05");
    assert.equal(row.created.iso, "2026-11-01T19:05:09.000Z");
    assert.equal(row.when, "sent Sun, 1 Nov 2026, 12:05");
    assert.equal(row.ics.method, "REQUEST");
    assert.equal(row.icsUnreadable, false);
    const shown = [row.patientName, row.created.text, row.kind, row.recipient, row.subject, row.delivery, row.when, row.body, ...Object.values(row.ics)].join("\n");
    assert.doesNotMatch(shown, /(patients|appointments|messages)\/[0-9a-f-]{2,}/, "no resource names");
    assert.doesNotMatch(shown, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, "no RFC 3339 times");
    assert.doesNotMatch(shown, /appointments-0d3c9a52/, "not the calendar file's UID");
  });

  test("an unknown patient, no address, a reminder without a calendar file, an unreadable one", () => {
    const row = o.messageRow(
      message({ kind: Kind.REMINDER, recipient: "", state: DeliveryState.NO_ADDRESS, attempts: 0, lastResult: "", ics: "", sendTime: undefined }),
      () => undefined,
      "America/Denver",
    );
    assert.equal(row.patientName, "A patient");
    assert.equal(row.kind, "reminder");
    assert.equal(row.recipient, "no email address");
    assert.equal(row.hasRecipient, false);
    assert.equal(row.delivery, "no address: the patient has no email address");
    assert.equal(row.when, "");
    assert.equal(row.ics, undefined);
    assert.equal(row.icsUnreadable, false);
    const bad = o.messageRow(message({ ics: "garbage" }), known, "UTC");
    assert.equal(bad.ics, undefined);
    assert.equal(bad.icsUnreadable, true);
  });

  test("a message being retried says when the next attempt is due", () => {
    const row = o.messageRow(
      message({
        state: DeliveryState.RETRYING,
        attempts: 2,
        lastResult: "SMTP: couldn't connect",
        sendTime: undefined,
        nextAttemptTime: timestampFromMs(Date.UTC(2026, 10, 1, 19, 35)),
      }),
      known,
      "America/Denver",
      "en-GB",
    );
    assert.equal(row.delivery, "retrying (2 attempts): SMTP: couldn't connect");
    assert.equal(row.stateClass, "bad");
    assert.equal(row.when, "next attempt Sun, 1 Nov 2026, 12:35");
  });

  test("the patients whose names are still to read, each once, dealt a few at a time", () => {
    const msgs = [{ patient: "patients/a" }, { patient: "patients/b" }, { patient: "patients/a" }, { patient: "" }, { patient: "patients/c" }, { patient: "patients/k" }];
    assert.deepEqual(o.unknownPatients(msgs, (n) => (n === "patients/k" ? "Kay" : undefined)), ["patients/a", "patients/b", "patients/c"]);
    assert.deepEqual(o.deal(["a", "b", "c", "d", "e"], 3), [["a", "d"], ["b", "e"], ["c"]]);
    assert.deepEqual(o.deal(["a"], 3), [["a"]]);
    assert.deepEqual(o.deal([], 3), []);
  });
});
