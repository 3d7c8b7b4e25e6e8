// Passwords: argon2id hashing (libsodium), the password policy and generated
// passwords. Pure: no I/O besides the system's random source.
#ifndef CLINIC_SERVICES_STAFF_PASSWORDS_H_
#define CLINIC_SERVICES_STAFF_PASSWORDS_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace clinic::staff {

// argon2id cost. libsodium always uses one lane (p=1). The defaults are
// OWASP's minimum for argon2id (m=19 MiB, t=2, p=1).
struct Argon2Params {
  uint64_t ops = 2;          // iterations (t)
  uint64_t mem_kib = 19456;  // memory in KiB (m)
};

// Password length limits, in Unicode code points.
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordLength = 256;

// The encoded hash, "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>", with a
// fresh random salt. The password is hashed whole (never truncated).
// INVALID_ARGUMENT if the parameters are out of libsodium's range, INTERNAL
// if memory runs out.
absl::StatusOr<std::string> HashPassword(absl::string_view password,
                                         const Argon2Params& params);

// True if `password` matches `hash` (a string from HashPassword, with
// whatever parameters it was made with). False for a malformed hash.
bool VerifyPassword(absl::string_view hash, absl::string_view password);

// True if `hash` was made with other parameters than `params` (or is not a
// valid argon2id hash): it should be replaced after a successful login.
bool NeedsRehash(absl::string_view hash, const Argon2Params& params);

// The policy for a new password: 12 to 256 code points of valid UTF-8, not
// a common password (IsCommonPassword), not the email or its local part
// (case-insensitively). INVALID_ARGUMENT "new_password: ..." otherwise.
absl::Status CheckPasswordPolicy(absl::string_view password,
                                 absl::string_view email);

// True if `password`, lower-cased, is on the embedded list of common
// passwords (common_passwords.txt), also after removing trailing digits and
// symbols ("Password123!" -> "password"), or is a short unit repeated
// ("aaaaaaaaaaaa", "abcabcabcabc").
bool IsCommonPassword(absl::string_view password);

// A random password of kGeneratedPasswordLength characters from an
// alphabet without look-alikes (no 0/O, 1/l/I); about 116 bits. Always
// passes CheckPasswordPolicy.
inline constexpr size_t kGeneratedPasswordLength = 20;
std::string GeneratePassword();

// Calls sodium_init() once (thread-safe); every function above does.
void InitSodium();

}  // namespace clinic::staff

#endif  // CLINIC_SERVICES_STAFF_PASSWORDS_H_
