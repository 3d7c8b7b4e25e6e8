#include "services/appointments/pg_catalog_store.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/appointments/pg_schema.h"
#include "services/common/db/pool.h"
#include "services/common/testing/postgres.h"

namespace clinic::appointments {
namespace {

constexpr char kTherapist[] = "staff/11111111-1111-4111-8111-111111111111";

class PgCatalogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conninfo_ = testing::NewTestDatabase();
    ASSERT_TRUE(MigrateAppointments(conninfo_).ok());
    // Migrating twice is a no-op.
    ASSERT_TRUE(MigrateAppointments(conninfo_).ok());
    db::PoolOptions o;
    o.conninfo = conninfo_;
    pool_ = std::make_unique<db::Pool>(o);
    store_ = std::make_unique<PgCatalogStore>(pool_.get());
    v1::Location l;
    l.set_display_name("Boulder");
    l.set_time_zone("America/Denver");
    l.set_slot_minutes(15);
    l.add_address_lines("1 Pearl St");
    auto created = store_->CreateLocation(l, RequestKey{});
    ASSERT_TRUE(created.ok()) << created.status();
    location_ = *created;
    v1::AppointmentType t;
    t.set_display_name("Follow-up");
    t.mutable_duration()->set_seconds(45 * 60);
    t.set_active(true);
    auto type = store_->CreateType(t, RequestKey{});
    ASSERT_TRUE(type.ok()) << type.status();
    type_ = *type;
  }
  std::string conninfo_;
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<PgCatalogStore> store_;
  v1::Location location_;
  v1::AppointmentType type_;
};

TEST_F(PgCatalogStoreTest, LocationAndTypeRoundTrip) {
  auto got = store_->GetLocation(location_.name().substr(10));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->address_lines(0), "1 Pearl St");
  EXPECT_EQ(got->etag(), "1");
  auto type = store_->GetType(type_.name().substr(17));
  ASSERT_TRUE(type.ok());
  EXPECT_EQ(type->duration().seconds(), 45 * 60);
  EXPECT_TRUE(type->active());
  EXPECT_EQ(store_->GetLocation("99999999-9999-4999-8999-999999999999")
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(PgCatalogStoreTest, ScheduleEtagAndCredentials) {
  auto empty = store_->GetSchedule(kTherapist);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->schedule.etag(), "");
  EXPECT_FALSE(empty->credentials.has_value());
  v1::ProviderSchedule s;
  s.set_name(std::string(kTherapist) + "/schedule");
  auto saved =
      store_->SaveSchedule(kTherapist, s, {location_.name().substr(10)});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->etag(), "1");
  // Saving again without the etag is refused.
  EXPECT_EQ(store_->SaveSchedule(kTherapist, s, {}).status().code(),
            absl::StatusCode::kAborted);
  ASSERT_TRUE(
      store_->SetCredentials(kTherapist, std::vector<std::string>{"PT"}).ok());
  auto at = store_->ListSchedulesAt({location_.name().substr(10)});
  ASSERT_TRUE(at.ok());
  ASSERT_EQ(at->size(), 1u);
  EXPECT_EQ(*(*at)[0].credentials, std::vector<std::string>{"PT"});
}

}  // namespace
}  // namespace clinic::appointments
