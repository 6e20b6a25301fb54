#include "onboarding_repository.hpp"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include "audit_log_repository.hpp"
#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "uuid.hpp"

namespace onboard::db {

namespace {

std::vector<domain::LinkedClient> LinkedClientsFromText(const std::string& text) {
  Poco::JSON::Parser parser;
  const auto array = parser.parse(text).extract<Poco::JSON::Array::Ptr>();
  std::vector<domain::LinkedClient> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto o = array->getObject(static_cast<unsigned>(i));
    domain::LinkedClient c;
    c.client_id = o->getValue<std::string>("client_id");
    c.client_name = o->getValue<std::string>("client_name");
    c.environment = o->getValue<std::string>("environment");
    c.state = o->getValue<std::string>("state");
    c.linked_at = o->getValue<std::string>("linked_at");
    c.linked_by = o->getValue<std::string>("linked_by");
    out.push_back(std::move(c));
  }
  return out;
}

// Columns of select_onboarding / list_onboardings: id, organisation, service_name, state,
// six planning fields, contacts, production_client_id, version, created_by, created_at,
// updated_at, five of the latest terms acceptance, linked clients (JSON), seq.
constexpr int kSeqColumn = 22;

domain::Onboarding OnboardingFromRow(const Result& r, int row) {
  domain::Onboarding o;
  o.id = r.Str(row, 0);
  o.organisation = r.Str(row, 1);
  o.service_name = r.Str(row, 2);
  const auto state = domain::ParseOnboardingState(r.Get(row, 3));
  if (!state)
    throw AppError(ErrorCode::kInternal, "internal error",
                   "onboarding " + o.id + " has an unknown state");
  o.state = *state;
  o.planning.schedule = r.Str(row, 4);
  o.planning.production_plan = r.Str(row, 5);
  o.planning.service_description = r.Str(row, 6);
  o.planning.expected_volume = r.Str(row, 7);
  o.planning.high_traffic_periods = r.Str(row, 8);
  o.planning.support_impact = r.Str(row, 9);
  Poco::JSON::Parser parser;
  o.contacts =
      domain::ContactsFromJson(*parser.parse(r.Str(row, 10)).extract<Poco::JSON::Array::Ptr>());
  o.production_client_id = r.Opt(row, 11);
  o.version = static_cast<int>(r.Int(row, 12));
  o.created_by = r.Str(row, 13);
  o.created_at = r.Str(row, 14);
  o.updated_at = r.Str(row, 15);
  if (!r.IsNull(row, 16)) {
    domain::TermsAcceptance a;
    a.terms_version = r.Str(row, 16);
    a.accepted_at = r.Str(row, 17);
    a.accepted_by = r.Str(row, 18);
    a.accepted_role = r.Str(row, 19);
    a.portal_user = r.Opt(row, 20).value_or("");
    o.terms_acceptance = std::move(a);
  }
  o.test_clients = LinkedClientsFromText(r.Str(row, 21));
  return o;
}

// Statement parameters for the case's editable columns, in the order of insert_onboarding
// and update_onboarding: service_name, state, the six planning fields, contacts.
Params EditableParams(const domain::Onboarding& o) {
  return {o.service_name,
          std::string(domain::OnboardingStateName(o.state)),
          o.planning.schedule,
          o.planning.production_plan,
          o.planning.service_description,
          o.planning.expected_volume,
          o.planning.high_traffic_periods,
          o.planning.support_impact,
          domain::ContactsJsonText(o.contacts)};
}

domain::Onboarding SelectCase(Connection& conn, const std::string& id) {
  Result r = conn.Exec("select_onboarding", {TextArrayLiteral({id})});
  if (r.rows() == 0) throw AppError(ErrorCode::kNotFound, "no such onboarding case");
  return OnboardingFromRow(r, 0);
}

[[noreturn]] void ThrowVersionMismatch(int current) {
  throw AppError(ErrorCode::kPreconditionFailed,
                 "the onboarding case was changed by someone else (version " +
                     std::to_string(current) + " now); reload it and retry",
                 "", {}, "version_mismatch");
}

struct LockedCase {
  std::string id;  ///< canonical (lower-case) form
  std::string organisation;
  domain::OnboardingState state = domain::OnboardingState::kOpen;
  int version = 0;
};

// Locks the case row until the transaction ends and checks the caller's version.
LockedCase LockCase(Connection& conn, const std::string& id, std::optional<int> expected_version) {
  Result r = conn.Exec("lock_onboarding", {id});
  if (r.rows() == 0) throw AppError(ErrorCode::kNotFound, "no such onboarding case");
  LockedCase c;
  c.id = r.Str(0, 0);
  c.organisation = r.Str(0, 1);
  c.state = domain::ParseOnboardingState(r.Get(0, 2)).value_or(domain::OnboardingState::kWithdrawn);
  c.version = static_cast<int>(r.Int(0, 3));
  if (expected_version && *expected_version != c.version) ThrowVersionMismatch(c.version);
  return c;
}

// Unique violations of the one-case-per-service rule become a typed 409.
template <class Fn>
auto MapServiceConflict(const std::string& service_name, Fn&& fn) {
  try {
    return fn();
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kConflict && e.code_name() == "onboardings_service_key") {
      throw AppError(ErrorCode::kConflict,
                     "the organisation already has an onboarding case for the service \"" +
                         service_name + "\"",
                     e.internal(),
                     {{"service_name", "duplicate", "a case for this service exists"}},
                     "onboarding_exists");
    }
    throw;
  }
}

}  // namespace

