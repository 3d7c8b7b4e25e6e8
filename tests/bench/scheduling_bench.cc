// ./clinic bench: scheduling at the size of a busy practice, through the
// real gateway (HTTP, Connect JSON, sessions) and the appointments service
// on PostgreSQL, all on this machine.
//
// Data: 4 locations, 40 therapists (10 per location, Mon-Fri 08:00-17:00
// with a lunch hour, America/Denver), 8 weeks of 45-minute follow-ups with a
// 15-minute buffer at 80% occupancy (about 10,000 appointments).
//
// PostgreSQL runs as durably as `./clinic up`'s (fsync, synchronous_commit,
// full_page_writes on; printed). Every figure is printed beside a baseline
// measured in the same run and its target, and all are written as JSON
// (--json=PATH, or $CLINIC_BENCH_JSON). --only=slots,booking,cheap,load runs
// those parts alone.
//
// 1. FindAvailableSlots, one location, one type, 14 days: median and p99
//    latency over sequential calls on one keep-alive connection, and
//    throughput at 8 clients, beside the SQL the service needs for it (the
//    location's therapists' busy intervals for the 14 days) sent straight to
//    PostgreSQL the same way.
// 2. Booking throughput with 16 concurrent clients through the gateway
//    (each its own keep-alive connection), beside pgbench -M prepared
//    driving the same INSERT into appointments.appointments (with its
//    exclusion constraints) with 16 clients.
// 3. A cheap authenticated RPC (GetAppointmentType) through the gateway,
//    beside the same RPC straight to the service over gRPC and Debian's nginx
//    serving a small JSON file, all driven by the same client threads.
// 4. Load holding: 200 clients at once (bookings of one slot and of
//    distinct slots, slot searches, patient lists): only successes and
//    domain answers, no 429, no 5xx.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <pqxx/pqxx>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/barrier.h"
#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clinic/appointments/v1/appointments_service.grpc.pb.h"
#include "services/common/server/caller.h"
#include "services/common/server/client.h"
#include "services/common/server/worker_pool.h"
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

// Every figure of the run, printed as it comes and written as JSON at the
// end.
class Report {
 public:
  // `ratio` compares `value` with `baseline_value` so that more is better;
  // `target` is the ratio (or bound) the figure must reach.
  void Add(const std::string& name, double value, const std::string& unit,
           const std::string& baseline, double baseline_value, double ratio,
           const std::string& target, bool met) {
    std::printf(
        "  => %s: %.2f %s; baseline %s: %.2f; ratio %.2f; target %s: %s\n",
        name.c_str(), value, unit.c_str(), baseline.c_str(), baseline_value,
        ratio, target.c_str(), met ? "met" : "NOT MET");
    items_.push_back(absl::StrFormat(
        R"({"name":"%s","value":%.4f,"unit":"%s","baseline":"%s",)"
        R"("baseline_value":%.4f,"ratio":%.4f,"target":"%s","met":%s})",
        name, value, unit, baseline, baseline_value, ratio, target,
        met ? "true" : "false"));
  }
  void Fact(const std::string& name, const std::string& json_value) {
    facts_.push_back(absl::StrFormat(R"("%s":%s)", name, json_value));
  }
  void Write(const std::string& path) const {
    if (path.empty()) return;
    std::ofstream out(path);
    out << "{" << absl::StrJoin(facts_, ",") << (facts_.empty() ? "" : ",")
        << "\"figures\":[" << absl::StrJoin(items_, ",") << "]}\n";
    std::printf("\nfigures written to %s\n", path.c_str());
  }

 private:
  std::vector<std::string> facts_;
  std::vector<std::string> items_;
};

// `clients` threads each run op() (made by make_op(client) on its thread)
// until `duration` has passed; op returns success.
struct LoadResult {
  int ok = 0;
  int failed = 0;
  double seconds = 0;
  std::vector<double> ms;
  double rate() const { return seconds > 0 ? ok / seconds : 0; }
};

