// Loads the demo data of `./clinic up` through the public API, as a client
// would: staff accounts (first start only), patients, and the scheduling
// data of seed_schedule.mjs (idempotent by request id, so they load on
// every start).
//
//   node deploy/demo/seed.mjs <base-url> <accounts.tsv> [<admin-email> <admin-password>]
//
// The admin comes from `staff --bootstrap_admin` (run by ./clinic); its
// password arrives in $CLINIC_BOOTSTRAP_PASSWORD, never on the command line.
// accounts.tsv gets one line per account: email<TAB>role<TAB>password.
import { readFileSync, writeFileSync, existsSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { seedScheduling } from "./seed_schedule.mjs";

const [base, accountsFile, adminEmail] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));

const STAFF = [
  { email: "frontdesk@clinic.example", role: "front_desk", given: "Fran", family: "Desk",
    roles: ["STAFF_ROLE_FRONT_DESK"], credentials: [] },
  { email: "therapist1@clinic.example", role: "therapist", given: "Theo", family: "Rapp",
    roles: ["STAFF_ROLE_THERAPIST"], credentials: ["DPT", "OCS"] },
  { email: "therapist2@clinic.example", role: "therapist", given: "Thea", family: "Moss",
    roles: ["STAFF_ROLE_THERAPIST"], credentials: ["PT"] },
];

async function login(email, password) {
  const res = await fetch(`${base}/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${email}: HTTP ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get("set-cookie") || "").split(";")[0];
  if (!cookie) throw new Error(`login as ${email}: no session cookie`);
  return cookie;
}

async function rpc(cookie, method, body) {
  const res = await fetch(`${base}/${method}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(cookie ? { Cookie: cookie } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

// People who asked to be called back, through the public contact form
// (anonymous, idempotent by request id).
async function seedContactRequests() {
  const { locations = [] } = await rpc("", "clinic.appointments.v1.LocationService/ListLocations", {});
  const byName = new Map(locations.map((l) => [l.displayName, l.name]));
  const forms = JSON.parse(readFileSync(join(here, "contact_requests.json"), "utf8"));
  for (const form of forms) {
    const location = form.location ? byName.get(form.location) : undefined;
    if (form.location && !location) throw new Error(`no demo location ${form.location}`);
    await rpc("", "clinic.booking.v1.BookingService/RequestContact",
              { ...form, location: location || "" });
  }
}

function readAccounts() {
  return readFileSync(accountsFile, "utf8").trim().split("\n").map((line) => {
    const [email, role, password] = line.split("\t");
    return { email, role, password };
  });
}

async function main() {
  if (!existsSync(accountsFile)) {
    const adminPassword = process.env.CLINIC_BOOTSTRAP_PASSWORD;
    if (!adminEmail || !adminPassword) {
      throw new Error("no demo accounts yet and no bootstrap admin to create them");
    }
    const admin = await login(adminEmail, adminPassword);
    const lines = [`${adminEmail}\tadmin\t${adminPassword}`];
    for (const [i, s] of STAFF.entries()) {
      const created = await rpc(admin, "clinic.staff.v1.StaffService/CreateStaffMember", {
        requestId: `demo-staff-${i + 1}`,
        staffMember: { givenName: s.given, familyName: s.family, email: s.email,
                       roles: s.roles, credentials: s.credentials },
      });
      if (!created.initialPassword) throw new Error(`no password for ${s.email} (created before?)`);
      lines.push(`${s.email}\t${s.role}\t${created.initialPassword}`);
    }
    writeFileSync(accountsFile, lines.join("\n") + "\n", { mode: 0o600 });
  }
  const accounts = readAccounts();
  const frontDesk = accounts.find((a) => a.role === "front_desk");
  const admin = accounts.find((a) => a.role === "admin");
  const cookie = await login(frontDesk.email, frontDesk.password);
  const adminCookie = await login(admin.email, admin.password);
  const dir = join(here, "patients");
  const patients = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    patients.push(await rpc(cookie, "clinic.patients.v1.PatientService/CreatePatient",
                            JSON.parse(readFileSync(join(dir, f), "utf8"))));
  }
  const staff = await rpc(adminCookie, "clinic.staff.v1.StaffService/ListStaffMembers",
                          { role: "STAFF_ROLE_THERAPIST" });
  const therapists = (staff.staffMembers || [])
    .filter((m) => m.email.endsWith("@clinic.example"))
    .map((m) => ({ name: m.name, credentials: m.credentials || [] }));
  await seedScheduling({ rpc, adminCookie, frontDeskCookie: cookie, therapists, patients });
  await seedContactRequests();
  for (const c of [cookie, adminCookie]) {
    await fetch(`${base}/auth/logout`, { method: "POST", headers: { Cookie: c } });
  }
}

main().catch((e) => {
  console.error(`demo data: ${e.message}`);
  process.exit(1);
});
