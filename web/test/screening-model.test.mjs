// Unit tests of the screening form's pure logic
// (src/staff/screenings/screening-model.ts): answers <-> the form's values,
// the requests, unsaved changes, which outcomes the evaluation allows, the
// evaluation and a screening in words, errors as connect-web gets them; and
// the /staff/screenings routes. Vite loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let r;
let pb;
let create;
let StaffRole;
let ConnectError;
let Code;
let BadRequestSchema;
let protocol;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/screenings/screening-model.ts");
  r = await server.ssrLoadModule("/src/staff/router.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/screenings/v1/screenings_pb.ts");
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));

  const K = pb.QuestionKind;
  // A part of services/screenings/protocols/inner_knee_runner.textproto.
  protocol = create(pb.ScreeningProtocolSchema, {
    name: "screeningProtocols/inner-knee-runner",
    version: 1,
    title: "Inner (medial) knee pain in runners",
    questions: [
      {
        id: "pain-location",
        text: "Where exactly is the pain?",
        kind: K.MULTI_CHOICE,
        options: [
          { id: "joint-line", text: "On the inner joint line" },
          { id: "below-joint-line", text: "On the inner shin, a few centimetres below the joint line" },
          { id: "front-kneecap", text: "At the front of the knee, around or behind the kneecap" },
        ],
      },
      { id: "pain-now", text: "Pain right now", kind: K.SCALE, scaleMin: 0, scaleMax: 10 },
      { id: "side", text: "Which knee?", kind: K.SINGLE_CHOICE, options: [{ id: "left", text: "Left" }, { id: "right", text: "Right" }] },
      { id: "mileage-jump", text: "Mileage jump?", kind: K.YES_NO },
      { id: "numbness", text: "Numbness or tingling?", kind: K.YES_NO },
      { id: "notes", text: "Other findings", kind: K.FREE_TEXT },
    ],
    causes: [
      {
        id: "pes-anserine-bursitis",
        name: "Pes anserine bursitis",
        evidence: [
          { when: { question: "pain-location", options: ["below-joint-line"] }, weight: 5, reason: "Pain below the joint line" },
          { when: { question: "mileage-jump", yes: true }, weight: 3, reason: "A sudden rise in mileage" },
          { when: { question: "tight-hamstrings", yes: true }, weight: 3, reason: "Tight hamstrings" },
        ],
      },
    ],
    disclaimer: "Decision support, not a diagnosis.",
  });
});

after(async () => {
  await server?.close();
});

const answer = (init) => create(pb.ScreeningAnswerSchema, init);
const evaluation = (init) => create(pb.ScreeningEvaluationSchema, init);