LoadResult RunLoad(int clients, absl::Duration duration,
                   const std::function<std::function<bool()>(int)>& make_op) {
  std::vector<LoadResult> parts(clients);
  std::vector<std::thread> threads;
  absl::Barrier* ready = new absl::Barrier(clients + 1);
  absl::Time start;
  absl::Notification go;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::function<bool()> op = make_op(c);
      if (ready->Block()) delete ready;
      go.WaitForNotification();
      const absl::Time end = start + duration;
      while (absl::Now() < end) {
        const absl::Time t0 = absl::Now();
        const bool ok = op();
        parts[c].ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - t0));
        (ok ? parts[c].ok : parts[c].failed)++;
      }
    });
  }
  if (ready->Block()) delete ready;
  start = absl::Now();
  go.Notify();
  for (auto& t : threads) t.join();
  LoadResult all;
  all.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  for (LoadResult& p : parts) {
    all.ok += p.ok;
    all.failed += p.failed;
    all.ms.insert(all.ms.end(), p.ms.begin(), p.ms.end());
  }
  return all;
}

std::string DateJson(absl::CivilDay d) {
  return absl::StrFormat(R"({"year":%d,"month":%d,"day":%d})", d.year(),
                         d.month(), d.day());
}

struct Practice {
  std::vector<std::string> locations;  // "locations/..."
  std::vector<std::string> location_ids;
  std::string type;         // "appointmentTypes/..."
  std::string online_type;  // bookable online, no minimum notice
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
  p.online_type = Field(
      Must(
          http.Send(Rpc("AppointmentTypeService/CreateAppointmentType",
                        R"({"appointmentType":{"displayName":"Free screening",)"
                        R"("duration":"2700s","bufferAfter":"900s",)"
                        R"("bookableOnline":true,"maxDaysAhead":365}})",
                        admin)),
          "CreateAppointmentType (online)"),
      "name");
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

// The patients the bookings below name (appointments checks that a patient
// exists): ids 00000000-0000-4000-9000-<c * 1000000 + i> for the booking
// clients and 00000000-0000-4000-a000-<n> for the load test.
void SeedPatients(const std::string& conninfo) {
  pqxx::connection c(conninfo);
  pqxx::work w(c);
  w.exec(
      "INSERT INTO patients.patients (id, given_name, family_name, birth_date)"
      " SELECT ('00000000-0000-4000-9000-' || lpad((c * 1000000 + i)::text, 12,"
      " '0'))::uuid, 'Bench', 'Booker' || c || '-' || i, DATE '1980-01-01'"
      " FROM generate_series(0, 15) c, generate_series(1, 3000) i");
  w.exec(
      "INSERT INTO patients.patients (id, given_name, family_name, birth_date)"
      " SELECT ('00000000-0000-4000-a000-' || lpad(n::text, 12, '0'))::uuid,"
      " 'Bench', 'Load' || n, DATE '1980-01-01'"
      " FROM generate_series(0, 1999) n");
  w.exec("ANALYZE patients.patients");
  w.commit();
}

std::string SlotsBody(const Practice& p, absl::CivilDay first) {
  return absl::StrCat(R"({"appointmentType":")", p.type, R"(","locations":[")",
                      p.locations[0], R"("],"startDate":)", DateJson(first),
                      R"(,"endDate":)", DateJson(first + 13), "}");
}

// The SQL FindAvailableSlots needs beyond the (cached) catalog: the busy
// intervals of the location's therapists for the 14 days.
struct BusyQuery {
  std::string therapists;  // a text[] literal
  int64_t from, to;
  void Run(pqxx::connection& c) const {
    pqxx::nontransaction w(c);
    pqxx::result r = w.exec_params(
        "SELECT therapist, lower(buffered_range), upper(buffered_range) "
        "FROM appointments.appointments WHERE therapist = ANY($1::text[]) "
        "AND state IN (1, 2, 3) AND buffered_range && "
        "tstzrange(appointments.from_micros($2), "
        "appointments.from_micros($3))",
        therapists, from, to);
  }
};

