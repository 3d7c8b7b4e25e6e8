// Services and PostgreSQL killed under load, against a running stack
// (./clinic chaos): 8 front-desk clients book, each intent with its own
// request_id, retried with it on 503 and transport errors until a definite
// answer, while
//   1. the appointments service is killed with SIGKILL every 5 s, then
//   2. PostgreSQL is crashed (pg_ctl stop -m immediate) for 5 s and started.
// Afterwards: every intent acknowledged exactly once or definitely not made
// (none lost, none duplicated), no two appointments of a therapist overlap;
// per kill, how long until the service listens again and until the gateway
// forwards to it; during the outage, what /readyz said and how fast calls
// failed. Prints the counts; exits 1 if an intent was lost or doubled or
// appointments overlap.
//
//   node tests/chaos/service_faults.mjs SECONDS
// Environment: as outbox_faults.mjs.
import { execFileSync, spawnSync } from "node:child_process";
import net from "node:net";
import { deskApi, deskCookie, freeTimes, psql } from "./lib.mjs";

const base = (process.env.CLINIC_BASE_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const state = process.env.CLINIC_STATE_DIR;
const clinic = process.env.CLINIC;
const seconds = Number(process.argv[2] || 60);
const env = { ...process.env, CLINIC_STATE_DIR: state };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sql = (q) => psql(clinic, env, q);

const cookie = await deskCookie(base);

const { call, definite } = deskApi(base, cookie);

const A = "/clinic.appointments.v1.AppointmentService/";
const run = `svc${Date.now().toString(36)}`;
const { locations, slots } = await freeTimes(definite);

// --- the load: each intent a new patient and a slot ------------------------

const intents = []; // {rid, patient, slot, status, tries}
let stop = false;
let nextSlot = 0;
async function client(c) {
  let n = 0;
  while (!stop && nextSlot < slots.length) {
    const slot = slots[nextSlot++];
    const rid = `${run}-${c}-${n++}`;
    const p = await definite("/clinic.patients.v1.PatientService/CreatePatient", {
      requestId: `${rid}-p`,
      patient: { givenName: "Load", familyName: `Client${c}x${n}${run.slice(-4)}`, birthDate: { year: 1975, month: 5, day: 5 } },
    });
    if (p.status !== 200) continue;
    const intent = { rid, patient: p.body.name, slot };
    intents.push(intent);
    const r = await definite(A + "BookAppointment", {
      requestId: rid,
      appointment: {
        patient: p.body.name,
        therapist: slot.therapist,
        location: slot.location,
        appointmentType: slot.type,
        startTime: slot.startTime,
      },
    });
    intent.status = r.status;
    intent.tries = r.tries;
    intent.appointment = r.status === 200 ? r.body.name : "";
    await sleep(250); // a busy desk, not a flood: the run lasts
  }
}

// --- faults ----------------------------------------------------------------

// The appointments processes: [{pid, port}] (one per replica).
function appointmentsProcesses() {
  const out = spawnSync("pgrep", ["-af", `^${state}/bin/appointments `], { encoding: "utf8" }).stdout;
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => ({ pid: Number(l.split(" ")[0]), port: Number((l.match(/--port=(\d+)/) || [])[1]) }));
}
// CHAOS_KILL=one: with replicas (./clinic up --replicas N), kill one of them
// each time (the others keep serving); otherwise every appointments process.
const killOne = process.env.CHAOS_KILL === "one";
function listening(port) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: "127.0.0.1" });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

const kills = []; // {listen_s, forward_s}
async function killAppointments() {
  const procs = appointmentsProcesses();
  const victim = killOne ? procs[kills.length % procs.length] : procs[0];
  const port = victim.port;
  const t0 = performance.now();
  if (killOne) process.kill(victim.pid, "SIGKILL");
  else spawnSync("pkill", ["-KILL", "-f", `^${state}/bin/appointments `]);
  await sleep(20);
  let listen = 0;
  let forward = 0;
  while (performance.now() - t0 < 30_000 && (!listen || !forward)) {
    if (!listen && (await listening(port))) listen = performance.now();
    if (listen && !forward) {
      const r = await call("/clinic.appointments.v1.LocationService/GetLocation", { name: locations[0].name }, 2000);
      if (r.status === 200) forward = performance.now();
    }
    await sleep(20);
  }
  kills.push({
    listening_again_s: listen ? +((listen - t0) / 1000).toFixed(2) : null,
    forwarded_again_s: forward ? +((forward - t0) / 1000).toFixed(2) : null,
    gateway_lag_s: listen && forward ? +((forward - listen) / 1000).toFixed(2) : null,
  });
}

const load = Array.from({ length: 8 }, (_, c) => client(c));
const started = Date.now();
while (Date.now() - started < seconds * 1000) {
  await sleep(5000);
  await killAppointments();
}

