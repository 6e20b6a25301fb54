#include "organisation_repository.hpp"

#include <Poco/JSON/Parser.h>

#include <sstream>

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "crypto.hpp"
#include "error.hpp"

namespace onboard::db {

namespace {

// Columns: orgno, name, contacts, version, created_at, updated_at.
domain::Organisation OrganisationFromRow(const Result& r, int row) {
  domain::Organisation org;
  org.orgno = r.Str(row, 0);
  org.name = r.Str(row, 1);
  Poco::JSON::Parser parser;
  org.contacts =
      domain::ContactsFromJson(*parser.parse(r.Str(row, 2)).extract<Poco::JSON::Array::Ptr>());
  org.version = static_cast<int>(r.Int(row, 3));
  org.created_at = r.Str(row, 4);
  org.updated_at = r.Str(row, 5);
  return org;
}

}  // namespace

domain::Organisation OrganisationRepository::Create(const domain::Organisation& org,
                                                    const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r = conn.Exec("insert_organisation",
                       {org.orgno, org.name, domain::ContactsJsonText(org.contacts)});
  unit.Record(audit);
  unit.Commit();
  return OrganisationFromRow(r, 0);
}

std::optional<domain::Organisation> OrganisationRepository::Find(const std::string& orgno) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_organisation", {orgno});
  if (r.rows() == 0) return std::nullopt;
  return OrganisationFromRow(r, 0);
}

domain::Page<domain::Organisation> OrganisationRepository::List(
    const domain::OrganisationFilter& filter, const domain::PageRequest& page) {
  const std::string after =
      page.cursor.empty() ? std::string() : crypto::Base64UrlDecode(page.cursor);
  Lease lease = pool_.Acquire();
  Result r = lease->Exec(
      "list_organisations",
      {filter.name_prefix.empty() ? std::nullopt
                                  : std::optional<std::string>(EscapeLike(filter.name_prefix)),
       filter.only_orgno.empty() ? std::nullopt : std::optional<std::string>(filter.only_orgno),
       after, std::to_string(page.limit + 1)});
  domain::Page<domain::Organisation> out;
  for (int i = 0; i < r.rows() && i < page.limit; ++i)
    out.items.push_back(OrganisationFromRow(r, i));
  if (r.rows() > page.limit && !out.items.empty())
    out.next_cursor = crypto::Base64UrlEncode(out.items.back().orgno);
  return out;
}

domain::Organisation OrganisationRepository::Update(const domain::Organisation& org,
                                                    int expected_version,
                                                    const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r =
      conn.Exec("update_organisation", {org.orgno, org.name, domain::ContactsJsonText(org.contacts),
                                        std::to_string(expected_version)});
  if (r.rows() == 0) {
    Result exists = conn.Exec("select_organisation", {org.orgno});
    if (exists.rows() == 0) throw AppError(ErrorCode::kNotFound, "no such organisation");
    throw AppError(ErrorCode::kPreconditionFailed,
                   "the organisation was changed by someone else; reload it and retry", "", {},
                   "version_mismatch");
  }
  unit.Record(audit);
  unit.Commit();
  return OrganisationFromRow(r, 0);
}

}  // namespace onboard::db
