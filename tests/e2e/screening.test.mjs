// End-to-end browser test of the therapist's screening form, against a
// running clinic:
//
//   CLINIC_BASE_URL=http://127.0.0.1:8080 CLINIC_DEMO_ACCOUNTS=.clinic/demo-accounts.tsv \
//     node tests/e2e/screening.test.mjs
//
// - A therapist opens a demo patient's page (Okafor, else the first patient),
//   starts a screening (CreateScreening with the inner-knee protocol and a
//   request_id), answers "pain on the inner shin below the joint line",
//   "mileage jump: yes" and "tight hamstrings: yes"; the live evaluation
//   (EvaluateScreening) ranks "Pes anserine bursitis" first, with the answers
//   that support it, no red flag, and the disclaimer. Save (UpdateScreening with
//   the etag) → "All changes saved". Complete with "PT evaluation recommended"
//   (CompleteScreening) → the page is read-only, with "Add an addendum"; an
//   addendum is added. "Book the initial evaluation" is offered: the initial
//   evaluation type and the therapist (the screening's) chosen, the open times
//   (FindAvailableSlots; the component moves on to the next day with open
//   times when the default day has none) as buttons in the location's wall
//   time; a time is chosen and "Book initial evaluation" sends
//   ConvertScreening with a request_id (another time is tried when the patient
//   is busy then or the time was just taken) → "Initial evaluation booked:
//   <day>, <time> with <therapist> at <location>", focused, no ids; after a
//   reload (GetAppointment) the line is still there. The patient's page lists
//   the screening.
// - A second screening: "numbness: yes" → "Refer to a physician before any
//   physical therapy" with the red flag, and "Refer to a physician" is the only
//   outcome offered; the server refuses another outcome (failed_precondition);
//   completing refers (the unsaved answer is saved first); no initial
//   evaluation is offered for a referral.
//
// Each run leaves two completed screenings of that patient and one initial
// evaluation booked for them (the first screening converted).
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, baseUrl, checkServer, launchBrowser, logIn, readAccounts, withPage } from "./lib.mjs";

const api = "/clinic.screenings.v1.ScreeningService/";
const appointmentsApi = "/clinic.appointments.v1.AppointmentService/";
const protocolName = "screeningProtocols/inner-knee-runner";

before(async () => {
  await checkServer();
});

/** Runs fn with a page of a fresh desktop browser, logged in as the therapist (the session ends with the browser). */
async function asTherapist(t, fn) {
  const desktop = await launchBrowser();
  try {
    await withPage(desktop.context, t, async (page, consoleErrors) => {
      await logIn(page, accountFor(await readAccounts(), "therapist"));
      await fn(page, consoleErrors);
    });
  } finally {
    await desktop.close();
  }
}

/** The page's next call of a ScreeningService method (whose request passes `test`, if given). */
function nextCall(page, method, test = () => true) {
  return page.waitForResponse((res) => {
    if (!res.url().endsWith(api + method) || res.request().method() !== "POST") return false;
    try {
      return test(res.request().postDataJSON() ?? {});
    } catch {
      return false;
    }
  });
}

/** Asserts a 200 and returns the JSON body. */
async function ok(res, what) {
  const text = await res.text();
  assert.equal(res.status(), 200, `${what}: HTTP ${res.status()} ${text}`);
  return JSON.parse(text);
}

/** A ScreeningService call made by the page itself (its session), for what the form does not offer. */
function callApi(page, method, body) {
  return page.evaluate(
    async ({ path, body }) => {
      const res = await fetch(path, {
        method: "POST",
        headers: { "content-type": "application/json", "connect-protocol-version": "1" },
        body: JSON.stringify(body),
      });
      return [res.status, await res.json()];
    },
    { path: api + method, body },
  );
}

/** No resource id in a text people read. */
function assertNoIds(text, what) {
  assert.doesNotMatch(text, /\b(staff|appointments|locations|appointmentTypes|patients|holds|screenings|contactRequests)\/\S/, `${what}: ${text}`);
}

