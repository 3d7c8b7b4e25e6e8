// End-to-end browser test of plans of care and the caseload, against a
// running clinic with the demo data:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/plans.test.mjs
//
// The first demo therapist (therapist1):
// - creates a patient with a unique name and completes a screening of them
//   through the API (inner knee, answers that rank "Pes anserine bursitis"
//   first, outcome "PT evaluation recommended");
// - opens the completed screening's page and follows "Start a plan of care"
//   (/staff/plans/new?patient=…&screening=…): the template of the
//   screening's top cause (pes anserine bursitis) is chosen at first and
//   fills the form; "Save draft" sends CreateTherapyPlan with the patient,
//   the screening, the template and a random request_id, and the plan's page
//   opens (Draft, "Version 1, last changed by <name> at …");
// - activates it (ChangeTherapyPlanState ACTIVE with the etag), records a
//   goal's progress (RecordGoalProgress: the chart is drawn — uPlot, loaded
//   on demand, under the gateway's CSP — no console errors), opens the
//   patient's printable copy (names and exercises, no ids);
// - books the series: the defaults (a follow-up, as many weekdays ticked as
//   visits a week), "Preview" (ScheduleVisitSeries preview, no request_id)
//   lists the proposed visits in the location's words, "Book these N visits"
//   (preview false, a request_id) shows what was booked; the plan's visit line
//   says "0 completed of N planned" and the next visit. When the series can
//   start today (a weekday with working hours left), it starts today and the
//   first visit, if today, is checked in and completed through the API;
// - opens Caseload from the navigation (GetCaseload, one call): the patient's
//   row says "K completed of N planned" and the next visit, with links to
//   the plan and the calendar; the patient's page lists the plan.
// Each run leaves a patient, a completed screening, an active plan and its
// booked visits (at random times of day, so that runs do not collide).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const plansApi = "/clinic.therapy_plans.v1.TherapyPlanService/";
const screeningsApi = "/clinic.screenings.v1.ScreeningService/";
const appointmentsApi = "/clinic.appointments.v1.AppointmentService/";
const patientsApi = "/clinic.patients.v1.PatientService/";
const locationsApi = "/clinic.appointments.v1.LocationService/";

before(async () => {
  await checkServer();
});

/** A Connect call from the page (its session): [status, body]. */
function api(page, path, body) {
  return page.evaluate(
    async ({ path, body }) => {
      const res = await fetch(path, {
        method: "POST",
        headers: { "content-type": "application/json", "connect-protocol-version": "1" },
        body: JSON.stringify(body),
      });
      return [res.status, await res.json()];
    },
    { path, body },
  );
}

async function apiOk(page, path, body) {
  const [status, json] = await api(page, path, body);
  assert.equal(status, 200, `${path}: HTTP ${status} ${JSON.stringify(json)}`);
  return json;
}

/** The page's next call of a method ("Service/Method" under /clinic.…), whose request passes `test`. */
function nextCall(page, path, test = () => true) {
  return page.waitForResponse((res) => {
    if (new URL(res.url()).pathname !== path || res.request().method() !== "POST") return false;
    try {
      return test(res.request().postDataJSON() ?? {});
    } catch {
      return false;
    }
  });
}

async function ok(res, what) {
  const text = await res.text();
  assert.equal(res.status(), 200, `${what}: HTTP ${res.status()} ${text}`);
  return JSON.parse(text);
}

function letters(n) {
  const abc = "abcdefghijklmnopqrstuvwxyz";
  return Array.from({ length: n }, () => abc[Math.floor(Math.random() * abc.length)]).join("");
}

/** No resource id, RFC 3339 time or request path in a text people read. */
function assertSpeaksPlainly(text, what) {
  assert.doesNotMatch(text, /\b(therapyPlans|planTemplates|patients|screenings|staff|appointments|locations|appointmentTypes)\/[\w-]{4,}/, `${what}: ${text}`);
  assert.doesNotMatch(text, /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, `${what} has an RFC 3339 time: ${text}`);
  assert.doesNotMatch(text, /\bplan\.\w+|\bgoals\[\d+\]/, `${what} has a request path: ${text}`);
}

