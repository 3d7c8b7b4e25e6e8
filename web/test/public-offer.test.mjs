// Unit tests of the waitlist offer page's logic (src/public/offer-model.ts):
// the token read from `?t=` or `#t=`, the offer's state in plain words (held
// for you until …, you took it, no longer held), the booking once taken with
// its manage link, and failed calls as connect-web gets them (NOT_FOUND,
// FAILED_PRECONDITION with ErrorInfo OFFER_LAPSED, ALREADY_EXISTS, 429 with
// Retry-After, no answer); and offer.html (its module, no inline script,
// referrer policy first, no staff code, built by vite). Vite loads the
// TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";

const root = fileURLToPath(new URL("..", import.meta.url));

let server;
let m;
let ConnectError;
let Code;
let ErrorInfoSchema;
let OfferView_State;

before(async () => {
  server = await createServer({
    configFile: false,
    root,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/public/offer-model.ts");
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ ErrorInfoSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
  ({ OfferView_State } = await server.ssrLoadModule("/src/gen/clinic/booking/v1/booking_service_pb.ts"));
});

after(async () => {
  await server?.close();
});

// 43 characters of base64url, as the service's tokens.
const token = "Ab3_-Zx9QrStUvWxYz0123456789abcdefghijklmno";
const manageToken = "zZ9-_Yx8PqRsTuVwXy9876543210ABCDEFGHIJKLMNO";

const summary = "Follow-up visit at Boulder – Pearl Street on Tuesday 1 December 2026 at 9:00 AM (America/Denver).";

const offer = (over = {}) => ({
  summary,
  localStart: "2026-12-01T09:00",
  timeZone: "America/Denver",
  heldUntil: "Monday 30 November at 6:15 PM",
  state: OfferView_State.OPEN,
  ...over,
});

function withReason(code, reason, message = "no") {
  return new ConnectError(message, code, undefined, [{ desc: ErrorInfoSchema, value: { reason, domain: "booking.clinic" } }]);
}

describe("the token in the address", () => {
  test("from the query (as the email links) or the fragment", () => {
    assert.deepEqual(m.offerTokenFrom(`?t=${token}`, ""), { kind: "token", token });
    assert.deepEqual(m.offerTokenFrom(`?x=1&t=%20${token}%0A`, ""), { kind: "token", token });
    assert.deepEqual(m.offerTokenFrom("", `#t=${token}`), { kind: "token", token });
    assert.deepEqual(m.offerTokenFrom("?t=short", `#t=${token}`), { kind: "token", token }, "the first that is a token");
  });
  test("a t that is not a token is malformed (the page asks nobody); no t is none", () => {
    for (const bad of ["short", "", token.slice(0, 20) + "+" + token.slice(21), `${token.slice(0, 20)} ${token.slice(21)}`, "x".repeat(257), token + "="]) {
      assert.deepEqual(m.offerTokenFrom(`?t=${encodeURIComponent(bad)}`, ""), { kind: "malformed" }, JSON.stringify(bad));
    }
    assert.deepEqual(m.offerTokenFrom("", ""), { kind: "none" });
    assert.deepEqual(m.offerTokenFrom(`?token=${token}`, ""), { kind: "none" }, "only t");
  });
  test("lenient about the length: 22 to 256 characters of base64url", () => {
    assert.ok(m.isOfferToken("a".repeat(22)));
    assert.ok(m.isOfferToken("a".repeat(256)));
    assert.ok(!m.isOfferToken("a".repeat(21)));
  });
  test("the address without the token", () => {
    assert.equal(m.addressWithoutToken("/offer.html", `?t=${token}`, ""), "/offer.html");
    assert.equal(m.addressWithoutToken("/offer.html", `?a=1&t=${token}`, `#t=${token}`), "/offer.html?a=1");
  });
});

describe("the offer in words", () => {
  test("states: open, taken, lapsed; an unknown one is shown as open (the server judges the click)", () => {
    assert.equal(m.offerStateOf(offer()), "open");
    assert.equal(m.offerStateOf(offer({ state: OfferView_State.TAKEN })), "taken");
    assert.equal(m.offerStateOf(offer({ state: OfferView_State.LAPSED })), "lapsed");
    assert.equal(m.offerStateOf(offer({ state: OfferView_State.STATE_UNSPECIFIED })), "open");
  });
  test("open: the summary, held until, and one button", () => {
    assert.deepEqual(m.offerScreen(offer()), {
      state: "open",
      title: "This time is held for you",
      summary,
      detail: "We are holding this time for you until Monday 30 November at 6:15 PM.",
      button: "Take this time",
    });
    assert.equal(m.heldLine({ heldUntil: "Monday 30 November at 6:15 PM. " }), "We are holding this time for you until Monday 30 November at 6:15 PM.");
    assert.equal(m.heldLine({ heldUntil: "" }), "We are holding this time for you for a short while.");
  });
  test("taken: you took it, and the button gets the booking again", () => {
    const s = m.offerScreen(offer({ state: OfferView_State.TAKEN }));
    assert.equal(s.summary, `You took this time: ${summary}`);
    assert.equal(s.button, "Show my booking");
  });
  test("lapsed: sorry, offered to the next person; no button", () => {
    const s = m.offerScreen(offer({ state: OfferView_State.LAPSED }));
    assert.equal(
      s.detail,
      "Sorry, this time is no longer held for you; we offered it to the next person on the waitlist. Call us to find another time.",
    );
    assert.equal(s.button, undefined);
    assert.equal(s.summary, "");
  });
  test("the summary: the service's, else the time in words", () => {
    assert.equal(m.offerSummary(offer({ summary: " " }), 2026), "Tuesday 1 December at 9:00 AM.");
    assert.equal(m.offerSummary(offer({ summary: "", localStart: "" })), "");
  });
  test("nothing a person reads names an id or an RFC 3339 time", () => {
    for (const state of [OfferView_State.OPEN, OfferView_State.TAKEN, OfferView_State.LAPSED]) {
      const s = m.offerScreen(offer({ state }));
      const text = [s.title, s.summary, s.detail, s.button ?? ""].join(" ");
      assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d\d:\d\d|waitlistOffers\/|appointments\//, text);
    }
  });
});

describe("taken", () => {
  test("Booked: the confirmation, and the manage link", () => {
    assert.deepEqual(m.bookedView({ confirmation: summary, localStart: "2026-12-01T09:00", manageToken }, "https://clinic.example"), {
      message: `Booked: ${summary}`,
      manageHref: `/manage.html?t=${manageToken}`,
    });
  });
  test("without a confirmation: the time in words; without a token: no link (the page says to call)", () => {
    const v = m.bookedView({ confirmation: "", localStart: "2026-12-01T09:00", manageToken: "" }, "https://clinic.example", 2026);
    assert.deepEqual(v, { message: "Booked: Tuesday 1 December at 9:00 AM.", manageHref: undefined });
    assert.equal(m.bookedView({ confirmation: "", localStart: "", manageToken: "short" }, "x").message, "Booked.");
  });
});

describe("failed calls", () => {
  test("NOT_FOUND, whatever the call: the link does not open an offer", () => {
    for (const action of ["load", "accept"]) {
      assert.deepEqual(m.classifyOfferError(new ConnectError("not found", Code.NotFound), action), {
        kind: "gone",
        message: "This link does not open an offer.",
      });
    }
  });
  test("AcceptOffer FAILED_PRECONDITION with reason OFFER_LAPSED: lapsed", () => {
    assert.deepEqual(m.classifyOfferError(withReason(Code.FailedPrecondition, "OFFER_LAPSED", "the offer has lapsed"), "accept"), {
      kind: "lapsed",
      message: m.lapsedMessage,
    });
    assert.equal(m.classifyOfferError(withReason(Code.FailedPrecondition, "OFFER_LAPSED"), "load").kind, "lapsed");
  });
  test("AcceptOffer: another refusal means the time cannot be had; no button", () => {
    assert.deepEqual(m.classifyOfferError(withReason(Code.AlreadyExists, "SLOT_TAKEN"), "accept"), {
      kind: "closed",
      message: m.unavailableMessage,
    });
    assert.deepEqual(m.classifyOfferError(new ConnectError("the time is too near to book online", Code.FailedPrecondition), "accept"), {
      kind: "closed",
      message: "The time is too near to book online. Call us to find another time.",
    });
    assert.deepEqual(m.classifyOfferError(new ConnectError("", Code.FailedPrecondition), "accept"), {
      kind: "closed",
      message: m.unavailableMessage,
    });
  });
  test("no answer: try again (the button enabled again; taking it twice answers the same booking)", () => {
    for (const err of [new TypeError("Failed to fetch"), new ConnectError("down", Code.Unavailable), new ConnectError("slow", Code.DeadlineExceeded)]) {
      for (const action of ["load", "accept"]) {
        const f = m.classifyOfferError(err, action);
        assert.equal(f.kind, "message");
        assert.equal(f.retry, true);
        assert.match(f.message, /could not reach the clinic.*try again/);
      }
    }
    const internal = m.classifyOfferError(new ConnectError("boom", Code.Internal), "accept");
    assert.deepEqual(internal, { kind: "message", message: m.ourSide, retry: true });
  });
  test("429: the wait in words, and try again", () => {
    const limited = new ConnectError("too many requests", Code.ResourceExhausted, { "retry-after": "3" });
    assert.deepEqual(m.classifyOfferError(limited, "accept"), {
      kind: "message",
      message: "Too many requests from this connection; please try again in 3 seconds.",
      retry: true,
    });
    assert.match(m.classifyOfferError(new ConnectError("HTTP 429", Code.Unavailable), "load").message, /^Too many requests/);
  });
  test("other refusals: their words, nothing to retry", () => {
    assert.deepEqual(m.classifyOfferError(new ConnectError("token: required", Code.InvalidArgument), "load"), {
      kind: "message",
      message: "Token: required.",
      retry: false,
    });
  });
});

describe("offer.html", () => {
  test("loads the offer module, no inline script or style, nothing of the staff app", async () => {
    const html = await readFile(join(root, "offer.html"), "utf8");
    assert.match(html, /<script type="module" src="\/src\/public\/offer\.ts"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="\/src\/public\/site\.css" \/>/);
    assert.doesNotMatch(html, /src\/staff/);
    const { inlineProblems } = await import(new URL("../scripts/check-dist.mjs", import.meta.url));
    assert.deepEqual(inlineProblems(html), []);
  });
  test("the referrer policy comes before anything the page loads", async () => {
    const html = await readFile(join(root, "offer.html"), "utf8");
    const policy = html.indexOf('<meta name="referrer" content="no-referrer" />');
    assert.ok(policy > 0, "a no-referrer policy");
    for (const tag of ["<link", "<script"]) assert.ok(policy < html.indexOf(tag), `before the first ${tag}`);
  });
  test("one button, and the page books nothing when it opens: only the click calls AcceptOffer", async () => {
    const html = await readFile(join(root, "offer.html"), "utf8");
    assert.match(html, /<button type="button" id="of-take">Take this time<\/button>/);
    const code = await readFile(join(root, "src/public/offer.ts"), "utf8");
    assert.doesNotMatch(code, /innerHTML/);
    const calls = [...code.matchAll(/booking\.acceptOffer\(/g)];
    assert.equal(calls.length, 1, "one AcceptOffer call");
    const handler = code.indexOf('take.addEventListener("click"');
    assert.ok(handler > 0 && calls[0].index > handler, "AcceptOffer is called in the button's click handler");
  });
  test("vite builds it as a page", async () => {
    const config = await readFile(join(root, "vite.config.ts"), "utf8");
    assert.match(config, /offer: fileURLToPath\(new URL\("offer\.html"/);
  });
});
