#include <gtest/gtest.h>

#include <set>

#include "api_token.hpp"
#include "error.hpp"
#include "roles.hpp"

namespace onboard::domain {
namespace {

TEST(TokenSecret, IsTheOnbPrefixAnd43Base64UrlCharacters) {
  const auto secret = GenerateTokenSecret();
  const std::string& t = secret.reveal();
  ASSERT_EQ(t.size(), 4u + 43u) << t;
  EXPECT_EQ(t.rfind("onb_", 0), 0u);
  EXPECT_EQ(
      t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", 4),
      std::string::npos)
      << t;
}

TEST(TokenSecret, IsDifferentEveryTime) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(GenerateTokenSecret().reveal());
  EXPECT_EQ(seen.size(), 100u);
}

TEST(TokenHash, IsTheLowerCaseHexSha256OfTheToken) {
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const auto secret = GenerateTokenSecret();
  const std::string h = HashToken(secret.reveal());
  EXPECT_EQ(h.size(), 64u);
  EXPECT_EQ(h.find(secret.reveal().substr(4, 8)), std::string::npos);
  EXPECT_NE(HashToken("onb_a"), HashToken("onb_b"));
}

TEST(TokenPrefix, IsTheOnbPrefixAndTheFirstSixRandomCharacters) {
  EXPECT_EQ(TokenDisplayPrefix("onb_ABCDEFGHIJKL"), "onb_ABCDEF");
  const auto secret = GenerateTokenSecret();
  const std::string prefix = TokenDisplayPrefix(secret.reveal());
  EXPECT_EQ(prefix.size(), 10u);
  EXPECT_EQ(secret.reveal().rfind(prefix, 0), 0u);
}

TEST(TokenPrefix, DoesNotReadPastAShortInput) { EXPECT_EQ(TokenDisplayPrefix("onb_x"), "onb_x"); }

std::vector<FieldError> ValidationErrors(const std::string& name, std::optional<int> days) {
  try {
    ValidateNewToken(name, days);
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    return e.field_errors();
  }
  return {};
}

TEST(NewToken, AcceptsNamesOfLettersDigitsAndDotUnderscoreDashAt) {
  EXPECT_TRUE(ValidationErrors("ci-deploy_1.prod@team", std::nullopt).empty());
  EXPECT_TRUE(ValidationErrors(std::string(100, 'a'), 1).empty());
  EXPECT_TRUE(ValidationErrors("x", 3650).empty());
}

TEST(NewToken, RejectsEmptyLongOrOddNames) {
  for (const std::string& bad : {std::string(), std::string(101, 'a'), std::string("with space"),
                                 std::string("slash/"), std::string("ø"), std::string("tab\t")}) {
    const auto errors = ValidationErrors(bad, std::nullopt);
    ASSERT_EQ(errors.size(), 1u) << bad;
    EXPECT_EQ(errors[0].path, "name");
    EXPECT_EQ(errors[0].code, "invalid_name");
  }
}

TEST(NewToken, RejectsAnExpiryOutsideOneToTenYears) {
  for (int days : {0, -1, 3651}) {
    const auto errors = ValidationErrors("ok", days);
    ASSERT_EQ(errors.size(), 1u) << days;
    EXPECT_EQ(errors[0].path, "expires_in_days");
    EXPECT_EQ(errors[0].code, "out_of_range");
  }
}

TEST(NewToken, ReportsNameAndExpiryProblemsTogether) {
  EXPECT_EQ(ValidationErrors("", 0).size(), 2u);
}

TEST(Roles, RoundTripThroughTheirNames) {
  for (Role r : {Role::kOperator, Role::kPortal, Role::kAuditor, Role::kProvider}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_EQ(RoleName(Role::kOperator), "operator");
  EXPECT_EQ(RoleName(Role::kPortal), "portal");
  EXPECT_EQ(RoleName(Role::kAuditor), "auditor");
  EXPECT_EQ(RoleName(Role::kProvider), "provider");
}

TEST(Roles, AreCaseSensitiveAndRejectUnknownNames) {
  EXPECT_FALSE(ParseRole("Operator"));
  EXPECT_FALSE(ParseRole("admin"));
  EXPECT_FALSE(ParseRole(""));
  EXPECT_FALSE(ParseRole("system"));
}

TEST(Roles, HaveDistinctBits) {
  std::set<unsigned> bits;
  for (Role r : {Role::kOperator, Role::kPortal, Role::kAuditor, Role::kProvider})
    bits.insert(RoleBit(r));
  EXPECT_EQ(bits.size(), 4u);
  for (unsigned b : bits) EXPECT_EQ(b & (b - 1), 0u);
}

}  // namespace
}  // namespace onboard::domain
