// The pure logic of the booking dialog's open times: which starts
// FindAvailableSlots offers for the chosen type, therapist and day, whether
// the time clicked is one of them, the nearest ones, and what to say when it
// is not. No DOM and no network here.
import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Slot } from "../../gen/clinic/appointments/v1/appointments_pb";
import type { FindAvailableSlotsRequestSchema } from "../../gen/clinic/appointments/v1/appointments_service_pb";
import { addDays, describeDate, hhmmToMinutes, parseWall } from "../shared/tz";
import { typePhrase } from "./calendar-model";

/** What the open times are asked for. */
export interface SlotQuery {
  /** "appointmentTypes/…". */
  appointmentType: string;
  /** "locations/…". */
  location: string;
  /** "staff/…". */
  therapist: string;
  /** The local day, "YYYY-MM-DD". */
  day: string;
}

/** How many days after the chosen one are searched when it has no open time left. */
export const laterDays = 14;

/** Whether everything a search needs is chosen (and the day is a real date). */
export function canSearchSlots(q: SlotQuery): boolean {
  return !!q.appointmentType && !!q.location && !!q.therapist && /^\d{4}-\d{2}-\d{2}$/.test(q.day) && !!parseWall(q.day);
}

/** The key of a search: a new one means the open times must be loaded again. */
export function slotQueryKey(q: SlotQuery): string {
  return [q.appointmentType, q.location, q.therapist, q.day].join("|");
}

const protoDate = (day: string) => ({ year: Number(day.slice(0, 4)), month: Number(day.slice(5, 7)), day: Number(day.slice(8, 10)) });

/** FindAvailableSlots for the type at the location with that therapist, on that local day. */
export function daySlotsRequest(q: SlotQuery): MessageInitShape<typeof FindAvailableSlotsRequestSchema> {
  return {
    appointmentType: q.appointmentType,
    locations: [q.location],
    therapist: q.therapist,
    startDate: protoDate(q.day),
    endDate: protoDate(q.day),
    maxSlots: 500,
  };
}

/** FindAvailableSlots for the first open time on the days after `q.day` (the next `laterDays` days). */
export function laterSlotRequest(q: SlotQuery): MessageInitShape<typeof FindAvailableSlotsRequestSchema> {
  return {
    appointmentType: q.appointmentType,
    locations: [q.location],
    therapist: q.therapist,
    startDate: protoDate(addDays(q.day, 1)),
    endDate: protoDate(addDays(q.day, laterDays)),
    maxSlots: 1,
  };
}

/** The open starts ("HH:MM", earliest first, once each) of the therapist on `day`, from the slots' local_start. */
export function openTimes(slots: ReadonlyArray<Pick<Slot, "therapist" | "localStart">>, therapist: string, day: string): string[] {
  const times = slots
    .filter((s) => (!therapist || s.therapist === therapist) && s.localStart.slice(0, 10) === day)
    .map((s) => s.localStart.slice(11, 16))
    .filter((t) => hhmmToMinutes(t) !== undefined);
  return [...new Set(times)].sort();
}

/** Whether a time is open, the first open time after it, and the open times nearest to it. */
export interface Availability {
  free: boolean;
  /** The first open time after `time` that day, if any. */
  next?: string;
  /** Up to `count` open times nearest to `time` (before or after), earliest first. */
  nearest: string[];
}

/** Where `time` ("HH:MM") stands among the day's open times. */
export function availability(times: readonly string[], time: string, count = 4): Availability {
  const at = hhmmToMinutes(time);
  if (at === undefined) return { free: false, nearest: times.slice(0, count) };
  const free = times.includes(time);
  const next = times.find((t) => (hhmmToMinutes(t) ?? 0) > at);
  const nearest = times
    .filter((t) => t !== time)
    .map((t) => ({ t, d: Math.abs((hhmmToMinutes(t) ?? 0) - at) }))
    // Nearest first; on a tie the later one (moving forward is the usual wish).
    .sort((a, b) => a.d - b.d || b.t.localeCompare(a.t))
    .slice(0, count)
    .map((x) => x.t)
    .sort();
  return { free, next, nearest };
}

/** A day in words for a sentence: "Wed, 11 Mar 2026". */
export function shortDay(day: string): string {
  return describeDate(day, undefined, false);
}

/**
 * What the dialog says when the chosen time is not open: "Theo Rapp is not
 * free at 11:15 for a follow-up; the next free time is 11:30." — the next
 * open time that day, else the first on a later day (`later`, a local
 * start "YYYY-MM-DDTHH:MM"), else that there is none in the coming days.
 */
export function notFreeMessage(args: {
  therapistName: string;
  time: string;
  typeName: string;
  next?: string;
  later?: string;
  anyThatDay?: boolean;
}): string {
  const head = `${args.therapistName || "The therapist"} is not free at ${args.time} for ${typePhrase(args.typeName)}`;
  if (args.next) return `${head}; the next free time is ${args.next}.`;
  const later = args.later && parseWall(args.later) ? `${shortDay(args.later.slice(0, 10))} at ${args.later.slice(11, 16)}` : "";
  const rest = args.anyThatDay ? "there is no free time later that day" : "there is no free time that day";
  if (later) return `${head}; ${rest}, the next free time is ${later}.`;
  return `${head}; ${rest}, nor in the ${laterDays} days after.`;
}

/** What the dialog says when the chosen time is open: "Theo Rapp is free at 11:30 for a follow-up." */
export function freeMessage(therapistName: string, time: string, typeName: string): string {
  return `${therapistName || "The therapist"} is free at ${time} for ${typePhrase(typeName)}.`;
}

/** The heading of the day's open times: "Open times on Tue, 10 Mar 2026 (12)". */
export function openTimesHeading(day: string, count: number): string {
  return `Open times on ${shortDay(day)} (${count})`;
}
