// Unit tests of a plan of care's pure logic (src/staff/plans/plan-model.ts):
// the addresses and routes, template -> form -> requests (the certification
// period's default, target weeks as dates, the template named only when it
// adds nothing back), the screening's top cause -> its template, errors at
// the form's fields and rows (google.rpc.BadRequest as connect-web gets it),
// the refusal to activate without a goal at the goals, the state verbs,
// visits, alerts and versions in words, goal progress and its chart, and the
// patient's printable copy (no ids, no internal notes). Vite loads the
// TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let r;
let pb;
let create;
let ConnectError;
let Code;
let BadRequestSchema;
let StaffRole;
let timestampFromMs;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/plans/plan-model.ts");
  r = await server.ssrLoadModule("/src/staff/router.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/therapy_plans/v1/therapy_plans_pb.ts");
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
  ({ timestampFromMs } = await server.ssrLoadModule("@bufbuild/protobuf/wkt"));
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
});

after(async () => {
  await server?.close();
});

function invalid(...violations) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError("invalid", Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

const date = (s) => ({ year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) });

function template() {
  return create(pb.PlanTemplateSchema, {
    name: "planTemplates/pes-anserine-bursitis",
    title: "Pes anserine bursitis",
    screeningCause: "pes_anserine_bursitis",
    condition: "Pes anserine bursitis",
    icd10Code: "M70.50",
    bodyRegion: "knee",
    visitsPerWeek: 2,
    durationWeeks: 6,
    goals: [
      { description: "Pain at most 2 of 10 on stairs", measure: "pain 0-10", baseline: 6, target: 2, term: pb.GoalTerm.SHORT, targetWeeks: 3 },
      { description: "Run 5 km without pain", measure: "km", baseline: 0, target: 5, term: pb.GoalTerm.LONG, targetWeeks: 6 },
    ],
    interventions: [{ name: "Soft tissue mobilisation", frequency: "each visit" }],
    homeExercises: [{ name: "Hamstring stretch", sets: 3, reps: 1, holdSeconds: 30, frequency: "twice daily", notes: "Keep the knee straight." }],
    precautions: "No running for two weeks.",
  });
}

function plan(extra = {}) {
  return create(pb.TherapyPlanSchema, {
    name: "therapyPlans/p1",
    patient: "patients/pa1",
    therapist: "staff/t1",
    condition: "Pes anserine bursitis, right knee",
    startDate: date("2026-12-01"),
    certificationStart: date("2026-12-01"),
    certificationEnd: date("2027-03-01"),
    visitsPerWeek: 2,
    durationWeeks: 6,
    authorizedVisits: 10,
    state: pb.PlanState.ACTIVE,
    version: 3,
    etag: "e3",
    goals: [
      {
        id: "g1",
        description: "Pain at most 2 of 10 on stairs",
        measure: "pain 0-10",
        baseline: 6,
        target: 2,
        targetDate: date("2026-12-22"),
        term: pb.GoalTerm.SHORT,
        status: pb.GoalStatus.IN_PROGRESS,
        progress: [
          { date: date("2026-12-08"), value: 5, note: "internal: sore after stairs", staff: "staff/t1" },
          { date: date("2026-12-03"), value: 6 },
        ],
      },
    ],
    homeExercises: [{ name: "Hamstring stretch", sets: 3, reps: 1, holdSeconds: 30, frequency: "twice daily", notes: "Keep the knee straight." }],
    interventions: [{ name: "Soft tissue mobilisation", notes: "internal: tender at insertion" }],
    precautions: "internal: no running",
    ...extra,
  });
}

