#include "onboarding_repository.hpp"

#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <sstream>

#include "audit_log_repository.hpp"
#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "organisation_repository.hpp"
#include "repository.hpp"
#include "uuid.hpp"

namespace onboard::db {

namespace {

std::vector<domain::LinkedClient> LinkedClientsFromText(const std::string& text) {
  Poco::JSON::Parser parser;
  const auto array = parser.parse(text).extract<Poco::JSON::Array::Ptr>();
  std::vector<domain::LinkedClient> out;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto o = array->getObject(static_cast<unsigned>(i));
    const auto member = [&](const char* name) { return o->getValue<std::string>(name); };
    out.push_back({member("client_id"), member("client_name"), member("environment"),
                   member("state"), member("linked_at"), member("linked_by")});
  }
  return out;
}

// Columns of select_onboarding / list_onboardings: id, organisation, service_name, state,
// six planning fields, contacts, production_client_id, version, created_by, created_at,
// updated_at, five of the latest terms acceptance, linked clients (JSON), seq.
constexpr int kSeqColumn = 22;

domain::Onboarding OnboardingFromRow(const Result& r, int row) {
  domain::Onboarding o;
  ReadColumns(r, row, 0, o.id, o.organisation, o.service_name);
  const auto state = domain::ParseOnboardingState(r.Get(row, 3));
  if (!state)
    throw AppError(ErrorCode::kInternal, "internal error",
                   "onboarding " + o.id + " has an unknown state");
  o.state = *state;
  domain::PlanningInfo& p = o.planning;
  ReadColumns(r, row, 4, p.schedule, p.production_plan, p.service_description, p.expected_volume,
              p.high_traffic_periods, p.support_impact);
  o.contacts = ContactsFromText(r.Str(row, 10));
  ReadColumns(r, row, 11, o.production_client_id, o.version, o.created_by, o.created_at,
              o.updated_at);
  if (!r.IsNull(row, 16)) {
    domain::TermsAcceptance a;
    ReadColumns(r, row, 16, a.terms_version, a.accepted_at, a.accepted_by, a.accepted_role,
                a.portal_user);
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
  return OnboardingFromRow(ExecExpectingRow(conn, "select_onboarding", {TextArrayLiteral({id})},
                                            "no such onboarding case"),
                           0);
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
  Result r = ExecExpectingRow(conn, "lock_onboarding", {id}, "no such onboarding case");
  LockedCase c;
  c.id = r.Str(0, 0);
  c.organisation = r.Str(0, 1);
  c.state = domain::ParseOnboardingState(r.Get(0, 2)).value_or(domain::OnboardingState::kWithdrawn);
  c.version = static_cast<int>(r.Int(0, 3));
  if (expected_version && *expected_version != c.version) ThrowVersionMismatch(c.version);
  return c;
}

// A change to an open case, in one transaction: locks the case (checking the caller's
// version), then `change(conn, locked)` writes and says whether it changed anything. A
// change touches the case and commits with `audit`; none (the case already was so) writes
// and audits nothing. Either way the answer is the case as it stands.
template <class Change>
domain::OnboardingChange ChangeOpenCase(Pool& pool, const std::string& id,
                                        std::optional<int> expected_version,
                                        const domain::AuditEvent& audit, Change&& change) {
  PgUnitOfWork unit(pool);
  Connection& conn = unit.Tx();
  const LockedCase c = LockCase(conn, id, expected_version);
  domain::RequireOpenForChanges(c.state);
  if (!change(conn, c)) return {SelectCase(conn, c.id), false};
  conn.Exec("touch_onboarding", {c.id});
  domain::Onboarding updated = SelectCase(conn, c.id);
  unit.Record(audit);
  unit.Commit();
  return {std::move(updated), true};
}

// Unique violations of the one-case-per-service rule become a typed 409.
Refusal ServiceTaken(const std::string& service_name) {
  return {
      "onboardings_service_key",
      ErrorCode::kConflict,
      "the organisation already has an onboarding case for the service \"" + service_name + "\"",
      {{"service_name", "duplicate", "a case for this service exists"}},
      "onboarding_exists"};
}

}  // namespace

domain::Onboarding OnboardingRepository::Create(const domain::Onboarding& onboarding,
                                                const domain::AuditEvent& audit) {
  Params params{onboarding.id, onboarding.organisation};
  for (auto& p : EditableParams(onboarding)) params.push_back(std::move(p));
  params.push_back(onboarding.created_by);
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    ExecRefusing(conn, "insert_onboarding", params,
                 {ServiceTaken(onboarding.service_name),
                  {"onboardings_organisation_fkey",
                   ErrorCode::kValidation,
                   "the onboarding case is invalid",
                   {{"organisation", "unknown_organisation",
                     "no organisation with this number is registered"}},
                   ""}});
    return SelectCase(conn, onboarding.id);
  });
}

