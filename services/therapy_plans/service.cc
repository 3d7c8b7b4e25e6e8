#include "services/therapy_plans/service.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/text_format.h"
#include "services/common/db/request_key.h"
#include "services/common/server/log.h"
#include "services/common/status/errors.h"
#include "services/common/text/text.h"
#include "services/common/time/local_start.h"
#include "services/common/time/timestamps.h"
#include "services/common/time/weekday.h"
#include "services/therapy_plans/series.h"
#include "services/therapy_plans/template_files.h"
#include "services/therapy_plans/validation.h"
#include "services/therapy_plans/visits.h"

namespace clinic::therapy_plans {
namespace {

using api::v1::STAFF_ROLE_ADMIN;
using api::v1::STAFF_ROLE_THERAPIST;

absl::StatusOr<std::string> ParsePlanName(absl::string_view name) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "therapyPlans/") || !text::IsUuid(id)) {
    return status::InvalidField("name", "must look like therapyPlans/{uuid}");
  }
  return absl::AsciiStrToLower(id);
}

bool Clinical(const server::Call& call) {
  return call.HasRole(STAFF_ROLE_ADMIN) || call.HasRole(STAFF_ROLE_THERAPIST);
}

// The front desk sees dates and visit counts, not clinical content.
void StripClinical(v1::TherapyPlan& p) {
  p.clear_goals();
  p.clear_interventions();
  p.clear_home_exercises();
  p.clear_precautions();
  p.clear_icd10_code();
}

// The local day of "2026-12-02T09:00".
absl::CivilDay DayOf(const std::string& local) {
  const std::optional<absl::CivilMinute> m = time::ParseLocalStart(local);
  return m ? absl::CivilDay(*m) : absl::CivilDay();
}

std::string DateKey(absl::CivilDay d) {
  return absl::StrCat(d.year(), d.month() < 10 ? "0" : "", d.month(),
                      d.day() < 10 ? "0" : "", d.day());
}

}  // namespace

absl::StatusOr<std::vector<v1::PlanTemplate>> LoadShippedTemplates() {
  std::vector<v1::PlanTemplate> out;
  for (const db::Migration& file : TemplateFiles()) {
    v1::PlanTemplate t;
    if (!google::protobuf::TextFormat::ParseFromString(file.sql, &t)) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.name, ": not a PlanTemplate in text format"));
    }
    v1::TherapyPlan probe;
    probe.set_patient("patients/probe");
    *probe.mutable_start_date() = ToDate(absl::CivilDay(2026, 1, 5));
    ApplyTemplate(t, probe);
    if (t.name().empty() || t.title().empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.name, ": a template needs a name and a title"));
    }
    if (absl::Status s = CheckPlan(probe); !s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(file.name, ": ", s.message()));
    }
    out.push_back(std::move(t));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.title() < b.title(); });
  return out;
}

TherapyPlanServiceImpl::TherapyPlanServiceImpl(
    PlanStore* store, const server::CallerVerifier* verifier,
    TherapyPlanServiceOptions options)
    : store_(store),
      options_(std::move(options)),
      rpcs_(verifier, v1::TherapyPlanService::service_full_name(),
            server::RpcOptions{nullptr, [this](const server::Call& call,
                                               const std::string& resource,
                                               const absl::Status& result) {
                                 RecordFailure(call, resource, result);
                               }}) {}

void TherapyPlanServiceImpl::RecordFailure(const server::Call& call,
                                           const std::string& resource,
                                           const absl::Status& result) {
  absl::Status recorded = store_->RecordFailure(
      audit::ContextOf(call), resource.empty() ? "therapyPlans" : resource,
      absl::StatusCodeToString(result.code()));
  if (!recorded.ok()) {
    server::LogError("cannot record an audit event: ", recorded.ToString());
  }
}

absl::Status TherapyPlanServiceImpl::CanChange(const server::Call& call,
                                               const v1::TherapyPlan& plan) {
  if (call.HasRole(STAFF_ROLE_ADMIN) || plan.therapist() == call.staff) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      "only the plan's therapist (or an admin) changes a plan of care");
}

