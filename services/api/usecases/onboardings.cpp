#include "onboardings.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <algorithm>

#include "crypto.hpp"
#include "json_text.hpp"
#include "orgno.hpp"
#include "uuid.hpp"

namespace onboard::usecases {

namespace {

constexpr const char* kNoSuchCase = "no such onboarding case";

bool SameContacts(const std::vector<domain::Contact>& a, const std::vector<domain::Contact>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const domain::Contact& x, const domain::Contact& y) {
                      return x.name == y.name && x.email == y.email && x.mobile == y.mobile &&
                             x.role == y.role;
                    });
}

// Names of what a change touched, for the audit event (names only: planning text and
// contacts may hold personal data and stay out of the audit trail).
Poco::JSON::Array ChangedFields(const domain::Onboarding& before, const domain::Onboarding& after) {
  Poco::JSON::Array changed;
  if (before.service_name != after.service_name) changed.add("service_name");
  if (before.state != after.state) changed.add("state");
  for (const domain::PlanningField& field : domain::kPlanningFields) {
    if (before.planning.*field.member != after.planning.*field.member) {
      changed.add("planning/" + std::string(field.name));
    }
  }
  if (!SameContacts(before.contacts, after.contacts)) changed.add("contacts");
  return changed;
}

void Append(std::vector<FieldError>& to, const std::vector<FieldError>& more) {
  to.insert(to.end(), more.begin(), more.end());
}

std::vector<domain::Contact> Applied(const Patch<std::vector<domain::Contact>>& patch,
                                     std::vector<domain::Contact> contacts) {
  if (patch.null()) contacts.clear();
  if (patch.has_value()) contacts = patch.value;
  return contacts;
}

// The state a change asks for, checked against the case's current state; adds the field
// error and keeps `current` when the request names none or a move that is not allowed.
domain::OnboardingState RequestedState(const Patch<std::string>& patch,
                                       domain::OnboardingState current,
                                       std::vector<FieldError>& rules) {
  if (patch.null()) rules.push_back({"state", "required", "state cannot be removed"});
  if (!patch.has_value()) return current;
  const auto state = domain::ParseOnboardingState(patch.value);
  if (!state) {
    rules.push_back({"state", "invalid_state",
                     "state must be open, production_ordered, in_production or withdrawn"});
    return current;
  }
  if (!domain::IsPatchableTransition(current, *state)) {
    rules.push_back({"state", "transition_not_allowed",
                     "a case cannot move from " +
                         std::string(domain::OnboardingStateName(current)) + " to " + patch.value +
                         " here"});
    return current;
  }
  return *state;
}

}  // namespace

domain::PlanningInfo PlanningPatch::ApplyTo(domain::PlanningInfo planning) const {
  if (null) return domain::PlanningInfo{};
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string& target = planning.*domain::kPlanningFields[i].member;
    if (fields[i].null()) target.clear();
    if (fields[i].has_value()) target = fields[i].value;
  }
  return planning;
}

domain::Onboarding Onboardings::FindVisible(const Caller& caller, const std::string& id) {
  std::optional<domain::Onboarding> found;
  if (IsUuid(id)) found = store_.Find(id);
  if (!found) throw AppError(ErrorCode::kNotFound, kNoSuchCase);
  caller.RequireVisible(found->organisation, kNoSuchCase);
  return *found;
}

domain::Onboarding Onboardings::Open(const Caller& caller, const NewCase& command) {
  std::vector<FieldError> rules;
  domain::Onboarding o;
  if (command.organisation) {
    o.organisation = *command.organisation;
  } else if (caller.IsPortal()) {
    o.organisation = caller.organisation;
  } else {
    rules.push_back({"organisation", "required", "organisation is required"});
  }
  o.service_name = command.service_name;
  o.planning = command.planning.ApplyTo({});
  o.contacts = Applied(command.contacts, {});
  if (!o.organisation.empty() && !domain::IsValidOrgno(o.organisation)) {
    rules.push_back({"organisation", "invalid_orgno",
                     "organisation must be nine digits with a valid mod-11 check digit"});
  }
  Append(rules, domain::ValidateOnboarding(o));
  ThrowIfInvalid(command.input_errors, rules, "the onboarding case is invalid");
  if (caller.IsPortal() && caller.organisation != o.organisation) {
    throw AppError(ErrorCode::kForbidden,
                   "a portal may only open cases for the organisation it acts for");
  }
  o.id = crypto::NewUuid();
  o.state = domain::OnboardingState::kOpen;
  o.created_by = caller.who;

  domain::AuditEvent audit = caller.Audit("onboarding.create", "onboarding", o.id, o.organisation);
  Poco::JSON::Object detail;
  detail.set("service_name", o.service_name);
  detail.set("planning_complete", domain::IsPlanningComplete(o.planning));
  detail.set("contacts", static_cast<int>(o.contacts.size()));
  audit.detail_json = json::Text(detail);
  return store_.Create(o, audit);
}

domain::Onboarding Onboardings::Get(const Caller& caller, const std::string& id) {
  return FindVisible(caller, id);
}

