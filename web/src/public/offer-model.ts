// The waitlist offer page's pure logic (offer.html, src/public/offer.ts): the
// link's token read from the address (`?t=` or `#t=`), the offer's state in
// plain words (held for you / you took it / no longer held), the booking in
// words once taken, and a failed GetOffer or AcceptOffer sorted into what the
// page does next. Days, times and error words come from ./booking-model.ts,
// the address without the token from ./manage-model.ts (imported, not
// repeated). No DOM, no network, nothing from the staff app.
import { Code, ConnectError } from "@connectrpc/connect";
import { OfferView_State, type BookOnlineResponse, type OfferView } from "../gen/clinic/booking/v1/booking_service_pb";
import {
  describeLoadError,
  errorReason,
  isRateLimited,
  manageLink,
  rateLimitMessage,
  sentence,
  takenReasons,
  whenInWords,
} from "./booking-model";
import { tokenFrom, type TokenInAddress } from "./manage-model";

export { addressWithoutToken } from "./manage-model";

// ------------------------------------------------------------ the token ---

/**
 * An offer link's secret as the page accepts it: base64url, 22 to 256
 * characters (the service derives 43, as for manage links; the page is lenient
 * about the length so that a longer token of a newer service still opens).
 * Anything else opens nothing, and the page asks nobody about it.
 */
export const offerTokenPattern = /^[A-Za-z0-9_-]{22,256}$/;

export const isOfferToken = (token: string) => offerTokenPattern.test(token);

/**
 * The offer's token from the page's address: `?t=<token>` (as the email
 * links) or `#t=<token>`; the first that is a token (spaces around it
 * dropped). A `t` that is not one is "malformed".
 */
export function offerTokenFrom(search: string, hash: string): TokenInAddress {
  return tokenFrom(search, hash, isOfferToken);
}

// ------------------------------------------------------------ the offer ---

type Offer = Pick<OfferView, "summary" | "localStart" | "timeZone" | "heldUntil" | "state">;

/**
 * - `open`: held for the person; "Take this time" books it;
 * - `taken`: they took it (taking it again answers the same booking, with its manage link);
 * - `lapsed`: too late, it went to the next person on the waitlist.
 * A state this page does not know is shown as open: the server judges the click.
 */
export type OfferState = "open" | "taken" | "lapsed";

export function offerStateOf(o: Pick<Offer, "state">): OfferState {
  switch (o.state) {
    case OfferView_State.TAKEN:
      return "taken";
    case OfferView_State.LAPSED:
      return "lapsed";
    default:
      return "open";
  }
}

/** What, where and when: the service's summary, or the time in words if it sent none. */
export function offerSummary(o: Pick<Offer, "summary" | "localStart">, currentYear?: number): string {
  const s = o.summary.trim();
  if (s) return s;
  return o.localStart ? `${whenInWords(o.localStart, currentYear)}.` : "";
}

/** "We are holding this time for you until Monday 30 November at 6:15 PM." */
export function heldLine(o: Pick<Offer, "heldUntil">): string {
  const until = o.heldUntil.trim().replace(/[.\s]+$/, "");
  return until ? `We are holding this time for you until ${until}.` : "We are holding this time for you for a short while.";
}

export const lapsedMessage =
  "Sorry, this time is no longer held for you; we offered it to the next person on the waitlist. Call us to find another time.";

/** The offer in words for each state: a heading, the lines under it, and the button's label (none: no button). */
export interface OfferScreen {
  state: OfferState;
  title: string;
  /** The booking in words (empty: not shown). */
  summary: string;
  detail: string;
  button?: string;
}

export const takeLabel = "Take this time";
export const showBookingLabel = "Show my booking";

export function offerScreen(o: Offer, currentYear?: number): OfferScreen {
  const summary = offerSummary(o, currentYear);
  switch (offerStateOf(o)) {
    case "open":
      return { state: "open", title: "This time is held for you", summary, detail: heldLine(o), button: takeLabel };
    case "taken":
      return {
        state: "taken",
        title: "You took this time",
        summary: summary ? `You took this time: ${summary}` : "You took this time.",
        detail: "To see, move or cancel it, open your booking.",
        button: showBookingLabel,
      };
    case "lapsed":
      return { state: "lapsed", title: "This time is no longer held for you", summary: "", detail: lapsedMessage };
  }
}

// ------------------------------------------------------------ taken ---

/**
 * After AcceptOffer: "Booked: <confirmation>" and the manage link
 * ("/manage.html?t=<manage_token>"), or none when the answer had no token
 * (the page then says to call).
 */
export function bookedView(
  res: Pick<BookOnlineResponse, "confirmation" | "localStart" | "manageToken">,
  origin: string,
  currentYear?: number,
): { message: string; manageHref?: string } {
  const what = res.confirmation.trim() || (res.localStart ? `${whenInWords(res.localStart, currentYear)}.` : "");
  const link = manageLink(origin, res.manageToken);
  return { message: what ? `Booked: ${what}` : "Booked.", manageHref: link?.href };
}

// --------------------------------------------------------------- errors ---

/** The service's words for a link that opens nothing (NOT_FOUND, whatever the reason). */
export const goneMessage = "This link does not open an offer.";
export const goneHelp = "If you need help, call us.";

/** The ErrorInfo reason of AcceptOffer once the hold has lapsed. */
export const offerLapsedReason = "OFFER_LAPSED";

export const unavailableMessage = "Sorry, this time can no longer be taken. Call us to find another time.";
export const noAnswer = "We could not reach the clinic just now. Check your connection and try again.";
export const ourSide = "Something went wrong on our side. Please try again in a moment, or call us.";

/** What the page does after a failed call. */
export type OfferFailure =
  /** The link opens nothing: say so instead of the offer. */
  | { kind: "gone"; message: string }
  /** The hold lapsed: the offer as lapsed. */
  | { kind: "lapsed"; message: string }
  /** It cannot be taken for another reason (the time is gone): `message`, no button. */
  | { kind: "closed"; message: string }
  /** Anything else: `message`; `retry` if doing the same again may work (the button enabled again). */
  | { kind: "message"; message: string; retry: boolean };

/** A failed GetOffer ("load") or AcceptOffer ("accept"). AcceptOffer is idempotent: trying again is always safe. */
export function classifyOfferError(err: unknown, action: "load" | "accept"): OfferFailure {
  const e = ConnectError.from(err);
  if (e.code === Code.NotFound) return { kind: "gone", message: goneMessage };
  const reason = errorReason(e);
  if (reason === offerLapsedReason) return { kind: "lapsed", message: lapsedMessage };
  if (isRateLimited(e)) return { kind: "message", message: rateLimitMessage(e), retry: true };
  if (action === "accept") {
    if (e.code === Code.AlreadyExists || (reason && (takenReasons as readonly string[]).includes(reason))) {
      return { kind: "closed", message: unavailableMessage };
    }
    if (e.code === Code.FailedPrecondition) {
      return { kind: "closed", message: e.rawMessage ? `${sentence(e.rawMessage)} Call us to find another time.` : unavailableMessage };
    }
  }
  switch (e.code) {
    case Code.Unavailable:
    case Code.DeadlineExceeded:
    case Code.Unknown:
    case Code.Canceled:
      return { kind: "message", message: noAnswer, retry: true };
    case Code.Internal:
    case Code.Aborted:
      return { kind: "message", message: ourSide, retry: true };
    default:
      return { kind: "message", message: describeLoadError(e), retry: false };
  }
}
