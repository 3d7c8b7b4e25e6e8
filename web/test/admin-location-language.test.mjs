// Unit tests of a location's "Language of patient emails" in the admin
// location editor (src/staff/admin/admin-model.ts): English for a location
// that names none, the choices (English / Español, and an other code kept as
// it is), the Location sent on create, and the update mask of an edit. Vite
// loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let adm;
let pb;
let proto;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  adm = await server.ssrLoadModule("/src/staff/admin/admin-model.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts");
  proto = await server.ssrLoadModule("@bufbuild/protobuf");
});

after(async () => {
  await server?.close();
});

const location = (extra = {}) =>
  proto.create(pb.LocationSchema, {
    name: "locations/boulder",
    displayName: "Boulder",
    timeZone: "America/Denver",
    slotMinutes: 15,
    openingHours: [{ day: 1, open: { hours: 8 }, close: { hours: 18 } }],
    etag: "e",
    ...extra,
  });

describe("the language of patient emails", () => {
  test("English for a new location and for one that names none", () => {
    assert.equal(adm.emptyLocationForm().language, "en");
    assert.equal(adm.locationForm(location()).language, "en");
    assert.equal(adm.locationForm(location({ language: "es" })).language, "es");
  });
  test("the choices: English / Español; another code set elsewhere is kept as a choice", () => {
    assert.deepEqual(adm.languageOptions("en"), [
      ["en", "English"],
      ["es", "Español"],
    ]);
    assert.deepEqual(adm.languageOptions(""), adm.languageOptions("es"));
    assert.deepEqual(adm.languageOptions("fr").at(-1), ["fr", "fr"]);
    assert.ok(adm.locationFields.includes("language"), "a field errors can name (location.language)");
  });
  test("sent in the Location like the other fields", () => {
    const f = { ...adm.emptyLocationForm(), display_name: "Pearl", time_zone: "America/Denver", language: "es" };
    assert.equal(adm.locationFromForm(f).language, "es");
    assert.equal(adm.locationFromForm({ ...f, language: "" }).language, "en");
  });
  test("the update mask names it only when it changed", () => {
    const before = adm.locationForm(location());
    assert.deepEqual(adm.locationMask(before, before), []);
    assert.deepEqual(adm.locationMask(before, { ...before, language: "es" }), ["language"]);
    assert.deepEqual(adm.locationMask(before, { ...before, language: "es", phone: "+1 303 555 0100" }), ["phone", "language"]);
    // A location that named none reads as English: choosing English changes nothing.
    assert.deepEqual(adm.locationMask(adm.locationForm(location({ language: "" })), { ...before, language: "en" }), []);
  });
});
