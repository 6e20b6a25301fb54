#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <vector>

#include "client.hpp"
#include "json_io.hpp"
#include "readiness.hpp"
#include "test_users.hpp"
#include "verification.hpp"
#include "test_user_pool.hpp"
#include "verifications.hpp"

/// JSON shapes of the verification catalogue, verification runs, the readiness checklist
/// and test users, and the small checks their handlers share.
namespace onboard::http::handlers {

/// `{version, published_at, published_by, cases: [{id, name, title, description,
/// mandatory, feature, rule}]}`; `feature` is null when the case names none and `rule`
/// says in words when the case is required.
Poco::JSON::Object::Ptr CatalogueJson(const domain::VerificationCatalogue& catalogue);

/// Reads the `cases` member (the full list of a new version); problems go to `fields`
/// under `cases/<i>/...`.
std::vector<domain::VerificationCase> ReadCatalogueCases(JsonFields& fields);

/// `{id, client_id, catalogue_version, tester, tested_at, complete, missing_mandatory,
/// results: [{case_id, outcome, evidence, attachment}], recorded_at, recorded_by,
/// recorded_role, portal_user}`.
Poco::JSON::Object::Ptr RunJson(const domain::VerificationRun& run);

/// The request body of POST /v1/verification-catalogue (`cases`, the full list).
usecases::NewCatalogue ReadNewCatalogue(const Poco::JSON::Object& body);

/// The request body of a new run: tester, tested_at, results and the optional
/// catalogue_version.
usecases::NewRun ReadNewRun(const Poco::JSON::Object& body);

/// `{ready, items: [{id, title, ok, detail, ...}]}`: an item carries `missing`, `errors`
/// and `cases` when it has any, and its facts as string members.
Poco::JSON::Object::Ptr ReadinessJson(const std::string& client_id,
                                      const domain::Readiness& readiness);

/// The request body of POST /v1/organisations/{orgno}/test-users (`count`).
usecases::TestUserRequest ReadTestUserRequest(const Poco::JSON::Object& body);

/// `{pid, organisation, state, allocated_at, allocated_by, released_at, released_by}`.
Poco::JSON::Object::Ptr TestUserJson(const domain::TestUser& user);

}  // namespace onboard::http::handlers
