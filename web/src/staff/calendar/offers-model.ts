// The pure logic of waitlist offers in the staff app: the waitlist page's
// "Offers" section (ListWaitlistOffers for a location, each offer in words:
// the patient, the time offered in the location's zone with the therapist
// and the type, and what became of it — "Offered, held until 18:15", "Taken
// 17:02", "Lapsed 18:15 — offered to the next person"), and the line the
// appointment dialog adds after a cancellation that found waitlist matches.
// No DOM and no network here.
import { create } from "@bufbuild/protobuf";
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { WaitlistOffer_State, type WaitlistOffer } from "../../gen/clinic/appointments/v1/appointments_pb";
import {
  ListWaitlistOffersRequestSchema,
  type ListWaitlistOffersRequest,
} from "../../gen/clinic/appointments/v1/appointments_service_pb";
import { describeDate, describeWall, isKnownZone, parseWall, timestampToMs, timestampToWall, todayIn } from "../shared/tz";

/** How many offers the section shows (the newest). */
export const offersPageSize = 50;

/** ListWaitlistOffers for a location: its newest offers. */
export function listOffersRequest(location: string, pageSize = offersPageSize): ListWaitlistOffersRequest {
  return create(ListWaitlistOffersRequestSchema, { location, pageSize });
}

/** The offers of one appointment type ("" = every type), in the order given (newest first). */
export function offersOfType<T extends Pick<WaitlistOffer, "slot">>(offers: readonly T[], appointmentType: string): T[] {
  return appointmentType ? offers.filter((o) => o.slot?.appointmentType === appointmentType) : [...offers];
}

/**
 * A clock time for people in `zone`: "18:15" on the zone's today (at
 * `nowMs`), else with its day, "18:15 (Tue, 10 Mar 2026)"; "" when unset.
 */
export function clockInWords(ts: Timestamp | undefined, zone: string, nowMs: number, locale?: string): string {
  if (!ts || timestampToMs(ts) === 0) return "";
  const wall = timestampToWall(ts, zone);
  const hhmm = wall.slice(11, 16);
  const day = wall.slice(0, 10);
  return day === todayIn(zone, nowMs) ? hhmm : `${hhmm} (${describeDate(day, locale, false)})`;
}

/** The zone the offer's slot is read in: its own (the location's), else the page's, else UTC. */
function slotZone(o: Pick<WaitlistOffer, "slot">, zone: string): string {
  const own = o.slot?.timeZone ?? "";
  if (isKnownZone(own)) return own;
  return isKnownZone(zone) ? zone : "UTC";
}

/** The local start of the time offered, "YYYY-MM-DDTHH:MM": the slot's local_start, else its start in the zone. */
export function offeredWall(o: Pick<WaitlistOffer, "slot">, zone: string): string {
  const local = o.slot?.localStart ?? "";
  if (local && parseWall(local)) return local.slice(0, 16);
  return o.slot?.startTime ? timestampToWall(o.slot.startTime, slotZone(o, zone)).slice(0, 16) : "";
}

/**
 * Whether a newer offer of the same freed time is in `all` (the list is
 * newest first, so one made after `o` lapsed is in it whenever `o` is).
 */
export function offeredToNext(o: Pick<WaitlistOffer, "name" | "freedBy" | "slot" | "createTime">, all: readonly Pick<WaitlistOffer, "name" | "freedBy" | "slot" | "createTime">[]): boolean {
  const key = (x: typeof o) => x.freedBy || `${x.slot?.therapist}|${x.slot?.startTime ? timestampToMs(x.slot.startTime) : ""}`;
  const k = key(o);
  const made = timestampToMs(o.createTime);
  return all.some((x) => x.name !== o.name && key(x) === k && timestampToMs(x.createTime) >= made);
}

export type OfferStateName = "offered" | "accepted" | "lapsed" | "unknown";

/**
 * What became of an offer, in words, in `zone`: "Offered, held until
 * 18:15", "Taken 17:02", "Lapsed 18:15 — offered to the next person" (or
 * "— not offered to anyone else" when no newer offer of that time is in the
 * list `all`; without `all`, the next person is assumed, as the service
 * offers on).
 */
export function offerStateWords(
  o: Pick<WaitlistOffer, "name" | "state" | "expireTime" | "outcomeTime" | "freedBy" | "slot" | "createTime">,
  zone: string,
  nowMs: number,
  all?: readonly Pick<WaitlistOffer, "name" | "freedBy" | "slot" | "createTime">[],
  locale?: string,
): { state: OfferStateName; words: string } {
  switch (o.state) {
    case WaitlistOffer_State.OFFERED: {
      const until = clockInWords(o.expireTime, zone, nowMs, locale);
      return { state: "offered", words: until ? `Offered, held until ${until}` : "Offered" };
    }
    case WaitlistOffer_State.ACCEPTED: {
      const at = clockInWords(o.outcomeTime, zone, nowMs, locale);
      return { state: "accepted", words: at ? `Taken ${at}` : "Taken" };
    }
    case WaitlistOffer_State.LAPSED: {
      const at = clockInWords(o.outcomeTime, zone, nowMs, locale) || clockInWords(o.expireTime, zone, nowMs, locale);
      const next = !all || offeredToNext(o, all) ? "offered to the next person" : "not offered to anyone else";
      return { state: "lapsed", words: `Lapsed${at ? ` ${at}` : ""} — ${next}` };
    }
    default:
      return { state: "unknown", words: "—" };
  }
}

/** An offer as the waitlist page shows it. */
export interface OfferRow {
  name: string;
  patient: string;
  patientName: string;
  /** "Tue, 10 Mar 2026, 09:00" (the location's wall time). */
  when: string;
  /** "Follow-up with Theo Rapp". */
  what: string;
  /** When it was made: "17:00" today, else with its day. */
  made: string;
  state: OfferStateName;
  stateWords: string;
}

/** An offer in words: names for ids, the location's wall time, the outcome in words. */
export function offerRow(
  o: WaitlistOffer,
  names: { patient: (name: string) => string; type: (name: string) => string | undefined; therapist: (name: string) => string | undefined },
  zone: string,
  nowMs: number,
  all?: readonly WaitlistOffer[],
  locale?: string,
): OfferRow {
  const z = slotZone(o, zone);
  const wall = offeredWall(o, zone);
  const type = (o.slot?.appointmentType && names.type(o.slot.appointmentType)) || "Appointment";
  const therapist = o.slot?.therapist ? (names.therapist(o.slot.therapist) ?? "a therapist") : "";
  const { state, words } = offerStateWords(o, z, nowMs, all, locale);
  return {
    name: o.name,
    patient: o.patient,
    patientName: names.patient(o.patient),
    when: wall ? describeWall(wall, locale) : "—",
    what: therapist ? `${type} with ${therapist}` : type,
    made: clockInWords(o.createTime, z, nowMs, locale) || "—",
    state,
    stateWords: words,
  };
}

/**
 * The appointment dialog's line after a cancellation with waitlist matches:
 * the first of them is offered the freed time by email, automatically; ""
 * when there are none.
 */
export function autoOfferLine(matches: number, firstPatientName: string): string {
  if (matches <= 0) return "";
  return `${firstPatientName || "The first patient on this list"} (first on the list) is offered this time automatically by email; if they do not take it in time, the next one is.`;
}
