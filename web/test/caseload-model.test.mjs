// Unit tests of the caseload and the plan notes on My day
// (src/staff/plans/caseload-model.ts): who sees a caseload and whose, its
// rows most urgent first in words (names, never ids), the goals' sparkline
// and, for today's appointments, "Visit N of M" and what is due. Vite loads
// the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let m;
let pb;
let svc;
let create;
let StaffRole;
let AppointmentState;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  m = await server.ssrLoadModule("/src/staff/plans/caseload-model.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/therapy_plans/v1/therapy_plans_pb.ts");
  svc = await server.ssrLoadModule("/src/gen/clinic/therapy_plans/v1/therapy_plans_service_pb.ts");
  ({ AppointmentState } = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts"));
  ({ StaffRole } = await server.ssrLoadModule("/src/gen/clinic/api/v1/access_pb.ts"));
  ({ create } = await server.ssrLoadModule("@bufbuild/protobuf"));
});

after(async () => {
  await server?.close();
});

const date = (s) => ({ year: Number(s.slice(0, 4)), month: Number(s.slice(5, 7)), day: Number(s.slice(8, 10)) });

function entry(id, extra = {}, urgency = 4) {
  return create(svc.CaseloadEntrySchema, {
    urgency,
    plan: {
      name: `therapyPlans/${id}`,
      patient: `patients/${id}-patient`,
      therapist: "staff/t1",
      condition: `Condition ${id}`,
      state: pb.PlanState.ACTIVE,
      visits: { planned: 12, completed: 3, authorized: 10 },
      ...extra,
    },
  });
}

describe("who and whose", () => {
  test("therapists and admins; admins choose the therapist", () => {
    assert.equal(m.canSeeCaseload([StaffRole.THERAPIST]), true);
    assert.equal(m.canSeeCaseload([StaffRole.ADMIN]), true);
    assert.equal(m.canSeeCaseload([StaffRole.FRONT_DESK]), false);
    assert.equal(m.canChooseTherapist([StaffRole.ADMIN]), true);
    assert.equal(m.canChooseTherapist([StaffRole.THERAPIST]), false);
  });
  test("the therapist shown: the address's for admins, else oneself", () => {
    const therapist = { name: "staff/me", roles: [StaffRole.THERAPIST] };
    const admin = { name: "staff/boss", roles: [StaffRole.ADMIN] };
    assert.equal(m.caseloadTherapist("?therapist=other", therapist), "staff/me", "a therapist sees only their own");
    assert.equal(m.caseloadTherapist("?therapist=other", admin), "staff/other");
    assert.equal(m.caseloadTherapist("", admin), "", "an admin who is no therapist chooses");
    assert.equal(m.caseloadTherapist("?therapist=../x", admin), "");
    assert.equal(m.caseloadPath("staff/t2"), "/staff/caseload?therapist=t2");
    assert.equal(m.caseloadPath(""), "/staff/caseload");
  });
});

describe("rows", () => {
  test("most urgent first, then the next visit soonest; names, links, visits, alerts", () => {
    const caseload = create(svc.CaseloadSchema, {
      entries: [
        entry("a", { visits: { planned: 12, completed: 0, nextVisitLocal: "2026-12-10T09:00" } }, 4),
        entry("b", { alerts: [{ kind: pb.AlertKind.PROGRESS_NOTE_DUE, message: "10 visits since the last note", urgency: 2 }] }, 2),
        entry("c", { visits: { planned: 12, completed: 0, nextVisitLocal: "2026-12-03T09:00" } }, 4),
        entry("d", { alerts: [{ kind: pb.AlertKind.RE_EVALUATION_DUE, message: "Certification ends", dueDate: date("2026-12-20"), urgency: 1 }] }, 1),
      ],
    });
    const names = new Map([
      ["patients/a-patient", "Ann A"],
      ["patients/c-patient", "Cid C"],
    ]);
    const rows = m.caseloadRows(caseload, names, 2026);
    assert.deepEqual(
      rows.map((r) => r.plan),
      ["therapyPlans/d", "therapyPlans/b", "therapyPlans/c", "therapyPlans/a"],
    );
    const c = rows[2];
    assert.equal(c.patientName, "Cid C");
    assert.equal(c.patientHref, "/staff/patients/c-patient");
    assert.equal(c.planHref, "/staff/plans/c");
    assert.equal(c.visits, "0 completed of 12 planned");
    assert.equal(c.nextVisit, "Thursday 3 December 09:00");
    assert.equal(c.calendarHref, "/staff/calendar?date=2026-12-03");
    assert.equal(rows[0].patientName, "A patient", "an unknown name is never an id");
    assert.equal(rows[0].visits, "3 completed of 12 planned (10 authorized)");
    assert.equal(rows[0].nextVisit, "");
    assert.equal(rows[0].calendarHref, "/staff/calendar?patient=patients/d-patient");
    assert.equal(rows[0].calendarLabel, "Book a visit");
    assert.deepEqual(
      rows[0].alerts.map((a) => [a.kind, a.due, a.urgencyClass]),
      [["Re-evaluation due", "due Sunday 20 December", "urgency-1"]],
    );
    assert.equal(rows[0].urgencyClass, "urgency-1");
    assert.equal(rows[3].urgencyClass, "urgency-none");
    assert.deepEqual(m.caseloadPatients(caseload), ["patients/a-patient", "patients/b-patient", "patients/c-patient", "patients/d-patient"]);
    assert.equal(m.patientCountWords(1), "1 patient");
    assert.equal(m.patientCountWords(0), "No patients");
  });
  test("on hold is said; goals met counted", () => {
    const [row] = m.caseloadRows(
      create(svc.CaseloadSchema, {
        entries: [
          entry("h", {
            state: pb.PlanState.ON_HOLD,
            goals: [
              { id: "g1", description: "A", status: pb.GoalStatus.MET },
              { id: "g2", description: "B", status: pb.GoalStatus.IN_PROGRESS },
            ],
          }),
        ],
      }),
      new Map(),
    );
    assert.equal(row.onHold, true);
    assert.equal(row.goals, "1 of 2 goals met");
    assert.equal(row.spark, undefined, "no measurement: no sparkline");
  });
});

