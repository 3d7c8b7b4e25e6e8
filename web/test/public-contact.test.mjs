// Unit tests of the public site's contact form logic
// (src/public/contact-model.ts): the RequestContact request, the retry key,
// server errors as connect-web gets them (BadRequest details at the fields,
// 429, no answer), the location options; and that nothing the public site
// loads imports the staff app. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile, readdir } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";

const root = fileURLToPath(new URL("..", import.meta.url));

let server;
let c;
let booking;
let ConnectError;
let Code;
let BadRequestSchema;

before(async () => {
  server = await createServer({
    configFile: false,
    root,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  c = await server.ssrLoadModule("/src/public/contact-model.ts");
  booking = await server.ssrLoadModule("/src/gen/clinic/booking/v1/booking_service_pb.ts");
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

const values = (over = {}) => ({
  given_name: " Ann ",
  family_name: "Lee",
  phone: " +1 555 0100 ",
  email: "",
  preferred_contact: "sms",
  preferred_times: "evenings",
  location: "locations/north",
  pain_area: "knee",
  concern: "inner knee, 3 weeks ",
  consent_to_contact: true,
  website: "",
  ...over,
});

function invalid(...violations) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError("invalid request", Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

describe("the request", () => {
  test("values -> RequestContact: trimmed text, enums, the campaign, the honeypot as it is", () => {
    const req = c.contactRequest(values(), "rid-1");
    assert.deepEqual(req, {
      requestId: "rid-1",
      givenName: "Ann",
      familyName: "Lee",
      phone: "+1 555 0100",
      email: "",
      preferredContact: booking.PreferredContact.SMS,
      preferredTimes: "evenings",
      location: "locations/north",
      concern: "inner knee, 3 weeks",
      painArea: booking.PainArea.KNEE,
      consentToContact: true,
      campaign: "conditions/inner-knee-pain",
      website: "",
    });
    const none = c.contactRequest(values({ preferred_contact: "", pain_area: "", location: "" }), "r");
    assert.equal(none.preferredContact, booking.PreferredContact.UNSPECIFIED);
    assert.equal(none.painArea, booking.PainArea.UNSPECIFIED);
    assert.equal(none.location, "");
    assert.equal(c.contactRequest(values({ website: "http://spam" }), "r").website, "http://spam");
  });
  test("every pain area of the form is a PainArea", () => {
    for (const [key, v] of Object.entries(c.painAreaValues)) {
      assert.ok(key === "" || v !== booking.PainArea.UNSPECIFIED, key);
    }
    assert.equal(Object.keys(c.painAreaValues).length, 8);
  });
  test("the same values are the same submission (a retry keeps its request_id); changed values are not", () => {
    assert.equal(c.submissionKey(values()), c.submissionKey(values()));
    assert.equal(c.submissionKey(values()), c.submissionKey(values({ given_name: "Ann" })), "only trimmed differences");
    assert.notEqual(c.submissionKey(values()), c.submissionKey(values({ phone: "+1 555 0101" })));
    assert.notEqual(c.submissionKey(values()), c.submissionKey(values({ consent_to_contact: false })));
  });
  test("whether a failed request may have been stored", () => {
    assert.equal(c.outcomeUnknown(new ConnectError("down", Code.Unavailable)), true);
    assert.equal(c.outcomeUnknown(new TypeError("Failed to fetch")), true);
    assert.equal(c.outcomeUnknown(new ConnectError("slow", Code.ResourceExhausted)), true);
    assert.equal(c.outcomeUnknown(invalid(["given_name", "is required"])), false);
  });
});

describe("server errors", () => {
  test("BadRequest violations at their fields; one naming no field of the form in the summary", () => {
    const e = c.contactErrors(
      invalid(["given_name", "is required"], ["phone", "a phone or an email is required"], ["consentToContact", "must be true"], ["request_id", "must be a UUID"]),
    );
    assert.deepEqual(e.fields, {
      given_name: "is required",
      phone: "a phone or an email is required",
      consent_to_contact: "must be true",
    });
    assert.deepEqual(e.other, ["must be a UUID"]);
  });
  test("INVALID_ARGUMENT without details: its message, not read for fields", () => {
    const e = c.contactErrors(new ConnectError("email: not valid", Code.InvalidArgument));
    assert.deepEqual(e, { fields: {}, other: ["Email: not valid."] });
  });
  test("429: too many requests", () => {
    assert.deepEqual(c.contactErrors(new ConnectError("too many requests, try again in 30 seconds", Code.ResourceExhausted)).other, [
      "Too many requests from this connection; please try again in a minute.",
    ]);
    // A 429 whose body was not a Connect error (connect-web: Unavailable "HTTP 429").
    assert.equal(c.describeContactError(new ConnectError("HTTP 429", Code.Unavailable)), c.tooManyRequests);
  });
  test("no answer: a friendly retry", () => {
    for (const err of [new TypeError("Failed to fetch"), new ConnectError("down", Code.Unavailable), new ConnectError("slow", Code.DeadlineExceeded)]) {
      assert.deepEqual(c.contactErrors(err).other, [c.networkTrouble]);
    }
    assert.match(c.describeContactError(new ConnectError("boom", Code.Internal)), /went wrong on our side/);
  });
});

describe("locations", () => {
  test("an option: name — address", () => {
    assert.deepEqual(c.locationOption({ name: "locations/n", displayName: "North", addressLines: ["1 Main St", " Springfield "] }), {
      value: "locations/n",
      text: "North — 1 Main St, Springfield",
    });
    assert.deepEqual(c.locationOption({ name: "locations/s", displayName: "South", addressLines: [] }), { value: "locations/s", text: "South" });
    assert.deepEqual(c.locationOption({ name: "locations/x", displayName: "", addressLines: [] }), { value: "locations/x", text: "locations/x" });
  });
});

describe("the public bundle", () => {
  /** Every file a module imports (relative imports), recursively. */
  async function importGraph(start) {
    const seen = new Set();
    const todo = [start];
    while (todo.length) {
      const file = todo.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      const text = await readFile(file, "utf8");
      for (const match of text.matchAll(/(?:import|export)\s[^;]*?from\s+["'](\.[^"']+)["']|import\s+["'](\.[^"']+)["']/g)) {
        const spec = match[1] ?? match[2];
        let target = resolve(dirname(file), spec);
        if (!/\.(ts|js|css)$/.test(target)) target += ".ts";
        todo.push(target);
      }
    }
    return [...seen].map((f) => relative(root, f));
  }

  test("imports nothing of the staff app", async () => {
    const publicDir = join(root, "src/public");
    const entries = (await readdir(publicDir)).filter((f) => f.endsWith(".ts")).map((f) => join(publicDir, f));
    assert.ok(entries.length > 0);
    for (const entry of entries) {
      const graph = await importGraph(entry);
      const staff = graph.filter((f) => f.startsWith("src/staff/"));
      assert.deepEqual(staff, [], `${relative(root, entry)} imports staff code`);
    }
  });
  test("index.html loads the contact form's module and no inline script", async () => {
    const html = await readFile(join(root, "index.html"), "utf8");
    assert.match(html, /<script type="module" src="\/src\/public\/contact-form\.ts"><\/script>/);
    assert.doesNotMatch(html, /src\/staff/);
  });
});
