// A Patroni failover under load, against a stack started with
// `./clinic up --ha` (./clinic chaos): 16 front-desk clients book (each
// intent with its own request_id, retried with it until a definite answer);
// after 5 s the primary's node dies (its Patroni and PostgreSQL killed with
// SIGKILL, as a machine lost); the leader key lapses, the synchronous
// standby is promoted and the services follow it (libpq
// target_session_attrs=read-write). Afterwards, on the new primary: every
// acknowledged booking is there, none twice, no overlaps; the seconds from
// the kill until bookings succeed again. The killed node is started again
// and rejoins as a standby. Exits 1 on lost or doubled bookings or overlaps.
//
//   node tests/chaos/ha_failover.mjs SECONDS
// Environment: as outbox_faults.mjs, and CLINIC_HA_PORT (the stack's).
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deskApi, deskCookie, freeTimes, psql } from "./lib.mjs";

const base = (process.env.CLINIC_BASE_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const state = process.env.CLINIC_STATE_DIR;
const clinic = process.env.CLINIC;
const haBase = Number(process.env.CLINIC_HA_PORT || 5433);
const seconds = Number(process.argv[2] || 30);
const env = { ...process.env, CLINIC_STATE_DIR: state };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sql = (q) => psql(clinic, env, q);

const cookie = await deskCookie(base);

const { call, definite } = deskApi(base, cookie, { timeout: 15_000, patience: 120_000 });

async function primary() {
  for (let i = 0; i < 3; i++) {
    const r = await fetch(`http://127.0.0.1:${haBase + 10 + i}/primary`).catch(() => ({ status: 0 }));
    if (r.status === 200) return i;
  }
  return -1;
}

const A = "/clinic.appointments.v1.AppointmentService/";
const run = `ha${Date.now().toString(36)}`;
const { slots } = await freeTimes(definite, { upTo: 4000 });

const intents = [];
let stop = false;
let next = 0;
let killedAt = 0;
let resumedAt = 0;
async function client(c) {
  let n = 0;
  while (!stop && next < slots.length) {
    const slot = slots[next++];
    const rid = `${run}-${c}-${n++}`;
    const p = await definite("/clinic.patients.v1.PatientService/CreatePatient", {
      requestId: `${rid}-p`,
      patient: { givenName: "Fail", familyName: `Over${c}x${n}${run.slice(-4)}`, birthDate: { year: 1970, month: 7, day: 7 } },
    });
    if (p.status !== 200) continue;
    const intent = { rid, patient: p.body.name };
    intents.push(intent);
    const r = await definite(A + "BookAppointment", {
      requestId: rid,
      appointment: { patient: p.body.name, therapist: slot.therapist, location: slot.location, appointmentType: slot.type, startTime: slot.startTime },
    });
    intent.status = r.status;
    intent.appointment = r.status === 200 ? r.body.name : "";
    await sleep(100);
  }
}

const load = Array.from({ length: 16 }, (_, c) => client(c));
await sleep(5000);
const old = await primary();
if (old < 0) throw new Error("no primary");
// Its postmaster (Patroni passes the port on the command line).
const postmasters = spawnSync("pgrep", ["-f", `bin/postgres -D .*--port=${haBase + old}`], { encoding: "utf8" })
  .stdout.split("\n")
  .filter(Boolean)
  .map(Number);
// The nodes' directory: beside the stack's private cluster (./clinic's
// pg_root: <state>/pg-ha when the postgres user can reach the state
// directory, as for ./clinic chaos's stacks under /tmp).
const haDir = process.env.CLINIC_HA_DIR || join(state, "pg-ha");
const patroni = Number(readFileSync(join(haDir, `patroni${old}.pid`), "utf8").trim());
// The runuser wrapper's child is Patroni itself.
const children = spawnSync("pgrep", ["-P", String(patroni)], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).map(Number);
for (const pid of [patroni, ...children, ...postmasters]) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {}
}
killedAt = Date.now();
// When writes succeed again: a probe writes (a new patient, no retry) every
// 100 ms from the kill on; the first one that succeeds.
(async () => {
  for (let n = 0; !resumedAt && Date.now() - killedAt < 120_000; n++) {
    const r = await call("/clinic.patients.v1.PatientService/CreatePatient", {
      requestId: `${run}-probe-${n}`,
      patient: { givenName: "Probe", familyName: `Write${n}${run.slice(-4)}`, birthDate: { year: 1960, month: 1, day: 1 } },
    });
    if (r.status === 200) resumedAt = Date.now();
    else await sleep(100);
  }
})();
const started = Date.now();
while (Date.now() - started < seconds * 1000) await sleep(500);
stop = true;
await Promise.all(load);
const promoted = await primary();

// The lost node comes back as a standby.
execFileSync(clinic, ["_ha-node", String(old)], { env, stdio: "ignore" });

const acknowledged = intents.filter((i) => i.status === 200);
const ids = acknowledged.map((i) => `'${i.appointment.split("/")[1]}'`);
const present = ids.length ? Number(sql(`SELECT count(*) FROM appointments.appointments WHERE id IN (${ids.join(",")})`)) : 0;
const patients = intents.map((i) => `'${i.patient}'`).join(",");
const doubled = intents.length
  ? Number(
      sql(
        `SELECT count(*) FROM (SELECT patient FROM appointments.appointments WHERE patient IN (${patients})` +
          ` AND state IN (1, 2, 3) GROUP BY patient HAVING count(*) > 1) d`,
      ),
    )
  : 0;
const madeButRefused = intents.filter((i) => i.status !== 200).length
  ? Number(
      sql(
        `SELECT count(*) FROM appointments.appointments WHERE state IN (1, 2, 3) AND patient IN (${intents
          .filter((i) => i.status !== 200)
          .map((i) => `'${i.patient}'`)
          .join(",") || "''"})`,
      ),
    )
  : 0;
const overlaps = Number(
  sql(
    "SELECT count(*) FROM appointments.appointments a JOIN appointments.appointments b" +
      " ON a.therapist = b.therapist AND a.id < b.id AND a.state IN (1, 2, 3) AND b.state IN (1, 2, 3)" +
      " AND a.buffered_range && b.buffered_range",
  ),
);
const result = {
  killed_primary: `node${old}`,
  new_primary: promoted >= 0 ? `node${promoted}` : "none",
  intents: intents.length,
  acknowledged: acknowledged.length,
  lost: acknowledged.length - present,
  duplicated: doubled,
  made_but_told_failed: madeButRefused,
  overlaps,
  writes_again_after_s: resumedAt ? +((resumedAt - killedAt) / 1000).toFixed(1) : null,
};
console.log(JSON.stringify(result, null, 2));
console.log(
  `Patroni failover: node${old} (primary) killed under 16 clients; node${promoted} promoted; ` +
    `bookings succeed again ${result.writes_again_after_s} s after the kill (target < 30 s); ` +
    `${intents.length} intents, ${acknowledged.length} acknowledged, ${result.lost} lost, ${doubled} duplicated, ` +
    `${madeButRefused} made but told failed, ${overlaps} overlaps`,
);
process.exit(result.lost === 0 && doubled === 0 && overlaps === 0 && madeButRefused === 0 && promoted >= 0 ? 0 : 1);
