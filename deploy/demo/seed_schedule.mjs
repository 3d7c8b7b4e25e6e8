// Demo scheduling data for `./clinic up`, loaded through the public API as
// a client would: two locations, the four appointment types, weekly
// schedules for the demo therapists, and appointments over the coming two
// weeks that leave open slots on every working day.
//
// Safe to run on every start: creations carry fixed request ids (a retry
// returns the first answer), schedules are only written when a therapist
// has none yet, and appointment request ids derive from the date, so a
// second start books nothing twice. Slots taken meanwhile (ALREADY_EXISTS)
// or no longer bookable (FAILED_PRECONDITION, e.g. a schedule an admin
// changed) are skipped.
//
//   import { seedScheduling } from "./seed_schedule.mjs";
//   await seedScheduling({ rpc, adminCookie, frontDeskCookie, therapists, patients });
//
// rpc(cookie, "clinic.appointments.v1.LocationService/CreateLocation", body)
// returns the parsed JSON response and throws on a non-200 answer.

const ZONE = "America/Denver";
const WEEKDAYS = ["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"];

const LOCATIONS = [
  {
    key: "boulder",
    displayName: "Boulder – Pearl Street",
    addressLines: ["1942 Pearl Street", "Boulder, CO 80302"],
    phone: "+1 303 555 0142",
    hours: [...WEEKDAYS.map((day) => [day, 7, 19]), ["SATURDAY", 8, 12]],
  },
  {
    key: "denver",
    displayName: "Denver – Highlands",
    addressLines: ["3300 West 32nd Avenue", "Denver, CO 80211"],
    phone: "+1 303 555 0188",
    hours: WEEKDAYS.map((day) => [day, 8, 18]),
  },
];

const TYPES = [
  { key: "screening", displayName: "Free screening", minutes: 20, bufferAfter: 10,
    credentials: [], online: true, minNoticeHours: 2, color: "#2E9E6B" },
  { key: "initial", displayName: "Initial evaluation", minutes: 60, bufferAfter: 15,
    credentials: ["PT", "DPT"], online: true, minNoticeHours: 24, color: "#2F6FD6" },
  { key: "followup", displayName: "Follow-up", minutes: 45, bufferAfter: 15,
    credentials: [], online: false, minNoticeHours: 0, color: "#8A56C8" },
  { key: "reeval", displayName: "Re-evaluation", minutes: 45, bufferAfter: 15,
    credentials: ["PT", "DPT"], online: false, minNoticeHours: 0, color: "#D9822B" },
];

// Each therapist's week: [location key, days, start, end, lunch start, lunch end].
const WEEKS = [
  [["boulder", WEEKDAYS, [8, 0], [17, 0], [12, 0], [13, 0]],
   ["boulder", ["SATURDAY"], [8, 0], [12, 0], null, null]],
  [["denver", WEEKDAYS, [9, 0], [17, 0], [12, 30], [13, 30]]],
];

// Booked each working day: [local time, type key]. The rest stays open.
const DAY_PLAN = [
  [[9, 0], "initial"],
  [[10, 30], "followup"],
  [[14, 0], "screening"],
  [[15, 30], "reeval"],
];

const DAYS_AHEAD = 14;

const hm = ([hours, minutes]) => ({ hours, minutes });

// The instant of a local wall time in `zone` (Intl, no library).
function zonedInstant(y, m, d, hh, mm, zone) {
  const fmt = new Intl.DateTimeFormat("en-US", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit",
    day: "2-digit", hour: "2-digit", minute: "2-digit",
  });
  const offsetAt = (t) => {
    const p = Object.fromEntries(fmt.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
    return Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute) - t;
  };
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let t = guess - offsetAt(guess);
  t = guess - offsetAt(t);
  return new Date(t);
}

// Today's local date in `zone` as {y, m, d} plus a weekday name.
function localDate(date, zone) {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", weekday: "long",
  }).formatToParts(date).map((x) => [x.type, x.value]));
  return { y: +p.year, m: +p.month, d: +p.day, weekday: p.weekday.toUpperCase() };
}

function tolerated(err) {
  const text = String(err && err.message ? err.message : err).toLowerCase();
  return text.includes("already_exists") || text.includes("already exists") ||
    text.includes("failed_precondition") || text.includes("slot taken") ||
    text.includes("in the past") || text.includes("outside") ||
    // The demo patients changed since the first run: the old id stays.
    text.includes("request_id: already used");
}

