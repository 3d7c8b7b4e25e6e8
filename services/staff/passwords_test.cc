#include "services/staff/passwords.h"

#include <set>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/common/text/text.h"

namespace clinic::staff {
namespace {

constexpr char kPrefix[] = "$argon2id$v=19$m=19456,t=2,p=1$";

TEST(PasswordsTest, HashHasTheArgon2idFormatWithDefaultParameters) {
  absl::StatusOr<std::string> hash =
      HashPassword("a long enough passphrase", Argon2Params{});
  ASSERT_TRUE(hash.ok()) << hash.status();
  EXPECT_TRUE(absl::StartsWith(*hash, kPrefix)) << *hash;
}

TEST(PasswordsTest, VerifiesTheRightPasswordOnly) {
  absl::StatusOr<std::string> hash =
      HashPassword("plum orchard at dawn", Argon2Params{});
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, "plum orchard at dawn"));
  EXPECT_FALSE(VerifyPassword(*hash, "plum orchard at dusk"));
  EXPECT_FALSE(VerifyPassword(*hash, ""));
  EXPECT_FALSE(VerifyPassword("", "plum orchard at dawn"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "plum orchard at dawn"));
}

TEST(PasswordsTest, SamePasswordTwiceGivesDifferentHashes) {
  absl::StatusOr<std::string> a = HashPassword("same password!", {});
  absl::StatusOr<std::string> b = HashPassword("same password!", {});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_TRUE(VerifyPassword(*a, "same password!"));
  EXPECT_TRUE(VerifyPassword(*b, "same password!"));
}

TEST(PasswordsTest, NeedsRehashWhenParametersRise) {
  absl::StatusOr<std::string> hash = HashPassword("plum orchard at dawn", {});
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(NeedsRehash(*hash, Argon2Params{}));
  EXPECT_TRUE(NeedsRehash(*hash, Argon2Params{3, 19456}));
  EXPECT_TRUE(NeedsRehash(*hash, Argon2Params{2, 47104}));
  EXPECT_TRUE(NeedsRehash("not a hash", Argon2Params{}));
  absl::StatusOr<std::string> stronger =
      HashPassword("plum orchard at dawn", Argon2Params{3, 19456});
  ASSERT_TRUE(stronger.ok());
  EXPECT_TRUE(absl::StartsWith(*stronger, "$argon2id$v=19$m=19456,t=3,p=1$"));
  EXPECT_FALSE(NeedsRehash(*stronger, Argon2Params{3, 19456}));
}

TEST(PasswordsTest, RefusesParametersOutOfRange) {
  EXPECT_EQ(HashPassword("x", Argon2Params{0, 19456}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PasswordsTest, LongPassphraseIsHashedWhole) {
  std::string passphrase;
  while (passphrase.size() < 200) passphrase += "walnut ledger tide ";
  passphrase.resize(200);
  ASSERT_EQ(text::Utf8CodePoints(passphrase), 200);
  EXPECT_TRUE(CheckPasswordPolicy(passphrase, "a@example.com").ok());
  absl::StatusOr<std::string> hash = HashPassword(passphrase, {});
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(VerifyPassword(*hash, passphrase));
  EXPECT_FALSE(VerifyPassword(*hash, passphrase.substr(0, 199)));
  EXPECT_FALSE(VerifyPassword(*hash, passphrase + "x"));
}

TEST(PasswordsTest, PolicyCountsCodePointsNotBytes) {
  EXPECT_EQ(CheckPasswordPolicy("elevenchars", "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CheckPasswordPolicy("elevenchars", "").message(),
            "new_password: must have at least 12 characters");
  EXPECT_TRUE(CheckPasswordPolicy("twelve chars", "").ok());
  // 11 code points, 22 bytes: too short.
  EXPECT_FALSE(CheckPasswordPolicy("ééééééééééé", "").ok());
  EXPECT_TRUE(CheckPasswordPolicy("éééééé ééééé", "").ok());
  EXPECT_TRUE(
      CheckPasswordPolicy(std::string(256, 'k').replace(0, 3, "abc"), "").ok());
  EXPECT_EQ(CheckPasswordPolicy(std::string(257, 'k').replace(0, 3, "abc"), "")
                .message(),
            "new_password: must have at most 256 characters");
  EXPECT_EQ(CheckPasswordPolicy("bad utf8 \xff\xfe here", "").message(),
            "new_password: is not valid UTF-8");
}

TEST(PasswordsTest, CommonPasswordsAreRefusedCaseInsensitively) {
  for (const char* p :
       {"password1234", "PASSWORD1234", "Password123!", "qwertyuiop123",
        "123456789012", "iloveyou2024!", "correcthorsebatterystaple",
        "aaaaaaaaaaaa", "abcabcabcabc", "Physiotherapy1"}) {
    absl::Status s = CheckPasswordPolicy(p, "");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << p;
    EXPECT_TRUE(absl::StartsWith(s.message(), "new_password: is too common"))
        << p << ": " << s;
  }
  EXPECT_TRUE(CheckPasswordPolicy("cedar kettle grumble", "").ok());
}

TEST(PasswordsTest, EmailAndItsLocalPartAreRefused) {
  EXPECT_EQ(
      CheckPasswordPolicy("Jane.Runner@Example.com", "jane.runner@example.com")
          .message(),
      "new_password: must not be your email address");
  EXPECT_FALSE(
      CheckPasswordPolicy("JANE.RUNNER.PT", "jane.runner.pt@example.com").ok());
  EXPECT_TRUE(
      CheckPasswordPolicy("jane.runner.pt!x", "jane.runner.pt@example.com")
          .ok());
}

TEST(PasswordsTest, GeneratedPasswordsPassThePolicyAndDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string p = GeneratePassword();
    EXPECT_EQ(p.size(), kGeneratedPasswordLength);
    EXPECT_TRUE(CheckPasswordPolicy(p, "someone@example.com").ok()) << p;
    for (char c : p)
      EXPECT_EQ(std::string("0O1lIio").find(c), std::string::npos);
    seen.insert(p);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace clinic::staff
