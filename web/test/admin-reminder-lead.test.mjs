// Unit tests of "Reminder before the visit" on the admin forms of locations
// and appointment types (src/staff/admin/admin-model.ts): the lead in words,
// Duration <-> the form's choice (unset = the practice's default / the
// location's setting), the choices offered (and a stored lead that is none of
// them, kept as an option), what the lists say, what is sent (the Duration in
// seconds, the update mask naming "reminder_lead", cleared by sending the
// path with the field unset) and the server's violation at the field. Vite
// loads the TypeScript.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "vite";

let server;
let adm;
let pb;
let svc;
let proto;
let wkt;
let formErrors;
let ConnectError;
let Code;
let BadRequestSchema;

before(async () => {
  server = await createServer({
    configFile: false,
    root: new URL("..", import.meta.url).pathname,
    logLevel: "error",
    server: { middlewareMode: true, hmr: false, ws: false },
    appType: "custom",
  });
  adm = await server.ssrLoadModule("/src/staff/admin/admin-model.ts");
  pb = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_pb.ts");
  svc = await server.ssrLoadModule("/src/gen/clinic/appointments/v1/appointments_service_pb.ts");
  proto = await server.ssrLoadModule("@bufbuild/protobuf");
  wkt = await server.ssrLoadModule("@bufbuild/protobuf/wkt");
  formErrors = await server.ssrLoadModule("/src/staff/shared/form-errors.ts");
  ({ ConnectError, Code } = await server.ssrLoadModule("@connectrpc/connect"));
  ({ BadRequestSchema } = await server.ssrLoadModule("/src/gen/google/rpc/error_details_pb.ts"));
});

after(async () => {
  await server?.close();
});

const hour = 3600;
const day = 24 * hour;
const lead = (seconds, nanos = 0) => proto.create(wkt.DurationSchema, { seconds: BigInt(seconds), nanos });

const location = (extra = {}) =>
  proto.create(pb.LocationSchema, {
    name: "locations/boulder",
    displayName: "Boulder – Pearl Street",
    timeZone: "America/Denver",
    slotMinutes: 15,
    openingHours: [{ day: 1, open: { hours: 8 }, close: { hours: 18 } }],
    language: "en",
    etag: "e1",
    ...extra,
  });

const type = (extra = {}) =>
  proto.create(pb.AppointmentTypeSchema, {
    name: "appointmentTypes/follow-up",
    displayName: "Follow-up",
    duration: lead(45 * 60),
    bufferAfter: lead(10 * 60),
    minNotice: lead(2 * hour),
    maxDaysAhead: 60,
    color: "#4a7ab5",
    active: true,
    etag: "e2",
    ...extra,
  });

/** A ConnectError carrying a google.rpc.BadRequest with these [field, description] violations. */
function badRequest(violations) {
  const fieldViolations = violations.map(([field, description]) => ({ field, description }));
  return new ConnectError("invalid request", Code.InvalidArgument, undefined, [{ desc: BadRequestSchema, value: { fieldViolations } }]);
}

describe("a reminder lead in words", () => {
  test("whole days as days, whole hours as hours, else hours and minutes", () => {
    assert.equal(adm.durationWords(hour), "1 hour");
    assert.equal(adm.durationWords(2 * hour), "2 hours");
    assert.equal(adm.durationWords(12 * hour), "12 hours");
    assert.equal(adm.durationWords(day), "1 day");
    assert.equal(adm.durationWords(2 * day), "2 days");
    assert.equal(adm.durationWords(7 * day), "7 days");
    assert.equal(adm.durationWords(14 * day), "14 days");
    assert.equal(adm.durationWords(36 * hour), "36 hours");
    assert.equal(adm.durationWords(90 * 60), "1 hour 30 minutes");
    assert.equal(adm.durationWords(day + 90), "24 hours 1 minute 30 seconds");
  });
  test("the lists say it only when set: “Reminder 2 days before”", () => {
    assert.equal(adm.reminderLeadListWords(undefined), "");
    assert.equal(adm.reminderLeadListWords(lead(2 * day)), "Reminder 2 days before");
    assert.equal(adm.reminderLeadListWords(lead(hour)), "Reminder 1 hour before");
    assert.equal(adm.reminderLeadListWords(lead(36 * hour)), "Reminder 36 hours before");
    assert.equal(adm.reminderLeadListWords(location().reminderLead), "");
    assert.equal(adm.reminderLeadListWords(type({ reminderLead: lead(3 * day) }).reminderLead), "Reminder 3 days before");
  });
});

