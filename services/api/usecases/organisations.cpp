#include "organisations.hpp"

#include "json_text.hpp"
#include "orgno.hpp"

namespace onboard::usecases {

namespace {

constexpr const char* kNoSuchOrganisation = "no such organisation";

// The audit detail of a change: the names of the members that changed (never their
// values: contacts are personal data).
std::string ChangedDetail(const domain::Organisation& before, const domain::Organisation& after) {
  Poco::JSON::Array changed;
  if (after.name != before.name) changed.add("name");
  if (json::Text(*domain::ContactsToJson(after.contacts)) !=
      json::Text(*domain::ContactsToJson(before.contacts))) {
    changed.add("contacts");
  }
  Poco::JSON::Object detail;
  detail.set("changed", changed);
  return json::Text(detail);
}

}  // namespace

domain::Organisation Organisations::Register(const Caller& caller, const NewOrganisation& command) {
  const domain::Organisation& org = command.organisation;
  std::vector<FieldError> rules;
  if (!org.orgno.empty() && !domain::IsValidOrgno(org.orgno)) {
    rules.push_back(
        {"orgno", "invalid_orgno", "orgno must be nine digits with a valid mod-11 check digit"});
  }
  const auto invalid = domain::ValidateOrganisation(org);
  rules.insert(rules.end(), invalid.begin(), invalid.end());
  ThrowIfInvalid(command.input_errors, rules, "the organisation is invalid");
  if (caller.IsPortal() && caller.organisation != org.orgno) {
    throw AppError(ErrorCode::kForbidden,
                   "a portal may only register the organisation it acts for");
  }
  try {
    return store_.Create(org,
                         caller.Audit("organisation.create", "organisation", org.orgno, org.orgno));
  } catch (const AppError& e) {
    if (e.code() != ErrorCode::kConflict) throw;
    throw AppError(ErrorCode::kConflict, "organisation " + org.orgno + " is already registered",
                   e.internal(), {}, "organisation_exists");
  }
}

domain::Organisation Organisations::Get(const Caller& caller, const std::string& orgno) {
  caller.RequireVisible(orgno, kNoSuchOrganisation);
  auto org = store_.Find(orgno);
  if (!org) throw AppError(ErrorCode::kNotFound, kNoSuchOrganisation);
  return *org;
}

domain::Page<domain::Organisation> Organisations::List(const Caller& caller,
                                                       const OrganisationQuery& query) {
  if (query.name_prefix.size() > 200) {
    throw AppError(ErrorCode::kValidation, "name filter is too long", "",
                   {{"name", "too_long", "at most 200 bytes"}});
  }
  domain::OrganisationFilter filter;
  filter.name_prefix = query.name_prefix;
  if (caller.IsPortal()) filter.only_orgno = caller.organisation;
  return store_.List(filter, query.page);
}

domain::Organisation Organisations::Change(const Caller& caller,
                                           const OrganisationChange& command) {
  const domain::Organisation current = Get(caller, command.orgno);
  RequireVersion(command.expected_version, current.version,
                 "the organisation was changed since you read it");
  std::vector<FieldError> rules;
  if (command.orgno_in_body && *command.orgno_in_body != command.orgno) {
    rules.push_back({"orgno", "immutable", "orgno cannot be changed"});
  }
  domain::Organisation next = current;
  if (command.name.null()) rules.push_back({"name", "required", "name cannot be removed"});
  if (command.name.has_value()) next.name = command.name.value;
  if (command.contacts.null()) next.contacts.clear();
  if (command.contacts.has_value()) next.contacts = command.contacts.value;
  const auto invalid = domain::ValidateOrganisation(next);
  rules.insert(rules.end(), invalid.begin(), invalid.end());
  ThrowIfInvalid(command.input_errors, rules, "the organisation is invalid");

  domain::AuditEvent audit =
      caller.Audit("organisation.update", "organisation", command.orgno, command.orgno);
  audit.detail_json = ChangedDetail(current, next);
  return store_.Update(next, current.version, audit);
}

}  // namespace onboard::usecases