describe("who and where", () => {
  test("therapists and admins write plans", () => {
    assert.equal(m.canPlan([StaffRole.THERAPIST]), true);
    assert.equal(m.canPlan([StaffRole.ADMIN]), true);
    assert.equal(m.canPlan([StaffRole.FRONT_DESK]), false);
    assert.equal(m.canPlan(undefined), false);
  });
  test("addresses", () => {
    assert.equal(m.planPath("therapyPlans/abc-1"), "/staff/plans/abc-1");
    assert.equal(m.newPlanPath("patients/p1"), "/staff/plans/new?patient=patients/p1");
    assert.equal(m.newPlanPath("patients/p1", "screenings/s1"), "/staff/plans/new?patient=patients/p1&screening=screenings/s1");
    assert.deepEqual(m.newPlanParams("?patient=patients/p1&screening=screenings/s-2"), { patient: "patients/p1", screening: "screenings/s-2" });
    assert.deepEqual(m.newPlanParams("?patient=../x&screening=patients/p1"), { patient: "", screening: "" });
  });
  test("routes: the caseload, a plan, a new plan; the placeholder is gone", () => {
    assert.deepEqual(r.parseRoute("/staff/caseload"), { name: "caseload" });
    assert.deepEqual(r.parseRoute("/staff/plans"), { name: "caseload" });
    assert.deepEqual(r.parseRoute("/staff/plans/new"), { name: "plan-new" });
    assert.deepEqual(r.parseRoute("/staff/plans/abc-1"), { name: "plan", id: "abc-1" });
    assert.deepEqual(r.parseRoute("/staff/plans/abc-1/x"), { name: "not-found" });
    assert.equal(r.isAdminRoute(r.parseRoute("/staff/caseload")), false);
    assert.equal("plans" in r.placeholders, false);
  });
});

describe("template -> form -> requests", () => {
  test("a template fills the form; target weeks become dates; 90 days certified", () => {
    const v = m.valuesFromTemplate(template(), "2026-12-01");
    assert.equal(v.condition, "Pes anserine bursitis");
    assert.equal(v.icd10_code, "M70.50");
    assert.equal(v.visits_per_week, "2");
    assert.equal(v.duration_weeks, "6");
    assert.equal(v.start_date, "2026-12-01");
    assert.equal(v.certification_start, "2026-12-01");
    assert.equal(v.certification_end, "2027-03-01");
    assert.equal(v.goals.length, 2);
    assert.equal(v.goals[0].target_date, "2026-12-22");
    assert.equal(v.goals[1].target_date, "2027-01-12");
    assert.equal(v.goals[0].baseline, "6");
    assert.equal(v.goals[1].baseline, "0", "a baseline of 0 is a value");
    assert.equal(v.home_exercises[0].hold_seconds, "30");
  });
  test("the certification period follows the start while it is the default", () => {
    const v = m.emptyPlanValues("2026-12-01");
    const moved = m.withStartDate(v, "2026-12-10");
    assert.equal(moved.certification_start, "2026-12-10");
    assert.equal(moved.certification_end, "2027-03-10");
    const set = { ...v, certification_end: "2027-01-31" };
    const kept = m.withStartDate(set, "2026-12-10");
    assert.equal(kept.certification_start, "2026-12-01");
    assert.equal(kept.certification_end, "2027-01-31");
  });
  test("CreateTherapyPlan: the plan, the patient, the screening, the template", () => {
    const t = template();
    const v = m.valuesFromTemplate(t, "2026-12-01");
    const req = m.createRequest(v, { patient: "patients/pa1", screening: "screenings/s1", template: t, requestId: "r1" });
    assert.equal(req.requestId, "r1");
    assert.equal(req.template, "planTemplates/pes-anserine-bursitis");
    assert.equal(req.plan.patient, "patients/pa1");
    assert.equal(req.plan.screening, "screenings/s1");
    assert.deepEqual({ ...req.plan.startDate, $typeName: undefined }, { ...date("2026-12-01"), $typeName: undefined });
    assert.equal(req.plan.visitsPerWeek, 2);
    assert.equal(req.plan.authorizedVisits, 0, "empty: no limit");
    assert.equal(req.plan.goals.length, 2);
    assert.equal(req.plan.goals[0].targetDate.day, 22);
    assert.equal(req.plan.homeExercises[0].holdSeconds, 30);
  });
  test("the template is not named when the form emptied what it would fill back", () => {
    const t = template();
    const v = { ...m.valuesFromTemplate(t, "2026-12-01"), home_exercises: [] };
    assert.equal(m.mayNameTemplate(t, v), false);
    assert.equal(m.createRequest(v, { patient: "patients/pa1", template: t, requestId: "r" }).template, "");
    assert.equal(m.mayNameTemplate(t, m.valuesFromTemplate(t, "2026-12-01")), true);
  });
  test("the retry key ignores the request_id and changes with the plan", () => {
    const v = m.emptyPlanValues("2026-12-01");
    const a = m.createKey(m.createRequest({ ...v, condition: "Knee" }, { patient: "patients/p", requestId: "1" }));
    const b = m.createKey(m.createRequest({ ...v, condition: "Knee" }, { patient: "patients/p", requestId: "2" }));
    const c = m.createKey(m.createRequest({ ...v, condition: "Hip" }, { patient: "patients/p", requestId: "1" }));
    assert.equal(a, b);
    assert.notEqual(a, c);
  });
  test("UpdateTherapyPlan: the content, the name and the etag; goal ids and progress kept", () => {
    const p = plan();
    const v = m.valuesFromPlan(p);
    const req = m.updateRequest({ ...v, condition: "Changed" }, p);
    assert.equal(req.plan.name, "therapyPlans/p1");
    assert.equal(req.plan.etag, "e3");
    assert.equal(req.plan.condition, "Changed");
    assert.equal(req.plan.goals[0].id, "g1");
    assert.equal(req.plan.goals[0].progress.length, 2);
    assert.equal(req.plan.authorizedVisits, 10);
  });
  test("unsaved changes", () => {
    const v = m.valuesFromPlan(plan());
    assert.equal(m.isDirty(v, v), false);
    assert.equal(m.isDirty({ ...v, precautions: "x" }, v), true);
    assert.equal(m.isDirty(v, undefined), true);
  });
  test("progress recorded meanwhile joins the form without losing its edits", () => {
    const p = plan();
    const v = { ...m.valuesFromPlan(p), condition: "edited" };
    const after = plan({
      goals: [{ ...p.goals[0], status: pb.GoalStatus.MET, progress: [...p.goals[0].progress, { date: date("2026-12-15"), value: 2 }] }],
    });
    const merged = m.withProgressFrom(v, after, "g1", true);
    assert.equal(merged.condition, "edited");
    assert.equal(merged.goals[0].progress.length, 3);
    assert.equal(merged.goals[0].status, String(pb.GoalStatus.MET));
    assert.equal(m.withProgressFrom(v, after, "g1", false).goals[0].status, String(pb.GoalStatus.IN_PROGRESS));
  });
});