BusyQuery MakeBusyQuery(const Practice& p, absl::CivilDay first) {
  absl::TimeZone zone;
  absl::LoadTimeZone(kZone, &zone);
  BusyQuery q;
  q.from = absl::ToUnixMicros(absl::FromCivil(first, zone));
  q.to = absl::ToUnixMicros(absl::FromCivil(first + 14, zone));
  q.therapists = "{";
  for (const auto& t : p.therapists[0]) {
    absl::StrAppend(&q.therapists, q.therapists.size() > 1 ? "," : "", t);
  }
  q.therapists += "}";
  return q;
}

void SlotsLatency(System& sys, const std::string& cookie, const Practice& p,
                  absl::CivilDay first, Report& report) {
  HttpConnection http(sys.gateway_port());
  const std::string body = SlotsBody(p, first);
  int slots = 0;
  std::vector<double> ms;
  for (int i = 0; i < 520; ++i) {
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
    for (int i = 0; i < 520; ++i) {
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
  // Baseline: its busy-interval query straight to PostgreSQL.
  const BusyQuery query = MakeBusyQuery(p, first);
  std::vector<double> base_ms;
  {
    pqxx::connection c(sys.conninfo());
    for (int i = 0; i < 520; ++i) {
      const absl::Time t0 = absl::Now();
      query.Run(c);
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
      "returned), %zu calls through the gateway, 1 client:\n"
      "  median %.2f ms, p99 %.2f ms\n"
      "  the service alone (direct gRPC, no gateway): median %.2f ms, p99 "
      "%.2f ms\n"
      "  baseline (its busy-interval query straight to PostgreSQL): median "
      "%.2f ms, p99 %.2f ms\n",
      slots, ms.size(), med, p99, Percentile(direct_ms, 0.5),
      Percentile(direct_ms, 0.99), bmed, bp99);
  report.Add("FindAvailableSlots p99, 1 client, gateway", p99, "ms",
             "busy-interval query p99", bp99, bp99 / p99, "p99 <= 5 ms",
             p99 <= 5.0);

  // 8 clients: calls per second through the gateway vs the query alone.
  constexpr int kSearchClients = 8;
  LoadResult gw = RunLoad(kSearchClients, absl::Seconds(5), [&](int) {
    auto conn = std::make_shared<HttpConnection>(sys.gateway_port());
    return [conn, &body, &cookie] {
      return conn->Send(
                     Rpc("AppointmentService/FindAvailableSlots", body, cookie))
                 .status == 200;
    };
  });
  LoadResult base = RunLoad(kSearchClients, absl::Seconds(5), [&](int) {
    auto conn = std::make_shared<pqxx::connection>(sys.conninfo());
    return [conn, &query] {
      query.Run(*conn);
      return true;
    };
  });
  std::printf(
      "FindAvailableSlots, %d clients: %.0f calls/s through the gateway (%d "
      "failed, p99 %.2f ms); baseline query: %.0f/s\n",
      kSearchClients, gw.rate(), gw.failed, Percentile(gw.ms, 0.99),
      base.rate());
  report.Add("FindAvailableSlots calls/s, 8 clients, gateway", gw.rate(),
             "calls/s", "busy-interval query, 8 clients", base.rate(),
             gw.rate() / base.rate(), ">= 0.5x",
             gw.rate() >= 0.5 * base.rate());
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

// BookOnline through the gateway, 16 clients: each booking finds or creates
// its patient, books, and issues a manage link (what a person on the public
// site does), on free slots after the staff bookings' weeks.
void BookOnlineThroughput(System& sys, const Practice& p, absl::CivilDay first,
                          double staff_rate, Report& report) {
  const std::vector<absl::Time> starts =
      HourlyStarts(first + 7 * (kWeeks + 9), first + 7 * (kWeeks + 13));
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
  std::atomic<int> next_job[kClients] = {};
  LoadResult r = RunLoad(kClients, absl::Seconds(10), [&](int c) {
    auto conn = std::make_shared<HttpConnection>(sys.gateway_port());
    return [conn, &jobs, &next_job, &p, c] {
      const int i = next_job[c]++;
      if (i >= static_cast<int>(jobs[c].size())) return false;
      const Job& j = jobs[c][i];
      HttpRequest req;
      req.method = "POST";
      req.target = "/clinic.booking.v1.BookingService/BookOnline";
      req.headers = {{"Content-Type", "application/json"}};
      req.body = absl::StrCat(
          R"({"requestId":"online-)", c, "-", i, R"(","appointmentType":")",
          p.online_type, R"(","location":")", j.location, R"(","therapist":")",
          j.therapist, R"(","startTime":")",
          absl::FormatTime(absl::RFC3339_sec, j.start, absl::UTCTimeZone()),
          R"(","person":{"givenName":"Online","familyName":"Bench",)"
          R"("birthDate":{"year":1980,"month":1,"day":1},"email":"o)",
          c, "-", i, R"(@bench.example"},"consentToContact":true})");
      HttpResponse resp = conn->Send(req);
      if (resp.status != 200) {
        static std::atomic<int> shown{0};
        if (shown++ < 3) {
          std::fprintf(stderr, "online booking failed: %d %s\n", resp.status,
                       resp.body.c_str());
        }
      }
      return resp.status == 200;
    };
  });
  std::printf(
      "BookOnline through the gateway (patient, booking, manage link), %d "
      "clients: %d booked, %d failed in %.1f s = %.0f bookings/s; median %.1f "
      "ms, p99 %.1f ms\n",
      kClients, r.ok, r.failed, r.seconds, r.rate(), Percentile(r.ms, 0.5),
      Percentile(r.ms, 0.99));
  report.Add("BookOnline bookings/s, 16 clients, gateway", r.rate(),
             "bookings/s", "staff BookAppointment, same run", staff_rate,
             r.rate() / staff_rate, "(reported)", true);
}

