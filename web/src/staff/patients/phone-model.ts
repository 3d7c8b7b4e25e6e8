// Phone numbers as people read them. The patients service stores a phone in
// E.164 ("+13035550142"); numbers of the practice's own country are shown in
// its national format ("(303) 555-0142"), others in the international form
// with the country code set apart ("+34 612345678"). Pure: no DOM, no
// network, no phone-number library (the server has already judged the
// number; this only lays it out).

/**
 * The practice's country (ISO 3166), which the patients service reads numbers
 * without "+" in (its --default_region, "US" unless deployed otherwise). No
 * API says it yet, so the staff app assumes the same default.
 */
export const practiceRegion = "US";

/** The countries of the North American Numbering Plan share +1 and one national format. */
const nanpRegions = new Set(["US", "CA", "PR", "GU", "VI", "AS", "MP"]);

/**
 * The two-digit country calling codes. E.164 codes are prefix-free: a number
 * starting with 1 or 7 has a one-digit code, one starting with one of these a
 * two-digit code, and any other a three-digit code.
 */
const twoDigitCodes = new Set([
  "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
  "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
  "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
]);

/** A number in E.164: "+", then 8 to 15 digits, the first not 0. */
export function isE164(phone: string): boolean {
  return /^\+[1-9]\d{7,14}$/.test(phone);
}

/** The country calling code of an E.164 number ("+34612345678" -> "34"), or "" when not E.164. */
export function countryCode(phone: string): string {
  if (!isE164(phone)) return "";
  const digits = phone.slice(1);
  if (digits[0] === "1" || digits[0] === "7") return digits[0];
  if (twoDigitCodes.has(digits.slice(0, 2))) return digits.slice(0, 2);
  return digits.slice(0, 3);
}

/**
 * A stored phone number for people: "+13035550142" -> "(303) 555-0142" in a
 * NANP practice; another country's number -> "+34 612345678". Anything not in
 * E.164 (numbers stored as typed before the server normalized them) is shown
 * as stored.
 */
export function formatPhone(phone: string, region: string = practiceRegion): string {
  const p = phone.trim();
  if (!isE164(p)) return p;
  const code = countryCode(p);
  const national = p.slice(1 + code.length);
  if (code === "1" && nanpRegions.has(region.toUpperCase()) && /^\d{10}$/.test(national)) {
    return `(${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6)}`;
  }
  return `+${code} ${national}`;
}

/** A tel: link for a stored number ("tel:+13035550142"), or "" when it has no digits. */
export function phoneHref(phone: string): string {
  const p = phone.trim();
  if (!/\d/.test(p)) return "";
  const dialable = p.replace(/[^\d+]/g, "");
  return `tel:${dialable.startsWith("+") ? "+" + dialable.slice(1).replace(/\+/g, "") : dialable.replace(/\+/g, "")}`;
}