describe("the screening's template", () => {
  test("the top cause picks the template, hyphens or underscores alike", () => {
    const other = create(pb.PlanTemplateSchema, { name: "planTemplates/pfps", title: "Patellofemoral pain", screeningCause: "kneecap-misalignment" });
    const list = [other, template()];
    assert.equal(m.templateForCause(list, "pes-anserine-bursitis")?.name, "planTemplates/pes-anserine-bursitis");
    assert.equal(m.templateForCause(list, "Kneecap_Misalignment")?.name, "planTemplates/pfps");
    assert.equal(m.templateForCause(list, "medial-meniscus-tear"), undefined);
    assert.equal(m.templateForCause(list, ""), undefined);
  });
});

describe("errors at fields and rows", () => {
  test("every problem found before sending, at once", () => {
    const v = {
      ...m.emptyPlanValues(""),
      visits_per_week: "9",
      duration_weeks: "0",
      goals: [{ ...m.emptyGoal(), baseline: "abc" }],
      home_exercises: [{ ...m.emptyExercise(), sets: "-1" }],
    };
    const e = m.checkPlan(v);
    assert.deepEqual(Object.keys(e.fields).sort(), [
      "condition",
      "duration_weeks",
      "goals[0].baseline",
      "goals[0].description",
      "home_exercises[0].name",
      "home_exercises[0].sets",
      "start_date",
      "visits_per_week",
    ]);
    assert.equal(Object.keys(m.checkPlan(m.valuesFromTemplate(template(), "2026-12-01")).fields).length, 0);
  });
  test("BadRequest paths map to the row's input, camel or snake case, deeper paths too", () => {
    const v = m.valuesFromTemplate(template(), "2026-12-01");
    assert.equal(m.planFieldKey("plan.goals[0].target_date", v), "goals[0].target_date");
    assert.equal(m.planFieldKey("goals[1].targetDate.year", v), "goals[1].target_date");
    assert.equal(m.planFieldKey("plan.homeExercises[0].holdSeconds", v), "home_exercises[0].hold_seconds");
    assert.equal(m.planFieldKey("plan.interventions[0]", v), "interventions[0]");
    assert.equal(m.planFieldKey("plan.interventions[5].name", v), "interventions", "a row the form does not have: its list");
    assert.equal(m.planFieldKey("plan.goals[0].progress[1].value", v), "goals[0]");
    assert.equal(m.planFieldKey("plan.start_date.year", v), "start_date");
    assert.equal(m.planFieldKey("plan.certificationEnd", v), "certification_end");
    assert.equal(m.planFieldKey("plan.goals", v), "goals");
    assert.equal(m.planFieldKey("template", v), undefined);
    assert.equal(m.planFieldKey("plan.patient", v), undefined);
  });
  test("every violation at its place at once; the rest in words; ids of inputs and labels", () => {
    const v = m.valuesFromTemplate(template(), "2026-12-01");
    const e = m.planFormErrors(
      invalid(
        ["plan.goals[0].target_date", "must not be before the plan's start"],
        ["plan.home_exercises[0].name", "must be 1 to 120 characters"],
        ["plan.certification_end", "at most a year after the start"],
        ["template", "no such template"],
      ),
      v,
    );
    assert.deepEqual(e.fields, {
      "goals[0].target_date": "must not be before the plan's start",
      "home_exercises[0].name": "must be 1 to 120 characters",
      certification_end: "at most a year after the start",
    });
    assert.deepEqual(e.other, ["no such template"]);
    assert.equal(m.planInputId("goals[0].target_date"), "plan-goals-0-target_date");
    assert.equal(m.planInputId("condition"), "plan-condition");
    assert.equal(m.planFieldLabel("goals[0].target_date"), "Goal 1: target date");
    assert.equal(m.planFieldLabel("home_exercises[1].name"), "Home exercise 2: name");
    assert.equal(m.planFieldLabel("interventions[0]"), "Intervention 1");
    assert.equal(m.planFieldLabel("goals"), "Goals");
    assert.equal(m.planFieldLabel("certification_end"), "Certified until");
  });
  test("without details: one error in words (the server's message for a wrong state)", () => {
    const v = m.emptyPlanValues("2026-12-01");
    assert.deepEqual(m.planFormErrors(new ConnectError("This plan is completed and read-only.", Code.FailedPrecondition), v), {
      fields: {},
      other: ["This plan is completed and read-only."],
    });
    assert.match(m.planFormErrors(new ConnectError("", Code.Unavailable), v).other[0], /could not be reached/);
    assert.match(m.planFormErrors(new ConnectError("", Code.Aborted), v).other[0], /Someone else changed/);
  });
  test("activating without a goal: the server's message at the goals", () => {
    const none = { ...m.emptyPlanValues("2026-12-01"), goals: [] };
    const refused = new ConnectError("An active plan needs at least one goal.", Code.FailedPrecondition);
    assert.deepEqual(m.stateChangeErrors(refused, pb.PlanState.ACTIVE, none), {
      fields: { goals: "An active plan needs at least one goal." },
      other: [],
    });
    const viaViolation = m.stateChangeErrors(invalid(["plan.goals", "add at least one goal"]), pb.PlanState.ACTIVE, none);
    assert.deepEqual(viaViolation.fields, { goals: "add at least one goal" });
    // Another refusal is not about the goals.
    const other = m.stateChangeErrors(new ConnectError("The plan is discontinued.", Code.FailedPrecondition), pb.PlanState.ON_HOLD, none);
    assert.deepEqual(other, { fields: {}, other: ["The plan is discontinued."] });
  });
  test("a lost answer keeps the request_id; a refusal does not", () => {
    assert.equal(m.outcomeUnknown(new ConnectError("", Code.Unavailable)), true);
    assert.equal(m.outcomeUnknown(new ConnectError("", Code.DeadlineExceeded)), true);
    assert.equal(m.outcomeUnknown(new ConnectError("", Code.InvalidArgument)), false);
  });
});