// pgbench -M prepared, 16 clients, 10 s: `script`'s transactions per
// second.
double Pgbench(const std::string& socket_dir, const std::string& db,
               const std::string& script) {
  char path[] = "/tmp/clinic-pgbench-XXXXXX.sql";
  const int fd = mkstemps(path, 4);
  if (write(fd, script.data(), script.size()) < 0) std::exit(1);
  close(fd);
  const std::string out = "/tmp/clinic-pgbench.out";
  const std::string cmd =
      absl::StrCat("/usr/lib/postgresql/15/bin/pgbench -n -M prepared -h ",
                   socket_dir, " -U clinic -c ", kClients, " -j 2 -T 10 -f ",
                   path, " ", db, " > ", out, " 2>&1");
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
  return tps;
}

// pgbench, 16 clients, the same INSERT (one appointment per transaction,
// each for a fresh therapist and patient so none conflicts).
double PgbenchInserts(const std::string& socket_dir, const std::string& db,
                      const Practice& p) {
  const double tps = Pgbench(
      socket_dir, db,
      absl::StrCat(
          "\\set h random(0, 100000000)\n"
          "INSERT INTO appointments.appointments (patient, therapist, "
          "location_id, type_id, start_time, end_time, buffered_range, "
          "creator) VALUES ('patients/pgb-' || gen_random_uuid(), "
          "'staff/pgb-' || gen_random_uuid(), '",
          p.location_ids[0], "', '", p.type_id,
          "', now() + :h * interval '1 minute', now() + :h * interval '1 "
          "minute' + interval '45 minutes', tstzrange(now() + :h * interval "
          "'1 minute', now() + :h * interval '1 minute' + interval '60 "
          "minutes'), 'pgbench');\n"));
  std::printf(
      "pgbench -M prepared, the same INSERT straight into PostgreSQL, %d "
      "clients: %.0f inserts/s\n",
      kClients, tps);
  return tps;
}

