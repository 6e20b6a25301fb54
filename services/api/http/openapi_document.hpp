#pragma once

#include <string_view>

namespace onboard::http {

/// docs/openapi.json, embedded at build time.
std::string_view OpenapiDocument();

}  // namespace onboard::http
