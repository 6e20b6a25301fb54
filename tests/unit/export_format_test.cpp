// The hand-written formatting of the audit export's hot loop (ops/bench --only export)
// against what it replaced: the C library's gmtime_r/printf for times, a plain
// character-by-character CSV escaper.

#include <gtest/gtest.h>

#include <cstdio>
#include <ctime>
#include <random>
#include <string>

#include "audit_export.hpp"

namespace onboard::domain {
namespace {

std::string LibcRfc3339(int64_t us) {
  int64_t secs = us / 1000000;
  int64_t frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(frac));
  return buf;
}

std::string PlainCsv(std::string_view v) {
  const bool formula = !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' ||
                                      v[0] == '\t' || v[0] == '\r');
  bool quote = false;
  for (char c : v) quote = quote || c == ',' || c == '"' || c == '\r' || c == '\n';
  std::string out;
  if (quote) out += '"';
  if (formula) out += '\'';
  for (char c : v) {
    if (quote && c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
  return out;
}

TEST(ExportFormat, TimesMatchTheCLibraryFromEpochToYear9999) {
  const int64_t fixed[] = {0,
                           -1,
                           -1000000,
                           -86400LL * 1000000 - 1,
                           951782400LL * 1000000,           // 2000-02-29
                           951868799LL * 1000000 + 999999,  // 2000-02-29T23:59:59.999999
                           4107542400LL * 1000000,          // 2100-03-01
                           1796137684123456LL,
                           253402300799LL * 1000000 + 999999,  // 9999-12-31T23:59:59.999999
                           -62135596800LL * 1000000};          // 0001-01-01
  for (int64_t us : fixed) EXPECT_EQ(Rfc3339FromMicros(us), LibcRfc3339(us)) << us;
  std::mt19937_64 rng(20261201);
  std::uniform_int_distribution<int64_t> any(-62135596800LL * 1000000, 253402300799LL * 1000000);
  for (int i = 0; i < 200000; ++i) {
    const int64_t us = any(rng);
    ASSERT_EQ(Rfc3339FromMicros(us), LibcRfc3339(us)) << us;
  }
}

TEST(ExportFormat, AppendsTheTimeAfterWhatIsThere) {
  std::string out = "seq,";
  AppendRfc3339FromMicros(out, 0);
  EXPECT_EQ(out, "seq,1970-01-01T00:00:00.000000Z");
}

TEST(ExportFormat, CsvCellsMatchTheCharacterByCharacterEscaper) {
  for (std::string_view v :
       {"", "plain", "a,b", "\"", "\"\"", "say \"hi\", then go", "line\nbreak", "cr\r", "=SUM(A1)",
        "+1", "-1", "@x", "\tx", "\rx", "=a,\"b\"", "{\"k\":\"v\",\"n\":[1,2]}",
        "ends with quote\"", "\"starts with quote"}) {
    std::string out;
    AppendCsvField(out, v);
    EXPECT_EQ(out, PlainCsv(v)) << v;
  }
}

}  // namespace
}  // namespace onboard::domain