// pgbench, 16 clients, what a booking asks of PostgreSQL and nothing more:
// the service's own statements in its transaction (the claim call, the
// appointment, the request record, the audit row, the outbox event) for
// fresh therapists and patients. What the gateway and the service add is
// the gap between this and BookAppointment through the gateway; what the
// booking's own writes cost is the gap between this and the single INSERT.
double PgbenchBookingSql(const std::string& socket_dir, const std::string& db,
                         const Practice& p) {
  // 2030-01-01T00:00:00Z onwards, a minute apart.
  const int64_t base = absl::ToUnixMicros(absl::FromCivil(
      absl::CivilSecond(2030, 1, 1, 0, 0, 0), absl::UTCTimeZone()));
  const std::string body(250, 'a');  // an Appointment's serialized size
  const std::string script = absl::StrCat(
      "\\set h random(0, 1000000000)\n"
      "\\set s ",
      base,
      " + :h * 60000000\n"
      "\\set e :s + 2700000000\n"
      "\\set be :s + 3600000000\n"
      "BEGIN;\n"
      "SELECT kind FROM appointments.claim('BookAppointment', 'pgb-' || :h "
      "|| '-' || :client_id, '00', 'staff/pgb-' || :h, 'patients/pgb-' || "
      ":h, :s, :be, 0, '', '', :s, :e);\n"
      "INSERT INTO appointments.appointments (patient, therapist, "
      "location_id, type_id, start_time, end_time, buffered_range, source, "
      "notes, creator) VALUES ('patients/pgb-' || :h, 'staff/pgb-' || :h, '",
      p.location_ids[0], "', '", p.type_id,
      "', appointments.from_micros(:s), appointments.from_micros(:e), "
      "tstzrange(appointments.from_micros(:s), appointments.from_micros(:be)),"
      " 1, '', 'staff/pgb') RETURNING *;\n"
      "INSERT INTO appointments.requests (method, request_id, fingerprint, "
      "result) VALUES ('BookAppointment', gen_random_uuid()::text, "
      "sha256(decode('00', 'hex')), 'appointments/pgb');\n"
      "INSERT INTO appointments.audit_events (actor, actor_roles, action, "
      "resource, resources, outcome, request_id, client_address) VALUES "
      "('staff/pgb', '{STAFF_ROLE_FRONT_DESK}', "
      "'clinic.appointments.v1.AppointmentService/BookAppointment', "
      "'appointments/pgb', '{patients/pgb}', 'OK', 'pgb', '127.0.0.1');\n"
      "INSERT INTO appointments.events (appointment_id, kind, actor, body) "
      "VALUES (gen_random_uuid(), 1, 'staff/pgb', decode('",
      body,
      "', 'hex'));\n"
      "COMMIT;\n");
  const double tps = Pgbench(socket_dir, db, script);
  std::printf(
      "pgbench -M prepared, a booking's own SQL (claim, appointment, request, "
      "audit, outbox event in one transaction), %d clients: %.0f bookings/s\n",
      kClients, tps);
  return tps;
}

// A port nothing listens on now (bound to 0, read, released).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