export async function seedScheduling({ rpc, adminCookie, frontDeskCookie, therapists, patients }) {
  const A = "clinic.appointments.v1";
  const locations = {};
  for (const l of LOCATIONS) {
    locations[l.key] = await rpc(adminCookie, `${A}.LocationService/CreateLocation`, {
      requestId: `demo-location-${l.key}`,
      location: {
        displayName: l.displayName, addressLines: l.addressLines, phone: l.phone,
        timeZone: ZONE, slotMinutes: 15,
        openingHours: l.hours.map(([day, open, close]) => ({
          day, open: hm([open, 0]), close: hm([close, 0]),
        })),
      },
    });
  }
  const types = {};
  for (const t of TYPES) {
    types[t.key] = await rpc(adminCookie, `${A}.AppointmentTypeService/CreateAppointmentType`, {
      requestId: `demo-type-${t.key}`,
      appointmentType: {
        displayName: t.displayName, duration: `${t.minutes * 60}s`,
        bufferAfter: `${t.bufferAfter * 60}s`, allowedCredentials: t.credentials,
        bookableOnline: t.online, minNotice: `${t.minNoticeHours * 3600}s`,
        maxDaysAhead: 60, color: t.color,
      },
    });
  }

  // Schedules: written only when the therapist has none (admins own them).
  const worksAt = [];
  for (const [i, therapist] of therapists.entries()) {
    const week = WEEKS[i % WEEKS.length];
    worksAt.push(week);
    const name = `${therapist.name}/schedule`;
    const current = await rpc(adminCookie, `${A}.ScheduleService/GetProviderSchedule`, { name });
    if (current.etag) continue;
    const weeklyHours = [];
    const breaks = [];
    for (const [key, days, start, end, lunchStart, lunchEnd] of week) {
      for (const day of days) {
        weeklyHours.push({ location: locations[key].name, day, start: hm(start), end: hm(end) });
        if (lunchStart) {
          breaks.push({ location: locations[key].name, day, start: hm(lunchStart), end: hm(lunchEnd) });
        }
      }
    }
    await rpc(adminCookie, `${A}.ScheduleService/UpdateProviderSchedule`, {
      schedule: { name, weeklyHours, breaks },
    });
  }

  // Appointments from tomorrow on, on each therapist's weekdays.
  let booked = 0;
  let skipped = 0;
  if (patients.length === 0) return { booked, skipped };
  const now = new Date();
  for (let ahead = 1; ahead <= DAYS_AHEAD; ahead++) {
    const day = localDate(new Date(now.getTime() + ahead * 86400000), ZONE);
    if (!WEEKDAYS.includes(day.weekday)) continue;
    // Everything below depends on the date alone, never on the run's day,
    // so a later start sends the same body under the same request id.
    const ordinal = Math.floor(Date.UTC(day.y, day.m - 1, day.d) / 86400000);
    const date = `${day.y}-${String(day.m).padStart(2, "0")}-${String(day.d).padStart(2, "0")}`;
    for (const [slot, [time, typeKey]] of DAY_PLAN.entries()) {
      for (const [i, therapist] of therapists.entries()) {
        const type = TYPES.find((t) => t.key === typeKey);
        const creds = (therapist.credentials || []).map((c) => c.toUpperCase());
        if (type.credentials.length && !type.credentials.some((c) => creds.includes(c))) continue;
        const [key] = worksAt[i].find(([, days]) => days.includes(day.weekday)) || [];
        if (!key) continue;
        // Skip some slots so every day keeps open ones and looks lived-in.
        if ((ordinal + slot + i) % 3 === 0) continue;
        const patient = patients[
          (ordinal * DAY_PLAN.length * therapists.length + slot * therapists.length + i) %
          patients.length];
        const start = zonedInstant(day.y, day.m, day.d, time[0], time[1], ZONE);
        try {
          await rpc(frontDeskCookie, `${A}.AppointmentService/BookAppointment`, {
            requestId: `demo-appt-${date}-${i}-${slot}`,
            appointment: {
              patient: patient.name, therapist: therapist.name,
              location: locations[key].name, appointmentType: types[typeKey].name,
              startTime: start.toISOString(), source: "APPOINTMENT_SOURCE_FRONT_DESK",
            },
          });
          booked++;
        } catch (err) {
          if (!tolerated(err)) throw err;
          skipped++;
        }
      }
    }
  }
  return { booked, skipped };
}
