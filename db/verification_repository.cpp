#include "verification_repository.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "audit_log_repository.hpp"
#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "client_repository.hpp"
#include "error.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

// Columns: version, published_at, published_by, case_id, name, title, description,
// mandatory, feature; one row per case.
std::optional<domain::VerificationCatalogue> CatalogueFromRows(const Result& r) {
  if (r.rows() == 0) return std::nullopt;
  domain::VerificationCatalogue catalogue;
  ReadColumns(r, 0, 0, catalogue.version, catalogue.published_at, catalogue.published_by);
  for (int i = 0; i < r.rows(); ++i) {
    domain::VerificationCase c;
    ReadColumns(r, i, 3, c.id, c.name, c.title, c.description, c.mandatory);
    if (!r.IsNull(i, 8)) {
      c.feature = domain::ClientFeatureFromString(r.Get(i, 8));
      if (!c.feature) {
        throw AppError(ErrorCode::kInternal, "internal error",
                       "verification catalogue " + std::to_string(catalogue.version) +
                           " names unknown feature " + r.Str(i, 8));
      }
    }
    catalogue.cases.push_back(std::move(c));
  }
  return catalogue;
}

// Columns: id, client_id, catalogue_version, tester, tested_at, complete,
// missing_mandatory (JSON array), recorded_at, recorded_by, recorded_role, portal_user,
// results (JSON array of {case_id, outcome, evidence, attachment}).
domain::VerificationRun RunFromRow(const Result& r, int row) {
  domain::VerificationRun run;
  ReadColumns(r, row, 0, run.id, run.client_id, run.catalogue_version, run.tester, run.tested_at,
              run.complete);
  ReadColumns(r, row, 7, run.recorded_at, run.recorded_by, run.recorded_role, run.portal_user);
  Poco::JSON::Parser parser;
  auto missing = parser.parse(r.Str(row, 6)).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < missing->size(); ++i)
    run.missing_mandatory.push_back(missing->getElement<int>(static_cast<unsigned>(i)));
  parser.reset();
  auto results = parser.parse(r.Str(row, 11)).extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < results->size(); ++i) {
    Poco::JSON::Object::Ptr o = results->getObject(static_cast<unsigned>(i));
    const auto outcome = domain::CaseOutcomeFromString(o->getValue<std::string>("outcome"));
    run.results.push_back(
        {o->getValue<int>("case_id"), outcome.value_or(domain::CaseOutcome::kFailed),
         o->getValue<std::string>("evidence"), o->getValue<std::string>("attachment")});
  }
  return run;
}

std::string IntArrayLiteral(const std::vector<int>& values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i)
    out += (i == 0 ? "" : ",") + std::to_string(values[i]);
  return out + "}";
}

}  // namespace

domain::VerificationCatalogue VerificationRepository::CurrentCatalogue() {
  Lease lease = pool_.Acquire();
  auto catalogue = CatalogueFromRows(lease->Exec("select_verification_catalogue_current"));
  if (!catalogue) {
    throw AppError(ErrorCode::kInternal, "internal error",
                   "no verification catalogue is published (migration 0004)");
  }
  return *catalogue;
}

std::optional<domain::VerificationCatalogue> VerificationRepository::FindCatalogue(int version) {
  Lease lease = pool_.Acquire();
  return CatalogueFromRows(lease->Exec("select_verification_catalogue", {std::to_string(version)}));
}

domain::VerificationCatalogue VerificationRepository::PublishCatalogue(
    const domain::VerificationCatalogue& catalogue, const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  const std::string version = std::to_string(catalogue.version);
  Result head;
  try {
    head = conn.Exec("insert_verification_catalogue_version", {version, catalogue.published_by});
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kConflict) {
      throw AppError(ErrorCode::kConflict,
                     "catalogue version " + version + " was published meanwhile", e.internal(), {},
                     "catalogue_version_exists");
    }
    throw;
  }
  for (const domain::VerificationCase& c : catalogue.cases) {
    conn.Exec("insert_verification_catalogue_case",
              {version, std::to_string(c.id), c.name, c.title, c.description,
               c.mandatory ? "true" : "false", NameOrNull(c.feature)});
  }
  unit.Record(audit);
  unit.Commit();
  domain::VerificationCatalogue stored = catalogue;
  stored.published_at = head.Str(0, 1);
  stored.published_by = head.Str(0, 2);
  return stored;
}

domain::VerificationRun VerificationRepository::RecordRun(const domain::VerificationRun& run,
                                                          const domain::Actor& by,
                                                          const domain::AuditEvent& audit) {
  if (!IsUuid(run.client_id)) throw AppError(ErrorCode::kNotFound, "no such client");
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result inserted = conn.Exec(
      "insert_verification_run",
      {run.id, run.client_id, std::to_string(run.catalogue_version), run.tester, run.tested_at,
       run.complete ? "true" : "false", IntArrayLiteral(run.missing_mandatory), by.name, by.role,
       NullIfEmpty(by.portal_user), NullIfEmpty(by.request_id)});
  if (inserted.rows() == 0) {
    Result env = conn.Exec("select_verification_client_environment", {run.client_id});
    if (env.rows() == 0) throw AppError(ErrorCode::kNotFound, "no such client");
    throw AppError(ErrorCode::kConflict, "verification runs are recorded against test clients only",
                   "", {}, "not_a_test_client");
  }
  for (const domain::CaseResult& r : run.results) {
    conn.Exec("insert_verification_run_result",
              {run.id, std::to_string(r.case_id), std::string(domain::ToString(r.outcome)),
               r.evidence, NullIfEmpty(r.attachment)});
  }
  Result stored = conn.Exec("select_verification_run", {run.id});
  unit.Record(audit);
  unit.Commit();
  return RunFromRow(stored, 0);
}

std::vector<domain::VerificationRun> VerificationRepository::ListRuns(const std::string& client_id,
                                                                      int limit) {
  if (!IsUuid(client_id)) return {};
  return ListRows(pool_, "list_verification_runs", {client_id, "false", std::to_string(limit)},
                  RunFromRow);
}

std::optional<domain::VerificationRun> VerificationRepository::LatestCompleteRun(
    const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  return FindRow(pool_, "list_verification_runs", {client_id, "true", "1"}, RunFromRow);
}

std::optional<std::string> VerificationRepository::FindCaseOfClient(const std::string& client_id) {
  if (!IsUuid(client_id)) return std::nullopt;
  return FindRow(pool_, "select_readiness_case_of_client", {client_id},
                 [](const Result& r, int row) { return r.Str(row, 0); });
}

std::map<std::string, domain::TestClientFacts> VerificationRepository::FactsOfTestClients(
    const std::vector<std::string>& client_ids) {
  std::map<std::string, domain::TestClientFacts> out;
  std::vector<std::string> ids;
  for (const std::string& id : client_ids) {
    out[id] = {};
    if (IsUuid(id)) ids.push_back(id);
  }
  if (ids.empty()) return out;
  constexpr int kIdColumn = 12;
  constexpr int kCaseColumn = 13;
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_test_client_facts", {TextArrayLiteral(ids)});
  for (int i = 0; i < r.rows(); ++i) {
    domain::TestClientFacts& facts = out[r.Str(i, kIdColumn)];
    if (!r.IsNull(i, kCaseColumn)) facts.case_id = r.Str(i, kCaseColumn);
    if (!r.IsNull(i, 0)) facts.latest_complete_run = RunFromRow(r, i);
  }
  return out;
}

}  // namespace onboard::db