// GetAppointmentType through the gateway (Connect JSON, a session cookie),
// straight to the service over gRPC, and nginx serving a file of the same
// size: the same client threads, the same concurrency.
void CheapRpc(System& sys, const std::string& cookie, const Practice& p,
              Report& report) {
  constexpr int kRpcClients = 16;
  const absl::Duration kRun = absl::Seconds(5);
  const std::string body = absl::StrCat(R"({"name":")", p.type, R"("})");
  const std::string sample = Must(
      HttpConnection(sys.gateway_port())
          .Send(Rpc("AppointmentTypeService/GetAppointmentType", body, cookie)),
      "GetAppointmentType");
  LoadResult gw = RunLoad(kRpcClients, kRun, [&](int) {
    auto conn = std::make_shared<HttpConnection>(sys.gateway_port());
    return [conn, &body, &cookie] {
      return conn->Send(Rpc("AppointmentTypeService/GetAppointmentType", body,
                            cookie))
                 .status == 200;
    };
  });
  auto channel =
      server::NewChannel(absl::StrCat("127.0.0.1:", sys.scheduling_port()));
  LoadResult direct = RunLoad(kRpcClients, kRun, [&](int) {
    auto stub = std::shared_ptr<appointments::v1::AppointmentTypeService::Stub>(
        appointments::v1::AppointmentTypeService::NewStub(channel));
    return [stub, &p] {
      server::CallerVerifier verifier(integration::kSecret);
      server::Caller caller;
      caller.staff = "staff/00000000-0000-4000-8000-000000000001";
      caller.roles = {api::v1::STAFF_ROLE_FRONT_DESK};
      auto ctx = server::NewCallContext(absl::Seconds(10));
      verifier.Forward(caller, *ctx);
      appointments::v1::GetAppointmentTypeRequest req;
      req.set_name(p.type);
      appointments::v1::AppointmentType out;
      return stub->GetAppointmentType(ctx.get(), req, &out).ok();
    };
  });
  std::printf(
      "GetAppointmentType, %d clients: %.0f calls/s through the gateway (%d "
      "failed), %.0f calls/s straight to the service over gRPC\n",
      kRpcClients, gw.rate(), gw.failed, direct.rate());
  report.Add("GetAppointmentType calls/s, 16 clients, gateway (vs gRPC)",
             gw.rate(), "calls/s", "the same RPC over gRPC", direct.rate(),
             gw.rate() / direct.rate(), ">= 0.5x",
             gw.rate() >= 0.5 * direct.rate());

  // nginx on a free port serving a file as large as the JSON answer.
  const char* nginx = "/usr/sbin/nginx";
  if (access(nginx, X_OK) != 0) {
    std::printf("nginx not installed: no static-file baseline\n");
    return;
  }
  char dir_template[] = "/tmp/clinic-nginx-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  chmod(dir.c_str(), 0755);
  mkdir((dir + "/www").c_str(), 0755);
  std::ofstream(dir + "/www/type.json") << sample;
  chmod((dir + "/www/type.json").c_str(), 0644);
  const int port = FreePort();
  std::ofstream(dir + "/nginx.conf") << absl::StrCat(
      "worker_processes auto;\npid ", dir, "/nginx.pid;\nerror_log ", dir,
      "/error.log;\nevents { worker_connections 1024; }\n"
      "http { access_log off; keepalive_requests 1000000;\n"
      "  server { listen 127.0.0.1:",
      port, "; root ", dir,
      "/www; location / { default_type application/json; } } }\n");
  const std::string start = absl::StrCat(nginx, " -c ", dir, "/nginx.conf");
  if (std::system(start.c_str()) != 0) {
    std::printf("nginx did not start: no static-file baseline\n");
    return;
  }
  absl::SleepFor(absl::Milliseconds(300));
  LoadResult static_file = RunLoad(kRpcClients, kRun, [&](int) {
    auto conn = std::make_shared<HttpConnection>(port);
    return [conn] {
      HttpRequest r;
      r.target = "/type.json";
      return conn->Send(r).status == 200;
    };
  });
  std::system((start + " -s stop").c_str());
  std::printf("nginx, the same answer as a static file, %d clients: %.0f/s\n",
              kRpcClients, static_file.rate());
  report.Add("GetAppointmentType calls/s, 16 clients, gateway (vs nginx)",
             gw.rate(), "calls/s", "nginx static file", static_file.rate(),
             gw.rate() / static_file.rate(), ">= 0.3x",
             gw.rate() >= 0.3 * static_file.rate());
}