// PostgreSQL away for 5 s under the same load.
const outage = { ready_while_down: 0, polls_while_down: 0, failed_calls: 0, slowest_failure_ms: 0 };
{
  execFileSync(clinic, ["_pg-crash"], { env, stdio: "ignore" });
  const down = Date.now();
  const probe = (async () => {
    while (Date.now() - down < 5000) {
      const r = await fetch(base + "/readyz").catch(() => ({ status: 0 }));
      outage.polls_while_down++;
      if (r.status === 200) outage.ready_while_down++;
      const c = await call("/clinic.patients.v1.PatientService/ListPatients", { pageSize: 1 }, 10_000);
      if (c.status !== 200) {
        outage.failed_calls++;
        outage.slowest_failure_ms = Math.max(outage.slowest_failure_ms, Math.round(c.ms));
        outage.failure_status = c.status;
      }
      await sleep(100);
    }
  })();
  await probe;
  execFileSync(clinic, ["_pg-start"], { env, stdio: "ignore" });
  const back = Date.now();
  while (Date.now() - back < 30_000) {
    const r = await fetch(base + "/readyz").catch(() => ({ status: 0 }));
    if (r.status === 200) break;
    await sleep(50);
  }
  outage.ready_after_start_s = +((Date.now() - back) / 1000).toFixed(2);
}
stop = true;
await Promise.all(load);

// --- the counts ------------------------------------------------------------

const acknowledged = intents.filter((i) => i.status === 200);
const refused = intents.filter((i) => i.status !== 200);
// What the database holds for each intent: appointments of its patient.
const byPatient = new Map();
const patientList = intents.map((i) => `'${i.patient}'`).join(",");
if (intents.length) {
  for (const line of sql(
    `SELECT patient, count(*) FILTER (WHERE state IN (1, 2, 3)), string_agg(id::text, ',')` +
      ` FROM appointments.appointments WHERE patient IN (${patientList}) GROUP BY patient`,
  ).split("\n")) {
    if (!line) continue;
    const [patient, active, ids] = line.split("|");
    byPatient.set(patient, { active: Number(active), ids: ids.split(",") });
  }
}
let lost = 0;
let duplicated = 0;
let madeButRefused = 0;
for (const i of acknowledged) {
  const got = byPatient.get(i.patient);
  if (!got || !got.ids.includes(i.appointment.split("/")[1])) lost++;
  if (got && got.active > 1) duplicated++;
}
for (const i of refused) {
  const got = byPatient.get(i.patient);
  if (got && got.active > 0) madeButRefused++;
}
const overlaps = Number(
  sql(
    "SELECT count(*) FROM appointments.appointments a JOIN appointments.appointments b" +
      " ON a.therapist = b.therapist AND a.id < b.id AND a.state IN (1, 2, 3) AND b.state IN (1, 2, 3)" +
      " AND a.buffered_range && b.buffered_range",
  ),
);
const worst = (k) => Math.max(0, ...kills.map((x) => x[k] ?? 99));
const result = {
  seconds,
  replicas: appointmentsProcesses().length,
  killed: killOne ? "one replica each time" : "every appointments process",
  intents: intents.length,
  acknowledged: acknowledged.length,
  definitely_not_made: refused.length - madeButRefused,
  made_but_told_failed: madeButRefused,
  lost,
  duplicated,
  overlaps,
  retries: intents.reduce((n, i) => n + (i.tries || 1) - 1, 0),
  appointments_kills: kills.length,
  kills,
  worst_listening_again_s: worst("listening_again_s"),
  worst_forwarded_again_s: worst("forwarded_again_s"),
  worst_gateway_lag_s: worst("gateway_lag_s"),
  postgres_outage: outage,
};
console.log(JSON.stringify(result, null, 2));
console.log(
  `services under faults (${result.replicas} appointments replica(s), ${result.killed} killed): ${kills.length} kills, ${intents.length} booking intents: ${acknowledged.length} acknowledged,` +
    ` ${result.definitely_not_made} definitely not made, ${madeButRefused} made but told failed, ${lost} lost, ${duplicated} duplicated, ${overlaps} overlaps;` +
    ` serving again within ${result.worst_forwarded_again_s} s of a kill (listening ${result.worst_listening_again_s} s, gateway lag ${result.worst_gateway_lag_s} s; targets 3 s and 1 s);` +
    ` PostgreSQL 5 s away: /readyz ready in ${outage.ready_while_down} of ${outage.polls_while_down} polls, calls failed in <= ${outage.slowest_failure_ms} ms (HTTP ${outage.failure_status ?? "-"}), ready ${outage.ready_after_start_s} s after its start`,
);
process.exit(lost === 0 && duplicated === 0 && overlaps === 0 && madeButRefused === 0 ? 0 : 1);
