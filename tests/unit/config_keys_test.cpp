// Unknown keys in the configuration file are refused at start-up (a typo such as
// `http.prot` would otherwise leave the default in force without a word).
#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "config.hpp"

namespace onboard {
namespace {

const std::string kUrl = "postgresql://onboard@127.0.0.1:5432/onboard";

std::vector<std::string> ProblemsOf(const Poco::Util::AbstractConfiguration* file) {
  try {
    LoadConfig(file, {});
  } catch (const ConfigError& e) {
    return e.problems();
  }
  return {};
}

TEST(ConfigKeys, ATypoInAKeyIsRejectedWithTheKeyItProbablyMeant) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration();
  file->setString("database.url", kUrl);
  file->setString("http.prot", "9000");
  const auto problems = ProblemsOf(file.get());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "http.prot: unknown configuration key (did you mean http.port?)");
}

TEST(ConfigKeys, AnUnknownSectionIsRejectedWithoutASuggestionWhenNothingIsClose) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration();
  file->setString("database.url", kUrl);
  file->setString("frobnicator.level", "11");
  const auto problems = ProblemsOf(file.get());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "frobnicator.level: unknown configuration key");
}

TEST(ConfigKeys, EveryUnknownKeyIsReportedNotOnlyTheFirst) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration();
  file->setString("database.url", kUrl);
  file->setString("http.prot", "1");
  file->setString("log.levle", "debug");
  file->setString("database", "oops");
  const auto problems = ProblemsOf(file.get());
  EXPECT_EQ(problems.size(), 3u);
}

TEST(ConfigKeys, TheExampleFileHoldsOnlyKnownKeys) {
  const std::string path = std::string(ONBOARD_SOURCE_DIR) + "/ops/onboard.example.properties";
  ASSERT_TRUE(std::ifstream(path).good()) << path;
  Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file =
      new Poco::Util::PropertyFileConfiguration(path);
  EXPECT_EQ(ProblemsOf(file.get()), std::vector<std::string>{});
}

TEST(ConfigKeys, EnvironmentVariablesThatAreNotKeysAreLeftAlone) {
  // ONBOARD_CONFIG, ONBOARD_TEST_* and the like are not configuration keys.
  EXPECT_NO_THROW(LoadConfig(nullptr, {{"ONBOARD_DATABASE_URL", kUrl},
                                       {"ONBOARD_CONFIG", "/x"},
                                       {"ONBOARD_TEST_ADMIN_URL", kUrl}}));
}

}  // namespace
}  // namespace onboard
