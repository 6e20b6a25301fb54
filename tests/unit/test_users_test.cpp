#include "test_users.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <set>
#include <string>

namespace onboard::domain {
namespace {

// A UniformRandom that replays fixed values (and fails the test when it runs dry).
UniformRandom Replay(std::deque<uint32_t> values) {
  auto queue = std::make_shared<std::deque<uint32_t>>(std::move(values));
  return [queue](uint32_t bound) -> uint32_t {
    if (queue->empty()) {
      ADD_FAILURE() << "the generator drew more numbers than the test planned";
      return 0;
    }
    const uint32_t v = queue->front();
    queue->pop_front();
    EXPECT_LT(v, bound);
    return v;
  };
}

// Worked by hand with the weights from DOMAIN.md:
//   0 1 8 1 9 0 1 2 3 (1 Jan 1990 + 80 months -> 01 81 90, individual 123)
//   k1: 3*0+7*1+6*8+1*1+8*9+9*0+4*1+5*2+2*3 = 148; 148 mod 11 = 5; 11-5 = 6
//   k2: 5*0+4*1+3*8+2*1+7*9+6*0+5*1+4*2+3*3+2*6 = 127; 127 mod 11 = 6; 11-6 = 5
TEST(TestUserNumbers, ComputesBothCheckDigits) {
  EXPECT_EQ(PidCheckDigits("018190123"), std::make_pair(6, 5));
  EXPECT_TRUE(HasValidPidCheckDigits("01819012365"));
  EXPECT_TRUE(IsSyntheticPid("01819012365"));
}

// 1 5 8 2 8 5 0 0 6: k1 sum 209 = 19*11, so 11 - 0 = 11, which becomes 0;
// k2 over ...6 0: 157; 157 mod 11 = 3; 11-3 = 8.
TEST(TestUserNumbers, ACheckDigitOfElevenBecomesZero) {
  EXPECT_EQ(PidCheckDigits("158285006"), std::make_pair(0, 8));
  EXPECT_TRUE(IsSyntheticPid("15828500608"));
  // 1 5 8 2 8 5 0 0 9: k1 sum 215 -> 5; k2 over ...9 5: 176 = 16*11 -> 0.
  EXPECT_EQ(PidCheckDigits("158285009"), std::make_pair(5, 0));
  EXPECT_TRUE(IsSyntheticPid("15828500950"));
}

// 1 5 8 2 8 5 0 0 1: k1 sum 199; 199 mod 11 = 1; 11-1 = 10: no valid number.
// 1 5 8 2 8 5 0 0 8: k1 sum 213 -> 7; k2 over ...8 7: 177; 177 mod 11 = 1 -> 10: none.
TEST(TestUserNumbers, NineDigitsWhoseCheckDigitWouldBeTenHaveNoValidNumber) {
  EXPECT_EQ(PidCheckDigits("158285001"), std::nullopt);
  EXPECT_EQ(PidCheckDigits("158285008"), std::nullopt);
  for (int checks = 0; checks <= 99; ++checks) {
    const std::string two = std::to_string(checks / 10) + std::to_string(checks % 10);
    EXPECT_FALSE(HasValidPidCheckDigits("158285001" + two)) << two;
    EXPECT_FALSE(HasValidPidCheckDigits("158285008" + two)) << two;
  }
}

TEST(TestUserNumbers, RejectsWrongCheckDigitsLengthsAndCharacters) {
  EXPECT_FALSE(HasValidPidCheckDigits("01819012366"));
  EXPECT_FALSE(HasValidPidCheckDigits("01819012375"));
  EXPECT_FALSE(HasValidPidCheckDigits("0181901236"));
  EXPECT_FALSE(HasValidPidCheckDigits("018190123650"));
  EXPECT_FALSE(HasValidPidCheckDigits("0181901236x"));
  EXPECT_FALSE(HasValidPidCheckDigits(""));
  EXPECT_EQ(PidCheckDigits("01819012"), std::nullopt);
  EXPECT_EQ(PidCheckDigits("01819012a"), std::nullopt);
}

// 0 1 0 1 9 0 1 2 0 (a real month): k1 sum 94 -> 5; k2 sum 92 -> 7. Valid check digits,
// but the month is 01: a real person's kind of number, never a test user.
TEST(TestUserNumbers, OnlyMonthsPlusEightyAreSynthetic) {
  EXPECT_TRUE(HasValidPidCheckDigits("01019012057"));
  EXPECT_FALSE(IsSyntheticPid("01019012057"));
  EXPECT_TRUE(HasValidPidCheckDigits("01939000077"));  // month 93
  EXPECT_FALSE(IsSyntheticPid("01939000077"));
  EXPECT_TRUE(HasValidPidCheckDigits("32819000181"));  // day 32
  EXPECT_FALSE(IsSyntheticPid("32819000181"));
}

// Draw 0 everywhere: 1 Jan 1940, individual 000 -> 01 81 40 000.
// k1: 7*1 + 6*8 + 1*1 + 8*4 = 88 = 8*11 -> 0; k2: 4*1 + 3*8 + 2*1 + 7*4 = 58; 58 mod 11 = 3 -> 8.
TEST(TestUserNumbers, GeneratesFromTheDrawnBirthDateAndIndividualNumber) {
  EXPECT_EQ(GenerateSyntheticPid(Replay({0, 0})), "01814000008");
  // Day 23200 after 1 Jan 1940 is 9 Jul 2003; born in 2000 or later, so the individual
  // number is 500 + 242 = 742: 09 87 03 742, k1 197 -> 1, k2 151 -> 3.
  EXPECT_EQ(GenerateSyntheticPid(Replay({23200, 242})), "09870374213");
}

TEST(TestUserNumbers, DrawsAgainWhenACheckDigitWouldBeTen) {
  // 15 Feb 1985 is day 16482. Individual 001 gives k1 = 10, 008 gives k2 = 10, 006 is valid.
  EXPECT_EQ(GenerateSyntheticPid(Replay({16482, 1, 16482, 8, 16482, 6})), "15828500608");
}

TEST(TestUserNumbers, EveryGeneratedNumberIsSyntheticAndValid) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::string pid = GenerateSyntheticPid();
    ASSERT_TRUE(IsSyntheticPid(pid)) << pid;
    seen.insert(pid);
  }
  // 2000 draws from millions of numbers: a handful of repeats at most, never a stuck RNG.
  EXPECT_GT(seen.size(), 1990u);
}

TEST(TestUserNumbers, CsprngUniformStaysBelowTheBoundAndCoversIt) {
  std::set<uint32_t> seen;
  for (int i = 0; i < 500; ++i) {
    const uint32_t v = CsprngUniform(7);
    ASSERT_LT(v, 7u);
    seen.insert(v);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(CsprngUniform(1), 0u);
}

TEST(TestUserAllocation, GeneratesOnlyTheShortfall) {
  EXPECT_EQ(TestUserShortfall(0, 5), 5);
  EXPECT_EQ(TestUserShortfall(3, 5), 2);
  EXPECT_EQ(TestUserShortfall(5, 5), 0);
  EXPECT_EQ(TestUserShortfall(8, 5), 0);
}

TEST(TestUserAllocation, AuditDetailNamesTheRequestAndTheGeneratedNumbers) {
  Poco::JSON::Parser parser;
  auto detail = parser.parse(AllocationAuditDetail(5, {"01819012365", "15828500608"}))
                    .extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(detail->getValue<int>("requested"), 5);
  ASSERT_EQ(detail->getArray("generated")->size(), 2u);
  EXPECT_EQ(detail->getArray("generated")->getElement<std::string>(1), "15828500608");
}

}  // namespace
}  // namespace onboard::domain
