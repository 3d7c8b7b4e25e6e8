// ./clinic bench: scheduling at the size of a busy practice, through the
// real gateway (HTTP, Connect JSON, sessions) and the appointments service
// on PostgreSQL, all on this machine.
//
// Data: 4 locations, 40 therapists (10 per location, Mon-Fri 08:00-17:00
// with a lunch hour, America/Denver), 8 weeks of 45-minute follow-ups with a
// 15-minute buffer at 80% occupancy (about 10,000 appointments).
//
// 1. FindAvailableSlots, one location, one type, 14 days: median and p99
//    latency over sequential calls on one keep-alive connection, beside the
//    same-run baseline of the SQL the service needs for it (the location's
//    therapists' busy intervals for the 14 days) sent straight to PostgreSQL.
// 2. Booking throughput with 16 concurrent clients through the gateway
//    (each its own keep-alive connection and session), beside pgbench
//    driving the same INSERT into appointments.appointments (with its
//    exclusion constraints) with 16 clients in the same run.
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/testing/postgres.h"
#include "services/gateway/test_http_client.h"
#include "tests/integration/system.h"

namespace clinic::bench {
namespace {

using gateway::testing::HttpConnection;
using gateway::testing::HttpRequest;
using gateway::testing::HttpResponse;
using integration::Field;
using integration::System;

constexpr int kLocations = 4;
constexpr int kTherapistsPerLocation = 10;
constexpr int kWeeks = 8;
constexpr double kOccupancy = 0.8;
constexpr int kClients = 16;
constexpr char kZone[] = "America/Denver";

HttpRequest Rpc(const std::string& method, const std::string& json,
                const std::string& cookie) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/clinic.appointments.v1." + method;
  r.headers = {{"Content-Type", "application/json"}, {"Cookie", cookie}};
  r.body = json;
  return r;
}

std::string Must(const HttpResponse& r, const char* what) {
  if (r.status != 200) {
    std::fprintf(stderr, "%s failed: %d %s\n", what, r.status, r.body.c_str());
    std::exit(1);
  }
  return r.body;
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

std::string DateJson(absl::CivilDay d) {
  return absl::StrFormat(R"({"year":%d,"month":%d,"day":%d})", d.year(),
                         d.month(), d.day());
}

struct Practice {
  std::vector<std::string> locations;  // "locations/..."
  std::vector<std::string> location_ids;
  std::string type;  // "appointmentTypes/..."
  std::string type_id;
  std::vector<std::vector<std::string>> therapists;  // per location
};

Practice Seed(System& sys, const std::string& admin) {
  HttpConnection http(sys.gateway_port());
  Practice p;
  std::string hours;
  for (const char* day :
       {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}) {
    absl::StrAppend(&hours, hours.empty() ? "" : ",", R"({"day":")", day,
                    R"(","open":{"hours":7},"close":{"hours":19}})");
  }
  for (int l = 0; l < kLocations; ++l) {
    std::string body = Must(
        http.Send(Rpc("LocationService/CreateLocation",
                      absl::StrCat(R"({"location":{"displayName":"Bench )", l,
                                   R"(","timeZone":")", kZone,
                                   R"(","slotMinutes":15,"openingHours":[)",
                                   hours, "]}}"),
                      admin)),
        "CreateLocation");
    p.locations.push_back(Field(body, "name"));
    p.location_ids.push_back(p.locations.back().substr(10));
  }
  std::string type =
      Must(http.Send(Rpc(
               "AppointmentTypeService/CreateAppointmentType",
               R"({"appointmentType":{"displayName":"Follow-up",)"
               R"("duration":"2700s","bufferAfter":"900s","color":"#3366cc"}})",
               admin)),
           "CreateAppointmentType");
  p.type = Field(type, "name");
  p.type_id = p.type.substr(17);
  p.therapists.resize(kLocations);
  for (int l = 0; l < kLocations; ++l) {
    for (int t = 0; t < kTherapistsPerLocation; ++t) {
      const std::string therapist =
          sys.CreateMember(admin,
                           absl::StrFormat("pt%d@bench.example", l * 100 + t),
                           "STAFF_ROLE_THERAPIST")
              .first;
      std::string weekly, breaks;
      for (const char* day :
           {"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}) {
        absl::StrAppend(&weekly, weekly.empty() ? "" : ",", R"({"location":")",
                        p.locations[l], R"(","day":")", day,
                        R"(","start":{"hours":8},"end":{"hours":17}})");
        absl::StrAppend(&breaks, breaks.empty() ? "" : ",", R"({"location":")",
                        p.locations[l], R"(","day":")", day,
                        R"(","start":{"hours":12},"end":{"hours":13}})");
      }
      Must(http.Send(Rpc("ScheduleService/UpdateProviderSchedule",
                         absl::StrCat(R"({"schedule":{"name":")", therapist,
                                      R"(/schedule","weeklyHours":[)", weekly,
                                      R"(],"breaks":[)", breaks, "]}}"),
                         admin)),
           "UpdateProviderSchedule");
      p.therapists[l].push_back(therapist);
    }
  }
  return p;
}

