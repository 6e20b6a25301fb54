#pragma once

#include <Poco/JSON/Object.h>

#include "api_token.hpp"
#include "organisation.hpp"

namespace onboard::http {

/// Response bodies. Never include secrets: IssuedToken's secret is added by the one
/// handler that shows it once.
Poco::JSON::Object::Ptr OrganisationJson(const domain::Organisation& org);
Poco::JSON::Object::Ptr TokenJson(const domain::ApiToken& token);

/// Strong ETag for a versioned resource: "\"<version>\"".
std::string VersionEtag(int version);
/// Parses If-Match ("\"3\"" or "3"); returns -1 when absent, throws
/// AppError(kPreconditionFailed) when malformed.
int ParseIfMatch(const std::string& header);

}  // namespace onboard::http