describe("states", () => {
  const labels = (s) => m.stateActions(s).map((a) => a.label);
  test("the verbs of each state; completing and discontinuing ask first", () => {
    assert.deepEqual(labels(pb.PlanState.DRAFT), ["Activate"]);
    assert.deepEqual(labels(pb.PlanState.ACTIVE), ["Put on hold", "Complete", "Discontinue"]);
    assert.deepEqual(labels(pb.PlanState.ON_HOLD), ["Resume", "Complete", "Discontinue"]);
    assert.deepEqual(labels(pb.PlanState.COMPLETED), []);
    assert.deepEqual(labels(pb.PlanState.DISCONTINUED), []);
    const discontinue = m.stateActions(pb.PlanState.ACTIVE).find((a) => a.label === "Discontinue");
    assert.equal(discontinue.to, pb.PlanState.DISCONTINUED);
    assert.match(discontinue.confirm, /Discontinue this plan of care\?/);
    assert.equal(m.stateActions(pb.PlanState.DRAFT)[0].confirm, "");
    assert.equal(m.isReadOnly(pb.PlanState.COMPLETED), true);
    assert.equal(m.isReadOnly(pb.PlanState.DISCONTINUED), true);
    assert.equal(m.isReadOnly(pb.PlanState.ON_HOLD), false);
  });
  test("the request carries the etag", () => {
    const req = m.stateRequest(plan(), pb.PlanState.ON_HOLD);
    assert.equal(req.name, "therapyPlans/p1");
    assert.equal(req.state, pb.PlanState.ON_HOLD);
    assert.equal(req.etag, "e3");
  });
  test("words and classes", () => {
    assert.equal(m.planStateWords[pb.PlanState.ON_HOLD], "On hold");
    assert.equal(m.planStateClass(pb.PlanState.ON_HOLD), "plan-state-on-hold");
    assert.match(m.stateChangedWords(pb.PlanState.ON_HOLD, pb.PlanState.ACTIVE), /active again/);
  });
});

