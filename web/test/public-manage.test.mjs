// Unit tests of the manage page's logic (src/public/manage-model.ts) and of
// the booking confirmation's manage link (src/public/booking-model.ts): the
// token read from `?t=` or `#t=` and the address without it, the state in
// plain words, the requests, and failed calls as connect-web gets them
// (NOT_FOUND, ALREADY_EXISTS / SLOT_TAKEN, FAILED_PRECONDITION, 429 with
// Retry-After, no answer); and manage.html (its module, no inline script,
// referrer policy first, no staff code). Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";

const root = fileURLToPath(new URL("..", import.meta.url));

let server;
let m;
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
  m = await server.ssrLoadModule("/src/public/manage-model.ts");
  b = await server.ssrLoadModule("/src/public/booking-model.ts");
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema, ErrorInfoSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

// 43 characters of base64url, as BookOnline's manage_token.
const token = "Ab3_-Zx9QrStUvWxYz0123456789abcdefghijklmno";
const other = "zZ9-_Yx8PqRsTuVwXy9876543210ABCDEFGHIJKLMNO";

const appointment = (over = {}) => ({
  summary: "Free screening at Boulder – Pearl Street on Tuesday 1 December 2026 at 9:00 AM (America/Denver).",
  appointmentType: "appointmentTypes/screening",
  location: "locations/pearl",
  localStart: "2026-12-01T09:00",
  timeZone: "America/Denver",
  active: true,
  cancelled: false,
  changeable: true,
  ...over,
});

function withReason(code, reason, message = "no") {
  return new ConnectError(message, code, undefined, [{ desc: ErrorInfoSchema, value: { reason, domain: "booking.clinic" } }]);
}

describe("the token in the address", () => {
  test("the fixture is a token", () => {
    assert.equal(token.length, 43);
    assert.ok(b.isManageToken(token));
  });
  test("from the query, as the confirmation links", () => {
    assert.deepEqual(m.tokenFrom(`?t=${token}`, ""), { kind: "token", token });
    assert.deepEqual(m.tokenFrom(`?campaign=x&t=${token}`, "#main"), { kind: "token", token });
    // Spaces around it (a link copied from a message) are dropped; an escaped one is read as it is.
    assert.deepEqual(m.tokenFrom(`?t=%20${token}%0A`, ""), { kind: "token", token });
    assert.deepEqual(m.tokenFrom(`?t=${encodeURIComponent(token)}`, ""), { kind: "token", token });
  });
  test("from the fragment (#t=), which never reaches the server", () => {
    assert.deepEqual(m.tokenFrom("", `#t=${token}`), { kind: "token", token });
    assert.deepEqual(m.tokenFrom("", `t=${token}`), { kind: "token", token });
    assert.deepEqual(m.tokenFrom("?x=1", `#a=1&t=${token}`), { kind: "token", token });
  });
  test("the query first; else the first that is a token", () => {
    assert.deepEqual(m.tokenFrom(`?t=${token}`, `#t=${other}`), { kind: "token", token });
    assert.deepEqual(m.tokenFrom("?t=short", `#t=${other}`), { kind: "token", token: other });
    assert.deepEqual(m.tokenFrom(`?t=short&t=${other}`, ""), { kind: "token", token: other });
  });
  test("a t that is not a token is malformed (the page asks nobody); no t is none", () => {
    for (const bad of [
      "short",
      "",
      token.slice(1), // 42
      token + "A", // 44
      token.slice(0, 42) + "+", // base64, not base64url
      token.slice(0, 42) + "/",
      token.slice(0, 42) + "=",
      token.slice(0, 42) + ".",
      `${token.slice(0, 20)} ${token.slice(21)}`,
    ]) {
      assert.deepEqual(m.tokenFrom(`?t=${encodeURIComponent(bad)}`, ""), { kind: "malformed" }, JSON.stringify(bad));
    }
    assert.deepEqual(m.tokenFrom("?t", ""), { kind: "malformed" });
    assert.deepEqual(m.tokenFrom("", "#t=nope"), { kind: "malformed" });
    assert.deepEqual(m.tokenFrom("", ""), { kind: "none" });
    assert.deepEqual(m.tokenFrom("?campaign=x", "#main"), { kind: "none" });
    assert.deepEqual(m.tokenFrom(`?token=${token}`, ""), { kind: "none" }, "only t");
  });
  test("the address without the token: t dropped from the query and the fragment, the rest kept", () => {
    assert.equal(m.addressWithoutToken("/manage.html", `?t=${token}`, ""), "/manage.html");
    assert.equal(m.addressWithoutToken("/manage.html", `?a=1&t=${token}&b=2`, ""), "/manage.html?a=1&b=2");
    assert.equal(m.addressWithoutToken("/manage.html", "", `#t=${token}`), "/manage.html");
    assert.equal(m.addressWithoutToken("/manage.html", "?a=1", `#x=2&t=${token}`), "/manage.html?a=1#x=2");
    assert.equal(m.addressWithoutToken("/manage.html", "?t=short&t=again", "#main"), "/manage.html#main", "every t; a plain fragment stays");
    assert.equal(m.addressWithoutToken("/manage.html", "", ""), "/manage.html");
    for (const [search, hash] of [[`?t=${token}`, ""], ["", `#t=${token}`], ["?a=1", `#b=2&t=${token}`]]) {
      assert.ok(!m.addressWithoutToken("/manage.html", search, hash).includes(token));
    }
  });
});