domain::Page<domain::Onboarding> Onboardings::List(const Caller& caller, const CaseQuery& query) {
  domain::OnboardingFilter filter;
  std::vector<FieldError> errors;
  filter.organisation = query.organisation;
  if (!filter.organisation.empty() && !domain::IsValidOrgno(filter.organisation)) {
    errors.push_back(
        {"organisation", "invalid_orgno", "organisation must be a valid organisation number"});
  }
  if (!query.state.empty()) {
    filter.state = domain::ParseOnboardingState(query.state);
    if (!filter.state) {
      errors.push_back({"state", "invalid_state",
                        "state must be open, production_ordered, in_production or withdrawn"});
    }
  }
  ThrowIfInvalid({}, errors, "the filter is invalid");
  // A portal sees its own organisation's cases only; asking for another organisation's
  // gives an empty list, exactly as if it had none.
  if (caller.IsPortal()) {
    if (!filter.organisation.empty() && filter.organisation != caller.organisation) return {};
    filter.organisation = caller.organisation;
  }
  return store_.List(filter, query.page);
}

domain::Onboarding Onboardings::Change(const Caller& caller, const CaseChange& command) {
  const domain::Onboarding current = FindVisible(caller, command.id);
  RequireVersion(command.expected_version, current.version,
                 "the onboarding case was changed since you read it");
  std::vector<FieldError> rules;
  if (command.id_in_body && *command.id_in_body != current.id) {
    rules.push_back({"id", "immutable", "id cannot be changed"});
  }
  if (command.organisation_in_body && *command.organisation_in_body != current.organisation) {
    rules.push_back({"organisation", "immutable", "organisation cannot be changed"});
  }
  domain::Onboarding next = current;
  if (command.service_name.null()) {
    rules.push_back({"service_name", "required", "service_name cannot be removed"});
  }
  if (command.service_name.has_value()) next.service_name = command.service_name.value;
  next.state = RequestedState(command.state, current.state, rules);
  next.planning = command.planning.ApplyTo(current.planning);
  next.contacts = Applied(command.contacts, current.contacts);
  Append(rules, domain::ValidateOnboarding(next));
  ThrowIfInvalid(command.input_errors, rules, "the onboarding case is invalid");

  Poco::JSON::Array changed = ChangedFields(current, next);
  // Nothing to change: nothing is written and no audit event is due.
  if (changed.size() == 0) return current;
  // A withdrawn case takes only the change that reopens it.
  if (next.state == domain::OnboardingState::kWithdrawn) {
    domain::RequireOpenForChanges(current.state);
  }
  domain::AuditEvent audit =
      caller.Audit("onboarding.update", "onboarding", current.id, current.organisation);
  Poco::JSON::Object detail;
  detail.set("changed", changed);
  if (next.state != current.state) {
    detail.set("state_from", std::string(domain::OnboardingStateName(current.state)));
    detail.set("state_to", std::string(domain::OnboardingStateName(next.state)));
  }
  audit.detail_json = json::Text(detail);
  return store_.Update(next, current.version, audit);
}

domain::Onboarding Onboardings::LinkClient(const Caller& caller, const ClientLink& command) {
  const domain::Onboarding current = FindVisible(caller, command.id);
  std::vector<FieldError> rules;
  if (!command.client_id.empty() && !IsUuid(command.client_id)) {
    rules.push_back({"client_id", "invalid_client_id", "client_id must be a UUID"});
  }
  ThrowIfInvalid(command.input_errors, rules, "the link request is invalid");
  const std::string client_id = Poco::toLower(command.client_id);
  domain::AuditEvent audit =
      caller.Audit("onboarding.link_client", "onboarding", current.id, current.organisation);
  Poco::JSON::Object detail;
  detail.set("client_id", client_id);
  audit.detail_json = json::Text(detail);
  return store_.LinkTestClient(current.id, client_id, audit.actor, command.expected_version, audit)
      .onboarding;
}

domain::Onboarding Onboardings::AcceptTerms(const Caller& caller,
                                            const TermsAcceptanceCommand& command) {
  const domain::Onboarding current = FindVisible(caller, command.id);
  std::vector<FieldError> rules;
  if (!command.terms_version.empty() && !domain::IsValidTermsVersion(command.terms_version)) {
    rules.push_back(
        {"terms_version", "unknown_terms_version", "no terms with this version are published"});
  }
  ThrowIfInvalid(command.input_errors, rules, "the terms acceptance is invalid");
  domain::AuditEvent audit =
      caller.Audit("onboarding.accept_terms", "onboarding", current.id, current.organisation);
  Poco::JSON::Object detail;
  detail.set("terms_version", command.terms_version);
  audit.detail_json = json::Text(detail);
  return store_
      .AcceptTerms(current.id, command.terms_version, audit.actor, command.expected_version, audit)
      .onboarding;
}

domain::Terms TermsOfUse::Publish(const Caller& caller, const NewTerms& command) {
  ThrowIfInvalid(command.input_errors, domain::ValidateTerms(command.terms),
                 "the terms version is invalid");
  domain::Terms terms = command.terms;
  terms.published_by = caller.who;
  domain::AuditEvent audit = caller.Audit("terms.publish", "terms", terms.version, "");
  Poco::JSON::Object detail;
  detail.set("version", terms.version);
  detail.set("title", terms.title);
  detail.set("url", terms.url);
  audit.detail_json = json::Text(detail);
  return store_.Publish(terms, audit);
}

std::vector<domain::Terms> TermsOfUse::List() { return store_.List(); }

domain::Terms TermsOfUse::Get(const std::string& version) {
  std::optional<domain::Terms> terms;
  if (domain::IsValidTermsVersion(version)) terms = store_.Find(version);
  if (!terms) throw AppError(ErrorCode::kNotFound, "no such terms version");
  return *terms;
}

}  // namespace onboard::usecases
