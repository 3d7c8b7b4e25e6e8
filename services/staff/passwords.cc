#include "services/staff/passwords.h"

#include <sodium.h>

#include <cstdlib>
#include <string>
#include <unordered_set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"

namespace clinic::staff {
namespace {

// Generated from common_passwords.txt: a list of string literals.
constexpr const char* kCommonPasswords[] = {
#include "services/staff/common_passwords.inc"
};

const std::unordered_set<std::string>& CommonPasswords() {
  static const auto* const kSet = [] {
    auto* set = new std::unordered_set<std::string>();
    for (const char* p : kCommonPasswords) set->insert(p);
    return set;
  }();
  return *kSet;
}

// No 0/O/o, 1/l/I/i: easy to read aloud and to type from a note.
constexpr char kAlphabet[] =
    "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

bool IsTrailingJunk(char c) {
  return absl::ascii_isdigit(c) ||
         (absl::ascii_ispunct(c) && c != '\'' && c != '"') || c == ' ';
}

// True if `s` is one unit of 1 to 4 bytes repeated at least three times.
bool IsRepeatedUnit(absl::string_view s) {
  for (size_t unit = 1; unit <= 4 && unit * 3 <= s.size(); ++unit) {
    if (s.size() % unit != 0) continue;
    bool repeated = true;
    for (size_t i = unit; i < s.size() && repeated; ++i) {
      repeated = s[i] == s[i % unit];
    }
    if (repeated) return true;
  }
  return false;
}

absl::Status Invalid(absl::string_view what) {
  return status::InvalidField("new_password", absl::StrCat(what));
}

}  // namespace

void InitSodium() {
  static const bool kReady = [] {
    if (sodium_init() < 0) {
      // Without a working random source nothing here is safe.
      std::abort();
    }
    return true;
  }();
  (void)kReady;
}

absl::StatusOr<std::string> HashPassword(absl::string_view password,
                                         const Argon2Params& params) {
  InitSodium();
  const uint64_t mem_bytes = params.mem_kib * 1024;
  if (params.ops < crypto_pwhash_OPSLIMIT_MIN ||
      params.ops > crypto_pwhash_OPSLIMIT_MAX ||
      mem_bytes < crypto_pwhash_MEMLIMIT_MIN ||
      mem_bytes > crypto_pwhash_MEMLIMIT_MAX) {
    return absl::InvalidArgumentError(
        absl::StrCat("argon2 parameters out of range: t=", params.ops,
                     " m=", params.mem_kib, " KiB"));
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), params.ops,
                            static_cast<size_t>(mem_bytes),
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::InternalError("password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(absl::string_view hash, absl::string_view password) {
  InitSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  char str[crypto_pwhash_STRBYTES] = {};
  hash.copy(str, hash.size());
  return crypto_pwhash_str_verify(str, password.data(), password.size()) == 0;
}

bool NeedsRehash(absl::string_view hash, const Argon2Params& params) {
  InitSodium();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return true;
  char str[crypto_pwhash_STRBYTES] = {};
  hash.copy(str, hash.size());
  return crypto_pwhash_str_needs_rehash(
             str, params.ops, static_cast<size_t>(params.mem_kib * 1024)) != 0;
}

bool IsCommonPassword(absl::string_view password) {
  const std::string lower = absl::AsciiStrToLower(password);
  if (CommonPasswords().count(lower)) return true;
  absl::string_view base = lower;
  while (!base.empty() && IsTrailingJunk(base.back())) base.remove_suffix(1);
  if (!base.empty() && base.size() < lower.size() &&
      CommonPasswords().count(std::string(base))) {
    return true;
  }
  return IsRepeatedUnit(lower);
}

absl::Status CheckPasswordPolicy(absl::string_view password,
                                 absl::string_view email) {
  const int64_t length = text::Utf8CodePoints(password);
  if (length < 0) return Invalid("is not valid UTF-8");
  if (length < static_cast<int64_t>(kMinPasswordLength)) {
    return Invalid(
        absl::StrCat("must have at least ", kMinPasswordLength, " characters"));
  }
  if (length > static_cast<int64_t>(kMaxPasswordLength)) {
    return Invalid(
        absl::StrCat("must have at most ", kMaxPasswordLength, " characters"));
  }
  if (IsCommonPassword(password)) {
    return Invalid("is too common; choose a longer phrase of unrelated words");
  }
  const std::string lower = absl::AsciiStrToLower(password);
  const std::string lower_email = absl::AsciiStrToLower(email);
  const std::string local = lower_email.substr(0, lower_email.find('@'));
  if (!lower_email.empty() && (lower == lower_email || lower == local)) {
    return Invalid("must not be your email address");
  }
  return absl::OkStatus();
}

std::string GeneratePassword() {
  InitSodium();
  constexpr uint32_t kSize = sizeof(kAlphabet) - 1;
  while (true) {
    std::string out;
    out.reserve(kGeneratedPasswordLength);
    for (size_t i = 0; i < kGeneratedPasswordLength; ++i) {
      out.push_back(kAlphabet[randombytes_uniform(kSize)]);
    }
    if (CheckPasswordPolicy(out, "").ok()) return out;
  }
}

}  // namespace clinic::staff
