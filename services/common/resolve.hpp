#pragma once

#include <string>
#include <vector>

namespace onboard::net {

/// The numeric addresses (IPv4 and IPv6 text, in getaddrinfo(3)'s order) `host` resolves
/// to; empty when it does not resolve. Blocks for the lookup. Thread-safe.
std::vector<std::string> ResolveHost(const std::string& host);

}  // namespace onboard::net
