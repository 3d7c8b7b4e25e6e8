#include "services/common/db/idempotency.h"

#include <pqxx/pqxx>

#include "gtest/gtest.h"
#include "services/common/status/errors.h"
#include "services/common/testing/postgres.h"

namespace clinic::db {
namespace {

class RequestLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    conninfo_ = testing::NewTestDatabase();
    conn_ = std::make_unique<pqxx::connection>(conninfo_);
    pqxx::work w(*conn_);
    w.exec(
        "CREATE SCHEMA demo;"
        "CREATE TABLE demo.requests (method text NOT NULL, request_id text "
        "NOT NULL, fingerprint bytea NOT NULL, result text NOT NULL, "
        "create_time timestamptz NOT NULL DEFAULT now(), PRIMARY KEY "
        "(method, request_id))");
    w.commit();
  }
  std::string conninfo_;
  std::unique_ptr<pqxx::connection> conn_;
  RequestLog log_{"demo"};
};

TEST_F(RequestLogTest, ReplaysTheFirstAnswerAndRefusesAnotherBody) {
  const RequestKey key{"CreateThing", "req-1", "body-A"};
  {
    pqxx::work w(*conn_);
    auto found = log_.Find(w, key);
    ASSERT_TRUE(found.ok()) << found.status();
    EXPECT_FALSE(found->has_value());
    log_.Save(w, key, "things/1");
    w.commit();
  }
  {
    pqxx::work w(*conn_);
    auto found = log_.Find(w, key);
    ASSERT_TRUE(found.ok());
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ(**found, "things/1");
  }
  {
    pqxx::work w(*conn_);
    auto other = log_.Find(w, RequestKey{"CreateThing", "req-1", "body-B"});
    EXPECT_EQ(other.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(status::FieldViolationsOf(other.status()).at(0).field,
              "request_id");
  }
  {
    // Another method may use the same request_id.
    pqxx::work w(*conn_);
    auto found = log_.Find(w, RequestKey{"UpdateThing", "req-1", "body-B"});
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(found->has_value());
  }
}

TEST_F(RequestLogTest, WithoutARequestIdNothingIsLockedOrSaved) {
  pqxx::work w(*conn_);
  const RequestKey key{"CreateThing", "", "body"};
  auto found = log_.Find(w, key);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());
  log_.Save(w, key, "things/2");
  EXPECT_EQ(w.exec1("SELECT count(*) FROM demo.requests")[0].as<int>(), 0);
}

TEST_F(RequestLogTest, ASecondCallerWaitsForTheFirstToCommit) {
  const RequestKey key{"CreateThing", "req-9", "body"};
  pqxx::connection other(conninfo_);
  pqxx::work first(*conn_);
  ASSERT_TRUE(log_.Find(first, key).ok());
  // The second transaction cannot take the lock while the first holds it.
  pqxx::work second(other);
  second.exec("SET LOCAL lock_timeout = '200ms'");
  EXPECT_THROW(log_.Find(second, key).IgnoreError(), pqxx::sql_error);
}

}  // namespace
}  // namespace clinic::db
