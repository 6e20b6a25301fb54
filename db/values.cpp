#include "values.hpp"

#include "error.hpp"

namespace onboard::db {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string MillisText(std::chrono::milliseconds d) {
  return std::to_string(std::max<int64_t>(0, d.count()));
}

std::chrono::system_clock::time_point FromMicros(int64_t us) {
  return std::chrono::system_clock::time_point(std::chrono::microseconds(us));
}

std::string FromHex(std::string_view hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    const int hi = HexValue(hex[i]);
    const int lo = HexValue(hex[i + 1]);
    if (hi < 0 || lo < 0) throw AppError(ErrorCode::kInternal, "internal error", "bad hex");
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

}  // namespace onboard::db
