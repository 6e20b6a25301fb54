#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

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
  f.Str("route", "/x\n{\"msg\":\"forged\"}\\")
      .Str("actor", "bj\xC3\xB8rn \xFF\xC0\xAF")
      .Num("status", 201LL)
      .Num("latency_ms", 1.5);
  ::testing::internal::CaptureStdout();
  WriteFields(Level::kInfo, "access", f);
  Flush();
  const std::string out = ::testing::internal::GetCapturedStdout();
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out.find('\n'), out.size() - 1) << out;
  Poco::JSON::Parser parser;
  auto obj = parser.parse(out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(obj->getValue<std::string>("msg"), "access");
  EXPECT_EQ(obj->getValue<std::string>("level"), "info");
  EXPECT_EQ(obj->getValue<std::string>("route"), "/x\n{\"msg\":\"forged\"}\\");
  // Valid UTF-8 stays; invalid bytes (and an overlong '/') become U+FFFD.
  EXPECT_EQ(obj->getValue<std::string>("actor"),
            "bj\xC3\xB8rn \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(obj->getValue<int>("status"), 201);
  EXPECT_DOUBLE_EQ(obj->getValue<double>("latency_ms"), 1.5);
  EXPECT_EQ(obj->getValue<std::string>("ts").back(), 'Z');
}

TEST(LogFields, WriteTheBareLineWhenThereAreNoFields) {
  SetLevel(Level::kInfo);
  ::testing::internal::CaptureStdout();
  WriteFields(Level::kInfo, "idle", Fields());
  Flush();
  const std::string out = ::testing::internal::GetCapturedStdout();
  Poco::JSON::Parser parser;
  auto obj = parser.parse(out).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(obj->size(), 3u);
}

// Access-log lines are batched; a line written at once (a warning) goes out after them,
// so the output keeps the order in which lines were logged.
TEST(LogFields, ABatchedLineGoesOutBeforeALaterImmediateOne) {
  SetLevel(Level::kInfo);
  ::testing::internal::CaptureStdout();
  WriteFields(Level::kInfo, "first", Fields().Str("n", "1"));
  WriteFields(Level::kInfo, "second", Fields().Str("n", "2"));
  Warn("third");
  const std::string out = ::testing::internal::GetCapturedStdout();
  const auto first = out.find("\"first\"");
  const auto second = out.find("\"second\"");
  const auto third = out.find("\"third\"");
  ASSERT_NE(first, std::string::npos) << out;
  ASSERT_NE(third, std::string::npos) << out;
  EXPECT_LT(first, second);
  EXPECT_LT(second, third);
}

// Without any other line, a batched line reaches stdout on its own within the flush period.
TEST(LogFields, ABatchedLineReachesStdoutOnItsOwnWithinTheFlushPeriod) {
  SetLevel(Level::kInfo);
  ::testing::internal::CaptureStdout();
  WriteFields(Level::kInfo, "alone", Fields());
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_NE(out.find("\"alone\""), std::string::npos) << out;
}

}  // namespace
}  // namespace onboard::log
