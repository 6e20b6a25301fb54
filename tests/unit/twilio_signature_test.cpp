#include <gtest/gtest.h>

#include "twilio_signature.hpp"

namespace onboard::twilio {
namespace {

// The worked example of Twilio's "Validating requests" documentation (auth token 12345).
const char* const kDocUrl = "https://mycompany.com/myapp.php?foo=1&bar=2";

FormParams DocParams(const std::string& caller) {
  return {{"Digits", "1234"},
          {"To", "+18005551212"},
          {"From", caller},
          {"Caller", caller},
          {"CallSid", "CA1234567890ABCDE"}};
}

TEST(TwilioSignature, MatchesTwiliosDocumentedExample) {
  EXPECT_EQ(Signature("12345", kDocUrl, DocParams("+12349013030")), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
  EXPECT_EQ(Signature("12345", kDocUrl, DocParams("+14158675310")), "GvWf1cFY/Q7PnoempGyD5oXAezc=");
}

TEST(TwilioSignature, SignsTheUrlThenParametersSortedByNameAsNamePlusValue) {
  EXPECT_EQ(SignedText("https://x.example/cb?d=1", {{"b", "2"}, {"a", "1"}, {"B", "3"}}),
            "https://x.example/cb?d=1B3a1b2");
}

TEST(TwilioSignature, AcceptsTheValidSignatureInAnyParameterOrder) {
  FormParams reversed = DocParams("+12349013030");
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_TRUE(ValidSignature("12345", kDocUrl, reversed, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST(TwilioSignature, RejectsAChangedParameterUrlOrToken) {
  auto params = DocParams("+12349013030");
  params[0].second = "1235";
  EXPECT_FALSE(ValidSignature("12345", kDocUrl, params, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(ValidSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=3",
                              DocParams("+12349013030"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
  EXPECT_FALSE(
      ValidSignature("12346", kDocUrl, DocParams("+12349013030"), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
}

TEST(TwilioSignature, NeverValidatesWithAnEmptyTokenOrSignature) {
  EXPECT_FALSE(ValidSignature("", kDocUrl, DocParams("+12349013030"),
                              Signature("", kDocUrl, DocParams("+12349013030"))));
  EXPECT_FALSE(ValidSignature("12345", kDocUrl, DocParams("+12349013030"), ""));
}

}  // namespace
}  // namespace onboard::twilio