// The hourly starts (08..11, 13..16 local) of weekdays in [first, last).
std::vector<absl::Time> HourlyStarts(absl::CivilDay first,
                                     absl::CivilDay last) {
  absl::TimeZone zone;
  absl::LoadTimeZone(kZone, &zone);
  std::vector<absl::Time> out;
  for (absl::CivilDay d = first; d < last; ++d) {
    const absl::Weekday w = absl::GetWeekday(d);
    if (w == absl::Weekday::saturday || w == absl::Weekday::sunday) continue;
    for (int h : {8, 9, 10, 11, 13, 14, 15, 16}) {
      out.push_back(absl::FromCivil(
          absl::CivilHour(d.year(), d.month(), d.day(), h), zone));
    }
  }
  return out;
}

// 80% of the first kWeeks weeks, straight into the table (bulk load).
int FillOccupancy(const std::string& conninfo, const Practice& p,
                  absl::CivilDay first) {
  std::mt19937 rng(42);
  std::bernoulli_distribution busy(kOccupancy);
  const std::vector<absl::Time> starts =
      HourlyStarts(first, first + 7 * kWeeks);
  pqxx::connection c(conninfo);
  pqxx::work w(c);
  int n = 0;
  for (int l = 0; l < kLocations; ++l) {
    for (const std::string& therapist : p.therapists[l]) {
      std::string values;
      for (absl::Time s : starts) {
        if (!busy(rng)) continue;
        const int64_t us = absl::ToUnixMicros(s);
        absl::StrAppend(
            &values, values.empty() ? "" : ",",
            absl::StrFormat(
                "('patients/bench-%d', '%s', '%s', '%s', "
                "appointments.from_micros(%d), appointments.from_micros(%d), "
                "tstzrange(appointments.from_micros(%d), "
                "appointments.from_micros(%d)), 'bench')",
                n++, therapist, p.location_ids[l], p.type_id, us,
                us + 2700000000LL, us, us + 3600000000LL));
      }
      w.exec(absl::StrCat(
          "INSERT INTO appointments.appointments (patient, therapist, "
          "location_id, type_id, start_time, end_time, buffered_range, "
          "creator) VALUES ",
          values));
    }
  }
  w.exec("ANALYZE appointments.appointments");
  w.commit();
  return n;
}

