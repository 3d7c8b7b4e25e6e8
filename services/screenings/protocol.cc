#include "services/screenings/protocol.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "google/protobuf/text_format.h"
#include "services/common/status/errors.h"

namespace clinic::screenings {
namespace {

using v1::AnswerMatch;
using v1::ScreeningAnswer;
using v1::ScreeningProtocol;
using v1::ScreeningQuestion;

const ScreeningQuestion* FindQuestion(const ScreeningProtocol& p,
                                      absl::string_view id) {
  for (const ScreeningQuestion& q : p.questions()) {
    if (q.id() == id) return &q;
  }
  return nullptr;
}

bool HasOption(const ScreeningQuestion& q, absl::string_view id) {
  for (const auto& o : q.options()) {
    if (o.id() == id) return true;
  }
  return false;
}

bool IsChoice(const ScreeningQuestion& q) {
  return q.kind() == v1::QUESTION_KIND_SINGLE_CHOICE ||
         q.kind() == v1::QUESTION_KIND_MULTI_CHOICE;
}

// A match refers to a question it can be tested against.
std::string MatchProblem(const ScreeningProtocol& p, const AnswerMatch& m) {
  const ScreeningQuestion* q = FindQuestion(p, m.question());
  if (q == nullptr) return absl::StrCat("unknown question ", m.question());
  if (q->kind() == v1::QUESTION_KIND_FREE_TEXT) {
    return absl::StrCat("free-text question ", q->id(), " cannot be matched");
  }
  if (IsChoice(*q)) {
    if (m.options().empty()) return absl::StrCat(q->id(), ": no options");
    for (const std::string& o : m.options()) {
      if (!HasOption(*q, o)) return absl::StrCat(q->id(), ": no option ", o);
    }
  } else if (!m.options().empty()) {
    return absl::StrCat(q->id(), ": options on a question without options");
  }
  return "";
}

bool Holds(const ScreeningProtocol& p,
           const std::map<std::string, const ScreeningAnswer*>& answers,
           const AnswerMatch& m) {
  auto it = answers.find(m.question());
  if (it == answers.end()) return false;
  const ScreeningAnswer& a = *it->second;
  const ScreeningQuestion* q = FindQuestion(p, m.question());
  if (q == nullptr) return false;
  switch (q->kind()) {
    case v1::QUESTION_KIND_SINGLE_CHOICE:
    case v1::QUESTION_KIND_MULTI_CHOICE:
      for (const std::string& chosen : a.options()) {
        for (const std::string& wanted : m.options()) {
          if (chosen == wanted) return true;
        }
      }
      return false;
    case v1::QUESTION_KIND_YES_NO:
      return a.yes() == m.yes();
    case v1::QUESTION_KIND_SCALE:
      return a.value() >= m.at_least();
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<ScreeningProtocol> ParseProtocol(absl::string_view file,
                                                absl::string_view text) {
  ScreeningProtocol p;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(text), &p)) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": not a text-format ScreeningProtocol"));
  }
  auto bad = [&](const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat(file, ": ", what));
  };
  if (p.name().rfind("screeningProtocols/", 0) != 0) {
    return bad("name must be screeningProtocols/{id}");
  }
  if (p.version() < 1) return bad("version must be at least 1");
  std::set<std::string> ids;
  for (const ScreeningQuestion& q : p.questions()) {
    if (q.id().empty() || !ids.insert(q.id()).second) {
      return bad(absl::StrCat("question id '", q.id(), "' empty or repeated"));
    }
    if (q.kind() == v1::QUESTION_KIND_UNSPECIFIED) {
      return bad(absl::StrCat(q.id(), ": no kind"));
    }
    if (IsChoice(q) != (q.options_size() > 0)) {
      return bad(absl::StrCat(q.id(), ": options go with choice questions"));
    }
    if (q.kind() == v1::QUESTION_KIND_SCALE && q.scale_max() <= q.scale_min()) {
      return bad(absl::StrCat(q.id(), ": scale_max must exceed scale_min"));
    }
  }
  std::set<std::string> causes;
  for (const auto& c : p.causes()) {
    if (c.id().empty() || !causes.insert(c.id()).second) {
      return bad(absl::StrCat("cause id '", c.id(), "' empty or repeated"));
    }
    for (const auto& e : c.evidence()) {
      if (std::string why = MatchProblem(p, e.when()); !why.empty()) {
        return bad(absl::StrCat(c.id(), ": ", why));
      }
      if (e.weight() < 1 || e.weight() > 10) {
        return bad(absl::StrCat(c.id(), ": weights are 1 to 10"));
      }
    }
  }
  for (const auto& f : p.red_flags()) {
    if (f.any().empty() && f.all().empty()) {
      return bad(absl::StrCat("red flag ", f.id(), " matches nothing"));
    }
    for (const auto* list : {&f.any(), &f.all()}) {
      for (const AnswerMatch& m : *list) {
        if (std::string why = MatchProblem(p, m); !why.empty()) {
          return bad(absl::StrCat("red flag ", f.id(), ": ", why));
        }
      }
    }
  }
  return p;
}