void TherapyPlanServiceImpl::Fill(v1::TherapyPlan& plan,
                                  const std::vector<Visit>& all) const {
  const std::vector<Visit> visits = PlanVisits(plan, all);
  const absl::Time now = options_.now();
  *plan.mutable_visits() = CountVisits(plan, visits, now);
  plan.clear_alerts();
  for (v1::Alert& a : Alerts(plan, visits, plan.visits(), now,
                             absl::ToCivilDay(now, options_.zone))) {
    *plan.add_alerts() = std::move(a);
  }
}

absl::Status TherapyPlanServiceImpl::Complete(const server::Call& call,
                                              v1::TherapyPlan& plan) {
  absl::StatusOr<std::map<std::string, std::vector<Visit>>> visits =
      options_.appointments->Visits(
          call, VisitQuery{plan.patient(), plan.therapist()});
  if (!visits.ok()) return visits.status();
  Fill(plan, (*visits)[plan.patient()]);
  if (!Clinical(call)) StripClinical(plan);
  return absl::OkStatus();
}

absl::StatusOr<v1::TherapyPlan> TherapyPlanServiceImpl::Readable(
    const server::Call& call, const std::string& name) {
  absl::StatusOr<std::string> id = ParsePlanName(name);
  if (!id.ok()) return id.status();
  const audit::AuditContext audit = audit::ContextOf(call);
  absl::StatusOr<v1::TherapyPlan> plan = store_->Get(*id, &audit);
  if (!plan.ok()) return plan.status();
  if (call.HasRole(STAFF_ROLE_THERAPIST) && !call.HasRole(STAFF_ROLE_ADMIN) &&
      plan->therapist() != call.staff) {
    // Another therapist's plan: readable if they see the patient too.
    absl::StatusOr<std::map<std::string, std::vector<Visit>>> mine =
        options_.appointments->Visits(call,
                                      VisitQuery{plan->patient(), call.staff});
    if (!mine.ok()) return mine.status();
    if ((*mine)[plan->patient()].empty()) {
      return absl::PermissionDeniedError(
          "this plan belongs to a patient you have no appointments with");
    }
  }
  return plan;
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::CreateTherapyPlan(
    grpc::CallbackServerContext* context,
    const v1::CreateTherapyPlanRequest* req, v1::TherapyPlan* resp) {
  return rpcs_.Serve(
      context, "CreateTherapyPlan",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        if (req->request_id().empty()) v.Add("request_id", "is required");
        v.Check(text::ValidateRequestId(req->request_id()));
        v1::TherapyPlan p = req->plan();
        if (!text::IsResourceName(p.patient(), "patients")) {
          v.Add("plan.patient", "choose the patient");
        }
        if (p.therapist().empty()) p.set_therapist(call.staff);
        if (!absl::StartsWith(p.therapist(), "staff/")) {
          v.Add("plan.therapist", "choose the therapist");
        }
        if (!p.screening().empty() &&
            !text::IsResourceName(p.screening(), "screenings")) {
          v.Add("plan.screening", "is not a screening");
        }
        if (!req->template_().empty()) {
          const v1::PlanTemplate* t = nullptr;
          for (const auto& candidate : options_.templates) {
            if (candidate.name() == req->template_()) t = &candidate;
          }
          if (t == nullptr) {
            v.Add("template", "is not a template of this practice");
          } else {
            ApplyTemplate(*t, p);
          }
        }
        p.set_state(v1::PLAN_STATE_DRAFT);
        v.Check(CheckPlan(p));
        if (!v.empty()) return v.ToStatus();
        if (absl::StatusOr<patients::v1::Patient> found = clients::CheckPatient(
                *options_.patients, call, "plan.patient", p.patient());
            !found.ok()) {
          return found.status();
        }
        absl::StatusOr<v1::TherapyPlan> created =
            store_->Create(p, call.staff,
                           RequestKey{"CreateTherapyPlan", req->request_id(),
                                      db::DeterministicBytes(*req)},
                           &audit);
        if (!created.ok()) return created.status();
        *resp = *std::move(created);
        return Complete(call, *resp);
      },
      req->plan().patient());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::GetTherapyPlan(
    grpc::CallbackServerContext* context, const v1::GetTherapyPlanRequest* req,
    v1::TherapyPlan* resp) {
  return rpcs_.Serve(
      context, "GetTherapyPlan",
      [=](const server::Call& call) -> absl::Status {
        absl::StatusOr<v1::TherapyPlan> p = Readable(call, req->name());
        if (!p.ok()) return p.status();
        *resp = *std::move(p);
        return Complete(call, *resp);
      },
      req->name());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::ListTherapyPlans(
    grpc::CallbackServerContext* context,
    const v1::ListTherapyPlansRequest* req,
    v1::ListTherapyPlansResponse* resp) {
  return rpcs_.Serve(
      context, "ListTherapyPlans",
      [=](const server::Call& call) -> absl::Status {
        if (!text::IsResourceName(req->patient(), "patients")) {
          return status::InvalidField("patient", "choose the patient");
        }
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::vector<v1::TherapyPlan>> plans =
            store_->ListForPatient(req->patient(), &audit);
        if (!plans.ok()) return plans.status();
        absl::StatusOr<std::map<std::string, std::vector<Visit>>> visits =
            options_.appointments->Visits(call, VisitQuery{req->patient(), ""});
        if (!visits.ok()) return visits.status();
        const std::vector<Visit>& all = (*visits)[req->patient()];
        const bool mine_only = call.HasRole(STAFF_ROLE_THERAPIST) &&
                               !call.HasRole(STAFF_ROLE_ADMIN);
        bool sees_patient = false;
        for (const v1::TherapyPlan& p : *plans) {
          sees_patient |= p.therapist() == call.staff;
        }
        // A therapist sees the plans of a patient they treat or see (the
        // patient's visits, read above, say whether they do).
        for (const Visit& v : all) sees_patient |= v.therapist == call.staff;
        if (mine_only && !sees_patient && !plans->empty()) {
          return absl::PermissionDeniedError(
              "these plans belong to a patient you have no appointments with");
        }
        for (v1::TherapyPlan& p : *plans) {
          std::vector<Visit> theirs;
          for (const Visit& v : all) {
            if (v.therapist == p.therapist()) theirs.push_back(v);
          }
          Fill(p, theirs);
          if (!Clinical(call)) StripClinical(p);
          *resp->add_plans() = std::move(p);
        }
        return absl::OkStatus();
      },
      req->patient());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::UpdateTherapyPlan(
    grpc::CallbackServerContext* context,
    const v1::UpdateTherapyPlanRequest* req, v1::TherapyPlan* resp) {
  return rpcs_.Serve(
      context, "UpdateTherapyPlan",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::string> id = ParsePlanName(req->plan().name());
        if (!id.ok()) return id.status();
        if (req->plan().etag().empty()) {
          return status::InvalidField("plan.etag",
                                      "is required (the version read)");
        }
        v1::TherapyPlan content = req->plan();
        if (absl::Status s = CheckPlan(content); !s.ok()) return s;
        // Authorized visits never drop below the visits already used.
        absl::StatusOr<v1::TherapyPlan> current = store_->Get(*id, nullptr);
        if (!current.ok()) return current.status();
        if (absl::Status s = CanChange(call, *current); !s.ok()) return s;
        if (content.authorized_visits() > 0) {
          v1::TherapyPlan counted = *current;
          if (absl::Status s = Complete(call, counted); !s.ok()) return s;
          if (content.authorized_visits() < counted.visits().completed()) {
            return status::InvalidField(
                "plan.authorized_visits",
                absl::StrCat("at least the ", counted.visits().completed(),
                             " visits already used"));
          }
        }
        absl::StatusOr<v1::TherapyPlan> saved = store_->Update(
            *id, req->plan().etag(), call.staff,
            [&](v1::TherapyPlan& p) -> absl::Status {
              if (p.state() == v1::PLAN_STATE_COMPLETED ||
                  p.state() == v1::PLAN_STATE_DISCONTINUED) {
                return absl::FailedPreconditionError(
                    absl::StrCat("the plan is ", StateWords(p.state()),
                                 " and can no longer be edited"));
              }
              v1::TherapyPlan next = content;
              next.set_patient(p.patient());
              next.set_state(p.state());
              if (next.therapist().empty()) next.set_therapist(p.therapist());
              p = std::move(next);
              return absl::OkStatus();
            },
            &audit);
        if (!saved.ok()) return saved.status();
        *resp = *std::move(saved);
        return Complete(call, *resp);
      },
      req->plan().name());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::ChangeTherapyPlanState(
    grpc::CallbackServerContext* context,
    const v1::ChangeTherapyPlanStateRequest* req, v1::TherapyPlan* resp) {
  return rpcs_.Serve(
      context, "ChangeTherapyPlanState",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::string> id = ParsePlanName(req->name());
        if (!id.ok()) return id.status();
        absl::StatusOr<v1::TherapyPlan> saved = store_->Update(
            *id, req->etag(), call.staff,
            [&](v1::TherapyPlan& p) -> absl::Status {
              if (absl::Status s = CanChange(call, p); !s.ok()) return s;
              if (absl::Status s = CheckTransition(p, req->state()); !s.ok()) {
                return s;
              }
              p.set_state(req->state());
              return absl::OkStatus();
            },
            &audit);
        if (!saved.ok()) return saved.status();
        *resp = *std::move(saved);
        return Complete(call, *resp);
      },
      req->name());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::RecordGoalProgress(
    grpc::CallbackServerContext* context,
    const v1::RecordGoalProgressRequest* req, v1::TherapyPlan* resp) {
  return rpcs_.Serve(
      context, "RecordGoalProgress",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        absl::StatusOr<std::string> id = ParsePlanName(req->name());
        v.Check(id.status());
        const v1::GoalProgress& in = req->progress();
        const absl::CivilDay today =
            absl::ToCivilDay(options_.now(), options_.zone);
        const absl::CivilDay day(in.date().year(), in.date().month(),
                                 in.date().day());
        if (!req->progress().has_date() || day.year() != in.date().year() ||
            day.month() != in.date().month() || day.day() != in.date().day()) {
          v.Add("progress.date", "choose the day of the measurement");
        } else if (day > today + 1) {
          v.Add("progress.date", "must not be in the future");
        }
        if (text::CodePoints(in.note()) > 500) {
          v.Add("progress.note", "at most 500 characters");
        }
        if (!v1::GoalStatus_IsValid(req->status())) {
          v.Add("status", "not a goal status");
        }
        if (!v.empty()) return v.ToStatus();
        absl::StatusOr<v1::TherapyPlan> saved = store_->Update(
            *id, "", call.staff,
            [&](v1::TherapyPlan& p) -> absl::Status {
              if (absl::Status s = CanChange(call, p); !s.ok()) return s;
              if (p.state() != v1::PLAN_STATE_ACTIVE &&
                  p.state() != v1::PLAN_STATE_ON_HOLD) {
                return absl::FailedPreconditionError(
                    absl::StrCat("the plan is ", StateWords(p.state()),
                                 "; progress is recorded on an active plan"));
              }
              if (day < ToDay(p.start_date())) {
                return status::InvalidField(
                    "progress.date", "must not be before the plan's start");
              }
              for (v1::Goal& g : *p.mutable_goals()) {
                if (g.id() != req->goal()) continue;
                v1::GoalProgress* out = g.add_progress();
                *out = in;
                out->set_staff(call.staff);
                if (req->status() != v1::GOAL_STATUS_UNSPECIFIED) {
                  g.set_status(req->status());
                }
                return absl::OkStatus();
              }
              return status::InvalidField("goal", "is not a goal of this plan");
            },
            &audit);
        if (!saved.ok()) return saved.status();
        *resp = *std::move(saved);
        return Complete(call, *resp);
      },
      req->name());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::ListPlanVersions(
    grpc::CallbackServerContext* context,
    const v1::ListPlanVersionsRequest* req,
    v1::ListPlanVersionsResponse* resp) {
  return rpcs_.Serve(
      context, "ListPlanVersions",
      [=](const server::Call& call) -> absl::Status {
        absl::StatusOr<v1::TherapyPlan> p = Readable(call, req->name());
        if (!p.ok()) return p.status();
        const audit::AuditContext audit = audit::ContextOf(call);
        absl::StatusOr<std::vector<v1::PlanVersion>> versions =
            store_->Versions(text::IdOf(p->name()), &audit);
        if (!versions.ok()) return versions.status();
        for (v1::PlanVersion& v : *versions) {
          *resp->add_versions() = std::move(v);
        }
        return absl::OkStatus();
      },
      req->name());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::ListPlanTemplates(
    grpc::CallbackServerContext* context, const v1::ListPlanTemplatesRequest*,
    v1::ListPlanTemplatesResponse* resp) {
  return rpcs_.Serve(context, "ListPlanTemplates",
                     [=](const server::Call&) -> absl::Status {
                       for (const auto& t : options_.templates) {
                         *resp->add_templates() = t;
                       }
                       return absl::OkStatus();
                     });
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::ScheduleVisitSeries(
    grpc::CallbackServerContext* context,
    const v1::ScheduleVisitSeriesRequest* req,
    v1::ScheduleVisitSeriesResponse* resp) {
  return rpcs_.Serve(
      context, "ScheduleVisitSeries",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        status::Violations v;
        absl::StatusOr<std::string> id = ParsePlanName(req->name());
        v.Check(id.status());
        if (!text::IsResourceName(req->location(), "locations")) {
          v.Add("location", "choose the location");
        }
        if (!text::IsResourceName(req->appointment_type(),
                                  "appointmentTypes")) {
          v.Add("appointment_type", "choose the kind of visit");
        }
        if (req->weekdays().empty()) v.Add("weekdays", "choose the days");
        for (int i = 0; i < req->weekdays_size(); ++i) {
          const int d = req->weekdays(i);
          if (d < 1 || d > 7) {
            v.Add(absl::StrCat("weekdays[", i, "]"), "not a day of the week");
          }
        }
        const google::type::TimeOfDay& t = req->time_of_day();
        if (!req->has_time_of_day() || t.hours() < 0 || t.hours() > 23 ||
            t.minutes() < 0 || t.minutes() > 59) {
          v.Add("time_of_day", "choose the time of day");
        }
        if (!req->preview()) {
          if (req->request_id().empty()) {
            v.Add("request_id", "is required to book");
          } else if (req->request_id().size() > 48) {
            v.Add("request_id", "at most 48 characters");
          }
          v.Check(text::ValidateRequestId(req->request_id()));
        }
        if (!v.empty()) return v.ToStatus();
        const RequestKey key{"ScheduleVisitSeries", req->request_id(),
                             db::DeterministicBytes(*req)};
        if (!req->preview()) {
          absl::StatusOr<std::optional<std::string>> prior =
              store_->FindSeries(key);
          if (!prior.ok()) return prior.status();
          if (prior->has_value()) {
            std::string bytes;
            if (absl::Base64Unescape(**prior, &bytes) &&
                resp->ParseFromString(bytes)) {
              return absl::OkStatus();
            }
          }
        }
        absl::StatusOr<v1::TherapyPlan> plan = Readable(call, req->name());
        if (!plan.ok()) return plan.status();
        if (plan->state() != v1::PLAN_STATE_ACTIVE) {
          return absl::FailedPreconditionError(
              absl::StrCat("the plan is ", StateWords(plan->state()),
                           "; visits are booked from an active plan"));
        }
        // What is booked already (the plan's visits count towards it).
        absl::StatusOr<std::map<std::string, std::vector<Visit>>> booked =
            options_.appointments->Visits(
                call, VisitQuery{plan->patient(), plan->therapist()});
        if (!booked.ok()) return booked.status();
        const std::vector<Visit> visits =
            PlanVisits(*plan, (*booked)[plan->patient()]);
        const v1::VisitCounts counts =
            CountVisits(*plan, visits, options_.now());

        SeriesAsk ask;
        ask.plan_start = ToDay(plan->start_date());
        ask.duration_weeks = plan->duration_weeks();
        ask.visits_per_week = plan->visits_per_week();
        const absl::CivilDay tomorrow =
            absl::ToCivilDay(options_.now(), options_.zone) + 1;
        ask.first_day =
            req->has_first_date() ? ToDay(req->first_date()) : tomorrow;
        ask.first_day = std::max(ask.first_day, ask.plan_start);
        ask.last_day = std::min(PlanEnd(*plan), CertificationEnd(*plan));
        for (int d : req->weekdays()) {
          ask.weekdays.push_back(
              time::ToWeekday(static_cast<google::type::DayOfWeek>(d)));
        }
        ask.minute_of_day = t.hours() * 60 + t.minutes();
        for (const Visit& b : visits) {
          if (b.state == Visit::kBooked || b.state == Visit::kCompleted) {
            ask.booked_days.push_back(b.local_day);
          }
        }
        if (plan->authorized_visits() > 0) {
          ask.max_visits =
              std::max(0, plan->authorized_visits() - counts.completed() -
                              counts.upcoming());
        }
        if (ask.first_day > ask.last_day) {
          return absl::FailedPreconditionError(
              "the plan's weeks (or its certification period) are over; "
              "extend the plan first");
        }
        std::string zone;
        absl::StatusOr<std::vector<OpenStart>> open =
            options_.appointments->OpenStarts(
                call, req->appointment_type(), req->location(),
                plan->therapist(), ask.first_day, ask.last_day, &zone);
        if (!open.ok()) return open.status();
        const SeriesPlan series = PlanSeries(ask, *open);
        resp->set_time_zone(zone);
        // Number the visits and mark where a progress note (every 10th)
        // and the re-evaluation (the last visit in the 14 days before the
        // certification period ends) are due.
        const absl::CivilDay cert_end = CertificationEnd(*plan);
        int re_evaluation = -1;
        for (size_t i = 0; i < series.visits.size(); ++i) {
          const absl::CivilDay d = series.visits[i].at.day;
          if (d <= cert_end && cert_end - d <= 14) {
            re_evaluation = static_cast<int>(i);
          }
        }
        const int before = counts.completed() + counts.upcoming();
        for (size_t i = 0; i < series.visits.size(); ++i) {
          const SeriesPick& pick = series.visits[i];
          v1::SeriesVisit* out = resp->add_visits();
          *out->mutable_start_time() = time::ToTimestamp(pick.at.start);
          out->set_local_start(pick.at.local_start);
          out->set_preferred(pick.preferred);
          out->set_visit_number(before + static_cast<int>(i) + 1);
          out->set_purpose(static_cast<int>(i) == re_evaluation
                               ? v1::VISIT_PURPOSE_RE_EVALUATION
                           : out->visit_number() % 10 == 0
                               ? v1::VISIT_PURPOSE_PROGRESS_NOTE
                               : v1::VISIT_PURPOSE_TREATMENT);
        }
        for (const SeriesGapInfo& g : series.gaps) {
          v1::SeriesGap* out = resp->add_gaps();
          *out->mutable_week_start() = ToDate(g.week_start);
          out->set_missing(g.missing);
          out->set_reason(g.reason);
        }
        if (req->preview()) return absl::OkStatus();
        // Book each; one keyed by the request and the day, so a retry after
        // a failure here books each day once.
        google::protobuf::RepeatedPtrField<v1::SeriesVisit> kept;
        for (v1::SeriesVisit& visit : *resp->mutable_visits()) {
          const absl::Time start = time::FromTimestamp(visit.start_time());
          NewVisit nv{
              plan->patient(),
              plan->therapist(),
              req->location(),
              req->appointment_type(),
              start,
              absl::StrCat(req->request_id(), "/",
                           DateKey(DayOf(visit.local_start()))),
              absl::StrCat("Plan of care: ", plan->condition(), " (visit ",
                           visit.visit_number(), ")",
                           visit.purpose() == v1::VISIT_PURPOSE_RE_EVALUATION
                               ? "; re-evaluation due"
                           : visit.purpose() == v1::VISIT_PURPOSE_PROGRESS_NOTE
                               ? "; progress note due"
                               : "")};
          absl::StatusOr<std::string> name =
              options_.appointments->Book(call, nv);
          if (name.ok()) {
            visit.set_appointment(*name);
            *kept.Add() = std::move(visit);
            continue;
          }
          if (name.status().code() != absl::StatusCode::kAlreadyExists) {
            return name.status();
          }
          v1::SeriesGap* gap = resp->add_gaps();
          const absl::CivilDay d = DayOf(visit.local_start());
          *gap->mutable_week_start() =
              ToDate(ask.plan_start + 7 * ((d - ask.plan_start) / 7));
          gap->set_missing(1);
          gap->set_reason(absl::StrCat(
              "the time on ", visit.local_start().substr(0, 10), " at ",
              visit.local_start().substr(11, 5),
              " was taken meanwhile, or the patient has another appointment "
              "then"));
        }
        *resp->mutable_visits() = std::move(kept);
        if (absl::Status s = store_->SaveSeries(
                key, plan->name(),
                absl::Base64Escape(resp->SerializeAsString()), &audit);
            !s.ok()) {
          return s;
        }
        return absl::OkStatus();
      },
      req->name());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::GetCaseload(
    grpc::CallbackServerContext* context, const v1::GetCaseloadRequest* req,
    v1::Caseload* resp) {
  return rpcs_.Serve(
      context, "GetCaseload",
      [=](const server::Call& call) -> absl::Status {
        const audit::AuditContext audit = audit::ContextOf(call);
        const std::string therapist =
            req->therapist().empty() ? call.staff : req->therapist();
        if (!absl::StartsWith(therapist, "staff/")) {
          return status::InvalidField("therapist", "choose the therapist");
        }
        if (therapist != call.staff && !call.HasRole(STAFF_ROLE_ADMIN)) {
          return absl::PermissionDeniedError(
              "a therapist sees their own caseload");
        }
        absl::StatusOr<std::vector<v1::TherapyPlan>> plans =
            store_->Caseload(therapist, &audit);
        if (!plans.ok()) return plans.status();
        if (plans->empty()) return absl::OkStatus();
        // One batch read of the therapist's visits over every plan's span.
        absl::CivilDay first = ToDay((*plans)[0].start_date());
        absl::CivilDay last = first;
        for (const v1::TherapyPlan& p : *plans) {
          first = std::min(first, ToDay(p.start_date()));
          last = std::max(last, std::max(PlanEnd(p), CertificationEnd(p)));
        }
        VisitQuery q;
        q.therapist = therapist;
        q.from = absl::FromCivil(first - 1, absl::UTCTimeZone());
        q.to = absl::FromCivil(last + 2, absl::UTCTimeZone());
        absl::StatusOr<std::map<std::string, std::vector<Visit>>> visits =
            options_.appointments->Visits(call, q);
        if (!visits.ok()) return visits.status();
        std::vector<v1::CaseloadEntry> entries;
        for (v1::TherapyPlan& p : *plans) {
          Fill(p, (*visits)[p.patient()]);
          v1::CaseloadEntry e;
          e.set_urgency(p.alerts().empty() ? 4 : p.alerts(0).urgency());
          *e.mutable_plan() = std::move(p);
          entries.push_back(std::move(e));
        }
        std::stable_sort(
            entries.begin(), entries.end(),
            [](const v1::CaseloadEntry& a, const v1::CaseloadEntry& b) {
              if (a.urgency() != b.urgency()) {
                return a.urgency() < b.urgency();
              }
              const auto& na = a.plan().visits().next_visit();
              const auto& nb = b.plan().visits().next_visit();
              const int64_t sa = na.seconds() == 0 ? INT64_MAX : na.seconds();
              const int64_t sb = nb.seconds() == 0 ? INT64_MAX : nb.seconds();
              return sa < sb;
            });
        for (v1::CaseloadEntry& e : entries)
          *resp->add_entries() = std::move(e);
        return absl::OkStatus();
      },
      req->therapist());
}

grpc::ServerUnaryReactor* TherapyPlanServiceImpl::ListTherapyPlanAuditEvents(
    grpc::CallbackServerContext* context,
    const audit::v1::ListAuditEventsRequest* req,
    audit::v1::ListAuditEventsResponse* resp) {
  return rpcs_.Serve(context, "ListTherapyPlanAuditEvents",
                     [=](const server::Call&) -> absl::Status {
                       absl::StatusOr<audit::v1::ListAuditEventsResponse> r =
                           store_->ListAuditEvents(*req);
                       if (!r.ok()) return r.status();
                       *resp = *std::move(r);
                       return absl::OkStatus();
                     });
}

}  // namespace clinic::therapy_plans
