#include "services/screenings/protocol.h"

#include "gtest/gtest.h"
#include "services/common/status/errors.h"
#include "services/screenings/protocol_files.h"

namespace clinic::screenings {
namespace {

using v1::ScreeningAnswer;

class KneeProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(ProtocolFiles().size(), 1u);
    auto p = ParseProtocol(ProtocolFiles()[0].name, ProtocolFiles()[0].sql);
    ASSERT_TRUE(p.ok()) << p.status();
    protocol_ = *std::move(p);
  }
  static ScreeningAnswer Yes(const std::string& q, bool yes = true) {
    ScreeningAnswer a;
    a.set_question(q);
    a.set_yes(yes);
    return a;
  }
  static ScreeningAnswer Choose(const std::string& q,
                                std::initializer_list<const char*> options) {
    ScreeningAnswer a;
    a.set_question(q);
    for (const char* o : options) a.add_options(o);
    return a;
  }
  v1::ScreeningEvaluation Eval(std::initializer_list<ScreeningAnswer> list) {
    google::protobuf::RepeatedPtrField<ScreeningAnswer> answers;
    for (const ScreeningAnswer& a : list) *answers.Add() = a;
    auto e = Evaluate(protocol_, answers);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? *e : v1::ScreeningEvaluation();
  }
  v1::ScreeningProtocol protocol_;
};

TEST_F(KneeProtocolTest, TheShippedProtocolLoads) {
  EXPECT_EQ(protocol_.name(), "screeningProtocols/inner-knee-runner");
  EXPECT_EQ(protocol_.causes_size(), 3);
  EXPECT_EQ(protocol_.red_flags_size(), 5);
  EXPECT_FALSE(protocol_.disclaimer().empty());
}

TEST_F(KneeProtocolTest, AMeniscusStoryRanksTheMeniscusFirst) {
  auto e = Eval({Yes("twist-landing"), Yes("locking-catching"),
                 Choose("pain-location", {"joint-line"}), Yes("swelling")});
  ASSERT_GE(e.considerations_size(), 1);
  EXPECT_EQ(e.considerations(0).cause(), "medial-meniscus-tear");
  EXPECT_EQ(e.considerations(0).supported_by(0),
            "Locking, catching or giving way");  // strongest first
  EXPECT_FALSE(e.refer_to_physician());
  EXPECT_FALSE(e.disclaimer().empty());
}

TEST_F(KneeProtocolTest, ARunnersTrainingStoryRanksPesAnserineFirst) {
  auto e = Eval({Choose("pain-location", {"below-joint-line"}),
                 Yes("neglected-stretching"), Yes("hill-running"),
                 Yes("mileage-jump"), Yes("tight-hamstrings")});
  ASSERT_GE(e.considerations_size(), 1);
  EXPECT_EQ(e.considerations(0).cause(), "pes-anserine-bursitis");
  EXPECT_EQ(e.considerations(0).score(), 15);
  EXPECT_EQ(e.considerations_size(), 1);  // nothing else is supported
}

TEST_F(KneeProtocolTest, FrontOfKneeOnStairsAndSquatsRanksTheKneecapFirst) {
  auto e = Eval({Choose("pain-location", {"front-kneecap"}),
                 Choose("worse-with", {"running", "stairs", "squatting"}),
                 Yes("swelling")});
  ASSERT_GE(e.considerations_size(), 2);
  EXPECT_EQ(e.considerations(0).cause(), "kneecap-misalignment");
}

TEST_F(KneeProtocolTest, EveryRedFlagOverridesWithAReferral) {
  for (const char* q :
       {"fever-hot-joint", "numbness", "deformity", "locked-straight"}) {
    auto e = Eval({Choose("pain-location", {"below-joint-line"}),
                   Yes("tight-hamstrings"), Yes(q)});
    EXPECT_TRUE(e.refer_to_physician()) << q;
    EXPECT_EQ(e.red_flags_size(), 1) << q;
    // The ranking is still shown, as support for the referral letter.
    EXPECT_GE(e.considerations_size(), 1) << q;
  }
}

TEST_F(KneeProtocolTest, TheOttawaRuleNeedsAnInjuryAndOneCriterion) {
  for (const char* criterion :
       {"age-55-plus", "fibula-head-tender", "kneecap-tender-only",
        "cannot-flex-90", "four-steps"}) {
    EXPECT_TRUE(Eval({Yes("fall-or-twist-injury"), Yes(criterion)})
                    .refer_to_physician())
        << criterion;
    EXPECT_FALSE(Eval({Yes(criterion)}).refer_to_physician()) << criterion;
    EXPECT_FALSE(Eval({Yes("fall-or-twist-injury", false), Yes(criterion)})
                     .refer_to_physician())
        << criterion;
  }
  EXPECT_FALSE(Eval({Yes("fall-or-twist-injury")}).refer_to_physician());
}

TEST_F(KneeProtocolTest, NoAnswersNoConsiderations) {
  auto e = Eval({});
  EXPECT_EQ(e.considerations_size(), 0);
  EXPECT_FALSE(e.refer_to_physician());
}

TEST_F(KneeProtocolTest, BadAnswersAreRefusedNamingEach) {
  google::protobuf::RepeatedPtrField<ScreeningAnswer> answers;
  *answers.Add() = Yes("no-such-question");
  *answers.Add() = Choose("pain-location", {"elbow"});
  ScreeningAnswer pain;
  pain.set_question("pain-now");
  pain.set_value(11);
  *answers.Add() = pain;
  *answers.Add() = Yes("swelling");
  *answers.Add() = Yes("swelling");
  absl::Status s = Evaluate(protocol_, answers).status();
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  std::vector<std::string> fields;
  for (const auto& v : status::FieldViolationsOf(s)) fields.push_back(v.field);
  EXPECT_EQ(fields, (std::vector<std::string>{
                        "answers[0].question", "answers[1].options",
                        "answers[2].value", "answers[4].question"}));
}

TEST(ParseProtocolTest, RefusesBrokenProtocols) {
  EXPECT_FALSE(ParseProtocol("x", "not a protocol {").ok());
  EXPECT_FALSE(ParseProtocol("x", R"(name: "bad" version: 1)").ok());
  EXPECT_FALSE(ParseProtocol("x", R"(
    name: "screeningProtocols/x" version: 1
    questions { id: "q" text: "?" kind: QUESTION_KIND_YES_NO }
    causes { id: "c" evidence { when { question: "missing" yes: true } weight: 1 } }
  )")
                   .ok());
  EXPECT_FALSE(ParseProtocol("x", R"(
    name: "screeningProtocols/x" version: 1
    questions { id: "q" text: "?" kind: QUESTION_KIND_YES_NO }
    questions { id: "q" text: "again" kind: QUESTION_KIND_YES_NO }
  )")
                   .ok());
  EXPECT_TRUE(ParseProtocol("x", R"(
    name: "screeningProtocols/x" version: 1
    questions { id: "q" text: "?" kind: QUESTION_KIND_YES_NO }
    causes { id: "c" evidence { when { question: "q" yes: true } weight: 1 } }
  )")
                  .ok());
}

}  // namespace
}  // namespace clinic::screenings
