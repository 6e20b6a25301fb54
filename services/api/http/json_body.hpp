#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "client_metadata.hpp"

namespace onboard::http {

/// The one UTF-8 check (domain/client_metadata.hpp).
using domain::IsValidUtf8;

/// The JSON request body as one object, as every handler reads it (ReadJsonObject does
/// the HTTP checks around it). Throws AppError(kMalformedJson) for invalid UTF-8, JSON
/// that is not well-formed, or a value that is not an object. No Poco::Net here, so the
/// fuzz target (tests/fuzz/json_request_fuzz.cpp) runs exactly this code.
Poco::JSON::Object::Ptr ParseJsonObjectBody(const std::string& body);

}  // namespace onboard::http