domain::Onboarding OnboardingRepository::Create(const domain::Onboarding& onboarding,
                                                const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Params params{onboarding.id, onboarding.organisation};
  for (auto& p : EditableParams(onboarding)) params.push_back(std::move(p));
  params.push_back(onboarding.created_by);
  MapServiceConflict(onboarding.service_name, [&] {
    try {
      return conn.Exec("insert_onboarding", params);
    } catch (const AppError& e) {
      if (e.code() == ErrorCode::kConflict && e.code_name() == "onboardings_organisation_fkey") {
        throw AppError(ErrorCode::kValidation, "the onboarding case is invalid", e.internal(),
                       {{"organisation", "unknown_organisation",
                         "no organisation with this number is registered"}});
      }
      throw;
    }
  });
  domain::Onboarding created = SelectCase(conn, onboarding.id);
  unit.Record(audit);
  unit.Commit();
  return created;
}

std::optional<domain::Onboarding> OnboardingRepository::Find(const std::string& id) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_onboarding", {TextArrayLiteral({id})});
  if (r.rows() == 0) return std::nullopt;
  return OnboardingFromRow(r, 0);
}

std::vector<domain::Onboarding> OnboardingRepository::FindMany(
    const std::vector<std::string>& ids) {
  std::vector<std::string> valid;
  for (const std::string& id : ids) {
    if (IsUuid(id)) valid.push_back(id);
  }
  if (valid.empty()) return {};
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_onboarding", {TextArrayLiteral(valid)});
  std::vector<domain::Onboarding> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(OnboardingFromRow(r, i));
  return out;
}