// 200 clients at once, each with its own connection: 50 book one slot, 50
// book distinct slots, 50 search slots, 50 list patients, 3 calls each.
void LoadHolding(System& sys, const std::string& cookie, const Practice& p,
                 absl::CivilDay first, Report& report) {
  constexpr int kLoadClients = 200;
  const std::vector<absl::Time> starts =
      HourlyStarts(first + 7 * (kWeeks + 5), first + 7 * (kWeeks + 8));
  std::map<int, int> by_status;
  absl::Mutex mu;
  absl::Barrier* ready = new absl::Barrier(kLoadClients);
  std::vector<std::thread> threads;
  const std::string search = SlotsBody(p, first);
  for (int c = 0; c < kLoadClients; ++c) {
    threads.emplace_back([&, c] {
      HttpConnection http(sys.gateway_port());
      if (ready->Block()) delete ready;
      for (int i = 0; i < 3; ++i) {
        HttpRequest req;
        const std::string patient = absl::StrFormat(
            "patients/00000000-0000-4000-a000-%012d", c * 10 + i);
        auto book = [&](const std::string& therapist, absl::Time at) {
          return Rpc(
              "AppointmentService/BookAppointment",
              absl::StrCat(
                  R"({"requestId":"load-)", c, "-", i,
                  R"(","appointment":{"patient":")", patient,
                  R"(","therapist":")", therapist, R"(","location":")",
                  p.locations[0], R"(","appointmentType":")", p.type,
                  R"(","startTime":")",
                  absl::FormatTime(absl::RFC3339_sec, at, absl::UTCTimeZone()),
                  R"("}})"),
              cookie);
        };
        switch (c % 4) {
          case 0:  // everyone wants the same slot
            req = book(p.therapists[0][0], starts[0]);
            break;
          case 1:  // distinct slots
            req = book(p.therapists[0][1 + (c / 4) % 9],
                       starts[1 + (c / 4 / 9) * 3 + i]);
            break;
          case 2:
            req = Rpc("AppointmentService/FindAvailableSlots", search, cookie);
            break;
          default:
            req = Rpc("", "", cookie);
            req.target = "/clinic.patients.v1.PatientService/ListPatients";
            req.body = R"({"namePrefix":"a"})";
        }
        HttpResponse r = http.Send(req);
        absl::MutexLock lock(&mu);
        by_status[r.status]++;
      }
    });
  }
  for (auto& t : threads) t.join();
  int ok = 0, domain = 0, exhausted = 0, server_errors = 0, other = 0;
  std::string counts;
  for (const auto& [status, n] : by_status) {
    absl::StrAppend(&counts, counts.empty() ? "" : ", ", "HTTP ", status, ": ",
                    n);
    if (status == 200) {
      ok += n;
    } else if (status == 409 || status == 400 || status == 404) {
      domain += n;
    } else if (status == 429) {
      exhausted += n;
    } else if (status >= 500) {
      server_errors += n;
    } else {
      other += n;
    }
  }
  std::printf(
      "Load holding, %d clients at once x 3 calls (one slot, distinct slots, "
      "slot search, patient list): %s\n"
      "  successes %d, domain answers %d, 429 %d, 5xx %d, other %d\n"
      "  the queue bound: the services here share one pool of %d workers "
      "that queues at most %d calls (a service process of its own has "
      "--workers 16, --max_queued_calls 1000); past that a call is answered "
      "UNAVAILABLE, 503 with Retry-After at the gateway\n",
      kLoadClients, counts.c_str(), ok, domain, exhausted, server_errors, other,
      server::WorkerPool::Default()->threads(),
      server::WorkerPool::Default()->max_queued());
  report.Add("load holding: 429 + 5xx + other of 600 calls",
             exhausted + server_errors + other, "calls", "none", 0,
             exhausted + server_errors + other == 0 ? 1 : 0, "0",
             exhausted + server_errors + other == 0);
}

std::string Settings(const std::string& conninfo) {
  pqxx::connection c(conninfo);
  pqxx::nontransaction w(c);
  std::string out;
  for (const char* name :
       {"fsync", "synchronous_commit", "full_page_writes", "shared_buffers"}) {
    absl::StrAppend(&out, out.empty() ? "" : ", ", name, "=",
                    w.exec1(absl::StrCat("SHOW ", name))[0].c_str());
  }
  return out;
}

