#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

/// Small conversions between C++ values and the text libpq sends and returns, shared by the
/// repositories (each was written twice before; a unity build of db/ puts the repositories
/// in one translation unit, so they live here once).
namespace onboard::db {

/// Now as microseconds since the epoch (the audit chain's `occurred_at_us`).
int64_t NowMicros();

/// A duration as the whole milliseconds a statement takes (`$n::bigint`), never negative.
std::string MillisText(std::chrono::milliseconds d);

/// Microseconds since the epoch, as stored in bigint columns, as a time point.
std::chrono::system_clock::time_point FromMicros(int64_t us);

/// Bytes from the lower- or upper-case hex a statement returned (`encode(x, 'hex')`).
/// Throws AppError(kInternal) on a character that is not hex.
std::string FromHex(std::string_view hex);

}  // namespace onboard::db