/** Local date, time and weekday (0 Sunday) in a zone, now. */
function localNow(zone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
    })
      .formatToParts(new Date())
      .map((p) => [p.type, p.value]),
  );
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.weekday);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, minutes: Number(parts.hour) * 60 + Number(parts.minute), weekday };
}

const hhmm = (minutes) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** A new patient and a completed screening of them that ranks pes anserine bursitis first. */
async function screenedPatient(page) {
  const given = "Zzplan" + letters(8);
  const patient = await apiOk(page, patientsApi + "CreatePatient", {
    patient: { givenName: given, familyName: "Planner", birthDate: { year: 1987, month: 6, day: 21 }, phone: "+1 303 555 0177" },
    requestId: "e2e-plan-patient-" + letters(12),
  });
  const created = await apiOk(page, screeningsApi + "CreateScreening", {
    screening: { patient: patient.name, protocol: "screeningProtocols/inner-knee-runner" },
    requestId: "e2e-plan-screening-" + letters(12),
  });
  const saved = await apiOk(page, screeningsApi + "UpdateScreening", {
    screening: {
      name: created.name,
      etag: created.etag,
      answers: [
        { question: "pain-location", options: ["below-joint-line"] },
        { question: "mileage-jump", yes: true },
        { question: "tight-hamstrings", yes: true },
      ],
    },
  });
  const done = await apiOk(page, screeningsApi + "CompleteScreening", {
    name: created.name,
    outcome: "SCREENING_OUTCOME_PT_EVALUATION",
    etag: saved.etag,
  });
  assert.equal(done.state, "SCREENING_STATE_COMPLETED");
  const top = done.evaluation?.considerations?.[0];
  assert.equal(top?.name, "Pes anserine bursitis", `the screening's ranking: ${JSON.stringify(done.evaluation)}`);
  return { patient, patientName: `${given} Planner`, screening: done, topCause: top.cause };
}