// Which parts run: all, or those --only=slots,booking,cheap,load names.
bool Runs(const std::string& only, const char* part) {
  if (only.empty()) return true;
  for (absl::string_view p : absl::StrSplit(only, ',')) {
    if (p == part) return true;
  }
  return false;
}

int Main(const std::string& json_path, const std::string& only) {
  testing::PostgresCluster::UseDurableSettings();
  Report report;
  double load[3] = {0, 0, 0};
  if (getloadavg(load, 3) < 0) load[0] = -1;
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  std::printf("machine: %ld cores, load average %.2f %.2f %.2f at start\n",
              cores, load[0], load[1], load[2]);
  report.Fact("cores", absl::StrCat(cores));
  report.Fact("load_average",
              absl::StrFormat("[%.2f,%.2f,%.2f]", load[0], load[1], load[2]));
  // The public limit per address is for people, not for this one-address
  // load: lifted, so BookOnline is measured, not the limiter.
  System sys(gateway::RateLimit{1e9, 1000000});
  const std::string settings = Settings(sys.conninfo());
  std::printf("PostgreSQL: %s\n", settings.c_str());
  report.Fact("postgres", absl::StrCat("\"", settings, "\""));
  const auto [admin, desk] = sys.AdminAndFrontDesk("bench.example");
  std::printf("seeding a busy practice...\n");
  const Practice p = Seed(sys, admin);
  absl::TimeZone zone;
  absl::LoadTimeZone(kZone, &zone);
  const absl::CivilDay first =
      absl::ToCivilDay(absl::Now(), zone) + 1;  // tomorrow, local
  const int filled = FillOccupancy(sys.conninfo(), p, first);
  SeedPatients(sys.conninfo());
  std::printf("%d locations, %d therapists, %d weeks, %d appointments\n\n",
              kLocations, kLocations * kTherapistsPerLocation, kWeeks, filled);
  if (Runs(only, "slots")) SlotsLatency(sys, desk, p, first, report);
  if (Runs(only, "booking")) {
    std::vector<std::string> cookies;
    for (int c = 0; c < kClients; ++c) cookies.push_back(desk);
    std::printf("\n");
    const double booked = BookingThroughput(sys, cookies, p, first);
    const std::string conninfo = sys.conninfo();
    const std::string db = conninfo.substr(conninfo.find("dbname=") + 7);
    const double inserts =
        PgbenchInserts(testing::PostgresCluster::Get().socket_dir(), db, p);
    const double own_sql =
        PgbenchBookingSql(testing::PostgresCluster::Get().socket_dir(), db, p);
    BookOnlineThroughput(sys, p, first, booked, report);
    report.Add("BookAppointment bookings/s, 16 clients, gateway", booked,
               "bookings/s", "pgbench -M prepared, same INSERT, 16 clients",
               inserts, booked / inserts, ">= 0.5x", booked >= 0.5 * inserts);
    report.Add("BookAppointment bookings/s, 16 clients, gateway (vs its SQL)",
               booked, "bookings/s",
               "pgbench -M prepared, the booking's own SQL, 16 clients",
               own_sql, booked / own_sql, "(reported)", true);
    report.Add("a booking's own SQL vs the single INSERT (the ceiling)",
               own_sql, "bookings/s",
               "pgbench -M prepared, same INSERT, 16 clients", inserts,
               own_sql / inserts, "(reported)", true);
  }
  if (Runs(only, "cheap")) {
    std::printf("\n");
    CheapRpc(sys, desk, p, report);
  }
  if (Runs(only, "load")) {
    std::printf("\n");
    LoadHolding(sys, desk, p, first, report);
  }
  report.Write(json_path);
  return 0;
}

}  // namespace
}  // namespace clinic::bench

int main(int argc, char** argv) {
  std::string json, only;
  if (const char* env = std::getenv("CLINIC_BENCH_JSON")) json = env;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--json=", 0) == 0) json = arg.substr(7);
    if (arg.rfind("--only=", 0) == 0) only = arg.substr(7);
  }
  return clinic::bench::Main(json, only);
}
