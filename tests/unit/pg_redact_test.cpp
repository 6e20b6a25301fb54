#include <gtest/gtest.h>

#include "pg.hpp"

namespace onboard::db {
namespace {

// The service logs its database URL at start-up ("listening", "start-up migration
// failed") through RedactUrl; the configuration accepts URIs and key=value strings.

TEST(RedactUrl, MasksThePasswordOfAUri) {
  const std::string r = RedactUrl("postgresql://onboard:s3cret@127.0.0.1:5432/onboard");
  EXPECT_EQ(r.find("s3cret"), std::string::npos) << r;
  EXPECT_EQ(r, "postgresql://onboard:***@127.0.0.1:5432/onboard");
}

TEST(RedactUrl, LeavesAUriWithoutPasswordAlone) {
  EXPECT_EQ(RedactUrl("postgresql://onboard@127.0.0.1:5432/onboard"),
            "postgresql://onboard@127.0.0.1:5432/onboard");
  EXPECT_EQ(RedactUrl("postgresql://127.0.0.1/onboard"), "postgresql://127.0.0.1/onboard");
}

TEST(RedactUrl, MasksThePasswordOfAKeyValueConnectionString) {
  const std::string r =
      RedactUrl("host=127.0.0.1 port=5432 user=onboard password=s3cret dbname=onboard");
  EXPECT_EQ(r.find("s3cret"), std::string::npos) << r;
}

TEST(RedactUrl, MasksAPasswordGivenAsAUriQueryParameter) {
  const std::string r =
      RedactUrl("postgresql://onboard@127.0.0.1/onboard?password=s3cret&sslmode=disable");
  EXPECT_EQ(r.find("s3cret"), std::string::npos) << r;
}

}  // namespace
}  // namespace onboard::db
