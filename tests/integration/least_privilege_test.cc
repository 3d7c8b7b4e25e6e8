// The services' database roles (services/common/db/roles.h), on a real
// PostgreSQL: the runtime role of a service can do its work and append to
// and read its audit trail, but cannot change or erase the trail in any
// way the issue names (UPDATE, DELETE, TRUNCATE, disabling its trigger,
// session_replication_role), cannot read another service's schema, and is
// no superuser, owns nothing and cannot bypass row security.
#include <pqxx/pqxx>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "services/appointments/pg_schema.h"
#include "services/common/audit/audit.h"
#include "services/common/db/pool.h"
#include "services/common/db/roles.h"
#include "services/common/testing/postgres.h"
#include "services/patients/pg_store.h"

namespace clinic::integration {
namespace {

// What `sql`, run as the connection's role, was refused with ("" if it ran).
std::string Refusal(const std::string& conninfo, const std::string& sql) {
  try {
    pqxx::connection c(conninfo);
    pqxx::work w(c);
    w.exec(sql);
    w.commit();
    return "";
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string One(const std::string& conninfo, const std::string& sql) {
  pqxx::connection c(conninfo);
  pqxx::nontransaction n(c);
  return n.exec(sql)[0][0].c_str();
}

class LeastPrivilegeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    admin_ = testing::NewTestDatabase();
    for (const std::string schema : {"appointments", "patients"}) {
      ASSERT_TRUE(db::SetUpServiceRoles(admin_, schema).ok());
      // Twice is harmless (every start runs it).
      ASSERT_TRUE(db::SetUpServiceRoles(admin_, schema).ok());
    }
    const db::ServiceRoles a = db::RolesFor("appointments");
    const db::ServiceRoles p = db::RolesFor("patients");
    ASSERT_TRUE(
        appointments::MigrateAppointments(db::AsRole(admin_, a.owner)).ok());
    ASSERT_TRUE(patients::MigratePatients(db::AsRole(admin_, p.owner)).ok());
    ASSERT_TRUE(
        db::GrantRuntime(db::AsRole(admin_, a.owner), "appointments", a.runtime)
            .ok());
    ASSERT_TRUE(
        db::GrantRuntime(db::AsRole(admin_, p.owner), "patients", p.runtime)
            .ok());
    app_ = db::AsRole(admin_, a.runtime);
  }

  std::string admin_, app_;
};

TEST_F(LeastPrivilegeTest, TheRuntimeRoleWorksAndAppendsToItsTrail) {
  db::PoolOptions o;
  o.conninfo = app_;
  db::Pool pool(o);
  audit::AuditLog log(&pool, "appointments.audit_events");
  audit::AuditContext ctx;
  ctx.actor = "staff/1";
  ctx.action = "clinic.appointments.v1.AppointmentService/GetAppointment";
  ASSERT_TRUE(log.RecordAlone(ctx, "appointments/1", "OK").ok());
  EXPECT_EQ(One(app_, "SELECT count(*) FROM appointments.audit_events"), "1");
  // Its own tables: read and write.
  EXPECT_EQ(Refusal(app_,
                    "INSERT INTO appointments.locations (display_name,"
                    " time_zone, slot_minutes) VALUES ('Here', 'UTC', 15)"),
            "");
  EXPECT_EQ(
      Refusal(app_, "UPDATE appointments.locations SET slot_minutes = 30"), "");
}

TEST_F(LeastPrivilegeTest, TheTrailCannotBeChangedOrErased) {
  EXPECT_TRUE(absl::StrContains(
      Refusal(app_, "UPDATE appointments.audit_events SET outcome = 'x'"),
      "permission denied"));
  EXPECT_TRUE(
      absl::StrContains(Refusal(app_, "DELETE FROM appointments.audit_events"),
                        "permission denied"));
  EXPECT_TRUE(
      absl::StrContains(Refusal(app_, "TRUNCATE appointments.audit_events"),
                        "permission denied"));
  EXPECT_TRUE(absl::StrContains(
      Refusal(app_,
              "ALTER TABLE appointments.audit_events DISABLE TRIGGER ALL"),
      "must be owner"));
  EXPECT_TRUE(absl::StrContains(
      Refusal(app_, "SET LOCAL session_replication_role = replica"),
      "permission denied"));
  EXPECT_TRUE(absl::StrContains(
      Refusal(app_, "DROP TABLE appointments.audit_events"), "must be owner"));
  // Nor the migrations' bookkeeping.
  EXPECT_TRUE(absl::StrContains(
      Refusal(app_, "DELETE FROM appointments.schema_migrations"),
      "permission denied"));
}

TEST_F(LeastPrivilegeTest, AnotherServicesSchemaIsClosed) {
  EXPECT_TRUE(
      absl::StrContains(Refusal(app_, "SELECT count(*) FROM patients.patients"),
                        "permission denied for schema patients"));
  EXPECT_TRUE(absl::StrContains(
      Refusal(db::AsRole(admin_, db::RolesFor("patients").runtime),
              "SELECT count(*) FROM appointments.appointments"),
      "permission denied for schema appointments"));
}

TEST_F(LeastPrivilegeTest, TheRuntimeRoleIsPlain) {
  EXPECT_EQ(
      One(app_,
          "SELECT rolsuper::text || rolbypassrls::text ||"
          " rolcreaterole::text || rolcreatedb::text || rolreplication::text"
          " FROM pg_roles WHERE rolname = current_user"),
      "falsefalsefalsefalsefalse");
  EXPECT_EQ(One(app_,
                "SELECT count(*) FROM pg_class WHERE relowner ="
                " (SELECT oid FROM pg_roles WHERE rolname = current_user)"),
            "0");
  EXPECT_EQ(One(app_,
                "SELECT count(*) FROM pg_namespace WHERE nspowner ="
                " (SELECT oid FROM pg_roles WHERE rolname = current_user)"),
            "0");
}

}  // namespace
}  // namespace clinic::integration
