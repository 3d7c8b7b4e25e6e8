// Unit tests of the schedule editor's many-days-at-once logic
// (src/staff/admin/admin-model.ts): "Same hours Monday to Friday" and "Copy
// this day to…", which replace rows of one location and keep the others.
// Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let adm;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  adm = await server.ssrLoadModule("/src/staff/admin/admin-model.ts");
});

after(async () => {
  await server?.close();
});

const row = (location, day, start = "09:00", end = "17:00") => ({ location, day: String(day), start, end });

describe("same hours Monday to Friday", () => {
  test("five rows in one go, other days and locations kept", () => {
    const rows = [row("locations/a", 6, "08:00", "12:00"), row("locations/b", 1), row("locations/a", 2, "10:00", "11:00")];
    const out = adm.setSameHours(rows, { location: "locations/a", start: "08:30", end: "16:30" });
    assert.deepEqual(out, [
      row("locations/a", 1, "08:30", "16:30"),
      row("locations/a", 2, "08:30", "16:30"),
      row("locations/a", 3, "08:30", "16:30"),
      row("locations/a", 4, "08:30", "16:30"),
      row("locations/a", 5, "08:30", "16:30"),
      row("locations/a", 6, "08:00", "12:00"),
      row("locations/b", 1),
    ]);
    assert.deepEqual(adm.mondayToFriday, ["1", "2", "3", "4", "5"]);
  });
  test("on an empty schedule", () => {
    const out = adm.setSameHours([], { location: "locations/a", start: "09:00", end: "17:00" });
    assert.equal(out.length, 5);
    assert.deepEqual(out.map((r) => r.day), ["1", "2", "3", "4", "5"]);
  });
  test("what is missing or wrong is said per field", () => {
    assert.deepEqual(adm.checkSameHours({ location: "locations/a", start: "09:00", end: "17:00" }), {});
    assert.deepEqual(adm.checkSameHours({ location: "", start: "", end: "" }), {
      location: "choose a location",
      start: "give a start",
      end: "give an end",
    });
    assert.deepEqual(adm.checkSameHours({ location: "locations/a", start: "17:00", end: "09:00" }), { end: "must be after the start" });
    assert.deepEqual(adm.checkSameHours({ location: "locations/a", start: "17:00", end: "24:00" }), {});
  });
});

describe("copy this day to…", () => {
  test("the day's rows at that location go to the days chosen, replacing theirs", () => {
    const rows = [
      row("locations/a", 1, "08:00", "12:00"),
      row("locations/a", 1, "13:00", "17:00"),
      row("locations/a", 3, "10:00", "11:00"),
      row("locations/b", 3),
    ];
    const out = adm.copyDayTo(rows, 0, ["3", "4", "1"]);
    assert.deepEqual(out, [
      row("locations/a", 1, "08:00", "12:00"),
      row("locations/a", 1, "13:00", "17:00"),
      row("locations/a", 3, "08:00", "12:00"),
      row("locations/a", 3, "13:00", "17:00"),
      row("locations/a", 4, "08:00", "12:00"),
      row("locations/a", 4, "13:00", "17:00"),
      row("locations/b", 3),
    ]);
  });
  test("nothing changes for a row that is not there", () => {
    const rows = [row("locations/a", 1)];
    assert.deepEqual(adm.copyDayTo(rows, 4, ["2"]), rows);
  });
  test("rows read by location, then Monday to Sunday, then start", () => {
    const rows = [row("locations/b", 7), row("locations/a", 2, "13:00"), row("locations/b", 1), row("locations/a", 2, "08:00")];
    assert.deepEqual(adm.sortHoursRows(rows), [row("locations/b", 1), row("locations/b", 7), row("locations/a", 2, "08:00"), row("locations/a", 2, "13:00")]);
  });
  test("days in words", () => {
    assert.equal(adm.daysWords(["1", "2", "3", "4", "5"]), "Monday to Friday");
    assert.equal(adm.daysWords(["5", "3", "1"]), "Monday, Wednesday and Friday");
    assert.equal(adm.daysWords(["2", "4"]), "Tuesday and Thursday");
    assert.equal(adm.daysWords(["7"]), "Sunday");
    assert.equal(adm.daysWords([]), "");
  });
});
