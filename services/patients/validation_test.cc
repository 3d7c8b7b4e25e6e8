#include "services/patients/validation.h"

#include "gtest/gtest.h"

namespace clinic::patients {
namespace {

using v1::Patient;

ValidationContext Context() {
  // 2026-06-15 12:00 UTC.
  return ValidationContext{
      absl::FromCivil(absl::CivilSecond(2026, 6, 15, 12, 0, 0),
                      absl::UTCTimeZone()),
      "US"};
}

Patient Valid() {
  Patient p;
  p.set_given_name("  Jane ");
  p.set_family_name("Runner");
  p.mutable_birth_date()->set_year(1990);
  p.mutable_birth_date()->set_month(4);
  p.mutable_birth_date()->set_day(2);
  p.set_email("Jane@Example.com");
  p.set_phone("415 555 0132");
  return p;
}

// The message of validating `p`, or "" if valid.
std::string Error(Patient p) {
  absl::Status s = NormalizeAndValidatePatient(Context(), "patient", p);
  if (s.ok()) return "";
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  return std::string(s.message());
}

TEST(ValidationTest, NormalizesAValidPatient) {
  Patient p = Valid();
  p.set_name("patients/ignored");
  p.set_etag("7");
  ASSERT_TRUE(NormalizeAndValidatePatient(Context(), "patient", p).ok());
  EXPECT_EQ(p.given_name(), "Jane");
  EXPECT_EQ(p.email(), "Jane@example.com");
  EXPECT_EQ(p.phone(), "+14155550132");
  EXPECT_EQ(p.name(), "");  // output only
  EXPECT_EQ(p.etag(), "");
}

TEST(ValidationTest, NamesAreRequiredAndBounded) {
  Patient p = Valid();
  p.set_given_name("   ");
  EXPECT_EQ(Error(p), "patient.given_name: is required");
  p = Valid();
  p.clear_family_name();
  EXPECT_EQ(Error(p), "patient.family_name: is required");
  p = Valid();
  p.set_family_name(std::string(101, 'x'));
  EXPECT_EQ(Error(p), "patient.family_name: longer than 100 characters");
  p = Valid();
  p.set_given_name("Ann\x01");
  EXPECT_EQ(Error(p),
            "patient.given_name: must not contain control characters");
}

TEST(ValidationTest, BirthDateMustBeRealPastAndAfter1900) {
  Patient p = Valid();
  p.clear_birth_date();
  EXPECT_EQ(Error(p), "patient.birth_date: is required");
  p = Valid();
  p.mutable_birth_date()->set_year(2027);
  EXPECT_EQ(Error(p), "patient.birth_date: must not be in the future");
  p = Valid();
  p.mutable_birth_date()->set_year(1899);
  EXPECT_EQ(Error(p), "patient.birth_date: must not be before 1900-01-01");
  p = Valid();
  p.mutable_birth_date()->set_month(2);
  p.mutable_birth_date()->set_day(30);
  EXPECT_EQ(Error(p), "patient.birth_date: 1990-02-30 is not a calendar date");
  p = Valid();
  p.mutable_birth_date()->set_month(13);
  EXPECT_NE(Error(p), "");
  // Today is allowed (a newborn), and "today" in UTC+14 too.
  p = Valid();
  p.mutable_birth_date()->set_year(2026);
  p.mutable_birth_date()->set_month(6);
  p.mutable_birth_date()->set_day(16);
  EXPECT_EQ(Error(p), "");
}

TEST(ValidationTest, ContactDetails) {
  Patient p = Valid();
  p.set_email("not-an-email");
  EXPECT_EQ(Error(p).rfind("patient.email: not a valid email address", 0), 0u)
      << Error(p);
  p = Valid();
  p.set_phone("no digits");
  EXPECT_EQ(Error(p).rfind("patient.phone: ", 0), 0u);
  p = Valid();
  p.set_phone("");
  p.set_preferred_contact_method(v1::CONTACT_METHOD_SMS);
  EXPECT_EQ(Error(p), "patient.preferred_contact_method: needs a phone number");
  p = Valid();
  p.mutable_emergency_contact()->set_phone("x");
  EXPECT_EQ(Error(p).rfind("patient.emergency_contact.phone: ", 0), 0u);
  p = Valid();
  p.mutable_address()->set_country_code("USA");
  EXPECT_EQ(Error(p).rfind("patient.address.country_code: ", 0), 0u);
  p = Valid();
  p.mutable_address()->set_postal_code(std::string(201, '9'));
  EXPECT_EQ(Error(p),
            "patient.address.postal_code: longer than 200 characters");
}

TEST(ValidationTest, UnknownEnumValuesAreRefused) {
  Patient p = Valid();
  p.set_sex_at_birth(static_cast<v1::SexAtBirth>(42));
  EXPECT_EQ(Error(p), "patient.sex_at_birth: unknown value 42");
  p = Valid();
  p.set_preferred_contact_method(static_cast<v1::ContactMethod>(-1));
  EXPECT_EQ(Error(p), "patient.preferred_contact_method: unknown value -1");
}

TEST(ValidationTest, NotesKeepNewlinesButAreBounded) {
  Patient p = Valid();
  p.set_notes("line one\nline two");
  EXPECT_EQ(Error(p), "");
  p.set_notes(std::string(4001, 'n'));
  EXPECT_EQ(Error(p), "patient.notes: longer than 4000 characters");
}

TEST(ParsePatientNameTest, AcceptsOnlyPatientsSlashUuid) {
  EXPECT_EQ(*ParsePatientName("name",
                              "patients/0A1B2C3D-0000-4000-8000-00000000000F"),
            "0a1b2c3d-0000-4000-8000-00000000000f");
  EXPECT_EQ(ParsePatientName("name", "").status().message(),
            "name: is required");
  for (const char* bad :
       {"patients/1", "staff/0a1b2c3d-0000-4000-8000-000000000000",
        "patients/0a1b2c3d-0000-4000-8000-00000000000g",
        "patients/0a1b2c3d00000-4000-8000-000000000000"}) {
    EXPECT_EQ(ParsePatientName("name", bad).status().message(),
              "name: must look like patients/{uuid}")
        << bad;
  }
}

}  // namespace
}  // namespace clinic::patients
