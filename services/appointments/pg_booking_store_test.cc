#include "services/appointments/pg_booking_store.h"

#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/appointments/pg_catalog_store.h"
#include "services/appointments/pg_schema.h"
#include "services/common/db/pool.h"
#include "services/common/testing/postgres.h"

namespace clinic::appointments {
namespace {

constexpr char kTherapist[] = "staff/11111111-1111-4111-8111-111111111111";

class PgBookingStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conninfo_ = testing::NewTestDatabase();
    ASSERT_TRUE(MigrateAppointments(conninfo_).ok());
    db::PoolOptions o;
    o.conninfo = conninfo_;
    pool_ = std::make_unique<db::Pool>(o);
    store_ = std::make_unique<PgBookingStore>(pool_.get());
    // Bookings refer to a location and a type.
    PgCatalogStore catalog(pool_.get());
    v1::Location l;
    l.set_display_name("Boulder");
    l.set_time_zone("America/Denver");
    l.set_slot_minutes(15);
    auto created = catalog.CreateLocation(l, RequestKey{});
    ASSERT_TRUE(created.ok()) << created.status();
    location_ = *created;
    v1::AppointmentType t;
    t.set_display_name("Follow-up");
    t.mutable_duration()->set_seconds(45 * 60);
    t.set_active(true);
    auto type = catalog.CreateType(t, RequestKey{});
    ASSERT_TRUE(type.ok()) << type.status();
    type_ = *type;
    ASSERT_TRUE(absl::LoadTimeZone("America/Denver", &zone_));
  }
  Claim At(absl::Time start) {
    Claim c;
    c.therapist = kTherapist;
    c.location_id = location_.name().substr(10);
    c.type_id = type_.name().substr(17);
    c.start = start;
    c.end = start + absl::Minutes(45);
    c.buffer_after = absl::Minutes(15);
    c.zone = zone_;
    c.now = now_;
    return c;
  }
  std::string conninfo_;
  std::unique_ptr<db::Pool> pool_;
  std::unique_ptr<PgBookingStore> store_;
  v1::Location location_;
  v1::AppointmentType type_;
  absl::TimeZone zone_;
  absl::Time now_ = absl::FromUnixSeconds(1772000000);
};

TEST_F(PgBookingStoreTest, HoldBlocksUntilItExpires) {
  const absl::Time start = now_ + absl::Hours(24);
  auto hold = store_->Hold(At(start), now_ + absl::Minutes(5), RequestKey{});
  ASSERT_TRUE(hold.ok()) << hold.status();
  NewAppointment a;
  a.claim = At(start + absl::Minutes(30));
  a.patient = "patients/00000000-0000-4000-8000-000000000001";
  a.creator = "test";
  absl::StatusOr<v1::Appointment> booked = store_->Book(a, RequestKey{});
  EXPECT_EQ(booked.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(absl::StrContains(booked.status().message(), "held"));
  auto busy =
      store_->BusyIntervals({kTherapist}, now_, now_ + absl::Hours(48), now_);
  ASSERT_TRUE(busy.ok());
  EXPECT_EQ((*busy)[kTherapist].size(), 1u);
  a.claim.now = now_ + absl::Minutes(6);
  booked = store_->Book(a, RequestKey{});
  ASSERT_TRUE(booked.ok()) << booked.status();
  EXPECT_EQ(booked->state(), v1::APPOINTMENT_STATE_BOOKED);
  // Cancel frees the time.
  auto cancelled = store_->ChangeState(
      booked->name().substr(13), Verb::kCancel, "", "moved away",
      [](const v1::Appointment&) { return absl::OkStatus(); });
  ASSERT_TRUE(cancelled.ok()) << cancelled.status();
  EXPECT_EQ(cancelled->cancel_reason(), "moved away");
  busy = store_->BusyIntervals({kTherapist}, now_, now_ + absl::Hours(48),
                               now_ + absl::Minutes(6));
  EXPECT_TRUE((*busy)[kTherapist].empty());
}

TEST_F(PgBookingStoreTest, ExclusionConstraintHoldsEvenWithoutTheService) {
  pqxx::connection c(conninfo_);
  pqxx::work w(c);
  const std::string insert =
      "INSERT INTO appointments.appointments (patient, therapist, location_id,"
      " type_id, start_time, end_time, buffered_range, creator) VALUES ($1, "
      "$2, $3::uuid, $4::uuid, $5::timestamptz, $6::timestamptz, "
      "tstzrange($5::timestamptz, $6::timestamptz), 'sql')";
  w.exec_params(insert, "patients/a", kTherapist, location_.name().substr(10),
                type_.name().substr(17), "2026-05-01 09:00Z",
                "2026-05-01 10:00Z");
  EXPECT_THROW(
      w.exec_params(insert, "patients/b", kTherapist,
                    location_.name().substr(10), type_.name().substr(17),
                    "2026-05-01 09:30Z", "2026-05-01 10:30Z"),
      pqxx::sql_error);
}

}  // namespace
}  // namespace clinic::appointments
