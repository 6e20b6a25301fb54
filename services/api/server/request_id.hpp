#pragma once

#include <string>

namespace onboard::http {

/// A fresh request id shaped like a UUIDv4: unique, not secret. Thread-safe (per-thread
/// state seeded once from the CSPRNG).
std::string NewRequestId();

/// True for a caller's X-Request-Id worth keeping: 1 to 128 of [A-Za-z0-9-_.:].
bool SaneRequestId(const std::string& id);

}  // namespace onboard::http