describe("the confirmation's manage link", () => {
  test("/manage.html?t=<token>, and the whole address as its text", () => {
    assert.deepEqual(b.manageLink("https://clinic.example", token), {
      href: `/manage.html?t=${token}`,
      text: `https://clinic.example/manage.html?t=${token}`,
    });
    assert.equal(b.manageLink("http://127.0.0.1:8080/", ` ${token} `).text, `http://127.0.0.1:8080/manage.html?t=${token}`);
  });
  test("no link without a token (an older service): the page says to call", () => {
    assert.equal(b.manageLink("https://clinic.example", ""), undefined);
    assert.equal(b.manageLink("https://clinic.example", "short"), undefined);
    assert.equal(b.manageLink("https://clinic.example", token + "<"), undefined);
  });
});

describe("the state in words", () => {
  test("booked and changeable / booked, too late / cancelled / over", () => {
    assert.equal(m.stateOf(appointment()), "changeable");
    assert.equal(m.stateOf(appointment({ changeable: false })), "booked");
    assert.equal(m.stateOf(appointment({ active: false, cancelled: true, changeable: false })), "cancelled");
    assert.equal(m.stateOf(appointment({ active: false, changeable: false })), "closed");
    // Cancelled wins, whatever else the flags say.
    assert.equal(m.stateOf(appointment({ cancelled: true })), "cancelled");
    // Not active: never changeable here.
    assert.equal(m.stateOf(appointment({ active: false, changeable: true })), "closed");
  });
  test("plain words for each", () => {
    assert.deepEqual(m.stateInWords(appointment()), {
      title: "You are booked.",
      detail: "You can choose another time or cancel the appointment here.",
    });
    const late = m.stateInWords(appointment({ changeable: false }));
    assert.equal(late.title, "You are booked.");
    assert.match(late.detail, /no longer be changed online.*call us/);
    const cancelled = m.stateInWords(appointment({ active: false, cancelled: true, changeable: false }));
    assert.equal(cancelled.title, "This appointment is cancelled.");
    assert.match(cancelled.detail, /book a new appointment/);
    const closed = m.stateInWords(appointment({ active: false, changeable: false }));
    assert.equal(closed.title, "This appointment can no longer be changed online.");
    assert.equal(closed.detail, "If you need help, call us.");
  });
  test("the summary: the service's, else the time in words", () => {
    assert.equal(m.summaryOf(appointment()), appointment().summary);
    assert.equal(m.summaryOf(appointment({ summary: "  " }), 2026), "Tuesday 1 December at 9:00 AM.");
    assert.equal(m.summaryOf(appointment({ summary: "", localStart: "2027-01-05T14:30" }), 2026), "Tuesday 5 January 2027 at 2:30 PM.");
    assert.equal(m.summaryOf(appointment({ summary: "", localStart: "" })), "");
  });
  test("after a change", () => {
    assert.equal(m.movedMessage("2026-12-02T10:15", 2026), "Your appointment is moved to Wednesday 2 December at 10:15 AM.");
    assert.match(m.cancelledMessage, /^Your appointment is cancelled\./);
  });
});

