// The outbox under faults, against a running stack (./clinic chaos, and a
// short run in ./clinic test): the front desk books, moves and cancels
// appointments (with waitlist entries, so cancellations make offers) while
// this script kills the notifications service with SIGKILL and crashes
// PostgreSQL (pg_ctl stop -m immediate, then start) at chosen points. When
// the faults stop and the outbox is drained it checks that every event made
// exactly one message (none lost, none doubled), that every message sent
// reached the SMTP server's Maildir, and that every booking the desk was
// told about exists. Prints the counts; exits 1 if anything was lost or
// doubled.
//
//   node tests/chaos/outbox_faults.mjs SECONDS
// Environment: CHAOS_TICK_MS (a fault every tick, default 3000; a PostgreSQL
// crash every 4th), CLINIC_BASE_URL, CLINIC_DEMO_ACCOUNTS, CLINIC_STATE_DIR (the
// stack's state directory: its processes and Maildir), CLINIC (the path of
// ./clinic, for psql and the PostgreSQL crash).
import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { deskApi, deskCookie, psql } from "./lib.mjs";

const base = (process.env.CLINIC_BASE_URL || "http://127.0.0.1:8080").replace(/\/+$/, "");
const state = process.env.CLINIC_STATE_DIR;
const clinic = process.env.CLINIC;
const seconds = Number(process.argv[2] || 30);
if (!state || !clinic || !process.env.CLINIC_DEMO_ACCOUNTS) {
  console.error("set CLINIC_STATE_DIR, CLINIC and CLINIC_DEMO_ACCOUNTS");
  process.exit(2);
}
const env = { ...process.env, CLINIC_STATE_DIR: state };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const sql = (q) => psql(clinic, env, q);

// --- the API, as the front desk -----------------------------------------

let cookie = "";
async function login() {
  cookie = await deskCookie(base);
}

// The API as the front desk (the cookie changes on a new login).
const call = (path, body) => deskApi(base, cookie).call(path, body);
// Retries what may not have happened (503, transport errors) with the same
// body, so a request_id makes the retry safe (10 s at most).
const retrying = async (path, body) => (await deskApi(base, cookie, { patience: 10_000 }).definite(path, body));

const A = "/clinic.appointments.v1.AppointmentService/";

// --- faults --------------------------------------------------------------

const faults = { notificationsKilled: 0, postgresCrashed: 0 };

function killNotifications() {
  const r = spawnSync("pkill", ["-KILL", "-f", `^${state}/bin/notifications `]);
  if (r.status === 0) faults.notificationsKilled++;
}

async function crashPostgres() {
  execFileSync(clinic, ["_pg-crash"], { env, stdio: "ignore" });
  faults.postgresCrashed++;
  await sleep(1500);
  execFileSync(clinic, ["_pg-start"], { env, stdio: "ignore" });
}

// --- the run -------------------------------------------------------------

await login();
const run = `chaos${Date.now().toString(36)}`;
const locations = (await call("/clinic.appointments.v1.LocationService/ListLocations", {})).body.locations;
const types = (await call("/clinic.appointments.v1.AppointmentTypeService/ListAppointmentTypes", {})).body
  .appointmentTypes.filter((t) => t.active !== false);
const location = locations[0];
let type = types[0];
const before = Number(sql("SELECT coalesce(max(id), 0) FROM appointments.events"));

