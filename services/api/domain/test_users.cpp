#include "test_users.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <sstream>

#include "crypto.hpp"
#include "error.hpp"

namespace onboard::domain {

namespace {

constexpr int kK1Weights[9] = {3, 7, 6, 1, 8, 9, 4, 5, 2};
constexpr int kK2Weights[10] = {5, 4, 3, 2, 7, 6, 5, 4, 3, 2};

bool AllDigits(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 11 - (sum mod 11), 11 -> 0; 10 stays 10 (the caller treats it as invalid).
int CheckDigit(const int* weights, std::string_view digits) noexcept {
  int sum = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) sum += weights[i] * (digits[i] - '0');
  const int k = 11 - sum % 11;
  return k == 11 ? 0 : k;
}

void AppendTwoDigits(std::string& out, unsigned value) {
  out.push_back(static_cast<char>('0' + value / 10 % 10));
  out.push_back(static_cast<char>('0' + value % 10));
}

}  // namespace

std::optional<std::pair<int, int>> PidCheckDigits(std::string_view first_nine) noexcept {
  if (first_nine.size() != 9 || !AllDigits(first_nine)) return std::nullopt;
  const int k1 = CheckDigit(kK1Weights, first_nine);
  if (k1 == 10) return std::nullopt;
  char ten[10];
  std::memcpy(ten, first_nine.data(), 9);
  ten[9] = static_cast<char>('0' + k1);
  const int k2 = CheckDigit(kK2Weights, std::string_view(ten, 10));
  if (k2 == 10) return std::nullopt;
  return std::make_pair(k1, k2);
}

bool HasValidPidCheckDigits(std::string_view pid) noexcept {
  if (pid.size() != 11 || !AllDigits(pid)) return false;
  const auto k = PidCheckDigits(pid.substr(0, 9));
  return k && pid[9] - '0' == k->first && pid[10] - '0' == k->second;
}

bool IsSyntheticPid(std::string_view pid) noexcept {
  if (!HasValidPidCheckDigits(pid)) return false;
  const int day = (pid[0] - '0') * 10 + (pid[1] - '0');
  const int month = (pid[2] - '0') * 10 + (pid[3] - '0');
  return day >= 1 && day <= 31 && month >= 81 && month <= 92;
}

uint32_t CsprngUniform(uint32_t bound) {
  if (bound == 0)
    throw AppError(ErrorCode::kInternal, "internal error", "CsprngUniform called with bound 0");
  // Reject the top partial range so every value below `bound` is equally likely.
  const uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
  for (;;) {
    const std::string bytes = crypto::RandomBytes(4);
    uint32_t v = 0;
    std::memcpy(&v, bytes.data(), sizeof v);
    if (v < limit) return v % bound;
  }
}

std::string GenerateSyntheticPid(const UniformRandom& random) {
  using namespace std::chrono;
  constexpr sys_days kFirst{year{1940} / January / 1};
  constexpr sys_days kLast{year{2005} / December / 31};
  const auto span = static_cast<uint32_t>((kLast - kFirst).count() + 1);
  for (;;) {
    const year_month_day birth{kFirst + days{random(span)}};
    const int y = static_cast<int>(birth.year());
    // Individual numbers 000-499 are 1900-1999 births, 500-999 are 2000-2039 births.
    const uint32_t individual = y < 2000 ? random(500) : 500 + random(500);
    std::string pid;
    pid.reserve(11);
    AppendTwoDigits(pid, static_cast<unsigned>(birth.day()));
    AppendTwoDigits(pid, static_cast<unsigned>(birth.month()) + 80);
    AppendTwoDigits(pid, static_cast<unsigned>(y % 100));
    pid.push_back(static_cast<char>('0' + individual / 100));
    AppendTwoDigits(pid, individual % 100);
    const auto k = PidCheckDigits(pid);
    if (!k) continue;  // a check digit would be 10: no valid number with these nine digits
    pid.push_back(static_cast<char>('0' + k->first));
    pid.push_back(static_cast<char>('0' + k->second));
    return pid;
  }
}

int TestUserShortfall(int active, int requested) noexcept {
  return std::max(0, requested - active);
}

std::string AllocationAuditDetail(int requested, const std::vector<std::string>& generated) {
  Poco::JSON::Object detail;
  detail.set("requested", requested);
  Poco::JSON::Array pids;
  for (const std::string& pid : generated) pids.add(pid);
  detail.set("generated", pids);
  std::ostringstream out;
  detail.stringify(out);
  return out.str();
}

}  // namespace onboard::domain