describe("another time", () => {
  test("FindOpenings: same type and location, 14 days from today in the appointment's zone", () => {
    // 2026-12-01 05:30 UTC: still 30 November in Denver.
    const now = Date.UTC(2026, 11, 1, 5, 30);
    const { today, request } = m.openingsRequestFor(appointment(), now);
    assert.deepEqual(today, { year: 2026, month: 11, day: 30 });
    assert.deepEqual(request, {
      appointmentType: "appointmentTypes/screening",
      location: "locations/pearl",
      startDate: { year: 2026, month: 11, day: 30 },
      endDate: { year: 2026, month: 12, day: 13 },
    });
    assert.deepEqual(m.openingsRequestFor(appointment({ timeZone: "Pacific/Auckland" }), now).today, { year: 2026, month: 12, day: 1 });
  });
  test("the appointment's own time is not offered", () => {
    const openings = [{ localStart: "2026-12-01T09:00" }, { localStart: "2026-12-01T09:30" }, { localStart: "2026-12-02T09:00" }];
    assert.deepEqual(m.otherOpenings(openings, "2026-12-01T09:00"), openings.slice(1));
    // Grouped by day with the booking page's own functions.
    const byDay = b.groupByDay(m.otherOpenings(openings, "2026-12-01T09:00"));
    assert.deepEqual([...byDay.keys()], ["2026-12-01", "2026-12-02"]);
  });
  test("RescheduleManagedAppointment: the opening's therapist and start passed back unchanged", () => {
    const startTime = { seconds: 1796140800n, nanos: 0 };
    const opening = { therapist: "opaque-7", startTime, localStart: "2026-12-01T10:00", timeZone: "America/Denver" };
    const req = m.rescheduleRequest(token, opening, "rid-1");
    assert.deepEqual(req, { token, therapist: "opaque-7", startTime, requestId: "rid-1" });
    assert.equal(req.startTime, startTime, "the same Timestamp");
  });
  test("the move's retry key: the same opening keeps its request_id, another one gets a new one", () => {
    const at = (seconds, therapist = "t1") => ({ therapist, startTime: { seconds, nanos: 0 }, localStart: "x" });
    assert.equal(m.moveKey(at(100n)), m.moveKey(at(100n)));
    assert.notEqual(m.moveKey(at(100n)), m.moveKey(at(160n)));
    assert.notEqual(m.moveKey(at(100n)), m.moveKey(at(100n, "t2")));
    // The booking page's rule of which errors keep it.
    assert.equal(b.keepsRequestId(new ConnectError("no answer", Code.Unavailable)), true);
    assert.equal(b.keepsRequestId(new ConnectError("taken", Code.AlreadyExists)), false);
  });
});

