// Unit tests of the forms' shared plumbing (src/staff/shared/form.ts): the
// FormState controller's busy flag, how run() sorts a failed call into field
// and general errors, and the error markup's ids. A stand-in host replaces
// the Lit element, so no DOM is needed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let form;
let ConnectError;
let Code;
let BadRequestSchema;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  form = await server.ssrLoadModule("/src/staff/shared/form.ts");
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

/** What FormState needs of a Lit element: controllers, updates, and finding the element to focus. */
function fakeHost() {
  const host = {
    controllers: [],
    updates: 0,
    focused: [],
    addController(c) {
      this.controllers.push(c);
    },
    requestUpdate() {
      this.updates++;
    },
    get updateComplete() {
      return Promise.resolve(true);
    },
    querySelector(selector) {
      return { focus: () => host.focused.push(selector) };
    },
  };
  return host;
}

function invalid(...violations) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError("invalid", Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

const fields = ["given_name", "email", "phone"];

describe("FormState.run", () => {
  test("busy while the call runs; a second submit meanwhile is ignored", async () => {
    const host = fakeHost();
    const state = new form.FormState(host, { fields });
    assert.equal(host.controllers[0], state, "it is the host's controller");
    let finish;
    const first = state.run(() => new Promise((resolve) => (finish = resolve)));
    assert.equal(state.busy, true);
    assert.equal(await state.run(async () => "second"), undefined);
    finish("done");
    assert.equal(await first, "done");
    assert.equal(state.busy, false);
    assert.ok(host.updates >= 2, "the host re-renders");
  });
  test("BadRequest violations go to the fields, the rest to other; focus goes to the summary", async () => {
    const host = fakeHost();
    const state = new form.FormState(host, { fields, prefixes: ["patient."], summaryId: "form-problems" });
    const result = await state.run(async () => {
      throw invalid(["patient.email", "not a valid email address (needs exactly one @)"], ["patient.phone", "has no digits"], ["request_id", "must be a UUID"]);
    });
    assert.equal(result, undefined);
    assert.equal(state.busy, false);
    assert.deepEqual(state.fields, { email: "not a valid email address (needs exactly one @)", phone: "has no digits" });
    assert.deepEqual(state.other, ["must be a UUID"]);
    assert.equal(state.conflict, false);
    assert.deepEqual(host.focused, ["#form-problems"]);
  });
  test("no details: the error in the form's words; ABORTED is a conflict; onError sees the error", async () => {
    const host = fakeHost();
    const seen = [];
    const state = new form.FormState(host, { fields, describe: (e) => `said: ${e.rawMessage}` });
    await state.run(async () => {
      throw new ConnectError("email: not valid", Code.InvalidArgument);
    });
    assert.deepEqual(state.fields, {});
    assert.deepEqual(state.other, ["said: email: not valid"]);
    await state.run(
      async () => {
        throw new ConnectError("etag mismatch", Code.Aborted);
      },
      { onError: (e) => seen.push(e.code) },
    );
    assert.equal(state.conflict, true);
    assert.deepEqual(seen, [Code.Aborted]);
    await state.run(async () => {
      throw new ConnectError("", Code.NotFound);
    }, { describe: () => "Gone." });
    assert.deepEqual(state.other, ["Gone."], "a call's own words");
    assert.equal(state.conflict, false, "run() starts afresh");
  });
  test("show() for checks before sending; clearField() when a field is edited; clear()", async () => {
    const host = fakeHost();
    const state = new form.FormState(host, { fields, focus: (s) => (s.fields.email ? "#email" : undefined) });
    await state.show({ fields: { email: "required", given_name: "required" }, other: [] });
    assert.equal(state.hasErrors, true);
    assert.deepEqual(host.focused, ["#email"]);
    state.clearField("email");
    assert.deepEqual(state.fields, { given_name: "required" });
    state.clear();
    assert.equal(state.hasErrors, false);
  });
});

describe("field error markup", () => {
  test("the input points at its error text by id", () => {
    assert.equal(form.errorIdFor("f-email"), "f-email-error");
    assert.equal(form.ariaDescribedBy("f-email", "bad", "f-email-hint"), "f-email-error f-email-hint");
    assert.equal(form.ariaDescribedBy("f-email", undefined, "f-email-hint"), "f-email-hint");
    assert.equal(form.ariaInvalid("bad"), "true");
    const state = new form.FormState(fakeHost(), { fields, idOf: (f) => `f-${f}` });
    state.fields = { email: "bad" };
    assert.deepEqual(state.aria("email", "f-email-hint"), { invalid: "true", describedBy: "f-email-error f-email-hint" });
    const text = form.fieldErrorText("f-email", "bad");
    assert.deepEqual(text.values, ["f-email-error", "f-email", "bad"], "id, data-error-for and the text");
    assert.match(text.strings.join(""), /class="field-error"/);
  });
});
