#include "services/common/db/request_key.h"

#include "clinic/patients/v1/patients.pb.h"
#include "gtest/gtest.h"

namespace clinic::db {
namespace {

TEST(RequestKeyTest, HexEncodesEveryByte) {
  EXPECT_EQ(HexEncode(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(RequestKeyTest, SameMessageSameBytesAndFieldsMatter) {
  patients::v1::Patient a;
  a.set_given_name("Jane");
  a.set_family_name("Runner");
  patients::v1::Patient b;
  b.set_family_name("Runner");  // set in another order
  b.set_given_name("Jane");
  EXPECT_EQ(DeterministicBytes(a), DeterministicBytes(b));
  EXPECT_EQ(DeterministicBytes(a), a.SerializeAsString());
  b.set_given_name("Janet");
  EXPECT_NE(DeterministicBytes(a), DeterministicBytes(b));
}

}  // namespace
}  // namespace clinic::db
