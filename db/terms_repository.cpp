#include "terms_repository.hpp"

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "error.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

// Columns: version, title, url, summary, published_at, published_by, seq.
domain::Terms TermsFromRow(const Result& r, int row) {
  domain::Terms t;
  ReadColumns(r, row, 0, t.version, t.title, t.url, t.summary, t.published_at, t.published_by);
  return t;
}

}  // namespace

domain::Terms TermsRepository::Publish(const domain::Terms& terms,
                                       const domain::AuditEvent& audit) {
  const std::vector<Refusal> refusals = {
      {"terms_versions_pkey",
       ErrorCode::kConflict,
       "terms version " + terms.version + " is already published; published versions never change",
       {{"version", "duplicate", "this version is already published"}},
       "terms_version_exists"}};
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    return TermsFromRow(
        ExecRefusing(conn, "insert_terms_version",
                     {terms.version, terms.title, terms.url, terms.summary, terms.published_by},
                     refusals),
        0);
  });
}

std::vector<domain::Terms> TermsRepository::List() {
  return ListRows(pool_, "list_terms_versions", {}, TermsFromRow);
}

std::optional<domain::Terms> TermsRepository::Find(const std::string& version) {
  return FindRow(pool_, "select_terms_version", {version}, TermsFromRow);
}

}  // namespace onboard::db
