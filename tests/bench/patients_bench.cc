// ./clinic bench: patient search through the patients service over gRPC,
// against the same query sent straight to PostgreSQL in the same run.
//
// Data: 20,000 patients in a throwaway cluster. Each service call also
// writes its audit event (in the same transaction), as in production. Figures:
// Google Benchmark's table, then one line per pair: the service's time as a
// ratio of the baseline's (1.0 would mean the service adds nothing to the
// database).
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <map>
#include <pqxx/pqxx>

#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/server/server.h"
#include "services/common/testing/postgres.h"
#include "services/patients/pg_store.h"
#include "services/patients/service.h"

namespace clinic {
namespace {

struct World {
  server::CallerVerifier verifier{"bench-secret"};
  std::string conninfo;
  std::unique_ptr<db::Pool> pool;
  std::unique_ptr<patients::PgPatientStore> store;
  std::unique_ptr<patients::PatientServiceImpl> service;
  std::unique_ptr<server::Server> server;
  std::unique_ptr<patients::v1::PatientService::Stub> stub;
};

World& TheWorld() {
  static World* w = [] {
    auto* w = new World;
    w->conninfo = testing::NewTestDatabase();
    if (!patients::MigratePatients(w->conninfo).ok()) std::abort();
    {
      pqxx::connection c(w->conninfo);
      pqxx::work t(c);
      t.exec(
          "INSERT INTO patients.patients (given_name, family_name, birth_date,"
          " email, phone) "
          "SELECT (ARRAY['Jane','Maya','Tom','Lucia','Grace','Sam','Priya',"
          "'Daniel'])[1 + i % 8] || i, "
          "(ARRAY['Smith','Okafor','Reyes','Becker','Kim','Schulz','Adeyemi',"
          "'Fernandez','Natarajan','Miller'])[1 + (i / 8) % 10] || (i % 97), "
          "DATE '1940-01-01' + (i * 7919) % 30000, 'p' || i || '@example.com',"
          " '+1303555' || lpad((i % 10000)::text, 4, '0') "
          "FROM generate_series(1, 20000) i");
      t.exec("ANALYZE patients.patients");
      t.commit();
    }
    db::PoolOptions o;
    o.conninfo = w->conninfo;
    w->pool = std::make_unique<db::Pool>(o);
    w->store = std::make_unique<patients::PgPatientStore>(w->pool.get());
    w->service = std::make_unique<patients::PatientServiceImpl>(
        w->store.get(), &w->verifier, patients::PatientServiceOptions{});
    w->server = *server::Server::Start(
        server::ServerOptions{},
        {{w->service.get(),
          patients::v1::PatientService::service_full_name()}});
    w->stub = patients::v1::PatientService::NewStub(
        server::NewChannel(absl::StrCat("127.0.0.1:", w->server->port())));
    return w;
  }();
  return *w;
}

// A call as the gateway makes it: the secret and a front-desk caller.
std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = server::NewCallContext(absl::Seconds(5));
  server::Caller caller;
  caller.staff = "staff/00000000-0000-4000-8000-000000000001";
  caller.roles = {api::v1::STAFF_ROLE_FRONT_DESK};
  TheWorld().verifier.Forward(caller, *ctx);
  return ctx;
}

// Baseline: the prefix query the store runs, straight over libpq.
void BM_Baseline_SqlNamePrefix(benchmark::State& state) {
  pqxx::connection c(TheWorld().conninfo);
  for (auto _ : state) {
    pqxx::work t(c);
    // The query shape pg_store.cc runs for a name prefix.
    pqxx::result r = t.exec_params(
        "WITH m AS MATERIALIZED (SELECT * FROM patients.patients WHERE "
        "state = 1 AND (lower(family_name) LIKE lower($1) || '%' OR "
        "lower(given_name) LIKE lower($1) || '%' OR (preferred_name <> '' "
        "AND lower(preferred_name) LIKE lower($1) || '%') OR "
        "lower(given_name || ' ' || family_name) LIKE lower($1) || '%')) "
        "SELECT * FROM m ORDER BY lower(family_name), lower(given_name), id "
        "LIMIT 51",
        "smith1");
    benchmark::DoNotOptimize(r.size());
    t.commit();
  }
}
BENCHMARK(BM_Baseline_SqlNamePrefix)->UseRealTime();

void BM_Service_ListPatientsNamePrefix(benchmark::State& state) {
  patients::v1::ListPatientsRequest req;
  req.set_name_prefix("smith1");
  for (auto _ : state) {
    patients::v1::ListPatientsResponse resp;
    auto ctx = Ctx();
    grpc::Status s = TheWorld().stub->ListPatients(ctx.get(), req, &resp);
    if (!s.ok()) state.SkipWithError(s.error_message().c_str());
    benchmark::DoNotOptimize(resp.patients_size());
  }
}
BENCHMARK(BM_Service_ListPatientsNamePrefix)->UseRealTime();

void BM_Baseline_SqlByEmail(benchmark::State& state) {
  pqxx::connection c(TheWorld().conninfo);
  for (auto _ : state) {
    pqxx::work t(c);
    pqxx::result r = t.exec_params(
        "SELECT * FROM patients.patients WHERE state = 1 AND email <> '' AND "
        "lower(email) = lower($1) ORDER BY lower(family_name), "
        "lower(given_name), id LIMIT 51",
        "p12345@example.com");
    benchmark::DoNotOptimize(r.size());
    t.commit();
  }
}
BENCHMARK(BM_Baseline_SqlByEmail)->UseRealTime();

void BM_Service_ListPatientsByEmail(benchmark::State& state) {
  patients::v1::ListPatientsRequest req;
  req.set_email("P12345@example.com");
  for (auto _ : state) {
    patients::v1::ListPatientsResponse resp;
    auto ctx = Ctx();
    grpc::Status s = TheWorld().stub->ListPatients(ctx.get(), req, &resp);
    if (!s.ok() || resp.patients_size() != 1) state.SkipWithError("no match");
  }
}
BENCHMARK(BM_Service_ListPatientsByEmail)->UseRealTime();

// Records each benchmark's time per iteration for the ratio lines.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      times_[r.benchmark_name()] = r.GetAdjustedRealTime();
    }
  }
  void PrintRatio(const std::string& service, const std::string& baseline) {
    if (!times_.count(service) || !times_.count(baseline)) return;
    std::printf("ratio %-36s / %-28s = %.2f\n", service.c_str(),
                baseline.c_str(), times_[service] / times_[baseline]);
  }

 private:
  std::map<std::string, double> times_;
};

}  // namespace
}  // namespace clinic

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  // As durable as ./clinic up's cluster: the service's calls write an audit
  // event each, and must not be flattered by fsync=off.
  clinic::testing::PostgresCluster::UseDurableSettings();
  clinic::TheWorld();  // set up before timing
  clinic::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatio("BM_Service_ListPatientsNamePrefix/real_time",
                      "BM_Baseline_SqlNamePrefix/real_time");
  reporter.PrintRatio("BM_Service_ListPatientsByEmail/real_time",
                      "BM_Baseline_SqlByEmail/real_time");
  return 0;
}
