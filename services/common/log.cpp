#include "log.hpp"

#include "enum_names.hpp"
#include "log_line.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>

namespace onboard::log {

namespace {
std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::mutex g_mutex;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug:
      return "debug";
    case Level::kInfo:
      return "info";
    case Level::kWarn:
      return "warn";
    case Level::kError:
      return "error";
  }
  return "info";
}
}  // namespace

namespace {

std::string Timestamp() {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
}

// Lines wait in `pending` until the next write(2): access-log lines (one per request, the
// hot path's only system call besides the socket's) are batched by a flusher thread every
// kFlushEvery or at kFlushAt bytes; every other line is written at once, with what waits
// before it, so the output keeps its order. Lines still pending at exit are written by an
// atexit handler (the object itself is never destroyed, so a line logged by another static
// destructor still finds it); a SIGKILL loses at most kFlushEvery of access-log lines.
class Output {
 public:
  static constexpr auto kFlushEvery = std::chrono::milliseconds(50);
  static constexpr std::size_t kFlushAt = 64 * 1024;

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(pending_mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (flusher_.joinable()) flusher_.join();
    Flush();
  }

  void Now(const std::string& text) {
    std::lock_guard<std::mutex> write(g_mutex);
    std::string out;
    {
      std::lock_guard<std::mutex> lock(pending_mutex_);
      out.swap(pending_);
    }
    out += text;
    if (out.empty()) return;
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }

  void Later(const std::string& text) {
    std::unique_lock<std::mutex> lock(pending_mutex_);
    if (stop_) {
      lock.unlock();
      Now(text);
      return;
    }
    pending_ += text;
    if (!started_) {
      started_ = true;
      flusher_ = std::thread([this] { Run(); });
    }
    if (pending_.size() >= kFlushAt) wake_.notify_one();
  }

  void Flush() { Now(std::string()); }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(pending_mutex_);
    while (!stop_) {
      wake_.wait_for(lock, kFlushEvery, [this] { return stop_ || pending_.size() >= kFlushAt; });
      if (pending_.empty()) continue;
      lock.unlock();
      Flush();
      lock.lock();
    }
  }

  std::mutex pending_mutex_;
  std::condition_variable wake_;
  std::string pending_;
  bool started_ = false;
  bool stop_ = false;
  std::thread flusher_;
};

Output& Out() {
  static Output* const output = [] {
    auto* o = new Output;
    std::atexit([] { Out().Stop(); });
    return o;
  }();
  return *output;
}

void Emit(const std::string& text) { Out().Now(text); }

// Length of the valid UTF-8 sequence at s[i], 0 when it is not one.
std::size_t Utf8Length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  if (n == 2 && c < 0xC2) return 0;                       // overlong
  if (n == 3 && c == 0xE0 && b(i + 1) < 0xA0) return 0;   // overlong
  if (n == 3 && c == 0xED && b(i + 1) >= 0xA0) return 0;  // surrogate
  if (n == 4 && (c > 0xF4 || (c == 0xF0 && b(i + 1) < 0x90) || (c == 0xF4 && b(i + 1) >= 0x90)))
    return 0;
  return n;
}

}  // namespace

void SetLevel(Level level) noexcept { g_level.store(static_cast<int>(level)); }

bool ParseLevel(std::string_view text, Level& out) noexcept {
  static constexpr EnumName<Level> kLevels[] = {{Level::kDebug, "debug"},
                                                {Level::kInfo, "info"},
                                                {Level::kWarn, "warn"},
                                                {Level::kError, "error"}};
  return ParseName(kLevels, text, out);
}

bool Enabled(Level level) noexcept { return static_cast<int>(level) >= g_level.load(); }

void Write(Level level, std::string_view msg, const Poco::JSON::Object& fields) {
  if (!Enabled(level)) return;
  // ts, level and msg first, then the fields: the fields object is not copied to add them.
  Poco::JSON::Object head;
  head.set("ts", Timestamp());
  head.set("level", std::string(LevelName(level)));
  head.set("msg", std::string(msg));
  std::ostringstream out;
  head.stringify(out);
  std::string text = out.str();
  if (fields.size() > 0) {
    std::ostringstream rest;
    fields.stringify(rest);
    text.back() = ',';
    text.append(rest.str(), 1, std::string::npos);
  }
  text += '\n';
  Emit(text);
}

void AppendJsonEscaped(std::string& out, std::string_view value, bool trusted_utf8) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < value.size();) {
    const unsigned char c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    if (c == '\n' || c == '\r' || c == '\t') {
      out.push_back('\\');
      out.push_back(c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
      ++i;
      continue;
    }
    if (c < 0x20) {
      out += "\\u00";
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
      ++i;
      continue;
    }
    if (trusted_utf8) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    const std::size_t n = Utf8Length(value, i);
    if (n == 0) {
      out += "\\ufffd";
      ++i;
    } else {
      out.append(value.substr(i, n));
      i += n;
    }
  }
}

void Fields::Name(std::string_view name) {
  if (!text_.empty()) text_.push_back(',');
  text_.push_back('"');
  AppendJsonEscaped(text_, name);
  text_ += "\":";
}

Fields& Fields::Str(std::string_view name, std::string_view value) {
  Name(name);
  text_.push_back('"');
  AppendJsonEscaped(text_, value);
  text_.push_back('"');
  return *this;
}

Fields& Fields::Num(std::string_view name, long long value) {
  Name(name);
  text_ += std::to_string(value);
  return *this;
}

Fields& Fields::Num(std::string_view name, double value) {
  Name(name);
  char buffer[32];
  const int n = std::snprintf(buffer, sizeof buffer, "%.3f", value);
  text_.append(buffer, n > 0 ? static_cast<std::size_t>(n) : 0);
  return *this;
}

void WriteFields(Level level, std::string_view msg, const Fields& fields) {
  if (!Enabled(level)) return;
  std::string text;
  text.reserve(96 + msg.size() + fields.text().size());
  text += "{\"ts\":\"";
  text += Timestamp();
  text += "\",\"level\":\"";
  text += LevelName(level);
  text += "\",\"msg\":\"";
  AppendJsonEscaped(text, msg);
  text += '"';
  if (!fields.text().empty()) {
    text += ',';
    text += fields.text();
  }
  text += "}\n";
  Out().Later(text);
}

void Flush() { Out().Flush(); }

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