// Patients with email, a few on the waitlist (so cancellations make offers).
const patients = [];
for (let i = 0; i < 8; i++) {
  const r = await retrying("/clinic.patients.v1.PatientService/CreatePatient", {
    requestId: `${run}-p${i}`,
    patient: {
      givenName: "Chaos",
      familyName: `Tester${String.fromCharCode(65 + i)}${run.slice(-4)}`,
      birthDate: { year: 1980, month: 1, day: 1 + i },
      email: `${run}-${i}@chaos.example`,
    },
  });
  if (r.status !== 200) throw new Error(`CreatePatient: ${JSON.stringify(r.body)}`);
  patients.push(r.body.name);
}
// Free slots of a type in a week 10 to 80 days ahead (others each run).
const day = (n) => {
  const d = new Date(Date.now() + n * 86400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
};
let slots = [];
for (let i = 0; i < 10 && slots.length < 50; i++) {
  type = types[Math.floor(Math.random() * types.length)];
  const window = 10 + Math.floor(Math.random() * 70);
  const r = await retrying(A + "FindAvailableSlots", {
    appointmentType: type.name,
    locations: [location.name],
    startDate: day(window),
    endDate: day(window + 6),
    maxSlots: 2000,
  });
  slots = (r.body.slots || []).sort(() => Math.random() - 0.5);
}
if (slots.length === 0) throw new Error("no free time found to book");

for (const p of patients.slice(0, 3)) {
  await retrying(A + "CreateWaitlistEntry", {
    requestId: `${run}-w-${p.slice(-6)}`,
    entry: {
      patient: p,
      location: location.name,
      appointmentType: type.name,
      latestDate: { year: new Date().getUTCFullYear() + 1, month: 1, day: 1 },
    },
  });
}


const acknowledged = []; // appointments the desk was told were booked
const outcomes = { booked: 0, taken: 0, cancelled: 0, moved: 0, failed: 0 };
let stop = false;
let next = 0;

async function worker(w) {
  while (!stop && next < slots.length) {
    const slot = slots[next++];
    const patient = patients[(w + next) % patients.length];
    const r = await retrying(A + "BookAppointment", {
      requestId: `${run}-b${next}`,
      appointment: {
        patient,
        therapist: slot.therapist,
        location: location.name,
        appointmentType: type.name,
        startTime: slot.startTime,
      },
    });
    if (r.status === 200) {
      outcomes.booked++;
      acknowledged.push(r.body.name);
      if (next % 3 === 0) {
        const c = await retrying(A + "CancelAppointment", { name: r.body.name, reason: "Chaos test" });
        if (c.status === 200) outcomes.cancelled++;
      }
    } else if (r.status === 409 || r.status === 400) {
      outcomes.taken++;
    } else {
      outcomes.failed++;
    }
  }
}

const started = Date.now();
const load = [0, 1, 2, 3].map(worker);
// Faults at chosen points: a kill of the notifications service every 3 s,
// a PostgreSQL crash every 4th time.
let tick = 0;
while (Date.now() - started < seconds * 1000) {
  await sleep(Number(process.env.CHAOS_TICK_MS || 3000));
  tick++;
  if (tick % 4 === 0) await crashPostgres();
  else killNotifications();
}
stop = true;
await Promise.all(load);

// Drained: every event has its message and nothing waits to be sent (up
// to 90 s); twice, 16 s apart, since the appointments service's offer timer
// (every 15 s) may still make offers of times freed during the run.
async function drain() {
  const by = Date.now() + 90_000;
  while (Date.now() < by) {
    try {
      const pending = sql(
        "SELECT (SELECT count(*) FROM appointments.events e WHERE kind IN (1, 2, 3, 9) AND NOT EXISTS" +
          " (SELECT 1 FROM notifications.messages m WHERE m.source = 'event:' || e.txid || ':' || e.id))" +
          " + (SELECT count(*) FROM notifications.messages WHERE state IN (1, 3))",
      );
      if (pending === "0") return;
    } catch {}
    await sleep(1000);
  }
}
await drain();
await sleep(16_000);
await drain();

const events = Number(sql(`SELECT count(*) FROM appointments.events WHERE kind IN (1, 2, 3, 9)`));
const lost = Number(
  sql(
    "SELECT count(*) FROM appointments.events e WHERE kind IN (1, 2, 3, 9) AND NOT EXISTS" +
      " (SELECT 1 FROM notifications.messages m WHERE m.source = 'event:' || e.txid || ':' || e.id)",
  ),
);
const doubled = Number(
  sql("SELECT count(*) FROM (SELECT source FROM notifications.messages GROUP BY source HAVING count(*) > 1) d"),
);
const eventMessages = Number(sql("SELECT count(*) FROM notifications.messages WHERE source LIKE 'event:%'"));
const sent = Number(sql("SELECT count(*) FROM notifications.messages WHERE state = 2"));
const stuck = Number(sql("SELECT count(*) FROM notifications.messages WHERE state IN (1, 3)"));
const runEventCount = Number(
  sql(`SELECT count(*) FROM appointments.events WHERE id > ${before} AND kind IN (1, 2, 3, 9)`),
);

// Delivered: the Maildir's messages by Message-ID.
const maildir = join(state, "mail", "new");
const ids = new Map();
if (existsSync(maildir)) {
  for (const f of readdirSync(maildir)) {
    const head = readFileSync(join(maildir, f), "utf8").split(/\r?\n\r?\n/)[0];
    const m = head.match(/^Message-ID:\s*(<[^>]+>)/im);
    if (m) ids.set(m[1], (ids.get(m[1]) || 0) + 1);
  }
}
const delivered = ids.size;
const deliveredTwice = [...ids.values()].filter((n) => n > 1).length;

// Every acknowledged booking exists.
const missing = acknowledged.length
  ? Number(
      sql(
        `SELECT ${acknowledged.length} - count(*) FROM appointments.appointments WHERE id IN (${acknowledged
          .map((n) => `'${n.split("/")[1]}'`)
          .join(",")})`,
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
  seconds,
  faults,
  desk: { ...outcomes, acknowledged: acknowledged.length, acknowledged_missing: missing, overlaps },
  outbox: {
    events_this_run: runEventCount,
    events_total: events,
    messages_from_events: eventMessages,
    lost,
    doubled,
    still_waiting: stuck,
  },
  mail: { sent, delivered_distinct: delivered, delivered_twice: deliveredTwice },
};
console.log(JSON.stringify(result, null, 2));
console.log(
  `outbox under faults: ${faults.notificationsKilled} kills of notifications, ${faults.postgresCrashed} PostgreSQL crashes;` +
    ` ${runEventCount} events this run, ${events} in all -> ${eventMessages} messages: ${lost} lost, ${doubled} doubled;` +
    ` ${sent} sent, ${delivered} delivered (${deliveredTwice} twice); ${acknowledged.length} bookings acknowledged, ${missing} missing, ${overlaps} overlaps`,
);
if (lost > 0) {
  console.log("lost events (txid:id kind appointment) and the reader's cursor:");
  console.log(
    sql(
      "SELECT e.txid || ':' || e.id, e.kind, e.appointment_id, e.time FROM appointments.events e" +
        " WHERE kind IN (1, 2, 3, 9) AND NOT EXISTS (SELECT 1 FROM notifications.messages m" +
        " WHERE m.source = 'event:' || e.txid || ':' || e.id) ORDER BY e.txid, e.id LIMIT 20",
    ),
  );
  console.log(sql("SELECT position FROM notifications.cursor"));
}
const ok = lost === 0 && doubled === 0 && missing === 0 && overlaps === 0 && stuck === 0 && delivered >= sent;
process.exit(ok ? 0 : 1);