std::optional<domain::Onboarding> OnboardingRepository::Find(const std::string& id) {
  return FindRow(pool_, "select_onboarding", {TextArrayLiteral({id})}, OnboardingFromRow);
}

std::vector<domain::Onboarding> OnboardingRepository::FindMany(
    const std::vector<std::string>& ids) {
  std::vector<std::string> valid;
  for (const std::string& id : ids) {
    if (IsUuid(id)) valid.push_back(id);
  }
  if (valid.empty()) return {};
  return ListRows(pool_, "select_onboarding", {TextArrayLiteral(valid)}, OnboardingFromRow);
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
  return PageOf(r, page.limit, OnboardingFromRow,
                [&](int last) { return crypto::Base64UrlEncode(r.Str(last, kSeqColumn)); });
}

domain::Onboarding OnboardingRepository::Update(const domain::Onboarding& onboarding,
                                                int expected_version,
                                                const domain::AuditEvent& audit) {
  Params params{onboarding.id};
  for (auto& p : EditableParams(onboarding)) params.push_back(std::move(p));
  params.push_back(std::to_string(expected_version));
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    Result r =
        ExecRefusing(conn, "update_onboarding", params, {ServiceTaken(onboarding.service_name)});
    if (r.rows() == 0) {
      const LockedCase current = LockCase(conn, onboarding.id, std::nullopt);
      ThrowVersionMismatch(current.version);
    }
    return SelectCase(conn, onboarding.id);
  });
}

domain::OnboardingChange OnboardingRepository::LinkTestClient(const std::string& id,
                                                              const std::string& client_id,
                                                              const domain::Actor& by,
                                                              std::optional<int> expected_version,
                                                              const domain::AuditEvent& audit) {
  return ChangeOpenCase(
      pool_, id, expected_version, audit, [&](Connection& conn, const LockedCase& c) {
        Result client = conn.Exec("select_onboarding_client_candidate", {client_id});
        std::optional<domain::ClientPlacement> placement;
        if (client.rows() > 0)
          placement = domain::ClientPlacement{client.Str(0, 0), client.Str(0, 1)};
        domain::CheckLinkableTestClient(c.organisation, placement);

        Result link = conn.Exec("select_onboarding_client_link", {client_id});
        if (link.rows() > 0) {
          if (link.Get(0, 0) == c.id) return false;
          throw AppError(
              ErrorCode::kConflict, "the client is already linked to another onboarding case",
              "linked to " + link.Str(0, 0),
              {{"client_id", "already_linked", "linked to another case"}}, "client_already_linked");
        }
        // A concurrent request may have linked the same client to another case first.
        ExecRefusing(conn, "insert_onboarding_client", {c.id, client_id, by.name},
                     {{"onboarding_clients_client_key",
                       ErrorCode::kConflict,
                       "the client is already linked to another onboarding case",
                       {{"client_id", "already_linked", "linked to another case"}},
                       "client_already_linked"}});
        return true;
      });
}

domain::OnboardingChange OnboardingRepository::AcceptTerms(const std::string& id,
                                                           const std::string& terms_version,
                                                           const domain::Actor& by,
                                                           std::optional<int> expected_version,
                                                           const domain::AuditEvent& audit) {
  return ChangeOpenCase(
      pool_, id, expected_version, audit, [&](Connection& conn, const LockedCase& c) {
        Result terms = conn.Exec("select_terms_version", {terms_version});
        if (terms.rows() == 0) {
          throw AppError(ErrorCode::kValidation, "the terms acceptance is invalid", "",
                         {{"terms_version", "unknown_terms_version",
                           "no terms with this version are published"}});
        }
        Result accepted = conn.Exec("select_onboarding_accepted_terms", {c.id});
        const std::optional<int64_t> accepted_rank =
            accepted.rows() > 0 ? std::optional<int64_t>(accepted.Int(0, 1)) : std::nullopt;
        switch (domain::DecideTermsAcceptance(accepted_rank, terms.Int(0, 6))) {
          case domain::TermsAcceptanceDecision::kAlreadyAccepted:
            return false;
          case domain::TermsAcceptanceDecision::kOlderThanAccepted:
            throw AppError(
                ErrorCode::kConflict,
                "terms version " + accepted.Str(0, 0) +
                    " is already accepted; an older version cannot replace it",
                "",
                {{"terms_version", "older_than_accepted", "a newer version is already accepted"}},
                "terms_older_than_accepted");
          case domain::TermsAcceptanceDecision::kRecord:
            break;
        }
        conn.Exec("insert_onboarding_terms_acceptance",
                  {c.id, terms_version, by.name, by.role, NullIfEmpty(by.portal_user),
                   NullIfEmpty(by.request_id)});
        return true;
      });
}

}  // namespace onboard::db