describe("visits, alerts and versions in words", () => {
  test("the visits line, in the location's words", () => {
    const counts = create(pb.VisitCountsSchema, {
      planned: 12,
      completed: 3,
      noShow: 1,
      authorized: 10,
      upcoming: 4,
      nextVisitLocal: "2026-12-03T09:00",
      timeZone: "America/Denver",
    });
    assert.equal(m.visitsLine(counts, 2026), "Visits: 3 completed of 12 planned (10 authorized), 1 no-show, 4 booked ahead, next: Thursday 3 December 09:00");
    assert.equal(m.visitsLine(create(pb.VisitCountsSchema, { planned: 12 }), 2026), "Visits: 0 completed of 12 planned, no visit booked");
    assert.equal(m.visitsShort(counts), "3 completed of 12 planned (10 authorized)");
    assert.equal(m.nextVisitWords(counts, 2025), "Thursday 3 December 2026 09:00", "another year is said");
  });
  test("alerts: kind, message, due date, urgency; most urgent first", () => {
    const alerts = [
      create(pb.AlertSchema, { kind: pb.AlertKind.NO_FUTURE_VISIT, message: "No visit booked", urgency: 3 }),
      create(pb.AlertSchema, { kind: pb.AlertKind.RE_EVALUATION_DUE, message: "Certification ends 1 March", dueDate: date("2027-02-15"), urgency: 1 }),
      create(pb.AlertSchema, { kind: pb.AlertKind.PROGRESS_NOTE_DUE, message: "10 visits since the last note", urgency: 2 }),
    ];
    const views = m.alertViews(alerts, 2026);
    assert.deepEqual(
      views.map((a) => [a.kind, a.urgencyClass]),
      [
        ["Re-evaluation due", "urgency-1"],
        ["Progress note due", "urgency-2"],
        ["No visit booked", "urgency-3"],
      ],
    );
    assert.equal(views[0].due, "due Monday 15 February 2027");
    assert.equal(views[1].due, "");
    assert.equal(m.alertView(create(pb.AlertSchema, { urgency: 0 })).urgency, 3, "unknown urgency: least urgent");
  });
  test("the version line: who and when, in the zone", () => {
    const p = plan({ updateTime: timestampFromMs(Date.UTC(2026, 11, 3, 16, 12)) });
    assert.equal(m.versionLine(p, "Theo Rapp", "America/Denver"), "Version 3, last changed by Theo Rapp at Thursday 3 December 2026, 09:12");
    assert.equal(m.versionLine(create(pb.TherapyPlanSchema, { version: 1 }), "", "UTC"), "Version 1");
  });
  test("versions newest first, by name", () => {
    const rows = m.versionRows(
      [
        create(pb.PlanVersionSchema, { version: 1, staff: "staff/t1", time: timestampFromMs(Date.UTC(2026, 11, 1, 15, 0)), plan: { state: pb.PlanState.DRAFT } }),
        create(pb.PlanVersionSchema, { version: 2, staff: "staff/x", time: timestampFromMs(Date.UTC(2026, 11, 2, 15, 0)) }),
      ],
      new Map([["staff/t1", "Theo Rapp"]]),
      "America/Denver",
    );
    assert.deepEqual(
      rows.map((v) => [v.version, v.who, v.when, v.state]),
      [
        [2, "a colleague", "Wednesday 2 December 2026, 08:00", ""],
        [1, "Theo Rapp", "Tuesday 1 December 2026, 08:00", "Draft"],
      ],
    );
  });
  test("a patient's plan in the list", () => {
    const item = m.planListItem(plan({ visits: { planned: 12, completed: 3 } }));
    assert.equal(item.href, "/staff/plans/p1");
    assert.equal(item.state, "Active");
    assert.equal(item.dates, "From 1 December 2026 for 6 weeks · certified until 1 March 2027");
    assert.equal(item.visits, "3 of 12 visits completed");
  });
});