absl::StatusOr<v1::ScreeningEvaluation> Evaluate(
    const ScreeningProtocol& p,
    const google::protobuf::RepeatedPtrField<ScreeningAnswer>& answers) {
  status::Violations v;
  std::map<std::string, const ScreeningAnswer*> by_question;
  for (int i = 0; i < answers.size(); ++i) {
    const ScreeningAnswer& a = answers[i];
    const std::string at = absl::StrCat("answers[", i, "]");
    const ScreeningQuestion* q = FindQuestion(p, a.question());
    if (q == nullptr) {
      v.Add(absl::StrCat(at, ".question"), "is not a question of the protocol");
      continue;
    }
    if (!by_question.emplace(a.question(), &a).second) {
      v.Add(absl::StrCat(at, ".question"), "is answered twice");
    }
    if (IsChoice(*q)) {
      if (q->kind() == v1::QUESTION_KIND_SINGLE_CHOICE &&
          a.options_size() > 1) {
        v.Add(absl::StrCat(at, ".options"), "takes one option");
      }
      for (const std::string& o : a.options()) {
        if (!HasOption(*q, o)) {
          v.Add(absl::StrCat(at, ".options"),
                absl::StrCat("'", o, "' is not an option of this question"));
        }
      }
    }
    if (q->kind() == v1::QUESTION_KIND_SCALE &&
        (a.value() < q->scale_min() || a.value() > q->scale_max())) {
      v.Add(absl::StrCat(at, ".value"),
            absl::StrCat("must be from ", q->scale_min(), " to ",
                         q->scale_max()));
    }
  }
  if (!v.empty()) return v.ToStatus();

  v1::ScreeningEvaluation out;
  out.set_protocol(p.name());
  out.set_protocol_version(p.version());
  out.set_disclaimer(p.disclaimer());
  struct Ranked {
    int order;
    v1::Consideration c;
  };
  std::vector<Ranked> ranked;
  for (int i = 0; i < p.causes_size(); ++i) {
    const auto& cause = p.causes(i);
    std::vector<std::pair<int, std::string>> reasons;
    int score = 0;
    for (const auto& e : cause.evidence()) {
      if (Holds(p, by_question, e.when())) {
        score += e.weight();
        reasons.push_back({e.weight(), e.reason()});
      }
    }
    if (score == 0) continue;
    std::stable_sort(
        reasons.begin(), reasons.end(),
        [](const auto& a, const auto& b) { return a.first > b.first; });
    v1::Consideration c;
    c.set_cause(cause.id());
    c.set_name(cause.name());
    c.set_score(score);
    for (auto& r : reasons) c.add_supported_by(r.second);
    ranked.push_back({i, std::move(c)});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) {
                     return a.c.score() > b.c.score();
                   });
  for (Ranked& r : ranked) *out.add_considerations() = std::move(r.c);
  for (const auto& f : p.red_flags()) {
    bool all = true;
    for (const AnswerMatch& m : f.all()) all = all && Holds(p, by_question, m);
    bool any = f.any().empty();
    for (const AnswerMatch& m : f.any()) any = any || Holds(p, by_question, m);
    if (all && any) out.add_red_flags(f.text());
  }
  out.set_refer_to_physician(out.red_flags_size() > 0);
  return out;
}

}  // namespace clinic::screenings