domain::Page<domain::Onboarding> OnboardingRepository::List(const domain::OnboardingFilter& filter,
                                                            const domain::PageRequest& page) {
  std::optional<std::string> before;
  if (!page.cursor.empty()) {
    const std::string decoded = crypto::Base64UrlDecode(page.cursor);
    if (decoded.empty() || decoded.size() > 19 ||
        !std::all_of(decoded.begin(), decoded.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      throw AppError(ErrorCode::kValidation, "cursor is malformed", "",
                     {{"cursor", "invalid", "cursor is malformed"}});
    }
    before = decoded;
  }
  const std::optional<std::string> state =
      filter.state ? std::optional<std::string>(domain::OnboardingStateName(*filter.state))
                   : std::nullopt;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("list_onboardings", {NullIfEmpty(filter.organisation), state, before,
                                              std::to_string(page.limit + 1)});
  domain::Page<domain::Onboarding> out;
  for (int i = 0; i < r.rows() && i < page.limit; ++i) out.items.push_back(OnboardingFromRow(r, i));
  if (r.rows() > page.limit && page.limit > 0) {
    out.next_cursor = crypto::Base64UrlEncode(r.Str(page.limit - 1, kSeqColumn));
  }
  return out;
}

domain::Onboarding OnboardingRepository::Update(const domain::Onboarding& onboarding,
                                                int expected_version,
                                                const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Params params{onboarding.id};
  for (auto& p : EditableParams(onboarding)) params.push_back(std::move(p));
  params.push_back(std::to_string(expected_version));
  Result r = MapServiceConflict(onboarding.service_name,
                                [&] { return conn.Exec("update_onboarding", params); });
  if (r.rows() == 0) {
    const LockedCase current = LockCase(conn, onboarding.id, std::nullopt);
    ThrowVersionMismatch(current.version);
  }
  domain::Onboarding updated = SelectCase(conn, onboarding.id);
  unit.Record(audit);
  unit.Commit();
  return updated;
}

domain::OnboardingChange OnboardingRepository::LinkTestClient(const std::string& id,
                                                              const std::string& client_id,
                                                              const domain::Actor& by,
                                                              std::optional<int> expected_version,
                                                              const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  const LockedCase c = LockCase(conn, id, expected_version);
  domain::RequireOpenForChanges(c.state);
  Result client = conn.Exec("select_onboarding_client_candidate", {client_id});
  std::optional<domain::ClientPlacement> placement;
  if (client.rows() > 0) placement = domain::ClientPlacement{client.Str(0, 0), client.Str(0, 1)};
  domain::CheckLinkableTestClient(c.organisation, placement);

  Result link = conn.Exec("select_onboarding_client_link", {client_id});
  if (link.rows() > 0) {
    if (link.Get(0, 0) == c.id) return {SelectCase(conn, c.id), false};
    throw AppError(ErrorCode::kConflict, "the client is already linked to another onboarding case",
                   "linked to " + link.Str(0, 0),
                   {{"client_id", "already_linked", "linked to another case"}},
                   "client_already_linked");
  }
  try {
    conn.Exec("insert_onboarding_client", {c.id, client_id, by.name});
  } catch (const AppError& e) {
    // A concurrent request linked the same client to another case first.
    if (e.code() == ErrorCode::kConflict && e.code_name() == "onboarding_clients_client_key") {
      throw AppError(ErrorCode::kConflict,
                     "the client is already linked to another onboarding case", e.internal(),
                     {{"client_id", "already_linked", "linked to another case"}},
                     "client_already_linked");
    }
    throw;
  }
  conn.Exec("touch_onboarding", {c.id});
  domain::Onboarding updated = SelectCase(conn, c.id);
  unit.Record(audit);
  unit.Commit();
  return {std::move(updated), true};
}

domain::OnboardingChange OnboardingRepository::AcceptTerms(const std::string& id,
                                                           const std::string& terms_version,
                                                           const domain::Actor& by,
                                                           std::optional<int> expected_version,
                                                           const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  const LockedCase c = LockCase(conn, id, expected_version);
  domain::RequireOpenForChanges(c.state);
  Result terms = conn.Exec("select_terms_version", {terms_version});
  if (terms.rows() == 0) {
    throw AppError(
        ErrorCode::kValidation, "the terms acceptance is invalid", "",
        {{"terms_version", "unknown_terms_version", "no terms with this version are published"}});
  }
  Result accepted = conn.Exec("select_onboarding_accepted_terms", {c.id});
  const std::optional<int64_t> accepted_rank =
      accepted.rows() > 0 ? std::optional<int64_t>(accepted.Int(0, 1)) : std::nullopt;
  switch (domain::DecideTermsAcceptance(accepted_rank, terms.Int(0, 6))) {
    case domain::TermsAcceptanceDecision::kAlreadyAccepted:
      return {SelectCase(conn, c.id), false};
    case domain::TermsAcceptanceDecision::kOlderThanAccepted:
      throw AppError(
          ErrorCode::kConflict,
          "terms version " + accepted.Str(0, 0) +
              " is already accepted; an older version cannot replace it",
          "", {{"terms_version", "older_than_accepted", "a newer version is already accepted"}},
          "terms_older_than_accepted");
    case domain::TermsAcceptanceDecision::kRecord:
      break;
  }
  conn.Exec("insert_onboarding_terms_acceptance",
            {c.id, terms_version, by.name, by.role, NullIfEmpty(by.portal_user),
             NullIfEmpty(by.request_id)});
  conn.Exec("touch_onboarding", {c.id});
  domain::Onboarding updated = SelectCase(conn, c.id);
  unit.Record(audit);
  unit.Commit();
  return {std::move(updated), true};
}

}  // namespace onboard::db
