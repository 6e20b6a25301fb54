#pragma once

#include <Poco/JSON/Object.h>

#include <string>

#include "json_io.hpp"
#include "merge_patch.hpp"
#include "organisation.hpp"

namespace onboard::http {

/// An organisation's response body (organisations and the support lookup).
Poco::JSON::Object::Ptr OrganisationJson(const domain::Organisation& org);

/// Strong ETag for a versioned resource: "\"<version>\"".
std::string VersionEtag(int version);
/// Parses If-Match (usecases/merge_patch.hpp: the one parser).
using usecases::ParseIfMatch;

}  // namespace onboard::http
