// Unit test of the demo accounts parser in lib.mjs (needs no running system).
import { test } from "node:test";
import assert from "node:assert/strict";
import { accountFor, parseAccounts } from "./lib.mjs";

test("parses email<TAB>role<TAB>password lines", () => {
  const text = "# demo\nadmin@clinic.test\tadmin\tp a s s\n\nfd@clinic.test\tfront_desk\tx#y\r\nt1@clinic.test  therapist  abc\nt2@clinic.test\ttherapist\tdef\n";
  const accounts = parseAccounts(text);
  assert.deepEqual(accounts, [
    { email: "admin@clinic.test", role: "admin", password: "p a s s" },
    { email: "fd@clinic.test", role: "front_desk", password: "x#y" },
    { email: "t1@clinic.test", role: "therapist", password: "abc" },
    { email: "t2@clinic.test", role: "therapist", password: "def" },
  ]);
  assert.equal(accountFor(accounts, "therapist", 1).email, "t2@clinic.test");
  assert.throws(() => accountFor(accounts, "therapist", 2), /2 therapist account/);
});

test("rejects malformed lines", () => {
  assert.throws(() => parseAccounts("a@b\tadmin"), /line 1/);
  assert.throws(() => parseAccounts("a@b\tboss\tpw"), /role "boss"/);
  assert.throws(() => parseAccounts("not-an-email\tadmin\tpw"), /not an email/);
});