describe("the sparkline", () => {
  test("each goal's way to its target over time, in percent; in words", () => {
    const s = m.sparkline({
      goals: [
        {
          description: "Pain on stairs",
          baseline: 6,
          target: 2,
          status: pb.GoalStatus.IN_PROGRESS,
          progress: [
            { date: date("2026-12-03"), value: 6 },
            { date: date("2026-12-10"), value: 4 },
          ],
        },
        { description: "Run 5 km", baseline: 0, target: 5, status: pb.GoalStatus.IN_PROGRESS, progress: [{ date: date("2026-12-10"), value: 1 }] },
        { description: "No measurement", baseline: 0, target: 1, progress: [] },
      ],
    });
    const day = (d) => Date.UTC(2026, 11, d) / 1000;
    assert.deepEqual(s.xs, [day(3), day(10)]);
    assert.deepEqual(
      s.series.map((x) => [x.label, x.values]),
      [
        ["Pain on stairs", [0, 50]],
        ["Run 5 km", [null, 20]],
      ],
    );
    assert.equal(s.words, "Pain on stairs: 50% of the way to the target; Run 5 km: 20% of the way to the target.");
  });
});

describe("My day", () => {
  const at = (h) => Date.UTC(2026, 11, 3, h);
  test("visit N of M for today's appointments of patients with an active plan; what is due", () => {
    const caseload = create(svc.CaseloadSchema, {
      entries: [
        entry("a", {
          visits: { planned: 12, completed: 3 },
          alerts: [
            { kind: pb.AlertKind.NO_FUTURE_VISIT, urgency: 3 },
            { kind: pb.AlertKind.RE_EVALUATION_DUE, urgency: 2 },
            { kind: pb.AlertKind.PROGRESS_NOTE_DUE, urgency: 1 },
          ],
        }),
        entry("h", { state: pb.PlanState.ON_HOLD }),
      ],
    });
    const today = [
      { name: "appointments/1", patient: "patients/a-patient", startMs: at(16), state: AppointmentState.BOOKED },
      { name: "appointments/2", patient: "patients/x", startMs: at(17), state: AppointmentState.BOOKED },
      { name: "appointments/3", patient: "patients/h-patient", startMs: at(18), state: AppointmentState.BOOKED },
    ];
    const notes = m.visitNotes(today, caseload);
    assert.deepEqual([...notes.keys()], ["appointments/1"], "only patients with an active plan");
    const note = notes.get("appointments/1");
    assert.equal(note.visit, "Visit 4 of 12");
    assert.deepEqual(note.due, ["Progress note due", "Re-evaluation due"]);
    assert.equal(note.planHref, "/staff/plans/a");
    assert.equal(note.condition, "Condition a");
  });
  test("a visit completed today is counted already; a cancelled one has no number", () => {
    const caseload = create(svc.CaseloadSchema, { entries: [entry("a", { visits: { planned: 12, completed: 4 } })] });
    const today = [
      { name: "appointments/late", patient: "patients/a-patient", startMs: at(20), state: AppointmentState.CHECKED_IN },
      { name: "appointments/early", patient: "patients/a-patient", startMs: at(15), state: AppointmentState.COMPLETED },
      { name: "appointments/cancelled", patient: "patients/a-patient", startMs: at(18), state: AppointmentState.CANCELLED },
    ];
    const notes = m.visitNotes(today, caseload);
    assert.equal(notes.get("appointments/early").visit, "Visit 4 of 12");
    assert.equal(notes.get("appointments/late").visit, "Visit 5 of 12");
    assert.equal(notes.get("appointments/cancelled").visit, "");
    assert.equal(m.visitNotes(today, undefined).size, 0, "without a caseload: no notes");
  });
});
