#include "log.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <atomic>
#include <cstdio>
#include <mutex>
#include <sstream>

namespace onboard::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mutex;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
  }
  return "info";
}
}  // namespace

void SetLevel(Level level) noexcept { g_level.store(static_cast<int>(level)); }

bool ParseLevel(std::string_view text, Level& out) noexcept {
  if (text == "debug") out = Level::kDebug;
  else if (text == "info") out = Level::kInfo;
  else if (text == "warn") out = Level::kWarn;
  else if (text == "error") out = Level::kError;
  else return false;
  return true;
}

bool Enabled(Level level) noexcept { return static_cast<int>(level) >= g_level.load(); }

void Write(Level level, std::string_view msg, const Poco::JSON::Object& fields) {
  if (!Enabled(level)) return;
  Poco::JSON::Object line(fields);
  line.set("ts", Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ"));
  line.set("level", std::string(LevelName(level)));
  line.set("msg", std::string(msg));
  std::ostringstream out;
  line.stringify(out);
  out << '\n';
  const std::string text = out.str();
  std::lock_guard<std::mutex> lock(g_mutex);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fflush(stdout);
}

std::string MaskPhone(std::string_view phone) {
  std::string out(phone);
  int digits_seen = 0;
  for (auto it = out.rbegin(); it != out.rend(); ++it) {
    if (*it >= '0' && *it <= '9') {
      if (++digits_seen > 2) *it = '*';
    }
  }
  return out;
}

}  // namespace onboard::log
