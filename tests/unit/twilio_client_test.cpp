#include <gtest/gtest.h>

#include "sms/twilio_client.hpp"

namespace onboard::courier {
namespace {

TEST(TwilioError, ReadsCodeMessageAndMoreInfoFromTwiliosErrorDocument) {
  std::string code, message, more;
  ParseTwilioError(R"({"code": 21211, "message": "Invalid 'To' Phone Number: +47********67",
                       "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})",
                   code, message, more);
  EXPECT_EQ(code, "21211");
  EXPECT_EQ(message, "Invalid 'To' Phone Number: +47********67");
  EXPECT_EQ(more, "https://www.twilio.com/docs/errors/21211");
}

TEST(TwilioError, LeavesEverythingEmptyForABodyThatIsNotJson) {
  std::string code = "x", message = "y", more = "z";
  ParseTwilioError("<html>Bad Gateway</html>", code, message, more);
  EXPECT_EQ(code, "");
  EXPECT_EQ(message, "");
  EXPECT_EQ(more, "");
}

TEST(TwilioDateFilter, FormatsTheTimeAsIso8601Utc) {
  const auto t = std::chrono::system_clock::time_point(
      std::chrono::seconds(1764590400));  // 2025-12-01 12:00:00Z
  EXPECT_EQ(IsoUtc(t), "2025-12-01T12:00:00Z");
}

}  // namespace
}  // namespace onboard::courier