describe("Duration <-> the form's choice", () => {
  test("a set lead is its seconds; unset (or not a positive duration) is the default, \"\"", () => {
    assert.equal(adm.reminderLeadValue(lead(2 * day)), "172800");
    assert.equal(adm.reminderLeadValue(lead(hour - 1, 999_999_999)), "3600", "rounded to whole seconds");
    assert.equal(adm.reminderLeadValue(undefined), "");
    assert.equal(adm.reminderLeadValue(lead(0)), "");
  });
  test("a choice is a Duration in whole seconds; the default is no Duration", () => {
    const d = adm.reminderLeadDuration("172800");
    assert.equal(d.seconds, 172800n);
    assert.equal(d.nanos, 0);
    assert.equal(adm.reminderLeadDuration(""), undefined);
    assert.equal(adm.reminderLeadDuration("  "), undefined);
    assert.equal(adm.reminderLeadDuration("soon"), undefined);
    for (const s of adm.reminderLeadChoices) assert.equal(adm.reminderLeadValue(adm.reminderLeadDuration(String(s))), String(s));
  });
  test("the forms read it: a new location or type, and ones without a lead, have the default", () => {
    assert.equal(adm.emptyLocationForm().reminder_lead, "");
    assert.equal(adm.emptyTypeForm().reminder_lead, "");
    assert.equal(adm.locationForm(location()).reminder_lead, "");
    assert.equal(adm.typeForm(type()).reminder_lead, "");
    assert.equal(adm.locationForm(location({ reminderLead: lead(12 * hour) })).reminder_lead, "43200");
    assert.equal(adm.typeForm(type({ reminderLead: lead(2 * day) })).reminder_lead, "172800");
  });
});

