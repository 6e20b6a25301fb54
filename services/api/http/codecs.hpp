#pragma once

#include <Poco/JSON/Object.h>

#include "api_token.hpp"
#include "json_io.hpp"
#include "organisation.hpp"
#include "organisations.hpp"
#include "tokens.hpp"

namespace onboard::http {

/// Response bodies. Never include secrets: IssuedToken's secret is added by the one
/// handler that shows it once.
Poco::JSON::Object::Ptr OrganisationJson(const domain::Organisation& org);
Poco::JSON::Object::Ptr TokenJson(const domain::ApiToken& token);

/// The request bodies of POST and PATCH /v1/organisations.
usecases::NewOrganisation ReadNewOrganisation(const Poco::JSON::Object& body);
usecases::OrganisationChange ReadOrganisationChange(const Poco::JSON::Object& body);

/// The request body of POST /v1/tokens.
usecases::NewToken ReadNewToken(const Poco::JSON::Object& body);

/// Strong ETag for a versioned resource: "\"<version>\"".
std::string VersionEtag(int version);
/// Parses If-Match (usecases/merge_patch.hpp: the one parser).
using usecases::ParseIfMatch;

}  // namespace onboard::http
