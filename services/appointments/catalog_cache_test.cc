#include "services/appointments/catalog_cache.h"

#include "gtest/gtest.h"

namespace clinic::appointments {
namespace {

// Counts reads; answers with a type whose display name says how many.
class CountingCatalog : public CatalogStore {
 public:
  int reads = 0;
  bool fail = false;

  absl::StatusOr<v1::AppointmentType> GetType(const std::string& id) override {
    ++reads;
    if (fail) return absl::UnavailableError("database unavailable");
    v1::AppointmentType t;
    t.set_name("appointmentTypes/" + id);
    t.set_display_name(absl::StrCat("v", reads));
    return t;
  }
  absl::StatusOr<v1::AppointmentType> UpdateType(
      const std::string& id, const v1::AppointmentType& type) override {
    return type;
  }
  absl::StatusOr<ScheduleRecord> GetSchedule(
      const std::string& therapist) override {
    ++reads;
    ScheduleRecord r;
    r.therapist = therapist;
    return r;
  }
  absl::StatusOr<std::vector<ScheduleRecord>> ListSchedulesAt(
      const std::vector<std::string>& ids) override {
    ++reads;
    return std::vector<ScheduleRecord>(ids.size());
  }
  absl::StatusOr<v1::ProviderSchedule> SaveSchedule(
      const std::string&, const v1::ProviderSchedule& s,
      const std::vector<std::string>&) override {
    return s;
  }
  absl::Status SetCredentials(
      const std::string&,
      const std::optional<std::vector<std::string>>&) override {
    return absl::OkStatus();
  }
  absl::StatusOr<v1::Location> GetLocation(const std::string&) override {
    ++reads;
    return v1::Location();
  }
  absl::StatusOr<PageOf<v1::Location>> ListLocations(const Page&) override {
    return PageOf<v1::Location>();
  }
  absl::StatusOr<v1::Location> CreateLocation(const v1::Location& l,
                                              const RequestKey&) override {
    return l;
  }
  absl::StatusOr<v1::Location> UpdateLocation(const std::string&,
                                              const v1::Location& l) override {
    return l;
  }
  absl::StatusOr<PageOf<v1::AppointmentType>> ListTypes(const Page&,
                                                        bool) override {
    return PageOf<v1::AppointmentType>();
  }
  absl::StatusOr<v1::AppointmentType> CreateType(const v1::AppointmentType& t,
                                                 const RequestKey&) override {
    return t;
  }
};

class CatalogCacheTest : public ::testing::Test {
 protected:
  CountingCatalog base_;
  absl::Time now_ = absl::FromUnixSeconds(1'700'000'000);
  CachingCatalogStore cache_{&base_, absl::Seconds(2), [this] { return now_; }};
};

TEST_F(CatalogCacheTest, ReadsOnceWithinTheTtlAndAgainAfterIt) {
  EXPECT_EQ(cache_.GetType("t")->display_name(), "v1");
  EXPECT_EQ(cache_.GetType("t")->display_name(), "v1");
  EXPECT_EQ(base_.reads, 1);
  now_ += absl::Seconds(2);
  EXPECT_EQ(cache_.GetType("t")->display_name(), "v2");
  EXPECT_EQ(base_.reads, 2);
}

TEST_F(CatalogCacheTest, AWriteThroughItIsSeenAtOnce) {
  EXPECT_EQ(cache_.GetType("t")->display_name(), "v1");
  ASSERT_TRUE(cache_.UpdateType("t", v1::AppointmentType()).ok());
  EXPECT_EQ(cache_.GetType("t")->display_name(), "v2");

  ASSERT_TRUE(cache_.GetSchedule("staff/1").ok());
  ASSERT_TRUE(cache_.ListSchedulesAt({"a", "b"}).ok());
  const int reads = base_.reads;
  ASSERT_TRUE(cache_.SaveSchedule("staff/1", {}, {}).ok());
  ASSERT_TRUE(cache_.GetSchedule("staff/1").ok());
  ASSERT_TRUE(cache_.ListSchedulesAt({"a", "b"}).ok());
  EXPECT_EQ(base_.reads, reads + 2);
  ASSERT_TRUE(cache_.SetCredentials("staff/1", std::nullopt).ok());
  ASSERT_TRUE(cache_.ListSchedulesAt({"a", "b"}).ok());
  EXPECT_EQ(base_.reads, reads + 3);
}

TEST_F(CatalogCacheTest, ErrorsAreNotCached) {
  base_.fail = true;
  EXPECT_FALSE(cache_.GetType("t").ok());
  base_.fail = false;
  EXPECT_TRUE(cache_.GetType("t").ok());
  EXPECT_EQ(base_.reads, 2);
}

TEST_F(CatalogCacheTest, ZeroTtlCachesNothing) {
  CachingCatalogStore off(&base_, absl::ZeroDuration());
  ASSERT_TRUE(off.GetType("t").ok());
  ASSERT_TRUE(off.GetType("t").ok());
  EXPECT_EQ(base_.reads, 2);
}

}  // namespace
}  // namespace clinic::appointments