test("a therapist starts a plan of care from a screening, activates it, books the series and sees the caseload", async (t) => {
  const browser = await launchBrowser({ locale: "en-US" });
  try {
    await withPage(browser.context, t, async (page, consoleErrors) => {
      await logIn(page, accountFor(await readAccounts(), "therapist"));
      const me = (await page.evaluate(async () => (await (await fetch("/auth/me")).json()).staffMember)) ?? {};
      const myName = `${me.givenName ?? ""} ${me.familyName ?? ""}`.trim();

      // The navigation has Caseload (no "Plans (soon)").
      const nav = page.getByRole("navigation", { name: "Staff" });
      await nav.getByRole("link", { name: "Caseload", exact: true }).waitFor();
      assert.equal(await nav.getByText("soon").count(), 0, "no placeholder in the navigation");

      const { patient, patientName, screening, topCause } = await screenedPatient(page);
      const patientId = patient.name.slice("patients/".length);
      const screeningId = screening.name.slice("screenings/".length);

      // ---- the completed screening's page: "Start a plan of care" ----
      await page.goto(`${baseUrl}/staff/screenings/${screeningId}`);
      const start = page.getByRole("link", { name: "Start a plan of care" });
      await start.waitFor();
      assert.equal(await start.getAttribute("href"), `/staff/plans/new?patient=patients/${patientId}&screening=screenings/${screeningId}`);
      const templatesCall = nextCall(page, plansApi + "ListPlanTemplates");
      await start.click();
      await page.waitForURL((url) => url.pathname === "/staff/plans/new");
      const { templates = [] } = await ok(await templatesCall, "ListPlanTemplates");
      const norm = (s) => String(s ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "-");
      const template = templates.find((x) => norm(x.screeningCause) === norm(topCause));
      assert.ok(template, `a template for the screening's cause ${topCause}: ${templates.map((x) => x.screeningCause).join(", ")}`);
      assert.match(template.title, /pes anserine/i);

      // The template of the screening's top cause is chosen and fills the form.
      await page.getByRole("heading", { level: 1, name: "New plan of care" }).waitFor();
      const startFrom = page.getByRole("group", { name: "Start from" });
      await startFrom.getByLabel(template.title).waitFor();
      assert.equal(await startFrom.getByLabel(template.title).isChecked(), true, "the screening's template is chosen");
      await page.getByText(/Suggested by the screening/).waitFor();
      const condition = page.getByLabel(/^Condition/);
      assert.equal(await condition.inputValue(), template.condition || template.title);
      assert.equal(await page.locator("fieldset.plan-row[id^='plan-goals-']").count(), (template.goals ?? []).length, "the template's goals");
      assert.ok((template.goals ?? []).length > 0, "the template has goals (an active plan needs one)");
      assert.ok(await page.getByText(patientName).first().isVisible(), "the patient's name");

      // ---- Save draft: CreateTherapyPlan ----
      const createCall = nextCall(page, plansApi + "CreateTherapyPlan");
      await page.getByRole("button", { name: "Save draft" }).click();
      const createRes = await createCall;
      const sent = createRes.request().postDataJSON();
      assert.equal(sent.plan?.patient, patient.name);
      assert.equal(sent.plan?.screening, screening.name);
      assert.equal(sent.template, template.name);
      assert.match(sent.requestId ?? "", /^[0-9a-f-]{32,36}$/i, "a random request_id");
      const plan = await ok(createRes, "CreateTherapyPlan");
      assert.equal(plan.state, "PLAN_STATE_DRAFT");
      const planId = plan.name.slice("therapyPlans/".length);
      await page.waitForURL((url) => url.pathname === `/staff/plans/${planId}`);
      await page.locator("#plan-state").filter({ hasText: "Draft" }).waitFor();
      await page.getByText("Plan of care saved as a draft.").waitFor();
      await page.locator("#plan-version").filter({ hasText: `Version ${plan.version || 1}, last changed by ${myName} at ` }).waitFor();

      // ---- Activate ----
      const activateCall = nextCall(page, plansApi + "ChangeTherapyPlanState");
      await page.getByRole("group", { name: "Plan state" }).getByRole("button", { name: "Activate" }).click();
      const activateRes = await activateCall;
      const activateSent = activateRes.request().postDataJSON();
      assert.equal(activateSent.state, "PLAN_STATE_ACTIVE");
      assert.equal(activateSent.etag, plan.etag, "the etag last read");
      const active = await ok(activateRes, "ChangeTherapyPlanState");
      assert.equal(active.state, "PLAN_STATE_ACTIVE");
      await page.locator("#plan-state").filter({ hasText: "Active" }).waitFor();
      const group = page.getByRole("group", { name: "Plan state" });
      for (const label of ["Put on hold", "Complete", "Discontinue"]) await group.getByRole("button", { name: label }).waitFor();

      // ---- Record a goal's progress: its chart is drawn (uPlot, loaded on demand) ----
      const firstGoal = page.locator("goal-progress").first();
      await firstGoal.getByRole("button", { name: "Record progress" }).click();
      await firstGoal.getByLabel("Value").fill(String(active.goals?.[0]?.baseline ?? 5));
      const progressCall = nextCall(page, plansApi + "RecordGoalProgress");
      await firstGoal.getByRole("button", { name: "Save progress" }).click();
      const progressRes = await progressCall;
      const progressSent = progressRes.request().postDataJSON();
      assert.equal(progressSent.goal, active.goals?.[0]?.id);
      await ok(progressRes, "RecordGoalProgress");
      await firstGoal.getByText("Progress recorded.").waitFor();
      await firstGoal.locator("figure.goal-chart canvas").waitFor({ timeout: 20_000 });
      assert.match(await firstGoal.locator("figcaption").innerText(), /Measured: /);

      // ---- The patient's printable copy ----
      await page.getByRole("button", { name: "Print for the patient" }).click();
      const copy = page.locator("div.plan-print");
      await copy.getByRole("heading", { level: 1, name: "Your home exercise program" }).waitFor();
      const copyText = await copy.innerText();
      assert.ok(copyText.includes(patientName), "the patient's name");
      assert.ok(copyText.includes(myName), "the therapist's name");
      for (const e of active.homeExercises ?? []) assert.ok(copyText.includes(e.name), `the exercise ${e.name}`);
      assertSpeaksPlainly(copyText, "the patient's copy");
      if (active.precautions) assert.ok(!copyText.includes(active.precautions), "no internal precautions");
      await page.getByRole("button", { name: "Back to the plan" }).click();
      await page.locator("#plan-state").waitFor();

      // ---- Book the series ----
      const series = page.locator("section.plan-series");
      await series.getByRole("heading", { level: 2, name: "Book the series" }).waitFor();
      const typeSelect = series.getByLabel("Appointment type");
      await page.waitForFunction(() => (document.querySelector("#series-type")?.selectedOptions[0]?.textContent ?? "").trim() !== "");
      assert.match(await typeSelect.evaluate((s) => s.selectedOptions[0].textContent.trim()), /Follow-up/i, "a follow-up at first");
      const weekdays = series.getByRole("group", { name: "Weekdays" });
      const ticked = await weekdays.getByRole("checkbox", { checked: true }).count();
      assert.equal(ticked, active.visitsPerWeek, "as many weekdays ticked as visits a week");
      const locationName = await series.getByLabel("Location").inputValue();
      const { locations = [] } = await apiOk(page, locationsApi + "ListLocations", {});
      const zone = locations.find((l) => l.name === locationName)?.timeZone || "America/Denver";

      // Today when there is time left on a weekday (so the first visit may be checked in); else a random time from tomorrow.
      const now = localNow(zone);
      const soon = Math.ceil((now.minutes + 30) / 15) * 15;
      const startToday = now.weekday >= 1 && now.weekday <= 5 && soon >= 8 * 60 && soon <= 15 * 60 + 30;
      const time = startToday ? soon : 8 * 60 + 15 * Math.floor(Math.random() * 28);
      if (startToday) {
        const names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
        const todayBox = weekdays.getByRole("checkbox", { name: new RegExp(`^${names[now.weekday]}`) });
        if (!(await todayBox.isChecked())) {
          // Keep as many ticked as visits a week: today instead of the last one ticked.
          const boxes = weekdays.getByRole("checkbox", { checked: true });
          await boxes.nth((await boxes.count()) - 1).uncheck();
          await todayBox.check();
        }
        await series.getByLabel("First date").fill(now.date);
      }
      await series.getByLabel("Time of day").fill(hhmm(time));

      const previewCall = nextCall(page, plansApi + "ScheduleVisitSeries", (b) => b.preview === true);
      await series.getByRole("button", { name: "Preview" }).click();
      const previewRes = await previewCall;
      const previewSent = previewRes.request().postDataJSON();
      assert.equal(previewSent.name, plan.name);
      assert.equal(previewSent.location, locationName);
      assert.ok(!previewSent.requestId, "a preview books nothing and needs no request_id");
      assert.deepEqual(previewSent.timeOfDay, { hours: Math.floor(time / 60), ...(time % 60 ? { minutes: time % 60 } : {}) });
      const preview = await ok(previewRes, "ScheduleVisitSeries (preview)");
      const proposed = preview.visits ?? [];
      assert.ok(proposed.length > 0, `visits proposed: ${JSON.stringify(preview)}`);
      const previewSection = series.locator("section.series-preview");
      await previewSection.getByRole("heading", { name: "Proposed visits" }).waitFor();
      assert.equal(await previewSection.locator("ol.series-visits > li").count(), proposed.length);
      assert.equal(
        await previewSection.locator("ol.series-visits .badge.nearest").count(),
        proposed.filter((v) => !v.preferred).length,
        "the visits not at the preferred day and time are marked",
      );
      assertSpeaksPlainly(await previewSection.innerText(), "the preview");

      const bookCall = nextCall(page, plansApi + "ScheduleVisitSeries", (b) => b.preview !== true);
      const refreshed = nextCall(page, plansApi + "GetTherapyPlan");
      await previewSection.getByRole("button", { name: proposed.length === 1 ? "Book this visit" : `Book these ${proposed.length} visits` }).click();
      const bookRes = await bookCall;
      const bookSent = bookRes.request().postDataJSON();
      assert.match(bookSent.requestId ?? "", /^[0-9a-f-]{32,36}$/i, "the booking has a request_id");
      const booked = await ok(bookRes, "ScheduleVisitSeries");
      const bookedVisits = (booked.visits ?? []).filter((v) => v.appointment);
      assert.ok(bookedVisits.length > 0, `visits booked: ${JSON.stringify(booked)}`);
      const bookedSection = series.locator("section.series-booked");
      await bookedSection.getByRole("heading", { name: "Booked" }).waitFor();
      await bookedSection.getByText(bookedVisits.length === 1 ? /^1 visit booked/ : new RegExp(`^${bookedVisits.length} visits booked`)).waitFor();
      assert.equal(await bookedSection.locator("ol.series-visits > li").count(), bookedVisits.length);
      assertSpeaksPlainly(await bookedSection.innerText(), "what was booked");

      // The plan's visit line follows.
      const afterBooking = await ok(await refreshed, "GetTherapyPlan");
      const planned = afterBooking.visits?.planned ?? active.visitsPerWeek * active.durationWeeks;
      await page.locator("#plan-visits").filter({ hasText: `Visits: 0 completed of ${planned} planned` }).waitFor();
      await page.locator("#plan-visits").filter({ hasText: "next: " }).waitFor();
      assertSpeaksPlainly(await page.locator("main").innerText(), "the plan's page");

      // The first visit, if today: checked in and completed (the therapist may do both).
      let completed = 0;
      const first = [...bookedVisits].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime))[0];
      const firstLocal = first.localStart || "";
      if (firstLocal.slice(0, 10) === now.date) {
        const checkedIn = await apiOk(page, appointmentsApi + "CheckInAppointment", { name: first.appointment });
        assert.equal(checkedIn.state, "APPOINTMENT_STATE_CHECKED_IN");
        const done = await apiOk(page, appointmentsApi + "CompleteAppointment", { name: first.appointment });
        assert.equal(done.state, "APPOINTMENT_STATE_COMPLETED");
        completed = 1;
      }

      // ---- The caseload ----
      const caseloadCall = nextCall(page, plansApi + "GetCaseload");
      await nav.getByRole("link", { name: "Caseload", exact: true }).click();
      await page.waitForURL((url) => url.pathname === "/staff/caseload");
      const caseload = await ok(await caseloadCall, "GetCaseload");
      const caseloadSent = (await caseloadCall).request().postDataJSON();
      assert.ok(!caseloadSent.therapist || caseloadSent.therapist === me.name, "the therapist's own caseload");
      const entry = (caseload.entries ?? []).find((e) => e.plan?.name === plan.name);
      assert.ok(entry, "the caseload has the new plan");
      await page.getByRole("heading", { level: 1, name: "Caseload" }).waitFor();
      const row = page.locator("table.caseload-table tbody tr").filter({ has: page.getByRole("link", { name: patientName }) });
      await row.waitFor();
      assert.equal((await row.locator("td.caseload-visits").innerText()).trim().startsWith(`${completed} completed of ${planned} planned`), true);
      const next = (await row.locator("td.caseload-next").innerText()).trim();
      assert.match(next, /^\w+day \d{1,2} \w+( \d{4})? \d{2}:\d{2}$/, `the next visit in words: ${next}`);
      assert.equal(await row.getByRole("link", { name: "Plan", exact: true }).getAttribute("href"), `/staff/plans/${planId}`);
      assert.match((await row.getByRole("link", { name: /Calendar|Book a visit/ }).getAttribute("href")) ?? "", /^\/staff\/calendar\?/);
      assertSpeaksPlainly(await page.locator("main").innerText(), "the caseload");

      // ---- The patient's page lists the plan ----
      const listed = nextCall(page, plansApi + "ListTherapyPlans");
      await page.goto(`${baseUrl}/staff/patients/${patientId}`);
      const list = await ok(await listed, "ListTherapyPlans");
      assert.equal(list.plans?.[0]?.name, plan.name);
      const section = page.locator("section.patient-plans");
      await section.getByRole("heading", { level: 2, name: "Plans of care" }).waitFor();
      const item = section.locator("li").filter({ has: page.locator(`a[href="/staff/plans/${planId}"]`) });
      await item.waitFor();
      assert.match(await item.innerText(), /Active/);
      assert.equal(
        await section.getByRole("link", { name: "New plan of care" }).getAttribute("href"),
        `/staff/plans/new?patient=patients/${patientId}`,
      );

      assert.deepEqual(
        consoleErrors.filter((e) => !/Failed to load resource/.test(e)),
        [],
        "no errors in the console (a Content-Security-Policy violation would be one)",
      );
    });
  } finally {
    await browser.close();
  }
});

