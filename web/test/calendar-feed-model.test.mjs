// Unit tests of My day's "Your calendar in your phone"
// (src/staff/home/calendar-feed-model.ts): who has a feed, GetCalendarFeed's
// answer or NOT_FOUND as what the section shows, the feed in words (made,
// last read, in the therapist's zone), what its events show, and failed
// calls in words. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let f;
let access;
let proto;
let npb;
let tz;
let ConnectError;
let Code;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  f = await server.ssrLoadModule("/src/staff/home/calendar-feed-model.ts");
  access = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts");
  proto = await server.ssrLoadModule("@bufbuild/protobuf");
  npb = await server.ssrLoadModule("/src/gen/clinic/notifications/v1/notifications_pb.ts");
  tz = await server.ssrLoadModule("/src/staff/shared/tz.ts");
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
});

after(async () => {
  await server?.close();
});

const denver = "America/Denver";
// Tuesday 10 March 2026, 17:30 in Denver.
const now = Date.UTC(2026, 2, 10, 23, 30);

const feed = (over = {}) =>
  proto.create(npb.CalendarFeedSchema, {
    name: "staff/theo/calendarFeed",
    therapist: "staff/theo",
    createTime: tz.wallToTimestamp("2026-03-02T08:00", denver),
    ...over,
  });

describe("who and what", () => {
  test("therapists have one (their own)", () => {
    const R = access.StaffRole;
    assert.equal(f.canHaveCalendarFeed([R.THERAPIST]), true);
    assert.equal(f.canHaveCalendarFeed([R.ADMIN, R.THERAPIST]), true);
    assert.equal(f.canHaveCalendarFeed([R.FRONT_DESK]), false);
    assert.equal(f.canHaveCalendarFeed([R.ADMIN]), false);
    assert.equal(f.canHaveCalendarFeed(undefined), false);
    assert.deepEqual(f.feedRequest("staff/theo"), { therapist: "staff/theo" });
  });
  test("GetCalendarFeed: a feed, NOT_FOUND as none, other failures in words", () => {
    const got = feed();
    assert.deepEqual(f.feedViewFromGet({ feed: got }), { kind: "on", feed: got });
    assert.deepEqual(f.feedViewFromGet({ error: new ConnectError("no feed", Code.NotFound) }), { kind: "none" });
    const down = f.feedViewFromGet({ error: new ConnectError("down", Code.Unavailable) });
    assert.equal(down.kind, "error");
    assert.match(down.message, /^Your calendar link could not be read\. The server could not be reached/);
    assert.deepEqual(f.feedViewFromGet({ error: new ConnectError("", Code.Unimplemented) }), {
      kind: "error",
      message: "Calendar links are not available on this server yet.",
      unavailable: true,
    });
  });
});

describe("in words", () => {
  test("made, and last read never", () => {
    assert.equal(f.feedMadeLine(feed(), denver, now, "en-GB"), "Made Mon, 2 Mar 2026, last read never");
  });
  test("last read today, or on another day, in the therapist's zone", () => {
    const today = feed({ lastReadTime: tz.wallToTimestamp("2026-03-10T09:15", denver) });
    assert.equal(f.feedMadeLine(today, denver, now, "en-GB"), "Made Mon, 2 Mar 2026, last read today at 09:15");
    const before = feed({ lastReadTime: tz.wallToTimestamp("2026-03-09T22:40", denver) });
    assert.equal(f.feedMadeLine(before, denver, now, "en-GB"), "Made Mon, 2 Mar 2026, last read Mon, 9 Mar 2026 at 22:40");
    // An unknown zone reads in UTC rather than failing.
    assert.match(f.feedMadeLine(today, "Nowhere/City", now, "en-GB"), /last read today at 15:15$/);
  });
  test("what the events show", () => {
    assert.equal(f.patientNamesNote(false), "Events show the appointment type and location, not patient names.");
    assert.match(f.patientNamesNote(true), /patient's name/);
    assert.equal(
      f.subscribeHelp,
      "Add it to your calendar program as a subscription (by URL). Anyone with this link sees your schedule; make a new one or turn it off if it leaks.",
    );
  });
  test("failed actions in words", () => {
    assert.match(f.feedActionError(new ConnectError("down", Code.Unavailable), "create"), /^The calendar link was not made\. The server could not be reached/);
    assert.equal(f.feedActionError(new ConnectError("none", Code.NotFound), "revoke"), "There is no calendar link to turn off.");
    assert.match(f.feedActionError(new ConnectError("no", Code.PermissionDenied), "revoke"), /^The calendar link was not turned off\. You do not have permission/);
  });
});
