#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "config.hpp"
#include "config_fixtures.hpp"

namespace onboard {
namespace {

using Env = testsupport::ConfigEnv;
using testsupport::AnyMentions;
const std::string kUrl = testsupport::kConfigDatabaseUrl;

Env WithUrl(Env env = {}) {
  env.emplace("ONBOARD_DATABASE_URL", kUrl);
  return env;
}

std::vector<std::string> ProblemsOf(const Poco::Util::AbstractConfiguration* file, const Env& env) {
  return testsupport::ConfigProblems(env, file);
}

TEST(Config, UsesDocumentedDefaultsWhenOnlyTheDatabaseUrlIsGiven) {
  const AppConfig c = LoadConfig(nullptr, WithUrl());
  EXPECT_EQ(c.database.url, kUrl);
  EXPECT_EQ(c.http.host, "127.0.0.1");
  EXPECT_EQ(c.http.port, 8080);
  EXPECT_EQ(c.http.port_file, "");
  EXPECT_EQ(c.http.max_body_bytes, 1 << 20);
  EXPECT_TRUE(c.http.keep_alive);
  EXPECT_EQ(c.database.pool_size, 16);
  EXPECT_EQ(c.database.acquire_timeout_ms, 2000);
  EXPECT_EQ(c.database.retry_after_s, 2);
  EXPECT_TRUE(c.database.migrate_on_start);
  EXPECT_EQ(c.auth.token_cache_ttl_ms, 2000);
  EXPECT_EQ(c.log.level, "info");
  EXPECT_TRUE(c.log.access);
  EXPECT_FALSE(c.instance_id.empty());
}

TEST(Config, ReadsValuesFromTheFile) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration();
  file->setString("database.url", kUrl);
  file->setString("http.port", "9000");
  file->setString("http.keep_alive", "false");
  file->setString("log.level", "debug");
  const AppConfig c = LoadConfig(file.get(), {});
  EXPECT_EQ(c.http.port, 9000);
  EXPECT_FALSE(c.http.keep_alive);
  EXPECT_EQ(c.log.level, "debug");
}

TEST(Config, LetsTheEnvironmentOverrideTheFile) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration();
  file->setString("database.url", "postgresql://file@db/file");
  file->setString("http.port", "9000");
  file->setString("auth.token_cache_ttl_ms", "100");
  const AppConfig c = LoadConfig(file.get(), {{"ONBOARD_HTTP_PORT", "9100"},
                                              {"ONBOARD_DATABASE_URL", kUrl},
                                              {"ONBOARD_AUTH_TOKEN_CACHE_TTL_MS", "0"}});
  EXPECT_EQ(c.http.port, 9100);
  EXPECT_EQ(c.database.url, kUrl);
  EXPECT_EQ(c.auth.token_cache_ttl_ms, 0);
}

TEST(Config, NamesEnvironmentOverridesAfterTheKey) {
  EXPECT_EQ(EnvNameFor("database.url"), "ONBOARD_DATABASE_URL");
  EXPECT_EQ(EnvNameFor("http.max_body_bytes"), "ONBOARD_HTTP_MAX_BODY_BYTES");
  EXPECT_EQ(EnvNameFor("auth.token_cache_ttl_ms"), "ONBOARD_AUTH_TOKEN_CACHE_TTL_MS");
  EXPECT_EQ(EnvNameFor("instance.id"), "ONBOARD_INSTANCE_ID");
}

TEST(Config, RequiresTheDatabaseUrl) {
  const auto problems = ProblemsOf(nullptr, {});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("database.url"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("ONBOARD_DATABASE_URL"), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("required"), std::string::npos) << problems[0];
}

TEST(Config, TreatsAnEmptyDatabaseUrlAsMissing) {
  const auto problems = ProblemsOf(nullptr, {{"ONBOARD_DATABASE_URL", ""}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("required"), std::string::npos);
}

TEST(Config, RejectsADatabaseUrlThatIsNeitherAUriNorKeyValuePairs) {
  const auto problems = ProblemsOf(nullptr, {{"ONBOARD_DATABASE_URL", "mysql-server"}});
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("database.url"), std::string::npos);
}

TEST(Config, AcceptsPostgresUrisAndKeyValueConnectionStrings) {
  for (const char* url : {"postgresql://u@h/db", "postgres://u@h/db", "host=h dbname=db user=u"}) {
    EXPECT_EQ(LoadConfig(nullptr, {{"ONBOARD_DATABASE_URL", url}}).database.url, url);
  }
}

struct IntKey {
  const char* key;
  int min;
  int max;
};

const IntKey kIntKeys[] = {
    {"http.port", 0, 65535},
    {"http.max_threads", 1, 1024},
    {"http.max_queued", 0, 100000},
    {"http.max_body_bytes", 1024, 64 << 20},
    {"http.keep_alive_timeout_s", 1, 3600},
    {"http.request_timeout_s", 1, 3600},
    {"http.shutdown_grace_s", 0, 600},
    {"database.pool_size", 1, 512},
    {"database.acquire_timeout_ms", 1, 60000},
    {"database.connect_timeout_s", 1, 600},
    {"database.retry_after_s", 1, 3600},
    {"auth.token_cache_ttl_ms", 0, 600000},
};

TEST(Config, RejectsANonIntegerForEveryIntegerKeyNamingTheVariable) {
  for (const auto& k : kIntKeys) {
    const std::string env = EnvNameFor(k.key);
    const auto problems = ProblemsOf(nullptr, WithUrl({{env, "12x"}}));
    ASSERT_EQ(problems.size(), 1u) << k.key;
    EXPECT_EQ(problems[0].rfind(env + ":", 0), 0u) << problems[0];
    EXPECT_NE(problems[0].find("'12x'"), std::string::npos) << problems[0];
  }
}