function invalid(...violations) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError("invalid", Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

describe("who screens", () => {
  test("therapists and admins, not the front desk alone", () => {
    assert.equal(m.canScreen([StaffRole.THERAPIST]), true);
    assert.equal(m.canScreen([StaffRole.ADMIN]), true);
    assert.equal(m.canScreen([StaffRole.FRONT_DESK, StaffRole.THERAPIST]), true);
    assert.equal(m.canScreen([StaffRole.FRONT_DESK]), false);
    assert.equal(m.canScreen([]), false);
    assert.equal(m.canScreen(undefined), false);
  });
});

describe("addresses", () => {
  test("screening pages and the start page", () => {
    assert.equal(m.screeningId("screenings/abc-1"), "abc-1");
    assert.equal(m.screeningPath("screenings/abc-1"), "/staff/screenings/abc-1");
    assert.equal(m.newScreeningPath("patients/p-1"), "/staff/screenings/new?patient=patients/p-1");
    assert.equal(m.newScreeningPath("p-1", "appointments/a-1"), "/staff/screenings/new?patient=patients/p-1&appointment=appointments/a-1");
  });
  test("the start page reads only resource names", () => {
    assert.deepEqual(m.startParams("?patient=patients/p-1"), { patient: "patients/p-1", appointment: "" });
    assert.deepEqual(m.startParams("?patient=patients%2Fp-1&appointment=a-9"), { patient: "patients/p-1", appointment: "appointments/a-9" });
    assert.deepEqual(m.startParams("?patient=p-1"), { patient: "patients/p-1", appointment: "" });
    assert.equal(m.startParams("?patient=patients/../staff").patient, "");
    assert.equal(m.startParams("?patient=staff/x").patient, "");
    assert.equal(m.startParams("").patient, "");
  });
  test("question ids make element ids", () => {
    assert.equal(m.questionInputId("pain-now"), "q-pain-now");
    assert.equal(m.questionInputId("a b.c"), "q-a-b-c");
    assert.equal(m.screeningInputId("answer:pain-now"), "q-pain-now");
    assert.equal(m.screeningInputId("findings"), "s-findings");
    assert.equal(m.screeningInputId("notes"), "s-notes");
  });
});

describe("answers <-> the form", () => {
  test("an empty form has an empty value per question", () => {
    const v = m.emptyValues(protocol.questions);
    assert.deepEqual(v.answers, { "pain-location": [], "pain-now": "", side: [], "mileage-jump": "", numbness: "", notes: "" });
    assert.equal(v.findings, "");
    assert.deepEqual(m.answersFromValues(protocol.questions, v.answers), []);
    assert.equal(m.answeredCount(protocol.questions, v.answers), 0);
  });

  test("stored answers become the form's values and back, in the protocol's order", () => {
    const s = create(pb.ScreeningSchema, {
      answers: [
        answer({ question: "notes", text: "Runs 40 km a week" }),
        answer({ question: "mileage-jump", yes: true }),
        answer({ question: "numbness", yes: false }),
        answer({ question: "pain-now", value: 0 }),
        answer({ question: "pain-location", options: ["below-joint-line", "joint-line"] }),
        answer({ question: "side", options: ["right"] }),
        answer({ question: "gone-from-the-protocol", yes: true }),
      ],
      findings: "Tender below the joint line",
      notes: "Half marathon in May",
    });
    const v = m.valuesFromScreening(protocol.questions, s);
    assert.deepEqual(v.answers, {
      "pain-location": ["below-joint-line", "joint-line"],
      "pain-now": "0",
      side: ["right"],
      "mileage-jump": "yes",
      numbness: "no",
      notes: "Runs 40 km a week",
    });
    assert.equal(v.findings, "Tender below the joint line");
    assert.equal(v.notes, "Half marathon in May");
    assert.deepEqual(m.answersFromValues(protocol.questions, v.answers), [
      { question: "pain-location", options: ["joint-line", "below-joint-line"] },
      { question: "pain-now", value: 0 },
      { question: "side", options: ["right"] },
      { question: "mileage-jump", yes: true },
      { question: "numbness", yes: false },
      { question: "notes", text: "Runs 40 km a week" },
    ]);
    assert.equal(m.answeredCount(protocol.questions, v.answers), 6);
  });

  test("unanswered, unknown and malformed values are left out", () => {
    const q = protocol.questions;
    const answers = {
      "pain-location": ["not-an-option"],
      "pain-now": "seven",
      side: ["left", "right"],
      "mileage-jump": "maybe",
      numbness: "",
      notes: "   ",
    };
    assert.deepEqual(m.answersFromValues(q, answers), [{ question: "side", options: ["left"] }], "a single choice keeps one option");
    assert.equal(m.isAnswered(q[1], "7"), true);
    assert.equal(m.isAnswered(q[1], ""), false);
    assert.equal(m.isAnswered(q[5], "  x "), true);
    assert.deepEqual(m.answerFromValue(q[5], "  x "), { question: "notes", text: "x" });
  });

  test("choosing and unchoosing options; the scale's steps", () => {
    assert.deepEqual(m.toggleOption([], "a", true), ["a"]);
    assert.deepEqual(m.toggleOption(["a"], "b", true), ["a", "b"]);
    assert.deepEqual(m.toggleOption(["a", "b"], "a", false), ["b"]);
    assert.deepEqual(m.toggleOption(["a"], "a", true), ["a"], "no duplicates");
    assert.deepEqual(m.toggleOption(undefined, "a", true), ["a"]);
    assert.deepEqual(m.scaleSteps({ scaleMin: 0, scaleMax: 10 }), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(m.scaleSteps({ scaleMin: 0, scaleMax: 100 }), undefined, "too many for a row of radios");
    assert.equal(m.scaleSteps({ scaleMin: 5, scaleMax: 5 }), undefined);
  });

  test("withAnswer copies", () => {
    const v = m.emptyValues(protocol.questions);
    const w = m.withAnswer(v, "numbness", "yes");
    assert.equal(w.answers.numbness, "yes");
    assert.equal(v.answers.numbness, "", "the old values are unchanged");
  });
});

describe("unsaved changes and the evaluation's key", () => {
  test("dirty when what would be stored differs", () => {
    const q = protocol.questions;
    const saved = m.emptyValues(q);
    assert.equal(m.isDirty(q, saved, m.emptyValues(q)), false);
    assert.equal(m.isDirty(q, saved, m.withAnswer(saved, "numbness", "no")), true, "a no is an answer");
    assert.equal(m.isDirty(q, saved, { ...saved, findings: "  " }), false, "blank findings are no change");
    assert.equal(m.isDirty(q, saved, { ...saved, notes: "x" }), true);
    const chosen = m.withAnswer(saved, "pain-location", ["joint-line", "below-joint-line"]);
    assert.equal(m.isDirty(q, chosen, m.withAnswer(saved, "pain-location", ["below-joint-line", "joint-line"])), false, "order of choosing does not matter");
  });
  test("free text does not change the evaluation", () => {
    const q = protocol.questions;
    const v = m.emptyValues(q);
    assert.equal(m.evaluationKey(q, v.answers), m.evaluationKey(q, m.withAnswer(v, "notes", "limps").answers));
    assert.notEqual(m.evaluationKey(q, v.answers), m.evaluationKey(q, m.withAnswer(v, "numbness", "yes").answers));
  });
  test("the indicator's words", () => {
    assert.equal(m.saveStateWords({ saving: false, dirty: false }), "All changes saved");
    assert.equal(m.saveStateWords({ saving: false, dirty: true }), "Unsaved changes");
    assert.equal(m.saveStateWords({ saving: true, dirty: true }), "Saving…");
  });
});

describe("requests", () => {
  test("create, update, evaluate, complete, addendum", () => {
    const q = protocol.questions;
    assert.deepEqual(m.createRequest({ patient: "patients/p", protocol: protocol.name, requestId: "r-1" }), {
      screening: { patient: "patients/p", protocol: "screeningProtocols/inner-knee-runner", appointment: "" },
      requestId: "r-1",
    });
    let v = m.withAnswer(m.emptyValues(q), "numbness", "yes");
    v = m.withAnswer(v, "notes", " a note ");
    v = { ...v, findings: " tender \n", notes: "n" };
    const s = { name: "screenings/s-1", etag: "e-1" };
    assert.deepEqual(m.updateRequest(s, q, v), {
      screening: {
        name: "screenings/s-1",
        etag: "e-1",
        answers: [{ question: "numbness", yes: true }, { question: "notes", text: "a note" }],
        findings: "tender",
        notes: "n",
      },
    });
    assert.deepEqual(m.evaluateRequest(protocol.name, q, v.answers), {
      protocol: "screeningProtocols/inner-knee-runner",
      answers: [{ question: "numbness", yes: true }],
    }, "free text is not sent to be evaluated");
    assert.deepEqual(m.completeRequest(s, pb.ScreeningOutcome.PT_EVALUATION), {
      name: "screenings/s-1",
      outcome: pb.ScreeningOutcome.PT_EVALUATION,
      etag: "e-1",
    });
    assert.deepEqual(m.addendumRequest(s, "  later: MRI booked "), { name: "screenings/s-1", text: "later: MRI booked" });
  });
  test("an addendum needs text, at most 2,000 characters", () => {
    assert.ok(m.checkAddendum("  ").fields.text);
    assert.ok(m.checkAddendum("x".repeat(2001)).fields.text);
    assert.deepEqual(m.checkAddendum("ok").fields, {});
  });
});

describe("outcomes", () => {
  const O = () => pb.ScreeningOutcome;
  test("a red flag allows only a referral", () => {
    const flagged = evaluation({ redFlags: ["Numbness or tingling: possible nerve involvement"], referToPhysician: true });
    assert.deepEqual(m.allowedOutcomes(flagged), [O().REFER_TO_PHYSICIAN]);
    assert.deepEqual(m.allowedOutcomes(evaluation({ referToPhysician: true })), [O().REFER_TO_PHYSICIAN]);
    assert.deepEqual(m.allowedOutcomes(evaluation({ redFlags: ["x"] })), [O().REFER_TO_PHYSICIAN]);
    assert.deepEqual(m.allowedOutcomes(evaluation({})), [O().PT_EVALUATION, O().REFER_TO_PHYSICIAN, O().SELF_CARE, O().NO_FURTHER_ACTION]);
    assert.equal(m.allowedOutcomes(undefined).length, 4);
  });
  test("the outcome shown: the chosen one while allowed, the only one, or none", () => {
    const all = m.allowedOutcomes(undefined);
    const refer = [O().REFER_TO_PHYSICIAN];
    assert.equal(m.effectiveOutcome(O().SELF_CARE, all), O().SELF_CARE);
    assert.equal(m.effectiveOutcome(O().UNSPECIFIED, all), O().UNSPECIFIED);
    assert.equal(m.effectiveOutcome(O().PT_EVALUATION, refer), O().REFER_TO_PHYSICIAN, "a red flag replaces the choice");
    assert.equal(m.effectiveOutcome(O().UNSPECIFIED, refer), O().REFER_TO_PHYSICIAN);
  });
  test("checks before completing", () => {
    const refer = [O().REFER_TO_PHYSICIAN];
    assert.ok(m.checkComplete(O().UNSPECIFIED, m.allowedOutcomes(undefined)).fields.outcome);
    assert.match(m.checkComplete(O().PT_EVALUATION, refer).fields.outcome, /Refer to a physician/);
    assert.deepEqual(m.checkComplete(O().REFER_TO_PHYSICIAN, refer).fields, {});
  });
  test("in words", () => {
    assert.deepEqual(
      m.outcomeChoices.map(([, w]) => w),
      ["PT evaluation recommended", "Refer to a physician", "Self-care advice given", "No further action"],
    );
    assert.equal(m.words(m.outcomeWords, O().PT_EVALUATION), "PT evaluation recommended");
    assert.equal(m.words(m.outcomeWords, 42), "Unknown (42)");
    assert.equal(m.words(m.stateWords, pb.ScreeningState.COMPLETED), "Completed");
  });
});

describe("in words", () => {
  test("the evaluation for a live region", () => {
    assert.equal(m.evaluationSummary(undefined), "No evaluation yet.");
    assert.equal(m.evaluationSummary(evaluation({})), "No red flags. No consideration is supported yet.");
    assert.equal(
      m.evaluationSummary(
        evaluation({ considerations: [{ cause: "pes-anserine-bursitis", name: "Pes anserine bursitis", score: 11 }, { name: "Other", score: 2 }] }),
      ),
      "No red flags. Top consideration: Pes anserine bursitis (score 11).",
    );
    assert.equal(
      m.evaluationSummary(evaluation({ redFlags: ["a", "b"], referToPhysician: true })),
      "Refer to a physician: 2 red flags. No consideration is supported yet.",
    );
    assert.match(m.evaluationSummary(evaluation({ redFlags: ["a"], referToPhysician: true })), /^Refer to a physician: 1 red flag\./);
    assert.equal(m.referralHeading, "Refer to a physician before any physical therapy");
  });
  test("a cause's most possible score", () => {
    assert.equal(m.causeMaxScore(protocol, "pes-anserine-bursitis"), 11);
    assert.equal(m.causeMaxScore(protocol, "nothing"), 0);
    assert.equal(m.causeMaxScore(undefined, "pes-anserine-bursitis"), 0);
  });
  test("answers for the read-only page", () => {
    const [where, pain, side, jump] = protocol.questions;
    assert.equal(m.answerWords(where, ["joint-line", "below-joint-line"]), "On the inner joint line; On the inner shin, a few centimetres below the joint line");
    assert.equal(m.answerWords(where, []), "Not answered");
    assert.equal(m.answerWords(pain, "7"), "7 (0–10)");
    assert.equal(m.answerWords(side, ["left"]), "Left");
    assert.equal(m.answerWords(jump, "yes"), "Yes");
    assert.equal(m.answerWords(jump, "no"), "No");
    assert.equal(m.answerWords(jump, ""), "Not answered");
  });
  test("a screening in a patient's list", () => {
    const S = pb.ScreeningState;
    const O = pb.ScreeningOutcome;
    assert.equal(m.screeningSummary({ state: S.IN_PROGRESS, outcome: O.UNSPECIFIED }), "In progress");
    assert.equal(m.screeningSummary({ state: S.COMPLETED, outcome: O.PT_EVALUATION }), "Completed: PT evaluation recommended");
    assert.equal(
      m.screeningSummary({ state: S.COMPLETED, outcome: O.REFER_TO_PHYSICIAN, evaluation: evaluation({ redFlags: ["x"], referToPhysician: true }) }),
      "Completed: Refer to a physician · red flags",
    );
    assert.equal(m.topConsideration(evaluation({ considerations: [{ name: "Pes anserine bursitis" }] })), "Pes anserine bursitis");
    assert.equal(m.topConsideration(undefined), "");
  });
});

describe("errors", () => {
  test("a violation of answers[n] is at the n-th answer sent", () => {
    const sent = ["pain-location", "pain-now", "numbness"];
    assert.equal(m.screeningFieldForPath("screening.answers[1].value", sent), "answer:pain-now");
    assert.equal(m.screeningFieldForPath("answers[2]", sent), "answer:numbness");
    assert.equal(m.screeningFieldForPath("screening.answers[0].options[3]", sent), "answer:pain-location");
    assert.equal(m.screeningFieldForPath("answers[9].value", sent), undefined);
    assert.equal(m.screeningFieldForPath("screening.findings", sent), "findings");
    assert.equal(m.screeningFieldForPath("notes", sent), "notes");
    assert.equal(m.screeningFieldForPath("screening.etag", sent), undefined);
  });
  test("UpdateScreening's BadRequest onto the form", () => {
    const err = invalid(
      ["screening.answers[1].value", "must be from 0 to 10"],
      ["screening.findings", "at most 4,000 characters"],
      ["screening.etag", "is required"],
    );
    const e = m.screeningFormErrors(err, ["pain-location", "pain-now"]);
    assert.deepEqual(e.fields, { "answer:pain-now": "must be from 0 to 10", findings: "at most 4,000 characters" });
    assert.deepEqual(e.other, ["is required"], "no request path is shown");
  });
  test("errors without details, in words", () => {
    assert.match(m.screeningFormErrors(new ConnectError("x", Code.Aborted), []).other[0], /Someone else changed this screening/);
    assert.equal(m.describeScreeningError(new ConnectError("screening is completed", Code.FailedPrecondition)), "Screening is completed");
    assert.match(m.describeScreeningError(new ConnectError("", Code.NotFound)), /No such screening/);
    assert.equal(m.offerReload(new ConnectError("this screening is completed", Code.FailedPrecondition)), true);
    assert.equal(m.offerReload(new ConnectError("", Code.Aborted)), false, "a stale etag has its own warning");
    assert.equal(m.offerReload(new ConnectError("", Code.InvalidArgument)), false);
    assert.equal(m.outcomeUnknown(new ConnectError("", Code.Unavailable)), true);
    assert.equal(m.outcomeUnknown(new ConnectError("", Code.InvalidArgument)), false);
  });
  test("complete and addendum forms", () => {
    assert.deepEqual(m.completeFormErrors(invalid(["outcome", "is required"])).fields, { outcome: "is required" });
    assert.match(
      m.completeFormErrors(
        new ConnectError("A red flag was found: refer the patient to a physician before any physical therapy.", Code.FailedPrecondition),
      ).other[0],
      /^A red flag was found/,
    );
    assert.deepEqual(m.addendumFormErrors(invalid(["text", "must not be empty"])).fields, { text: "must not be empty" });
  });
  test("a failed evaluation in words", () => {
    assert.equal(
      m.evaluationErrorWords(invalid(["answers[0].value", "must be from 0 to 10"])),
      "The evaluation could not be updated: must be from 0 to 10",
    );
    assert.match(m.evaluationErrorWords(new ConnectError("", Code.Unavailable)), /could not be reached/);
  });
});

describe("routes", () => {
  test("/staff/screenings, /new and /<id>; the placeholder is gone", () => {
    assert.deepEqual(r.parseRoute("/staff/screenings"), { name: "screenings" });
    assert.deepEqual(r.parseRoute("/staff/screenings/"), { name: "screenings" });
    assert.deepEqual(r.parseRoute("/staff/screenings/new"), { name: "screening-new" });
    assert.deepEqual(r.parseRoute("/staff/screenings/abc-1"), { name: "screening", id: "abc-1" });
    assert.deepEqual(r.parseRoute("/staff/screenings/abc-1/x"), { name: "not-found" });
    assert.equal(r.isAdminRoute(r.parseRoute("/staff/screenings/abc-1")), false);
    assert.equal("screenings" in r.placeholders, false);
    // The "Plans" placeholder became the caseload (test/plan-model.test.mjs has its routes).
    assert.deepEqual(r.parseRoute("/staff/plans"), { name: "caseload" });
  });
});
