// Unit tests of the public booking flow's logic (src/public/booking-model.ts):
// the 14-day window in the location's zone, openings grouped by local day,
// dates and times in words from local_start strings (whatever this
// process's zone), the details checked before moving on, the BookOnline
// request and its retry key, and failed calls as connect-web gets them
// (BadRequest / ErrorInfo details, 429 with Retry-After, no answer); and
// book.html (its module, no inline script, no staff code). Vite loads the
// TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";

const root = fileURLToPath(new URL("..", import.meta.url));

let server;
let b;
let ConnectError;
let Code;
let BadRequestSchema;
let ErrorInfoSchema;

before(async () => {
  server = await createServer({
    configFile: false,
    root,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  b = await server.ssrLoadModule("/src/public/booking-model.ts");
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema, ErrorInfoSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

const d = (year, month, day) => ({ year, month, day });

function invalid(...violations) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError("invalid request", Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

function withReason(code, reason, message = "no") {
  return new ConnectError(message, code, undefined, [{ desc: ErrorInfoSchema, value: { reason, domain: "booking.clinic" } }]);
}

describe("days", () => {
  test("calendar arithmetic across months, years and leap days", () => {
    assert.deepEqual(b.addDays(d(2026, 12, 25), 13), d(2027, 1, 7));
    assert.deepEqual(b.addDays(d(2028, 2, 28), 1), d(2028, 2, 29));
    assert.deepEqual(b.addDays(d(2027, 2, 28), 1), d(2027, 3, 1));
    assert.deepEqual(b.addDays(d(2027, 3, 1), -1), d(2027, 2, 28));
    assert.equal(b.isoDate(d(2026, 3, 8)), "2026-03-08");
    assert.deepEqual(b.parseIsoDate("2026-12-01T09:00"), d(2026, 12, 1));
    assert.equal(b.parseIsoDate("2026-02-30"), undefined);
    assert.equal(b.parseIsoDate("tomorrow"), undefined);
  });
  test("today is the location's, not the browser's", () => {
    // 2026-12-01 05:30 UTC: still 30 November in Denver, already 1 December in Auckland.
    const now = Date.UTC(2026, 11, 1, 5, 30);
    assert.deepEqual(b.todayIn("America/Denver", now), d(2026, 11, 30));
    assert.deepEqual(b.todayIn("Pacific/Auckland", now), d(2026, 12, 1));
    assert.deepEqual(b.todayIn("Not/AZone", now), d(2026, 12, 1), "an unknown zone: UTC");
  });
  test("the window: 14 days, one FindOpenings from the first to the last", () => {
    const days = b.windowFrom(d(2026, 12, 25));
    assert.equal(days.length, 14);
    assert.deepEqual(days[0], d(2026, 12, 25));
    assert.deepEqual(days[13], d(2027, 1, 7));
    assert.deepEqual(b.findOpeningsRequest("appointmentTypes/s", "locations/l", d(2026, 12, 25)), {
      appointmentType: "appointmentTypes/s",
      location: "locations/l",
      startDate: d(2026, 12, 25),
      endDate: d(2027, 1, 7),
    });
    const one = b.findOpeningsRequest("t", "l", d(2026, 12, 1), d(2026, 12, 1));
    assert.deepEqual([one.startDate, one.endDate], [d(2026, 12, 1), d(2026, 12, 1)], "one day, to reload it");
  });
});

describe("openings by day", () => {
  const o = (localStart) => ({ localStart, timeZone: "America/Denver", therapist: "t" });
  const openings = [o("2026-12-02T10:00"), o("2026-12-01T13:30"), o("2026-12-01T09:00"), o("2026-12-04T08:15")];

  test("grouped by local day, earliest first", () => {
    const byDay = b.groupByDay(openings);
    assert.deepEqual([...byDay.keys()], ["2026-12-01", "2026-12-02", "2026-12-04"]);
    assert.deepEqual(
      byDay.get("2026-12-01").map((x) => x.localStart),
      ["2026-12-01T09:00", "2026-12-01T13:30"],
    );
  });
  test("each day of the window counted; the first open day; the next one after a day without", () => {
    const counts = b.dayCounts(b.windowFrom(d(2026, 11, 30)), b.groupByDay(openings));
    assert.equal(counts.length, 14);
    assert.deepEqual(counts.slice(0, 6), [
      { date: "2026-11-30", count: 0 },
      { date: "2026-12-01", count: 2 },
      { date: "2026-12-02", count: 1 },
      { date: "2026-12-03", count: 0 },
      { date: "2026-12-04", count: 1 },
      { date: "2026-12-05", count: 0 },
    ]);
    assert.equal(b.firstOpenDay(counts), "2026-12-01");
    assert.equal(b.nextOpenDay(counts, "2026-12-03"), "2026-12-04");
    assert.equal(b.nextOpenDay(counts, "2026-12-05"), undefined);
    assert.equal(b.firstOpenDay(counts.map((c) => ({ ...c, count: 0 }))), undefined);
  });
  test("a day reloaded replaces that day only", () => {
    const fresh = [o("2026-12-01T09:30"), o("2026-12-01T14:00")];
    assert.deepEqual(
      b.replaceDay(openings, "2026-12-01", fresh).map((x) => x.localStart),
      ["2026-12-01T09:30", "2026-12-01T14:00", "2026-12-02T10:00", "2026-12-04T08:15"],
    );
    assert.deepEqual(
      b.replaceDay(openings, "2026-12-01", []).map((x) => x.localStart),
      ["2026-12-02T10:00", "2026-12-04T08:15"],
    );
  });
});

describe("in words", () => {
  test("dates and times are read from local_start as they are, whatever this process's zone", () => {
    assert.equal(b.timeInWords("2026-12-01T09:00"), "9:00 AM");
    assert.equal(b.timeInWords("2026-12-01T12:30"), "12:30 PM");
    assert.equal(b.timeInWords("2026-12-01T00:15"), "12:15 AM");
    assert.equal(b.timeInWords("2026-12-01T17:05"), "5:05 PM");
    assert.equal(b.dayInWords("2026-12-01", 2026), "Tuesday 1 December");
    assert.equal(b.dayInWords("2027-01-01", 2026), "Friday 1 January 2027", "another year says so");
    assert.equal(b.dayInWords("2026-03-08"), "Sunday 8 March 2026");
    assert.deepEqual(b.dayShort("2026-12-01"), { weekday: "Tue", day: "1", month: "Dec" });
    assert.equal(b.whenInWords("2026-12-01T09:00", 2026), "Tuesday 1 December at 9:00 AM");
    // The weekday of a day near midnight UTC does not move with the process's zone.
    const tz = process.env.TZ;
    try {
      for (const zone of ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"]) {
        process.env.TZ = zone;
        assert.equal(b.dayInWords("2026-12-01", 2026), "Tuesday 1 December", zone);
        assert.equal(b.timeInWords("2026-12-01T23:45"), "11:45 PM", zone);
      }
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
  test("the summary of a booking", () => {
    assert.equal(
      b.bookingSummary("Free screening", "2026-12-01T09:00", "Boulder – Pearl Street", 2026),
      "Free screening, Tuesday 1 December at 9:00 AM, Boulder – Pearl Street",
    );
    assert.equal(b.birthDateInWords(d(1990, 4, 2)), "2 April 1990");
  });
  test("the type chosen at first is the free screening; types read with their length", () => {
    const types = [
      { name: "appointmentTypes/e", displayName: "Initial evaluation", minutes: 60 },
      { name: "appointmentTypes/s", displayName: "Free screening", minutes: 30 },
    ];
    assert.equal(b.defaultType(types), "appointmentTypes/s");
    assert.equal(b.defaultType([types[0]]), "appointmentTypes/e", "else the first");
    assert.equal(b.defaultType([]), "");
    assert.equal(b.typeLabel(types[1]), "Free screening · 30 minutes");
  });
  test("the campaign comes from the landing page's link, and only a plain one", () => {
    assert.equal(b.campaignFrom("?campaign=conditions/inner-knee-pain"), "conditions/inner-knee-pain");
    assert.equal(b.campaignFrom("?campaign=conditions%2Finner-knee-pain&x=1"), "conditions/inner-knee-pain");
    assert.equal(b.campaignFrom(""), "");
    for (const bad of ["<script>", "a//b", "/x", "x/", "A", "x y", "x".repeat(101)]) {
      assert.equal(b.campaignFrom("?campaign=" + encodeURIComponent(bad)), "", bad);
    }
  });
});

const details = (over = {}) => ({
  given_name: " Ann ",
  family_name: " Lee ",
  birth_day: "2",
  birth_month: "04",
  birth_year: "1990",
  email: " ann@example.com ",
  phone: "",
  consent_to_contact: true,
  website: "",
  ...over,
});

const ts = (seconds) => ({ $typeName: "google.protobuf.Timestamp", seconds: BigInt(seconds), nanos: 0 });
const chosen = (over = {}) => ({
  appointmentType: "appointmentTypes/s",
  location: "locations/l",
  opening: { startTime: ts(1796140800), localStart: "2026-12-01T09:00", timeZone: "America/Denver", therapist: "opaque-t1" },
  ...over,
});

describe("details", () => {
  test("the date of birth from three fields", () => {
    assert.deepEqual(b.birthDate(details()), d(1990, 4, 2));
    assert.equal(b.birthDate(details({ birth_day: "31", birth_month: "4" })), undefined, "no 31 April");
    assert.equal(b.birthDate(details({ birth_year: "90" })), undefined, "a four-digit year");
    assert.equal(b.birthDate(details({ birth_month: "x" })), undefined);
    assert.equal(b.birthDate(details({ birth_day: "" })), undefined);
  });
  test("what is plainly missing is said before moving on", () => {
    assert.deepEqual(b.checkDetails(details()), { fields: {}, other: [] });
    assert.deepEqual(b.checkDetails(details({ email: "", phone: "303 555 0100" })).fields, {}, "a phone is enough");
    const empty = b.checkDetails(
      details({ given_name: " ", family_name: "", birth_day: "", birth_month: "", birth_year: "", email: "", consent_to_contact: false }),
    );
    assert.deepEqual(Object.keys(empty.fields), ["given_name", "family_name", "birth_date", "email", "consent_to_contact"]);
    assert.match(empty.fields.given_name, /first name/);
    assert.match(empty.fields.family_name, /last name/);
    assert.match(b.checkDetails(details({ birth_day: "31", birth_month: "2" })).fields.birth_date, /real date/);
  });
  test("the BookOnline request: the opening passed back unchanged, trimmed text, the campaign, the honeypot as it is", () => {
    const req = b.bookRequest(chosen(), details(), "conditions/inner-knee-pain", "rid-1");
    assert.deepEqual(req, {
      requestId: "rid-1",
      appointmentType: "appointmentTypes/s",
      location: "locations/l",
      therapist: "opaque-t1",
      startTime: ts(1796140800),
      person: { givenName: "Ann", familyName: "Lee", birthDate: d(1990, 4, 2), email: "ann@example.com", phone: "" },
      consentToContact: true,
      campaign: "conditions/inner-knee-pain",
      website: "",
    });
    assert.equal(b.bookRequest(chosen(), details({ website: "x" }), "", "r").website, "x");
    assert.equal(b.bookRequest(chosen(), details({ birth_day: "" }), "", "r").person.birthDate, undefined);
  });
  test("the same booking again keeps its request_id; another time or other details do not", () => {
    const key = b.bookingKey(chosen(), details(), "c");
    assert.equal(key, b.bookingKey(chosen(), details({ given_name: "Ann" }), "c"), "only trimmed differences");
    const later = chosen({ opening: { ...chosen().opening, startTime: ts(1796142600), localStart: "2026-12-01T09:30" } });
    assert.notEqual(key, b.bookingKey(later, details(), "c"));
    assert.notEqual(key, b.bookingKey(chosen(), details({ email: "ann@example.org" }), "c"));
    assert.equal(b.keepsRequestId(new ConnectError("down", Code.Unavailable)), true);
    assert.equal(b.keepsRequestId(new TypeError("Failed to fetch")), true);
    assert.equal(b.keepsRequestId(new ConnectError("slow down", Code.ResourceExhausted)), true);
    assert.equal(b.keepsRequestId(invalid(["person.email", "is not valid"])), false);
    assert.equal(b.keepsRequestId(withReason(Code.AlreadyExists, "SLOT_TAKEN")), false);
    assert.equal(b.keepsRequestId(new ConnectError("refused", Code.FailedPrecondition)), false);
  });
});

describe("a failed BookOnline", () => {
  test("a time taken meanwhile: reload the day and say so", () => {
    for (const reason of ["SLOT_TAKEN", "SLOT_HELD", "PATIENT_BUSY"]) {
      assert.deepEqual(b.classifyBookingError(withReason(Code.AlreadyExists, reason)), {
        kind: "taken",
        message: "That time was just taken. Here are the nearest other times.",
      });
    }
    assert.equal(b.classifyBookingError(new ConnectError("exists", Code.AlreadyExists)).kind, "taken", "ALREADY_EXISTS without a reason");
    assert.equal(b.classifyBookingError(withReason(Code.FailedPrecondition, "SLOT_HELD")).kind, "taken", "the reason whatever the code");
    assert.equal(b.errorReason(withReason(Code.AlreadyExists, "SLOT_TAKEN")), "SLOT_TAKEN");
    assert.equal(b.errorReason(new ConnectError("x", Code.AlreadyExists)), undefined);
  });
  test("the person's fields at the details form (request paths, snake or camel case, deeper paths)", () => {
    const f = b.classifyBookingError(
      invalid(
        ["person.given_name", "is required"],
        ["person.familyName", "is required"],
        ["person.birth_date.year", "must not be in the future"],
        ["person.email", "is not an email address"],
        ["consent_to_contact", "is needed"],
        ["request_id", "must be a UUID"],
      ),
    );
    assert.deepEqual(f, {
      kind: "invalid",
      step: "details",
      fields: {
        given_name: "is required",
        family_name: "is required",
        birth_date: "must not be in the future",
        email: "is not an email address",
        consent_to_contact: "is needed",
      },
      other: ["Must be a UUID."],
    });
  });
  test("a violation of the chosen time goes back to the times; of the location or type, to the start", () => {
    assert.deepEqual(b.classifyBookingError(invalid(["start_time", "is too soon"], ["person.phone", "is not a phone number"])), {
      kind: "invalid",
      step: "time",
      fields: { phone: "is not a phone number" },
      other: ["Is too soon."],
    });
    assert.equal(b.classifyBookingError(invalid(["therapist", "choose a time"])).step, "time");
    assert.equal(b.classifyBookingError(invalid(["location", "choose a location"])).step, "where");
    assert.equal(b.classifyBookingError(invalid(["appointmentType", "choose a kind"])).step, "where");
    assert.deepEqual(b.classifyBookingError(invalid(["person", "tell us who is coming"])), {
      kind: "invalid",
      step: "details",
      fields: {},
      other: ["Tell us who is coming."],
    });
    assert.deepEqual(b.classifyBookingError(invalid(["request_id", "must be a UUID"])), {
      kind: "invalid",
      step: "confirm",
      fields: {},
      other: ["Must be a UUID."],
    });
  });
  test("a refusal: its message; no answer or a busy server: try again with the same booking", () => {
    assert.deepEqual(b.classifyBookingError(new ConnectError("online booking is closed for this location", Code.FailedPrecondition)), {
      kind: "message",
      message: "Online booking is closed for this location.",
      retry: false,
    });
    assert.deepEqual(b.classifyBookingError(new ConnectError("bad", Code.InvalidArgument)), { kind: "message", message: "Bad.", retry: false });
    for (const err of [new TypeError("Failed to fetch"), new ConnectError("down", Code.Unavailable), new ConnectError("slow", Code.DeadlineExceeded)]) {
      assert.deepEqual(b.classifyBookingError(err), { kind: "message", message: b.networkTrouble, retry: true });
    }
    assert.equal(b.classifyBookingError(new ConnectError("boom", Code.Internal)).retry, true);
  });
  test("429: too many requests, with the wait the server asked for", () => {
    const limited = new ConnectError("too many requests", Code.ResourceExhausted, { "retry-after": "20" });
    assert.equal(b.retryAfterSeconds(limited), 20);
    assert.deepEqual(b.classifyBookingError(limited), {
      kind: "message",
      message: "Too many requests from this connection; please try again in 20 seconds.",
      retry: true,
    });
    assert.equal(b.rateLimitMessage(new ConnectError("too many", Code.ResourceExhausted)), b.tooManyRequests);
    assert.equal(b.rateLimitMessage(new ConnectError("too many", Code.ResourceExhausted, { "retry-after": "3600" })), b.tooManyRequests);
    // A 429 whose body was not a Connect error (connect-web: Unavailable "HTTP 429").
    assert.equal(b.describeLoadError(new ConnectError("HTTP 429", Code.Unavailable)), b.tooManyRequests);
  });
  test("a failed load in words", () => {
    assert.match(b.describeLoadError(new TypeError("Failed to fetch")), /could not reach the clinic/);
    assert.equal(b.describeLoadError(new ConnectError("end_date: at most 14 days at a time", Code.InvalidArgument)), "End_date: at most 14 days at a time.");
    assert.match(b.describeLoadError(new ConnectError("boom", Code.Internal)), /went wrong on our side/);
  });
});

describe("book.html", () => {
  test("loads the booking module, no inline script, nothing of the staff app", async () => {
    const html = await readFile(join(root, "book.html"), "utf8");
    assert.match(html, /<script type="module" src="\/src\/public\/book\.ts"><\/script>/);
    assert.doesNotMatch(html, /src\/staff/);
    const { inlineProblems } = await import(new URL("../scripts/check-dist.mjs", import.meta.url));
    assert.deepEqual(inlineProblems(html), []);
    // The honeypot: hidden from people and from assistive technology, out of the tab order.
    assert.match(html, /<div class="visually-hidden" aria-hidden="true">\s*<label for="bk-website">Leave this empty<\/label>\s*<input id="bk-website" name="website" type="text" tabindex="-1" autocomplete="off" \/>/);
  });
  test("the landing page links to it with its campaign", async () => {
    const html = await readFile(join(root, "index.html"), "utf8");
    assert.match(html, /href="\/book\.html\?campaign=conditions\/inner-knee-pain"[^>]*>Book a free screening</);
  });
  test("vite builds it as a page", async () => {
    const config = await readFile(join(root, "vite.config.ts"), "utf8");
    assert.match(config, /book: fileURLToPath\(new URL\("book\.html"/);
  });
});