describe("goal progress", () => {
  test("the form: today, checks, the request", () => {
    const v = m.emptyProgress("2026-12-10");
    assert.equal(v.date, "2026-12-10");
    assert.deepEqual(Object.keys(m.checkProgress(v).fields), ["value"]);
    assert.deepEqual(Object.keys(m.checkProgress({ ...v, value: "x", date: "" }).fields).sort(), ["date", "value"]);
    const req = m.progressRequest(plan(), "g1", { date: "2026-12-10", value: "4,5", note: " ok ", status: String(pb.GoalStatus.MET) });
    assert.equal(req.name, "therapyPlans/p1");
    assert.equal(req.goal, "g1");
    assert.equal(req.progress.value, 4.5);
    assert.equal(req.progress.note, "ok");
    assert.equal(req.progress.date.day, 10);
    assert.equal(req.status, pb.GoalStatus.MET);
    assert.equal(m.progressRequest(plan(), "g1", { ...v, value: "3" }).status, pb.GoalStatus.UNSPECIFIED, "status unchanged");
  });
  test("errors at the progress form's fields", () => {
    const e = m.progressFormErrors(invalid(["progress.value", "must be a number"], ["progress.date", "not before the plan's start"], ["goal", "no such goal"]));
    assert.deepEqual(e.fields, { value: "must be a number", date: "not before the plan's start" });
    assert.deepEqual(e.other, ["no such goal"]);
  });
  test("the chart: measurements over time from the start to the target date, baseline and target across", () => {
    const p = plan();
    const d = m.goalChartData(p.goals[0], "2026-12-01");
    const day = (s) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 1000;
    assert.deepEqual(d.xs, [day("2026-12-01"), day("2026-12-03"), day("2026-12-08"), day("2026-12-22")]);
    assert.deepEqual(d.values, [null, 6, 5, null]);
    assert.equal(d.baseline, 6);
    assert.equal(d.target, 2);
    assert.ok(d.yMin < 2 && d.yMax > 6);
    assert.equal(d.hasProgress, true);
    assert.equal(m.goalChartData({ ...p.goals[0], progress: [] }, "2026-12-01").hasProgress, false);
  });
  test("the chart in words; percent of the way to the target", () => {
    assert.equal(
      m.goalProgressWords(plan().goals[0]),
      "Baseline 6, target 2 (pain 0-10). Measured: 6 on 3 December 2026, 5 on 8 December 2026.",
    );
    assert.equal(m.percentToTarget(6, 2, 4), 50);
    assert.equal(m.percentToTarget(0, 5, 5), 100);
    assert.equal(m.percentToTarget(3, 3, 3), 100);
  });
  test("dosage and targets in words", () => {
    assert.equal(m.dosageWords({ sets: 3, reps: 10, holdSeconds: 5, frequency: "twice daily" }), "3 sets of 10 · hold 5 s · twice daily");
    assert.equal(m.dosageWords({ sets: 0, reps: 0, holdSeconds: 0, frequency: "" }), "");
    assert.equal(m.goalTargetWords(plan().goals[0]), "pain 0-10: from 6 to 2 by 22 December 2026");
  });
});

describe("the patient's copy", () => {
  test("names, home exercises with dosage, goals in plain words; no ids, interventions, precautions or progress notes", () => {
    const p = plan({
      goals: [
        ...plan().goals,
        { id: "g2", description: "Already there", status: pb.GoalStatus.MET },
      ],
    });
    const copy = m.patientCopy(p, "Maya Okafor", "Theo Rapp");
    assert.equal(copy.patientName, "Maya Okafor");
    assert.equal(copy.therapistName, "Theo Rapp");
    assert.deepEqual(copy.exercises, [{ name: "Hamstring stretch", dosage: "3 sets of 1 · hold 30 s · twice daily", notes: "Keep the knee straight." }]);
    assert.deepEqual(copy.goals, [{ text: "Pain at most 2 of 10 on stairs", by: "by 22 December 2026" }]);
    const text = JSON.stringify(copy);
    assert.doesNotMatch(text, /therapyPlans\/|patients\/|staff\/|g1/);
    assert.doesNotMatch(text, /internal/);
  });
});