/** The logged-in member's name as the app shows it ("Theo Rapp"), from /auth/me. */
async function myName(page) {
  const me = await page.evaluate(async () => (await fetch("/auth/me", { credentials: "same-origin" })).json());
  const m = me.staffMember ?? {};
  return `${m.givenName ?? ""} ${m.familyName ?? ""}`.trim() || m.email;
}

/**
 * Collects the slots of every FindAvailableSlots the page receives from now
 * on; `slots()` resolves to them (by start instant, ms).
 */
function watchSlots(page) {
  const bodies = [];
  page.on("response", (res) => {
    if (res.url().endsWith(appointmentsApi + "FindAvailableSlots") && res.status() === 200) bodies.push(res.json().catch(() => ({})));
  });
  return {
    async slots() {
      const byStart = new Map();
      for (const body of await Promise.all(bodies)) for (const slot of body.slots ?? []) byStart.set(Date.parse(slot.startTime), slot);
      return byStart;
    },
  };
}

/**
 * "Book the initial evaluation" on a completed screening's page: checks the
 * defaults, chooses an open time and books it (ConvertScreening). When the
 * patient is busy then or the time was just taken, the form says so without
 * ids, and another time is tried (a few times). Returns { line, converted,
 * sent, localStart }.
 */
async function bookInitialEvaluation(page, screening, watched) {
  const me = await myName(page);
  const section = page.locator("section.screening-convert");
  await section.getByRole("heading", { level: 2, name: "Book the initial evaluation" }).waitFor();
  // The defaults: the initial evaluation (not the re-evaluation), the screening's therapist (the one logged in).
  const selectedText = (label) =>
    section.getByLabel(label, { exact: true }).evaluate((select) => (select.selectedOptions[0]?.textContent ?? "").trim());
  await page.waitForFunction(() => /^Initial evaluation\b/.test((document.querySelector("#cv-type")?.selectedOptions[0]?.textContent ?? "").trim()), null, {
    timeout: 30_000,
  });
  assert.match(await selectedText("Appointment type"), /^Initial evaluation\b/);
  assert.equal(await selectedText("Therapist"), me, "the screening's therapist");

  // The open times: buttons with the location's wall time.
  const times = section.getByRole("group", { name: /^Open times/ });
  const timeButtons = times.getByRole("button", { name: /^\d{2}:\d{2}$/ });
  await timeButtons.first().waitFor({ timeout: 30_000 });
  assert.match(await section.locator("#cv-times-status").innerText(), /open times? on \w+ \d{1,2} \w+ \d{4}\./);

  let converted;
  let sent;
  let timeText = "";
  for (let attempt = 0; attempt < 4 && !converted; attempt++) {
    const n = await timeButtons.count();
    assert.ok(n > 0, "open times are shown");
    const index = [0, n - 1, Math.floor(n / 2), 1][attempt] % n;
    const button = timeButtons.nth(index);
    timeText = (await button.innerText()).trim();
    await button.click();
    await times.getByRole("button", { name: timeText, exact: true, pressed: true }).waitFor();
    const call = nextCall(page, "ConvertScreening");
    await section.getByRole("button", { name: "Book initial evaluation" }).click();
    const res = await call;
    sent = res.request().postDataJSON();
    assert.equal(sent.name, screening.name);
    assert.match(sent.requestId ?? "", /^[0-9a-f-]{32,36}$/i, "a random request_id");
    assert.match(sent.location ?? "", /^locations\//);
    assert.match(sent.appointmentType ?? "", /^appointmentTypes\//);
    assert.match(sent.therapist ?? "", /^staff\//);
    assert.ok(sent.startTime, "the chosen time");
    if (res.status() === 200) {
      converted = await res.json();
      break;
    }
    // The patient has another appointment then, or the time was just taken: said in words, without ids.
    const body = await res.json();
    assert.ok(["already_exists", "failed_precondition"].includes(body.code), `ConvertScreening: HTTP ${res.status()} ${JSON.stringify(body)}`);
    const alert = section.getByRole("alert").filter({ hasText: "The initial evaluation was not booked." });
    await alert.waitFor();
    assertNoIds(await alert.innerText(), "the error");
    await timeButtons.first().waitFor();
  }
  assert.ok(converted, "an initial evaluation was booked");
  assert.match(converted.screening?.evaluationAppointment ?? "", /^appointments\/[^/]+$/);

  // The time chosen was the slot's local start, as FindAvailableSlots gave it.
  const slot = (await watched.slots()).get(Date.parse(sent.startTime));
  assert.ok(slot, `the time sent is one of the open times: ${sent.startTime}`);
  assert.equal(timeText, slot.localStart.slice(11, 16), "the button shows the location's wall time");
  assert.equal(sent.therapist, slot.therapist);

  // The line, focused; no form any more.
  const result = section.locator("#convert-result");
  await result.waitFor();
  const text = (await result.innerText()).trim();
  const line = text.split("\n")[0].trim();
  assert.match(line, new RegExp(`^Initial evaluation booked: \\w+ \\d{1,2} \\w+ \\d{4}, ${timeText}\\b`), line);
  assert.ok(line.includes(` with ${me} at `), `the therapist's name: ${line}`);
  assertNoIds(text, "the booked line");
  if (converted.contactRequest) assert.match(text, /marked converted/);
  await page.waitForFunction(() => document.activeElement?.id === "convert-result");
  assert.equal(await section.getByRole("button", { name: "Book initial evaluation" }).count(), 0);
  return { line, converted, sent, localStart: slot.localStart };
}

/** A question of the form: the group (fieldset) its text names. */
const question = (page, text) => page.getByRole("group", { name: text });

/**
 * Opens a demo patient's page: the first "Okafor" found by the patient
 * search, else the first patient listed. Returns its address.
 */
async function openDemoPatient(page) {
  await page.goto(`${baseUrl}/staff/patients?q=Okafor`);
  const status = page.locator("#patient-results-status");
  await status.filter({ hasNotText: "Loading" }).waitFor();
  let link = page.locator("table tbody th a").filter({ hasText: "Okafor" }).first();
  if ((await link.count()) === 0) {
    await page.goto(`${baseUrl}/staff/patients`);
    await status.filter({ hasNotText: "Loading" }).waitFor();
    link = page.locator("table tbody th a").first();
  }
  assert.ok((await link.count()) > 0, "the demo data has a patient");
  await link.click();
  await page.waitForURL(/\/staff\/patients\/[^/]+$/);
  await page.getByRole("heading", { level: 2, name: "Screenings" }).waitFor();
  return page.url();
}

/**
 * "Start a screening" on the patient's page: CreateScreening (with the only
 * protocol at once, or the inner-knee one chosen when there are several),
 * then the screening's page. Returns the created screening.
 */
async function startScreening(page, patientUrl) {
  if (page.url() !== patientUrl) {
    await page.goto(patientUrl);
    await page.getByRole("heading", { level: 2, name: "Screenings" }).waitFor();
  }
  const patientName = `patients/${decodeURIComponent(new URL(patientUrl).pathname.split("/").pop())}`;
  const start = page.getByRole("link", { name: "Start a screening" });
  assert.equal(await start.getAttribute("href"), `/staff/screenings/new?patient=${patientName}`);
  const created = nextCall(page, "CreateScreening");
  await start.click();
  const chooser = page.getByRole("button", { name: "Start screening" });
  const first = await Promise.race([created.then(() => "created"), chooser.waitFor().then(() => "chooser")]);
  if (first === "chooser") {
    await page.getByRole("group", { name: "Protocol" }).getByLabel("Inner (medial) knee pain in runners").check();
    await chooser.click();
  }
  const res = await created;
  const sent = res.request().postDataJSON();
  assert.equal(sent.screening?.patient, patientName, "the screening is of the patient whose page it was started from");
  assert.equal(sent.screening?.protocol, protocolName);
  assert.match(sent.requestId ?? "", /^[0-9a-f-]{32,36}$/i, "a random request_id");
  const screening = await ok(res, "CreateScreening");
  assert.match(screening.name, /^screenings\/[^/]+$/);
  assert.equal(screening.state, "SCREENING_STATE_IN_PROGRESS");

  // The start page is replaced by the screening's page.
  const id = screening.name.slice("screenings/".length);
  await page.waitForURL((url) => url.pathname === `/staff/screenings/${id}`);
  await page.getByRole("heading", { level: 1, name: /^Screening/ }).waitFor();
  await page.getByRole("heading", { level: 2, name: "Questions" }).waitFor();
  assert.equal((await page.locator("#screening-state").innerText()).trim(), "In progress");
  assert.equal((await page.locator("#save-state").innerText()).trim(), "All changes saved");
  return screening;
}

test("a therapist screens a runner's inner knee: the ranking, save, complete, read-only", async (t) => {
  await asTherapist(t, async (page, consoleErrors) => {
    // The navigation leads to Screenings (no "soon" placeholder any more).
    const nav = page.getByRole("navigation", { name: "Staff" });
    assert.equal(await nav.getByRole("link", { name: "Screenings", exact: true }).count(), 1);

    const patientUrl = await openDemoPatient(page);
    const screening = await startScreening(page, patientUrl);

    // Three answers; the evaluation follows them (debounced: wait for the call with all three).
    const evaluated = nextCall(
      page,
      "EvaluateScreening",
      (body) =>
        (body.answers ?? []).some((a) => a.question === "tight-hamstrings" && a.yes === true) &&
        (body.answers ?? []).some((a) => a.question === "mileage-jump" && a.yes === true) &&
        (body.answers ?? []).some((a) => a.question === "pain-location" && (a.options ?? []).includes("below-joint-line")),
    );
    await question(page, /Where exactly is the pain/).getByLabel(/On the inner shin.*below the joint line/).check();
    await question(page, /increase your weekly distance sharply/).getByLabel("Yes", { exact: true }).check();
    await question(page, /Tight hamstrings/).getByLabel("Yes", { exact: true }).check();
    assert.equal((await page.locator("#save-state").innerText()).trim(), "Unsaved changes");

    const evalRes = await evaluated;
    const sentForEvaluation = evalRes.request().postDataJSON();
    assert.equal(sentForEvaluation.protocol, protocolName);
    const evaluation = await ok(evalRes, "EvaluateScreening");
    assert.equal(evaluation.considerations?.[0]?.name, "Pes anserine bursitis", `the ranking: ${JSON.stringify(evaluation.considerations)}`);
    assert.ok(!evaluation.redFlags?.length, "no red flag");

    // The page shows it: the top consideration, the answers behind it, no referral, the disclaimer.
    const top = page.locator("ol.considerations > li").first();
    await top.locator(".consideration-name").filter({ hasText: "Pes anserine bursitis" }).waitFor();
    const topText = await top.innerText();
    for (const reason of evaluation.considerations[0].supportedBy ?? []) {
      assert.ok(topText.includes(reason), `"${reason}" is shown with the top consideration:\n${topText}`);
    }
    assert.ok(topText.includes(`score ${evaluation.considerations[0].score}`), `the score is shown:\n${topText}`);
    assert.equal(await page.locator(".red-flags").count(), 0, "no referral warning");
    const panel = page.locator("#screening-evaluation");
    assert.match(await panel.innerText(), /not a diagnosis/i, "the disclaimer is shown");

    // Save.
    const saved = nextCall(page, "UpdateScreening");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const saveRes = await saved;
    const update = saveRes.request().postDataJSON();
    assert.equal(update.screening?.name, screening.name);
    assert.equal(update.screening?.etag, screening.etag, "the save carries the etag last read");
    const questions = (update.screening?.answers ?? []).map((a) => a.question).sort();
    assert.deepEqual(questions, ["mileage-jump", "pain-location", "tight-hamstrings"]);
    const stored = await ok(saveRes, "UpdateScreening");
    await page.locator("#save-state").filter({ hasText: "All changes saved" }).waitFor();
    await page.getByRole("status").filter({ hasText: "Saved." }).waitFor();

    // Complete: every outcome is offered; PT evaluation.
    const outcome = page.getByRole("group", { name: "Outcome" });
    assert.equal(await outcome.getByRole("radio").count(), 4, "four outcomes without a red flag");
    await outcome.getByLabel("PT evaluation recommended", { exact: true }).check();
    const watched = watchSlots(page);
    const completed = nextCall(page, "CompleteScreening");
    await page.getByRole("button", { name: "Complete screening" }).click();
    const completeRes = await completed;
    const complete = completeRes.request().postDataJSON();
    assert.equal(complete.name, screening.name);
    assert.equal(complete.outcome, "SCREENING_OUTCOME_PT_EVALUATION");
    assert.equal(complete.etag, stored.etag, "the etag of the save");
    const done = await ok(completeRes, "CompleteScreening");
    assert.equal(done.state, "SCREENING_STATE_COMPLETED");

    // Read-only now: no inputs, no Save or Complete; the answers as text; the addendum form.
    await page.locator("#screening-state").filter({ hasText: "Completed" }).waitFor();
    assert.equal((await page.locator("#screening-outcome").innerText()).trim(), "PT evaluation recommended");
    const main = page.locator(".screening-main");
    assert.equal(await main.locator('input[type="radio"], input[type="checkbox"]').count(), 0, "no answer can be changed");
    assert.equal(await page.getByRole("button", { name: "Save", exact: true }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Complete screening" }).count(), 0);
    assert.match(await main.innerText(), /On the inner shin, a few centimetres below the joint line/);
    await page.getByRole("heading", { name: "Add an addendum" }).waitFor();

    // An addendum.
    const note = `Follow-up call booked (e2e ${Date.now()}).`;
    await page.getByLabel("Addendum", { exact: true }).fill(note);
    const added = nextCall(page, "AddScreeningAddendum");
    await page.getByRole("button", { name: "Add addendum" }).click();
    const addRes = await added;
    assert.equal(addRes.request().postDataJSON().text, note);
    await ok(addRes, "AddScreeningAddendum");
    await page.locator("ol.addenda-list").filter({ hasText: note }).waitFor();

    // Book the initial evaluation (ConvertScreening).
    const booked = await bookInitialEvaluation(page, screening, watched);

    // Reloaded, the page shows the booked evaluation (GetAppointment), not the form.
    const gotAppointment = page.waitForResponse((res) => res.url().endsWith(appointmentsApi + "GetAppointment"));
    await page.reload();
    const appointment = await ok(await gotAppointment, "GetAppointment");
    assert.equal(appointment.name, booked.converted.screening.evaluationAppointment);
    assert.equal(appointment.localStart?.slice(0, 16), booked.localStart.slice(0, 16));
    const convert = page.locator("section.screening-convert");
    await convert.getByRole("heading", { level: 2, name: "Initial evaluation", exact: true }).waitFor();
    const again = convert.locator("#convert-result");
    await again.waitFor();
    assert.equal((await again.innerText()).trim().split("\n")[0].trim(), booked.line, "the same line after a reload");
    assert.equal(await page.getByRole("button", { name: "Book initial evaluation" }).count(), 0);

    // The patient's page lists it, completed.
    const listed = nextCall(page, "ListScreenings");
    await page.goto(patientUrl);
    const list = await ok(await listed, "ListScreenings");
    assert.equal(list.screenings?.[0]?.name, screening.name, "newest first");
    const id = screening.name.slice("screenings/".length);
    const item = page.locator("ul.screening-list li").filter({ has: page.locator(`a[href="/staff/screenings/${id}"]`) });
    await item.waitFor();
    assert.match(await item.innerText(), /Completed: PT evaluation recommended/);
    assert.deepEqual(consoleErrors.filter((e) => !/Failed to load resource/.test(e)), [], "no errors in the console");
  });
});

test("numbness is a red flag: the referral warning, and only a referral can be chosen", async (t) => {
  await asTherapist(t, async (page) => {
    const patientUrl = await openDemoPatient(page);
    const screening = await startScreening(page, patientUrl);

    const evaluated = nextCall(page, "EvaluateScreening", (body) =>
      (body.answers ?? []).some((a) => a.question === "numbness" && a.yes === true),
    );
    await question(page, /Numbness or tingling/).getByLabel("Yes", { exact: true }).check();
    const evaluation = await ok(await evaluated, "EvaluateScreening");
    assert.ok(evaluation.redFlags?.length > 0, `a red flag: ${JSON.stringify(evaluation)}`);
    assert.equal(evaluation.referToPhysician, true);

    // The warning, with each red flag.
    const warning = page.locator(".red-flags");
    await warning.getByRole("heading", { name: "Refer to a physician before any physical therapy" }).waitFor();
    const warningText = await warning.innerText();
    for (const flag of evaluation.redFlags) assert.ok(warningText.includes(flag), `the red flag "${flag}" is shown:\n${warningText}`);
    assert.match(warningText, /Numbness or tingling/);

    // Only "Refer to a physician" is offered.
    const outcome = page.getByRole("group", { name: "Outcome" });
    await outcome.getByRole("radio").first().waitFor();
    assert.equal(await outcome.getByRole("radio").count(), 1, "one outcome with a red flag");
    assert.equal(await outcome.getByLabel("Refer to a physician", { exact: true }).count(), 1);
    assert.equal(await outcome.getByLabel("PT evaluation recommended", { exact: true }).count(), 0);

    // Save; the server refuses any other outcome for it.
    const saved = nextCall(page, "UpdateScreening");
    await page.getByRole("button", { name: "Save", exact: true }).click();
    const stored = await ok(await saved, "UpdateScreening");
    assert.equal(stored.evaluation?.referToPhysician, true, "the stored evaluation refers too");
    const [status, body] = await callApi(page, "CompleteScreening", {
      name: screening.name,
      outcome: "SCREENING_OUTCOME_PT_EVALUATION",
      etag: stored.etag,
    });
    assert.equal(status, 400, `CompleteScreening with PT evaluation despite a red flag: ${status} ${JSON.stringify(body)}`);
    assert.equal(body.code, "failed_precondition");

    // Complete with the referral.
    await outcome.getByLabel("Refer to a physician", { exact: true }).check();
    const completed = nextCall(page, "CompleteScreening");
    await page.getByRole("button", { name: "Complete screening" }).click();
    const completeRes = await completed;
    assert.equal(completeRes.request().postDataJSON().outcome, "SCREENING_OUTCOME_REFER_TO_PHYSICIAN");
    const done = await ok(completeRes, "CompleteScreening");
    assert.equal(done.outcome, "SCREENING_OUTCOME_REFER_TO_PHYSICIAN");
    await page.locator("#screening-state").filter({ hasText: "Completed" }).waitFor();
    assert.equal((await page.locator("#screening-outcome").innerText()).trim(), "Refer to a physician");
    // The warning stays with the record.
    await page.locator(".red-flags").getByRole("heading", { name: "Refer to a physician before any physical therapy" }).waitFor();
    assert.equal(await page.locator(".screening-main input[type=radio]").count(), 0);
    // No initial evaluation for a referral.
    assert.equal(await page.getByRole("heading", { name: "Book the initial evaluation" }).count(), 0);
    assert.equal(await page.locator("section.screening-convert").count(), 0);
  });
});
