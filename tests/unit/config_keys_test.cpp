// Unknown keys in the configuration file are refused at start-up (a typo such as
// `http.prot` would otherwise leave the default in force without a word).
#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/PropertyFileConfiguration.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "config.hpp"
#include "config_fixtures.hpp"

namespace onboard {
namespace {

const std::string kUrl = testsupport::kConfigDatabaseUrl;

std::vector<std::string> ProblemsOf(const Poco::Util::AbstractConfiguration* file) {
  return testsupport::ConfigProblems({}, file);
}

// The problems of a configuration file with database.url and `keys`.
std::vector<std::string> ProblemsOfFileWith(
    const std::vector<std::pair<std::string, std::string>>& keys) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration();
  file->setString("database.url", kUrl);
  for (const auto& [key, value] : keys) file->setString(key, value);
  return ProblemsOf(file.get());
}

TEST(ConfigKeys, ATypoInAKeyIsRejectedWithTheKeyItProbablyMeant) {
  const auto problems = ProblemsOfFileWith({{"http.prot", "9000"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "http.prot: unknown configuration key (did you mean http.port?)");
}

TEST(ConfigKeys, AnUnknownSectionIsRejectedWithoutASuggestionWhenNothingIsClose) {
  const auto problems = ProblemsOfFileWith({{"frobnicator.level", "11"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0], "frobnicator.level: unknown configuration key");
}

TEST(ConfigKeys, EveryUnknownKeyIsReportedNotOnlyTheFirst) {
  const auto problems =
      ProblemsOfFileWith({{"http.prot", "1"}, {"log.levle", "debug"}, {"database", "oops"}});
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
