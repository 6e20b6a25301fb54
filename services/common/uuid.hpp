#pragma once

#include <string_view>

namespace onboard {

/// True for a UUID in its canonical 8-4-4-4-12 hexadecimal form (either case): the one
/// check every path parameter and body member that names a UUID goes through (a malformed
/// id is answered 404 or 400, never sent to the database). crypto::NewUuid makes them.
bool IsUuid(std::string_view text) noexcept;

}  // namespace onboard