test("activating a plan without goals is refused, and said at the goals", async (t) => {
  const browser = await launchBrowser({ locale: "en-US" });
  try {
    await withPage(browser.context, t, async (page) => {
      await logIn(page, accountFor(await readAccounts(), "therapist"));
      const given = "Zzplan" + letters(8);
      const patient = await apiOk(page, patientsApi + "CreatePatient", {
        patient: { givenName: given, familyName: "Blank", birthDate: { year: 1979, month: 2, day: 3 }, phone: "+1 303 555 0178" },
        requestId: "e2e-plan-patient-" + letters(12),
      });
      const patientId = patient.name.slice("patients/".length);
      await page.goto(`${baseUrl}/staff/plans/new?patient=patients/${patientId}`);
      await page.getByRole("heading", { level: 1, name: "New plan of care" }).waitFor();
      await page.getByRole("group", { name: "Start from" }).getByLabel("A blank plan").check();

      // Nothing filled: every problem at its field at once, nothing sent.
      await page.getByRole("button", { name: "Save draft" }).click();
      const summary = page.locator("#plan-problems");
      await summary.waitFor();
      assert.equal(await page.getByLabel(/^Condition/).getAttribute("aria-invalid"), "true");
      assertSpeaksPlainly(await summary.innerText(), "the summary");

      await page.getByLabel(/^Condition/).fill("Knee pain, left (e2e)");
      const created = nextCall(page, plansApi + "CreateTherapyPlan");
      await page.getByRole("button", { name: "Save draft" }).click();
      const plan = await ok(await created, "CreateTherapyPlan");
      await page.waitForURL((url) => url.pathname === `/staff/plans/${plan.name.slice("therapyPlans/".length)}`);
      await page.locator("#plan-state").filter({ hasText: "Draft" }).waitFor();

      const refused = nextCall(page, plansApi + "ChangeTherapyPlanState");
      await page.getByRole("group", { name: "Plan state" }).getByRole("button", { name: "Activate" }).click();
      const res = await refused;
      assert.notEqual(res.status(), 200, "a plan without goals is not activated");
      const goals = page.locator("#plan-goals");
      await page.waitForFunction(() => document.querySelector("#plan-goals")?.getAttribute("aria-invalid") === "true");
      const error = page.locator('[data-error-for="plan-goals"]');
      await error.waitFor();
      assert.ok((await error.innerText()).trim().length > 0, "the server's message at the goals");
      assertSpeaksPlainly(await goals.innerText(), "the goals' error");
      await page.locator("#plan-state").filter({ hasText: "Draft" }).waitFor();
    });
  } finally {
    await browser.close();
  }
});
