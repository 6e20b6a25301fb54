#include "request_id.hpp"

#include <algorithm>
#include <cstdint>

#include "crypto.hpp"

namespace onboard::http {

// A request id only has to be unique, not secret: a per-thread 128-bit state seeded once
// from the CSPRNG and advanced by splitmix64 gives distinct UUIDv4-shaped ids without a
// trip through OpenSSL's locked DRBG on every request (7% of a one-row read).
std::string NewRequestId() {
  struct State {
    uint64_t hi = 0, lo = 0;
    State() {
      const std::string seed = crypto::RandomBytes(16);
      for (int i = 0; i < 8; ++i)
        hi = (hi << 8) | static_cast<unsigned char>(seed[static_cast<std::size_t>(i)]);
      for (int i = 8; i < 16; ++i)
        lo = (lo << 8) | static_cast<unsigned char>(seed[static_cast<std::size_t>(i)]);
    }
  };
  thread_local State state;
  const auto mix = [](uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  state.lo += 0x9e3779b97f4a7c15ULL;
  uint64_t a = mix(state.hi ^ state.lo);
  uint64_t b = mix(state.lo) ^ state.hi;
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  std::size_t pos = 0;
  const auto put = [&](uint64_t v, int nibbles) {
    for (int i = nibbles - 1; i >= 0; --i) {
      if (pos == 8 || pos == 13 || pos == 18 || pos == 23) ++pos;
      out[pos++] = kHex[(v >> (i * 4)) & 0xf];
    }
  };
  put(a, 16);
  put(b, 16);
  return out;
}

bool SaneRequestId(const std::string& id) {
  return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

}  // namespace onboard::http
