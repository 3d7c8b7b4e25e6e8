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
