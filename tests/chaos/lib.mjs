// What the fault runs share: the front desk's session.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Logs in as the first front-desk account of CLINIC_DEMO_ACCOUNTS; the
// session cookie ("name=value"). Waits out the gateway's login rate limit
// (after a browser test run it may be spent).
export async function deskCookie(base) {
  const accounts = readFileSync(process.env.CLINIC_DEMO_ACCOUNTS, "utf8")
    .split("\n")
    .map((l) => l.trim().split(/\t/))
    .filter((p) => p.length === 3);
  const desk = accounts.find((a) => a[1] === "front_desk");
  for (let attempt = 0; attempt < 30; attempt++) {
    const res = await fetch(base + "/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: desk[0], password: desk[2] }),
    });
    if (res.status === 200) return res.headers.get("set-cookie").split(";")[0];
    if (res.status !== 429 && res.status !== 503) throw new Error(`login: ${res.status} ${await res.text()}`);
    await sleep(1000 * Math.min(10, Number(res.headers.get("retry-after")) || 2));
  }
  throw new Error("login: still refused after 30 attempts");
}

// One query through ./clinic psql (as the cluster's superuser); its output,
// trimmed. A failure says psql's error, not the whole query.
// Tried 5 times a second apart (a node may be starting after a fault).
export function psql(clinic, env, query) {
  let last;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      return execFileSync(clinic, ["psql", "-tAqc", query], { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    } catch (e) {
      last = String(e.stderr || e.message).slice(0, 500);
      execFileSync("sleep", ["1"]);
    }
  }
  throw new Error(`psql: ${last} (query: ${query.slice(0, 120)}...)`);
}

// The API as the front desk: call (one try; status 0 for a transport error;
// ms taken) and definite (retried with the same body on 0/502/503/504 until
// a definite answer or `patience`; tries made).
export function deskApi(base, cookie, { timeout = 10_000, patience = 60_000 } = {}) {
  async function call(path, body, callTimeout = timeout) {
    const t0 = performance.now();
    try {
      const res = await fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base, cookie },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(callTimeout),
      });
      const text = await res.text();
      let json = {};
      try {
        json = JSON.parse(text);
      } catch {}
      return { status: res.status, body: json, ms: performance.now() - t0 };
    } catch (e) {
      return { status: 0, body: { message: String(e) }, ms: performance.now() - t0 };
    }
  }
  async function definite(path, body) {
    const until = Date.now() + patience;
    let r;
    let tries = 0;
    do {
      r = await call(path, body);
      tries++;
      if (![0, 502, 503, 504].includes(r.status)) break;
      await sleep(200);
    } while (Date.now() < until);
    return { ...r, tries };
  }
  return { call, definite };
}

// Free times at every location, of random types, over the year ahead (the
// demo has one therapist a location), that do not overlap for their
// therapist (30 min apart, for any buffers): intents compete only where a
// run makes them. Shuffled; each {therapist, startTime, endTime, type,
// location}.
export async function freeTimes(definite, { upTo = 8000 } = {}) {
  const A = "/clinic.appointments.v1.AppointmentService/";
  const locations = (await definite("/clinic.appointments.v1.LocationService/ListLocations", {})).body.locations;
  const types = (await definite("/clinic.appointments.v1.AppointmentTypeService/ListAppointmentTypes", {})).body
    .appointmentTypes.filter((t) => t.active !== false);
  const day = (n) => {
    const d = new Date(Date.now() + n * 86400_000);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
  };
  let slots = [];
  for (let w = 10; w < 360 && slots.length < upTo; w += 14) {
    for (const location of locations) {
      const type = types[Math.floor(Math.random() * types.length)];
      const r = await definite(A + "FindAvailableSlots", {
        appointmentType: type.name,
        locations: [location.name],
        startDate: day(w),
        endDate: day(w + 13),
        maxSlots: 2000,
      });
      for (const slot of r.body.slots || []) slots.push({ ...slot, type: type.name, location: location.name });
    }
  }
  const kept = [];
  const lastEnd = new Map();
  slots.sort((a, b) => (a.therapist + a.startTime < b.therapist + b.startTime ? -1 : 1));
  for (const s of slots) {
    const start = Date.parse(s.startTime);
    if ((lastEnd.get(s.therapist) ?? 0) + 30 * 60_000 <= start) {
      kept.push(s);
      lastEnd.set(s.therapist, Date.parse(s.endTime));
    }
  }
  return { locations, slots: kept.sort(() => Math.random() - 0.5) };
}
