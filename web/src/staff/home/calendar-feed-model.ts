// The pure logic of My day's "Your calendar in your phone": who has a
// calendar feed (therapists: their own), the feed in words ("Made Tue, 10 Mar
// 2026, last read today at 09:15"), what its events show, and failed
// Create/Get/RevokeCalendarFeed calls in words. No DOM, no network.
import { Code, ConnectError } from "@connectrpc/connect";
import { StaffRole } from "../../gen/clinic/api/v1/access_pb";
import type { CalendarFeed } from "../../gen/clinic/notifications/v1/notifications_pb";
import { describeCallError } from "../shared/errors";
import { describeDate, isKnownZone, timestampToMs, timestampToWall, todayIn, wallString } from "../shared/tz";

/** A calendar feed is a therapist's own schedule (the service lets a therapist name only themselves). */
export function canHaveCalendarFeed(roles: readonly StaffRole[] | undefined): boolean {
  return !!roles && roles.includes(StaffRole.THERAPIST);
}

/** Create/Get/RevokeCalendarFeed for the signed-in therapist ("staff/…"). */
export const feedRequest = (therapist: string) => ({ therapist });

/** What the section shows. */
export type FeedView =
  | { kind: "loading" }
  /** No feed: "Make a calendar link". */
  | { kind: "none" }
  /** A feed; `url` only right after it was made (the service keeps only a hash: it is shown once). */
  | { kind: "on"; feed: Pick<CalendarFeed, "createTime" | "lastReadTime" | "showsPatientNames">; url?: string }
  /** The feed could not be read (`message`), or calendar links are not on this server (`unavailable`). */
  | { kind: "error"; message: string; unavailable?: boolean };

/** GetCalendarFeed's answer, or its failure: NOT_FOUND is "no feed", not an error. */
export function feedViewFromGet(result: { feed: CalendarFeed } | { error: unknown }): FeedView {
  if ("feed" in result) return { kind: "on", feed: result.feed };
  const e = ConnectError.from(result.error);
  if (e.code === Code.NotFound) return { kind: "none" };
  if (e.code === Code.Unimplemented) return { kind: "error", message: "Calendar links are not available on this server yet.", unavailable: true };
  return { kind: "error", message: `Your calendar link could not be read. ${describeCallError(e)}` };
}

export const subscribeHelp =
  "Add it to your calendar program as a subscription (by URL). Anyone with this link sees your schedule; make a new one or turn it off if it leaks.";

/** What the feed's events show. */
export function patientNamesNote(showsPatientNames: boolean): string {
  return showsPatientNames
    ? "Events show the appointment type, the location and the patient's name (the practice has turned patient names on)."
    : "Events show the appointment type and location, not patient names.";
}

const zoneOr = (zone: string) => (isKnownZone(zone) ? zone : "UTC");

/** "today at 09:15", else "Tue, 10 Mar 2026 at 09:15", in `zone`. */
export function dateTimeInWords(ms: number, zone: string, nowMs: number, locale?: string): string {
  const z = zoneOr(zone);
  const wall = wallString(ms, z);
  const day = wall.slice(0, 10);
  const when = day === todayIn(z, nowMs) ? "today" : describeDate(day, locale, false);
  return `${when} at ${wall.slice(11, 16)}`;
}

/** "Made Tue, 10 Mar 2026, last read today at 09:15" (or "last read never"), in `zone`. */
export function feedMadeLine(
  feed: Pick<CalendarFeed, "createTime" | "lastReadTime">,
  zone: string,
  nowMs: number,
  locale?: string,
): string {
  const z = zoneOr(zone);
  const made = timestampToMs(feed.createTime);
  const read = timestampToMs(feed.lastReadTime);
  const madeWords = made ? `Made ${describeDate(timestampToWall(feed.createTime, z).slice(0, 10), locale, false)}` : "Made";
  return `${madeWords}, last read ${read ? dateTimeInWords(read, z, nowMs, locale) : "never"}`;
}

export const turnedOffMessage = "Your calendar link is turned off: calendar programs that use it get nothing from now on.";
export const newLinkMessage = "A new calendar link is made; the old one no longer works.";
export const madeMessage = "Your calendar link is made.";
export const copiedMessage = "Copied.";
export const copyByHandMessage = "The link is selected: copy it with Ctrl+C (⌘C on a Mac).";

/** A failed Create/RevokeCalendarFeed in words. */
export function feedActionError(err: unknown, action: "create" | "revoke"): string {
  const e = ConnectError.from(err);
  const what = action === "create" ? "The calendar link was not made." : "The calendar link was not turned off.";
  if (e.code === Code.NotFound && action === "revoke") return "There is no calendar link to turn off.";
  if (e.code === Code.Unimplemented) return `${what} Calendar links are not available on this server yet.`;
  return `${what} ${describeCallError(e)}`;
}
