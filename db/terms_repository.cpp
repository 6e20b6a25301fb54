#include "terms_repository.hpp"

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "error.hpp"

namespace onboard::db {

namespace {

// Columns: version, title, url, summary, published_at, published_by, seq.
domain::Terms TermsFromRow(const Result& r, int row) {
  domain::Terms t;
  t.version = r.Str(row, 0);
  t.title = r.Str(row, 1);
  t.url = r.Str(row, 2);
  t.summary = r.Str(row, 3);
  t.published_at = r.Str(row, 4);
  t.published_by = r.Str(row, 5);
  return t;
}

}  // namespace

domain::Terms TermsRepository::Publish(const domain::Terms& terms,
                                       const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r;
  try {
    r = conn.Exec("insert_terms_version",
                  {terms.version, terms.title, terms.url, terms.summary, terms.published_by});
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kConflict && e.code_name() == "terms_versions_pkey") {
      throw AppError(ErrorCode::kConflict,
                     "terms version " + terms.version +
                         " is already published; published versions never change",
                     e.internal(), {{"version", "duplicate", "this version is already published"}},
                     "terms_version_exists");
    }
    throw;
  }
  unit.Record(audit);
  unit.Commit();
  return TermsFromRow(r, 0);
}

std::vector<domain::Terms> TermsRepository::List() {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("list_terms_versions");
  std::vector<domain::Terms> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(TermsFromRow(r, i));
  return out;
}

std::optional<domain::Terms> TermsRepository::Find(const std::string& version) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_terms_version", {version});
  if (r.rows() == 0) return std::nullopt;
  return TermsFromRow(r, 0);
}

}  // namespace onboard::db
