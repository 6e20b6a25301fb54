#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "api_token.hpp"
#include "json_io.hpp"
#include "merge_patch.hpp"
#include "organisation.hpp"

namespace onboard::http {

/// An organisation's response body (organisations and the support lookup).
Poco::JSON::Object::Ptr OrganisationJson(const domain::Organisation& org);

/// A token's response body. Never its secret: the one handler that shows it adds it.
Poco::JSON::Object::Ptr TokenJson(const domain::ApiToken& token);

/// Strong ETag for a versioned resource: "\"<version>\"".
std::string VersionEtag(int version);
/// Parses If-Match (usecases/merge_patch.hpp: the one parser).
using usecases::ParseIfMatch;

}  // namespace onboard::http