TEST(Config, RejectsOutOfRangeValuesForEveryIntegerKeyAndAcceptsTheBounds) {
  for (const auto& k : kIntKeys) {
    const std::string env = EnvNameFor(k.key);
    for (long v : {static_cast<long>(k.min) - 1, static_cast<long>(k.max) + 1}) {
      const auto problems = ProblemsOf(nullptr, WithUrl({{env, std::to_string(v)}}));
      ASSERT_EQ(problems.size(), 1u) << k.key << "=" << v;
      EXPECT_EQ(problems[0].rfind(env + ":", 0), 0u) << problems[0];
      EXPECT_NE(
          problems[0].find("between " + std::to_string(k.min) + " and " + std::to_string(k.max)),
          std::string::npos)
          << problems[0];
    }
    EXPECT_TRUE(ProblemsOf(nullptr, WithUrl({{env, std::to_string(k.min)}})).empty()) << k.key;
    EXPECT_TRUE(ProblemsOf(nullptr, WithUrl({{env, std::to_string(k.max)}})).empty()) << k.key;
  }
}

TEST(Config, NamesTheFileKeyWhenTheBadValueCameFromTheFile) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> file = new Poco::Util::MapConfiguration();
  file->setString("http.port", "eighty");
  const auto problems = ProblemsOf(file.get(), WithUrl());
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].rfind("http.port:", 0), 0u) << problems[0];
}

TEST(Config, AcceptsTheUsualSpellingsOfBooleans) {
  for (const char* t : {"true", "1", "yes", "on"}) {
    EXPECT_TRUE(LoadConfig(nullptr, WithUrl({{"ONBOARD_LOG_ACCESS", t}})).log.access) << t;
  }
  for (const char* f : {"false", "0", "no", "off"}) {
    EXPECT_FALSE(LoadConfig(nullptr, WithUrl({{"ONBOARD_LOG_ACCESS", f}})).log.access) << f;
  }
}

TEST(Config, RejectsAnythingElseAsABoolean) {
  for (const char* key : {"http.keep_alive", "database.migrate_on_start", "log.access"}) {
    const auto problems = ProblemsOf(nullptr, WithUrl({{EnvNameFor(key), "maybe"}}));
    ASSERT_EQ(problems.size(), 1u) << key;
    EXPECT_EQ(problems[0].rfind(EnvNameFor(key) + ":", 0), 0u) << problems[0];
  }
}

TEST(Config, RejectsAnUnknownLogLevel) {
  const auto problems = ProblemsOf(nullptr, WithUrl({{"ONBOARD_LOG_LEVEL", "verbose"}}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("log.level"), std::string::npos);
  EXPECT_NE(problems[0].find("verbose"), std::string::npos);
}

TEST(Config, RejectsAnEmptyHost) {
  const auto problems = ProblemsOf(nullptr, WithUrl({{"ONBOARD_HTTP_HOST", ""}}));
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_NE(problems[0].find("http.host"), std::string::npos);
}

TEST(Config, ReportsEveryBadKeyWithItsOwnMessageAtOnce) {
  const auto problems = ProblemsOf(nullptr, {{"ONBOARD_HTTP_PORT", "abc"},
                                             {"ONBOARD_HTTP_MAX_THREADS", "0"},
                                             {"ONBOARD_HTTP_KEEP_ALIVE", "maybe"},
                                             {"ONBOARD_LOG_LEVEL", "loud"},
                                             {"ONBOARD_DATABASE_POOL_SIZE", "-1"}});
  EXPECT_EQ(problems.size(), 6u);  // the five above and the missing database.url
  for (const char* text :
       {"ONBOARD_HTTP_PORT", "ONBOARD_HTTP_MAX_THREADS", "ONBOARD_HTTP_KEEP_ALIVE", "log.level",
        "ONBOARD_DATABASE_POOL_SIZE", "database.url"}) {
    EXPECT_TRUE(AnyMentions(problems, text)) << text;
  }
}

TEST(Config, ListsEveryProblemInTheErrorText) {
  try {
    LoadConfig(nullptr, {{"ONBOARD_HTTP_PORT", "abc"}});
    FAIL() << "no ConfigError";
  } catch (const ConfigError& e) {
    const std::string text = e.what();
    EXPECT_NE(text.find("ONBOARD_HTTP_PORT"), std::string::npos) << text;
    EXPECT_NE(text.find("database.url"), std::string::npos) << text;
  }
}

TEST(Config, TakesTheInstanceIdFromTheEnvironment) {
  EXPECT_EQ(LoadConfig(nullptr, WithUrl({{"ONBOARD_INSTANCE_ID", "api-1"}})).instance_id, "api-1");
}

TEST(Config, ReadsOnlyOnboardVariablesFromTheProcessEnvironment) {
  ::setenv("ONBOARD_UNIT_TEST_PROBE", "1", 1);
  ::setenv("NOT_ONBOARD_PROBE", "1", 1);
  const auto env = ProcessEnvironment();
  EXPECT_EQ(env.count("ONBOARD_UNIT_TEST_PROBE"), 1u);
  EXPECT_EQ(env.count("NOT_ONBOARD_PROBE"), 0u);
  for (const auto& [k, v] : env) EXPECT_EQ(k.rfind("ONBOARD_", 0), 0u) << k;
  ::unsetenv("ONBOARD_UNIT_TEST_PROBE");
  ::unsetenv("NOT_ONBOARD_PROBE");
}

}  // namespace
}  // namespace onboard
