#include "orgno.hpp"

#include <gtest/gtest.h>

#include <array>
#include <string>

namespace onboard::domain {
namespace {

int ReferenceCheckDigit(const std::string& first_eight) {
  constexpr std::array<int, 8> kWeights{3, 2, 7, 6, 5, 4, 3, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += (first_eight[i] - '0') * kWeights[i];
  const int check = 11 - sum % 11;
  return check == 11 ? 0 : check;
}

TEST(Orgno, AcceptsRealOrganisationNumbers) {
  EXPECT_TRUE(IsValidOrgno("974760673"));  // Brønnøysundregistrene
  EXPECT_TRUE(IsValidOrgno("991825827"));  // Digitaliseringsdirektoratet
}

TEST(Orgno, RejectsAWrongCheckDigit) {
  EXPECT_FALSE(IsValidOrgno("974760674"));
  EXPECT_FALSE(IsValidOrgno("991825828"));
}

TEST(Orgno, AcceptsCheckDigitZeroWhenRemainderIsZero) {
  EXPECT_TRUE(IsValidOrgno("910000020"));
  EXPECT_FALSE(IsValidOrgno("910000021"));
}

TEST(Orgno, RejectsEveryNumberWhoseCheckDigitWouldBeTen) {
  for (char last = '0'; last <= '9'; ++last) {
    EXPECT_FALSE(IsValidOrgno(std::string("91111111") + last)) << last;
    EXPECT_FALSE(IsValidOrgno(std::string("91234567") + last)) << last;
  }
}

TEST(Orgno, RejectsWrongLengths) {
  EXPECT_FALSE(IsValidOrgno(""));
  EXPECT_FALSE(IsValidOrgno("97476067"));
  EXPECT_FALSE(IsValidOrgno("9747606730"));
}

TEST(Orgno, RejectsNonDigitsAndSeparators) {
  EXPECT_FALSE(IsValidOrgno("97476067a"));
  EXPECT_FALSE(IsValidOrgno("974 760 673"));
  EXPECT_FALSE(IsValidOrgno(" 97476067"));
  EXPECT_FALSE(IsValidOrgno("-97476067"));
  EXPECT_FALSE(IsValidOrgno(std::string("97476067\0", 9)));
}

TEST(Orgno, AgreesWithTheReferenceAlgorithmOverManyPrefixes) {
  for (int prefix = 80000000; prefix < 80000000 + 20000; prefix += 7) {
    const std::string first_eight = std::to_string(prefix);
    const int check = ReferenceCheckDigit(first_eight);
    for (int last = 0; last <= 9; ++last) {
      const bool expected = check != 10 && last == check;
      EXPECT_EQ(IsValidOrgno(first_eight + std::to_string(last)), expected) << first_eight << last;
    }
  }
}

}  // namespace
}  // namespace onboard::domain
