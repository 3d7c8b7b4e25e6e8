// Reading the emails the clinic sent from the local SMTP server's Maildir
// ($CLINIC_MAILDIR, which ./clinic test sets): headers, text parts (base64
// and quoted-printable decoded), the calendar file, waiting for one
// (outbox.test.mjs, waitlist_offer.test.mjs).
import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

export const maildir = process.env.CLINIC_MAILDIR || "";
export const noMaildir =
  "CLINIC_MAILDIR is not set (./clinic test sets it to the local SMTP server's Maildir): the emails cannot be read";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** RFC 2047 encoded words ("=?UTF-8?B?…?=") decoded. */
export function decodeWords(value) {
  return value
    .replace(/(\?=)\s+(=\?)/g, "$1$2")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, _charset, enc, data) =>
      enc.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : Buffer.from(data.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"),
    );
}

/** Headers (lower-case names, unfolded, first of each) and body of an RFC 5322 message or a MIME part. */
export function splitMessage(raw) {
  const text = raw.replace(/\r\n/g, "\n");
  const at = text.indexOf("\n\n");
  const head = at < 0 ? text : text.slice(0, at);
  const body = at < 0 ? "" : text.slice(at + 2);
  const headers = new Map();
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** The leaf parts of a message: [{ type, content }] (base64 and quoted-printable decoded). */
export function leafParts({ headers, body }) {
  const contentType = headers.get("content-type") ?? "text/plain";
  const type = contentType.split(";")[0].trim().toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (type.startsWith("multipart/") && boundary) {
    return body
      .split("--" + boundary)
      .slice(1)
      .filter((part) => !part.startsWith("--"))
      .flatMap((part) => leafParts(splitMessage(part.replace(/^[ \t]*\n/, ""))));
  }
  const encoding = (headers.get("content-transfer-encoding") ?? "").toLowerCase();
  let content = body;
  if (encoding === "base64") content = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    content = Buffer.from(
      body.replace(/=\n/g, "").replace(/=([0-9A-Fa-f]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16))),
      "latin1",
    ).toString("utf8");
  }
  return [{ type, content }];
}

/**
 * The emails delivered to $CLINIC_MAILDIR/new since `since` (ms), newest
 * first: { file, to, subject, text (the text/plain part), ics (the
 * text/calendar part, lines unfolded), parts }.
 */
export async function newMails(since) {
  const dir = join(maildir, "new");
  const names = await readdir(dir).catch((err) => {
    if (err.code === "ENOENT") return [];
    throw err;
  });
  const files = [];
  for (const name of names) {
    const file = join(dir, name);
    const s = await stat(file).catch(() => undefined);
    if (s?.isFile() && s.mtimeMs >= since) files.push({ file, mtimeMs: s.mtimeMs });
  }
  files.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const mails = [];
  for (const { file } of files.slice(0, 200)) {
    const message = splitMessage(await readFile(file, "utf8"));
    const parts = leafParts(message);
    mails.push({
      file,
      to: decodeWords(message.headers.get("to") ?? ""),
      subject: decodeWords(message.headers.get("subject") ?? ""),
      text: parts.find((p) => p.type === "text/plain")?.content ?? "",
      ics: (parts.find((p) => p.type === "text/calendar")?.content ?? "").replace(/\r\n/g, "\n").replace(/\n[ \t]/g, ""),
      parts,
    });
  }
  return mails;
}

/** Waits (up to `timeoutMs`) for an email `match` accepts, delivered since `since`. */
export async function findMail(since, match, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = await newMails(since);
    const found = mails.find(match);
    if (found) return found;
    if (Date.now() > deadline) {
      assert.fail(
        `no email ${what} in ${join(maildir, "new")} after ${timeoutMs / 1000} s; since the test began: ${
          mails.map((m) => `${m.to} "${m.subject}"`).join("; ") || "none"
        }`,
      );
    }
    await sleep(1000);
  }
}
