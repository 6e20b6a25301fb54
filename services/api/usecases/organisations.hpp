#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caller.hpp"
#include "error.hpp"
#include "merge_patch.hpp"
#include "organisation.hpp"
#include "paging.hpp"

/// Organisations: register, read, list and change one (POST/GET/PATCH /v1/organisations).
namespace onboard::usecases {

/// A new organisation as the request gave it.
struct NewOrganisation {
  domain::Organisation organisation;     ///< orgno, name and contacts
  std::vector<FieldError> input_errors;  ///< what the request's parser could not read
};

/// An RFC 7396 merge patch over {name, contacts}; orgno may be repeated but not changed.
struct OrganisationChange {
  std::string orgno;                         ///< the organisation in the path
  std::optional<int> expected_version;       ///< If-Match
  std::optional<std::string> orgno_in_body;  ///< a repeated orgno
  Patch<std::string> name;
  Patch<std::vector<domain::Contact>> contacts;
  std::vector<FieldError> input_errors;
};

struct OrganisationQuery {
  std::string name_prefix;  ///< at most 200 bytes; empty: every organisation
  domain::PageRequest page;
};

/// Thread-safe as its store is; holds no state of its own.
class Organisations {
 public:
  explicit Organisations(domain::OrganisationStore& store) : store_(store) {}

  /// Validates (orgno mod-11, name, contacts), then: a portal registers only the
  /// organisation it acts for (kForbidden); an orgno already registered is kConflict
  /// "organisation_exists". Writes `organisation.create`.
  domain::Organisation Register(const Caller& caller, const NewOrganisation& command);

  /// kNotFound "no such organisation" when absent or, for a portal, another one.
  domain::Organisation Get(const Caller& caller, const std::string& orgno);

  /// A portal lists only its own organisation.
  domain::Page<domain::Organisation> List(const Caller& caller, const OrganisationQuery& query);

  /// Applies the patch (kPreconditionFailed "version_mismatch" on a stale If-Match) and
  /// writes `organisation.update` with the names of the changed members.
  domain::Organisation Change(const Caller& caller, const OrganisationChange& command);

 private:
  domain::OrganisationStore& store_;
};

}  // namespace onboard::usecases