void SlotsLatency(System& sys, const std::string& cookie, const Practice& p,
                  absl::CivilDay first) {
  HttpConnection http(sys.gateway_port());
  const std::string body =
      absl::StrCat(R"({"appointmentType":")", p.type, R"(","locations":[")",
                   p.locations[0], R"("],"startDate":)", DateJson(first),
                   R"(,"endDate":)", DateJson(first + 13), "}");
  int slots = 0;
  std::vector<double> ms;
  for (int i = 0; i < 220; ++i) {
    const absl::Time t0 = absl::Now();
    HttpResponse r =
        http.Send(Rpc("AppointmentService/FindAvailableSlots", body, cookie));
    if (i >= 20) ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
    Must(r, "FindAvailableSlots");
    slots = 0;
    for (size_t at = 0;
         (at = r.body.find("\"localStart\"", at)) != std::string::npos; ++at) {
      ++slots;
    }
  }
  // The same call straight to the appointments service over gRPC (no
  // gateway, no session check): where the time goes.
  std::vector<double> direct_ms;
  {
    auto stub = appointments::v1::AppointmentService::NewStub(
        server::NewChannel(absl::StrCat("127.0.0.1:", sys.scheduling_port())));
    server::CallerVerifier verifier(integration::kSecret);
    server::Caller caller;
    caller.staff = "staff/00000000-0000-4000-8000-000000000001";
    caller.roles = {api::v1::STAFF_ROLE_FRONT_DESK};
    appointments::v1::FindAvailableSlotsRequest req;
    req.set_appointment_type(p.type);
    req.add_locations(p.locations[0]);
    req.mutable_start_date()->set_year(first.year());
    req.mutable_start_date()->set_month(first.month());
    req.mutable_start_date()->set_day(first.day());
    const absl::CivilDay last = first + 13;
    req.mutable_end_date()->set_year(last.year());
    req.mutable_end_date()->set_month(last.month());
    req.mutable_end_date()->set_day(last.day());
    for (int i = 0; i < 220; ++i) {
      auto ctx = server::NewCallContext(absl::Seconds(10));
      verifier.Forward(caller, *ctx);
      appointments::v1::FindAvailableSlotsResponse resp;
      const absl::Time t0 = absl::Now();
      grpc::Status s = stub->FindAvailableSlots(ctx.get(), req, &resp);
      if (i >= 20) {
        direct_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
      }
      if (!s.ok()) {
        std::fprintf(stderr, "direct call failed: %s\n",
                     s.error_message().c_str());
        std::exit(1);
      }
    }
  }
  // Baseline: the busy intervals of the location's therapists for the 14
  // days, as the service reads them, straight from PostgreSQL.
  std::vector<double> base_ms;
  {
    absl::TimeZone zone;
    absl::LoadTimeZone(kZone, &zone);
    const int64_t from = absl::ToUnixMicros(absl::FromCivil(first, zone));
    const int64_t to = absl::ToUnixMicros(absl::FromCivil(first + 14, zone));
    pqxx::connection c(sys.conninfo());
    std::string therapists = "{";
    for (const auto& t : p.therapists[0]) {
      absl::StrAppend(&therapists, therapists.size() > 1 ? "," : "", t);
    }
    therapists += "}";
    for (int i = 0; i < 220; ++i) {
      const absl::Time t0 = absl::Now();
      pqxx::work w(c);
      pqxx::result r = w.exec_params(
          "SELECT therapist, lower(buffered_range), upper(buffered_range) "
          "FROM appointments.appointments WHERE therapist = ANY($1::text[]) "
          "AND state IN (1, 2, 3) AND buffered_range && "
          "tstzrange(appointments.from_micros($2), "
          "appointments.from_micros($3))",
          therapists, from, to);
      w.commit();
      if (i >= 20) {
        base_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
      }
    }
  }
  const double med = Percentile(ms, 0.5), p99 = Percentile(ms, 0.99);
  const double bmed = Percentile(base_ms, 0.5),
               bp99 = Percentile(base_ms, 0.99);
  std::printf(
      "FindAvailableSlots (1 location, 10 therapists, 14 days, %d slots "
      "returned), %zu calls through the gateway:\n"
      "  median %.2f ms, p99 %.2f ms\n"
      "  the service alone (direct gRPC, no gateway): median %.2f ms, p99 "
      "%.2f ms\n"
      "  baseline (its busy-interval query straight to PostgreSQL): median "
      "%.2f ms, p99 %.2f ms\n"
      "  ratio gateway/baseline: median %.1f, p99 %.1f\n",
      slots, ms.size(), med, p99, Percentile(direct_ms, 0.5),
      Percentile(direct_ms, 0.99), bmed, bp99, med / bmed, p99 / bp99);
}

double BookingThroughput(System& sys, const std::vector<std::string>& cookies,
                         const Practice& p, absl::CivilDay first) {
  // Free hourly slots after the busy weeks, split among the clients.
  const std::vector<absl::Time> starts =
      HourlyStarts(first + 7 * kWeeks, first + 7 * (kWeeks + 4));
  struct Job {
    std::string location, therapist;
    absl::Time start;
  };
  std::vector<std::vector<Job>> jobs(kClients);
  int k = 0;
  for (absl::Time s : starts) {
    for (int l = 0; l < kLocations; ++l) {
      for (const auto& t : p.therapists[l]) {
        jobs[k++ % kClients].push_back({p.locations[l], t, s});
      }
    }
  }
  const absl::Duration kRun = absl::Seconds(10);
  std::atomic<int> ok{0}, failed{0};
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      HttpConnection http(sys.gateway_port());
      int i = 0;
      for (const Job& j : jobs[c]) {
        if (absl::Now() - start > kRun) break;
        ++i;
        const std::string body = absl::StrCat(
            R"({"requestId":"bench-)", c, "-", i,
            R"(","appointment":{"patient":")",
            absl::StrFormat("patients/00000000-0000-4000-9000-%012d",
                            c * 1000000 + i),
            R"(","therapist":")", j.therapist, R"(","location":")", j.location,
            R"(","appointmentType":")", p.type, R"(","startTime":")",
            absl::FormatTime(absl::RFC3339_sec, j.start, absl::UTCTimeZone()),
            R"("}})");
        HttpResponse r = http.Send(
            Rpc("AppointmentService/BookAppointment", body, cookies[c]));
        (r.status == 200 ? ok : failed)++;
        if (r.status != 200 && failed.load() < 3) {
          std::fprintf(stderr, "booking failed: %d %s\n", r.status,
                       r.body.c_str());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  const double rate = ok.load() / seconds;
  std::printf(
      "BookAppointment through the gateway, %d clients: %d booked, %d failed "
      "in %.1f s = %.0f bookings/s\n",
      kClients, ok.load(), failed.load(), seconds, rate);
  return rate;
}