describe("failed calls", () => {
  test("NOT_FOUND, whatever the call: the link opens nothing, always in the same words", () => {
    const gone = new ConnectError("This link does not open an appointment (any more).", Code.NotFound);
    for (const action of ["load", "move", "cancel"]) {
      assert.deepEqual(m.classifyManageError(gone, action), { kind: "gone", message: m.goneMessage }, action);
      // Whatever the service's own words.
      assert.deepEqual(m.classifyManageError(new ConnectError("not found", Code.NotFound), action), { kind: "gone", message: m.goneMessage });
    }
    assert.equal(m.goneMessage, "This link does not open an appointment (any more).");
    assert.equal(`${m.goneMessage} ${m.goneHelp}`, "This link does not open an appointment (any more). If you need help, call us.");
  });
  test("moving: the time was just taken (ALREADY_EXISTS, or ErrorInfo SLOT_TAKEN)", () => {
    const expected = { kind: "taken", message: "That time was just taken. Please choose another time." };
    assert.deepEqual(m.classifyManageError(withReason(Code.AlreadyExists, "SLOT_TAKEN", "taken"), "move"), expected);
    assert.deepEqual(m.classifyManageError(new ConnectError("exists", Code.AlreadyExists), "move"), expected);
    assert.deepEqual(m.classifyManageError(withReason(Code.Aborted, "SLOT_HELD"), "move"), expected);
    // Not an opening (any more): its words, and the other times.
    assert.deepEqual(m.classifyManageError(new ConnectError("start_time is not an opening", Code.InvalidArgument), "move"), {
      kind: "taken",
      message: "Start_time is not an opening. Please choose another time.",
    });
    const fields = new ConnectError("invalid", Code.InvalidArgument, undefined, [
      { desc: BadRequestSchema, value: { fieldViolations: [{ field: "start_time", description: "not open" }] } },
    ]);
    assert.equal(m.classifyManageError(fields, "move").kind, "taken");
  });
  test("FAILED_PRECONDITION: it can no longer be changed online", () => {
    assert.deepEqual(m.classifyManageError(new ConnectError("too close to the start to change online", Code.FailedPrecondition), "move"), {
      kind: "locked",
      message: "Too close to the start to change online.",
    });
    assert.deepEqual(m.classifyManageError(new ConnectError("", Code.FailedPrecondition), "cancel"), {
      kind: "locked",
      message: m.lockedMessage,
    });
  });
  test("429: the wait in words, and trying again may work", () => {
    const limited = new ConnectError("too many requests", Code.ResourceExhausted, { "retry-after": "3" });
    for (const action of ["load", "move", "cancel"]) {
      assert.deepEqual(m.classifyManageError(limited, action), {
        kind: "message",
        message: "Too many requests from this connection; please try again in 3 seconds.",
        retry: true,
      });
    }
    // A 429 whose body was not a Connect error.
    const plain = m.classifyManageError(new ConnectError("HTTP 429", Code.Unavailable), "load");
    assert.equal(plain.kind, "message");
    assert.match(plain.message, /^Too many requests/);
  });
  test("no answer, or a failure on the clinic's side: words, and try again", () => {
    const noAnswer = m.classifyManageError(new TypeError("Failed to fetch"), "load");
    assert.equal(noAnswer.kind, "message");
    assert.match(noAnswer.message, /could not reach the clinic/);
    assert.equal(noAnswer.retry, true);
    assert.equal(m.classifyManageError(new ConnectError("timeout", Code.DeadlineExceeded), "cancel").retry, true);
    const internal = m.classifyManageError(new ConnectError("boom", Code.Internal), "move");
    assert.match(internal.message, /went wrong on our side/);
    assert.equal(internal.retry, true);
  });
  test("other refusals: their words, nothing to retry; only moving knows ALREADY_EXISTS as taken", () => {
    const exists = m.classifyManageError(new ConnectError("exists", Code.AlreadyExists), "cancel");
    assert.equal(exists.kind, "message");
    assert.equal(exists.retry, false);
    const invalid = m.classifyManageError(new ConnectError("token: required", Code.InvalidArgument), "load");
    assert.deepEqual(invalid, { kind: "message", message: "Token: required.", retry: false });
    assert.equal(m.classifyManageError(new ConnectError("no", Code.PermissionDenied), "load").retry, false);
  });
});

describe("manage.html", () => {
  test("loads the manage module, no inline script or style, nothing of the staff app", async () => {
    const html = await readFile(join(root, "manage.html"), "utf8");
    assert.match(html, /<script type="module" src="\/src\/public\/manage\.ts"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="\/src\/public\/site\.css" \/>/);
    assert.doesNotMatch(html, /src\/staff/);
    const { inlineProblems } = await import(new URL("../scripts/check-dist.mjs", import.meta.url));
    assert.deepEqual(inlineProblems(html), []);
  });
  test("the referrer policy comes before anything the page loads", async () => {
    const html = await readFile(join(root, "manage.html"), "utf8");
    const policy = html.indexOf('<meta name="referrer" content="no-referrer" />');
    assert.ok(policy > 0, "a no-referrer policy");
    for (const tag of ["<link", "<script"]) assert.ok(policy < html.indexOf(tag), `before the first ${tag}`);
  });
  test("the page's parts for the cancel check are in the page (no window.confirm)", async () => {
    const html = await readFile(join(root, "manage.html"), "utf8");
    assert.match(html, /<h2 id="mg-cancel-title" tabindex="-1">Cancel this appointment\?<\/h2>/);
    const code = await readFile(join(root, "src/public/manage.ts"), "utf8");
    assert.doesNotMatch(code, /\b(?:window\.)?confirm\(/);
    assert.doesNotMatch(code, /innerHTML/);
  });
  test("vite builds it as a page", async () => {
    const config = await readFile(join(root, "vite.config.ts"), "utf8");
    assert.match(config, /manage: fileURLToPath\(new URL\("manage\.html"/);
  });
  test("the booking confirmation has the manage link and says to keep it private", async () => {
    const html = await readFile(join(root, "book.html"), "utf8");
    assert.match(html, /To change or cancel, use this link: <a id="bk-manage-link" href="\/manage\.html"><\/a>/);
    assert.match(html, /Whoever has this link can change or cancel your booking, so keep it private\./);
  });
});