describe("the choices", () => {
  const words = (options) => options.map(([, w]) => w);
  test("a location: the practice's default (24 hours), then 1, 2, 3, 6, 12 hours and 1, 2, 3, 7 days", () => {
    const options = adm.reminderLeadOptions("", "location");
    assert.deepEqual(options[0], ["", "Practice default (24 hours)"]);
    assert.deepEqual(words(options).slice(1), ["1 hour", "2 hours", "3 hours", "6 hours", "12 hours", "1 day", "2 days", "3 days", "7 days"]);
    assert.deepEqual(
      options.slice(1).map(([v]) => Number(v)),
      [1, 2, 3, 6, 12].map((h) => h * hour).concat([1, 2, 3, 7].map((d) => d * day)),
    );
    assert.equal(adm.defaultReminderLeadSeconds, day);
  });
  test("a type: the location's setting first, then the same leads", () => {
    const options = adm.reminderLeadOptions("", "type");
    assert.equal(options[0][0], "");
    assert.match(options[0][1], /^Location.s setting$/);
    assert.deepEqual(options.slice(1), adm.reminderLeadOptions("", "location").slice(1));
  });
  test("a lead that is one of the choices adds none", () => {
    assert.deepEqual(adm.reminderLeadOptions("172800", "type"), adm.reminderLeadOptions("", "type"));
    assert.deepEqual(adm.reminderLeadOptions("86400", "location"), adm.reminderLeadOptions("", "location"));
  });
  test("a lead set through the API that is none of them is offered in words, in its place, so that it stays chosen", () => {
    const options = adm.reminderLeadOptions("129600", "type");
    assert.equal(options.length, adm.reminderLeadOptions("", "type").length + 1);
    const at = options.findIndex(([v]) => v === "129600");
    assert.deepEqual(options[at], ["129600", "36 hours"]);
    assert.equal(options[at - 1][1], "1 day");
    assert.equal(options[at + 1][1], "2 days");
    const long = adm.reminderLeadOptions(String(14 * day), "location");
    assert.deepEqual(long.at(-1), [String(14 * day), "14 days"]);
    const short = adm.reminderLeadOptions(String(90 * 60), "location");
    assert.deepEqual(short[2], ["5400", "1 hour 30 minutes"]);
  });
  test("no option shows seconds, field paths or ids", () => {
    for (const owner of ["location", "type"]) {
      for (const [, w] of adm.reminderLeadOptions("129600", owner)) assert.doesNotMatch(w, /reminder_lead|\d+s\b|locations\//);
    }
  });
});

describe("what is sent", () => {
  test("create: the Duration in seconds when chosen, none for the default", () => {
    const f = { ...adm.emptyTypeForm(), display_name: "Check-in call", reminder_lead: "172800" };
    const t = adm.typeFromForm(f);
    assert.equal(t.reminderLead.seconds, 172800n);
    const json = proto.toJson(svc.CreateAppointmentTypeRequestSchema, proto.create(svc.CreateAppointmentTypeRequestSchema, { appointmentType: t }));
    assert.equal(json.appointmentType.reminderLead, "172800s");
    assert.equal(adm.typeFromForm({ ...f, reminder_lead: "" }).reminderLead, undefined);

    const l = adm.locationFromForm({ ...adm.emptyLocationForm(), display_name: "Pearl", time_zone: "America/Denver", reminder_lead: "7200" });
    assert.equal(l.reminderLead.seconds, 7200n);
    assert.equal(adm.locationFromForm({ ...adm.emptyLocationForm(), display_name: "Pearl", time_zone: "America/Denver" }).reminderLead, undefined);
  });
  test("the location's update mask names reminder_lead only when it changed", () => {
    const before = adm.locationForm(location());
    assert.deepEqual(adm.locationMask(before, before), []);
    assert.deepEqual(adm.locationMask(before, { ...before, reminder_lead: "172800" }), ["reminder_lead"]);
    assert.deepEqual(adm.locationMask(before, { ...before, reminder_lead: "7200", language: "es" }), ["language", "reminder_lead"]);
    const set = adm.locationForm(location({ reminderLead: lead(36 * hour) }));
    assert.deepEqual(adm.locationMask(set, set), [], "a lead set through the API, untouched, is not sent");
    assert.deepEqual(adm.locationMask(set, { ...set, reminder_lead: "" }), ["reminder_lead"]);
    assert.deepEqual(adm.locationMask(set, { ...set, reminder_lead: "129600" }), []);
  });
  test("the type's update mask names reminder_lead only when it changed", () => {
    const before = adm.typeForm(type());
    assert.deepEqual(adm.typeMask(before, before), []);
    assert.deepEqual(adm.typeMask(before, { ...before, reminder_lead: "172800" }), ["reminder_lead"]);
    assert.deepEqual(adm.typeMask(before, { ...before, reminder_lead: "3600", color: "#000000" }), ["color", "reminder_lead"]);
    const set = adm.typeForm(type({ reminderLead: lead(2 * day) }));
    assert.deepEqual(adm.typeMask(set, { ...set }), []);
    assert.deepEqual(adm.typeMask(set, { ...set, reminder_lead: String(3 * day) }), ["reminder_lead"]);
  });
  test("choosing the default clears it: the mask path is sent with the field unset", () => {
    const set = adm.typeForm(type({ reminderLead: lead(2 * day) }));
    const cleared = { ...set, reminder_lead: "" };
    const paths = adm.typeMask(set, cleared);
    const t = adm.typeFromForm(cleared);
    t.name = "appointmentTypes/follow-up";
    t.etag = "e2";
    const req = proto.create(svc.UpdateAppointmentTypeRequestSchema, { appointmentType: t, updateMask: { paths } });
    const json = proto.toJson(svc.UpdateAppointmentTypeRequestSchema, req);
    assert.equal(json.updateMask, "reminderLead");
    assert.equal("reminderLead" in json.appointmentType, false, "no reminder_lead in the body: unset");
    assert.equal(json.appointmentType.etag, "e2");

    const loc = adm.locationForm(location({ reminderLead: lead(hour) }));
    const lpaths = adm.locationMask(loc, { ...loc, reminder_lead: "" });
    const l = adm.locationFromForm({ ...loc, reminder_lead: "" });
    const ljson = proto.toJson(svc.UpdateLocationRequestSchema, proto.create(svc.UpdateLocationRequestSchema, { location: l, updateMask: { paths: lpaths } }));
    assert.equal(ljson.updateMask, "reminderLead");
    assert.equal("reminderLead" in ljson.location, false);
  });
  test("a chosen lead is sent with its path: 2 days as \"172800s\"", () => {
    const before = adm.typeForm(type());
    const after = { ...before, reminder_lead: "172800" };
    const json = proto.toJson(
      svc.UpdateAppointmentTypeRequestSchema,
      proto.create(svc.UpdateAppointmentTypeRequestSchema, { appointmentType: adm.typeFromForm(after), updateMask: { paths: adm.typeMask(before, after) } }),
    );
    assert.equal(json.updateMask, "reminderLead");
    assert.equal(json.appointmentType.reminderLead, "172800s");
  });
});

describe("the server's violation at the field", () => {
  test("location.reminder_lead lands at the location form's field", () => {
    const err = badRequest([["location.reminder_lead", "must be 1 hour to 14 days"]]);
    const errors = formErrors.fieldErrorsFrom(err, adm.locationFields, ["location."]);
    assert.deepEqual(errors.fields, { reminder_lead: "must be 1 hour to 14 days" });
    assert.deepEqual(errors.other, []);
  });
  test("appointment_type.reminder_lead (or in camelCase) lands at the type form's field, with the others at theirs", () => {
    const err = badRequest([
      ["appointment_type.reminder_lead", "must be 1 hour to 14 days"],
      ["appointmentType.displayName", "is required"],
    ]);
    const errors = formErrors.fieldErrorsFrom(err, adm.typeFields, ["appointment_type."]);
    assert.deepEqual(errors.fields, { reminder_lead: "must be 1 hour to 14 days", display_name: "is required" });
    assert.deepEqual(errors.other, []);
  });
});
