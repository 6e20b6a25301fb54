#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "log.hpp"
#include "log_line.hpp"

namespace onboard::log {
namespace {

TEST(MaskPhone, KeepsOnlyTheLastTwoDigits) {
  EXPECT_EQ(MaskPhone("+4791234567"), "+********67");
  EXPECT_EQ(MaskPhone("91234567"), "******67");
}

TEST(MaskPhone, KeepsSeparatorsAndPlusButMasksEveryOtherDigit) {
  EXPECT_EQ(MaskPhone("+47 912 34 567"), "+** *** ** *67");
}

TEST(MaskPhone, LeavesVeryShortInputAlone) {
  EXPECT_EQ(MaskPhone(""), "");
  EXPECT_EQ(MaskPhone("7"), "7");
  EXPECT_EQ(MaskPhone("12"), "12");
  EXPECT_EQ(MaskPhone("123"), "*23");
}

TEST(MaskPhone, NeverRevealsMoreThanTwoDigits) {
  const std::string masked = MaskPhone("+4798765432");
  int digits = 0;
  for (char c : masked) digits += (c >= '0' && c <= '9') ? 1 : 0;
  EXPECT_EQ(digits, 2);
}

TEST(LogLevel, ParsesTheFourNames) {
  Level l = Level::kInfo;
  EXPECT_TRUE(ParseLevel("debug", l));
  EXPECT_EQ(l, Level::kDebug);
  EXPECT_TRUE(ParseLevel("error", l));
  EXPECT_EQ(l, Level::kError);
  EXPECT_FALSE(ParseLevel("ERROR", l));
  EXPECT_FALSE(ParseLevel("trace", l));
}

TEST(Log, WritesOneJsonObjectPerLineWithTimestampLevelMessageAndFields) {
  SetLevel(Level::kInfo);
  Poco::JSON::Object fields;
  fields.set("request_id", "r-1");
  fields.set("status", 201);
  ::testing::internal::CaptureStdout();
  Info("access", fields);
  const std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.back(), '\n');
  EXPECT_EQ(out.find('\n'), out.size() - 1) << out;
  Poco::JSON::Parser parser;
  auto obj = parser.parse(out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(obj->getValue<std::string>("msg"), "access");
  EXPECT_EQ(obj->getValue<std::string>("level"), "info");
  EXPECT_EQ(obj->getValue<std::string>("request_id"), "r-1");
  EXPECT_EQ(obj->getValue<int>("status"), 201);
  EXPECT_EQ(obj->getValue<std::string>("ts").back(), 'Z');
}

TEST(Log, DropsLinesBelowTheLevel) {
  SetLevel(Level::kWarn);
  ::testing::internal::CaptureStdout();
  Info("hidden");
  Warn("shown");
  const std::string out = ::testing::internal::GetCapturedStdout();
  SetLevel(Level::kInfo);
  EXPECT_EQ(out.find("hidden"), std::string::npos);
  EXPECT_NE(out.find("shown"), std::string::npos);
}

TEST(Log, EscapesControlCharactersSoAMessageCannotForgeALine) {
  SetLevel(Level::kInfo);
  Poco::JSON::Object fields;
  fields.set("route", "/x\n{\"msg\":\"forged\"}");
  ::testing::internal::CaptureStdout();
  Info("access", fields);
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.find('\n'), out.size() - 1) << out;
}

}  // namespace
}  // namespace onboard::log

namespace onboard::log {
namespace {

TEST(LogFields, WriteOneParsableLineWithEveryValueEscaped) {
  SetLevel(Level::kInfo);
  Fields f;
  f.Str("route", "/x\n{\"msg\":\"forged\"}\\").Str("actor", "bj\xC3\xB8rn \xFF\xC0\xAF").Num("status", 201LL).Num(
      "latency_ms", 1.5);
  ::testing::internal::CaptureStdout();
  WriteFields(Level::kInfo, "access", f);
  const std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.find('\n'), out.size() - 1) << out;
  Poco::JSON::Parser parser;
  auto obj = parser.parse(out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(obj->getValue<std::string>("msg"), "access");
  EXPECT_EQ(obj->getValue<std::string>("level"), "info");
  EXPECT_EQ(obj->getValue<std::string>("route"), "/x\n{\"msg\":\"forged\"}\\");
  // Valid UTF-8 stays; invalid bytes (and an overlong '/') become U+FFFD.
  EXPECT_EQ(obj->getValue<std::string>("actor"), "bj\xC3\xB8rn \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(obj->getValue<int>("status"), 201);
  EXPECT_DOUBLE_EQ(obj->getValue<double>("latency_ms"), 1.5);
  EXPECT_EQ(obj->getValue<std::string>("ts").back(), 'Z');
}

TEST(LogFields, WriteTheBareLineWhenThereAreNoFields) {
  SetLevel(Level::kInfo);
  ::testing::internal::CaptureStdout();
  WriteFields(Level::kInfo, "idle", Fields());
  const std::string out = ::testing::internal::GetCapturedStdout();
  Poco::JSON::Parser parser;
  auto obj = parser.parse(out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(obj->size(), 3u);
}

}  // namespace
}  // namespace onboard::log
