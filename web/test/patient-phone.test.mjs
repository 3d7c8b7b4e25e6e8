// Unit tests of how phones are shown (src/staff/patients/phone-model.ts).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/patients/phone-model.ts");
});

after(async () => {
  await server?.close();
});

describe("formatPhone", () => {
  test("US numbers in the national format of a US practice", () => {
    assert.equal(m.practiceRegion, "US");
    assert.equal(m.formatPhone("+13035550142"), "(303) 555-0142");
    assert.equal(m.formatPhone(" +17205550102 "), "(720) 555-0102");
    assert.equal(m.formatPhone("+14165550100", "CA"), "(416) 555-0100");
  });
  test("other countries keep the international form, the country code set apart", () => {
    assert.equal(m.formatPhone("+34612345678"), "+34 612345678");
    assert.equal(m.formatPhone("+4930901820"), "+49 30901820");
    assert.equal(m.formatPhone("+447911123456"), "+44 7911123456");
    assert.equal(m.formatPhone("+35312345678"), "+353 12345678");
    assert.equal(m.formatPhone("+74951234567"), "+7 4951234567");
  });
  test("a +1 number in a practice outside North America is international", () => {
    assert.equal(m.formatPhone("+13035550142", "DE"), "+1 3035550142");
  });
  test("anything not in E.164 is shown as stored", () => {
    assert.equal(m.formatPhone(""), "");
    assert.equal(m.formatPhone("303-555-0142"), "303-555-0142");
    assert.equal(m.formatPhone("+1 303 555 0142"), "+1 303 555 0142");
    assert.equal(m.formatPhone("+1303"), "+1303");
  });
  test("country codes", () => {
    assert.equal(m.countryCode("+13035550142"), "1");
    assert.equal(m.countryCode("+34612345678"), "34");
    assert.equal(m.countryCode("+353123456789"), "353");
    assert.equal(m.countryCode("12345"), "");
  });
});

describe("phoneHref", () => {
  test("a tel: link with the digits and the plus only", () => {
    assert.equal(m.phoneHref("+13035550142"), "tel:+13035550142");
    assert.equal(m.phoneHref("(303) 555-0142"), "tel:3035550142");
    assert.equal(m.phoneHref("none"), "");
  });
});