// pgbench, 16 clients, the same INSERT (one appointment per transaction,
// each for a fresh therapist and patient so none conflicts).
double PgbenchInserts(const std::string& socket_dir, const std::string& db,
                      const Practice& p) {
  char path[] = "/tmp/clinic-pgbench-XXXXXX.sql";
  const int fd = mkstemps(path, 4);
  const std::string script = absl::StrCat(
      "\\set h random(0, 100000000)\n"
      "INSERT INTO appointments.appointments (patient, therapist, "
      "location_id, type_id, start_time, end_time, buffered_range, creator) "
      "VALUES ('patients/pgb-' || gen_random_uuid(), 'staff/pgb-' || "
      "gen_random_uuid(), '",
      p.location_ids[0], "', '", p.type_id,
      "', now() + :h * interval '1 minute', now() + :h * interval '1 minute' "
      "+ interval '45 minutes', tstzrange(now() + :h * interval '1 minute', "
      "now() + :h * interval '1 minute' + interval '60 minutes'), "
      "'pgbench');\n");
  if (write(fd, script.data(), script.size()) < 0) std::exit(1);
  close(fd);
  const std::string out = "/tmp/clinic-pgbench.out";
  const std::string cmd = absl::StrCat(
      "/usr/lib/postgresql/15/bin/pgbench -n -h ", socket_dir, " -U clinic -c ",
      kClients, " -j 2 -T 10 -f ", path, " ", db, " > ", out, " 2>&1");
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "pgbench failed: %s\n", cmd.c_str());
    std::system(("cat " + out).c_str());
    std::exit(1);
  }
  unlink(path);
  FILE* f = std::fopen(out.c_str(), "r");
  char line[512];
  double tps = 0;
  while (f && std::fgets(line, sizeof line, f)) {
    if (std::sscanf(line, "tps = %lf", &tps) == 1) break;
  }
  if (f) std::fclose(f);
  std::printf(
      "pgbench, the same INSERT straight into PostgreSQL, %d clients: %.0f "
      "inserts/s\n",
      kClients, tps);
  return tps;
}

int Main() {
  System sys;
  const auto [admin, desk] = sys.AdminAndFrontDesk("bench.example");
  std::printf("seeding a busy practice...\n");
  const Practice p = Seed(sys, admin);
  absl::TimeZone zone;
  absl::LoadTimeZone(kZone, &zone);
  const absl::CivilDay first =
      absl::ToCivilDay(absl::Now(), zone) + 1;  // tomorrow, local
  const int filled = FillOccupancy(sys.conninfo(), p, first);
  std::printf("%d locations, %d therapists, %d weeks, %d appointments\n\n",
              kLocations, kLocations * kTherapistsPerLocation, kWeeks, filled);
  SlotsLatency(sys, desk, p, first);
  std::vector<std::string> cookies;
  for (int c = 0; c < kClients; ++c) cookies.push_back(desk);
  std::printf("\n");
  const double booked = BookingThroughput(sys, cookies, p, first);
  const std::string conninfo = sys.conninfo();
  const std::string db = conninfo.substr(conninfo.find("dbname=") + 7);
  const double inserts =
      PgbenchInserts(testing::PostgresCluster::Get().socket_dir(), db, p);
  std::printf("ratio bookings through the gateway / pgbench inserts = %.2f\n",
              booked / inserts);
  return 0;
}

}  // namespace
}  // namespace clinic::bench

int main() { return clinic::bench::Main(); }
