#include "organisation_repository.hpp"

#include <Poco/JSON/Parser.h>

#include <sstream>

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

// Columns: orgno, name, contacts, version, created_at, updated_at.
domain::Organisation OrganisationFromRow(const Result& r, int row) {
  domain::Organisation org;
  ReadColumns(r, row, 0, org.orgno, org.name);
  org.contacts = ContactsFromText(r.Str(row, 2));
  ReadColumns(r, row, 3, org.version, org.created_at, org.updated_at);
  return org;
}

}  // namespace

std::vector<domain::Contact> ContactsFromText(const std::string& json_array) {
  Poco::JSON::Parser parser;
  return domain::ContactsFromJson(*parser.parse(json_array).extract<Poco::JSON::Array::Ptr>());
}

domain::Organisation OrganisationRepository::Create(const domain::Organisation& org,
                                                    const domain::AuditEvent& audit) {
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    return OrganisationFromRow(
        conn.Exec("insert_organisation",
                  {org.orgno, org.name, domain::ContactsJsonText(org.contacts)}),
        0);
  });
}

std::optional<domain::Organisation> OrganisationRepository::Find(const std::string& orgno) {
  return FindRow(pool_, "select_organisation", {orgno}, OrganisationFromRow);
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
       NullIfEmpty(filter.only_orgno), after, std::to_string(page.limit + 1)});
  return PageOf(r, page.limit, OrganisationFromRow,
                [&](int last) { return crypto::Base64UrlEncode(r.Str(last, 0)); });
}

domain::Organisation OrganisationRepository::Update(const domain::Organisation& org,
                                                    int expected_version,
                                                    const domain::AuditEvent& audit) {
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    Result r = conn.Exec("update_organisation",
                         {org.orgno, org.name, domain::ContactsJsonText(org.contacts),
                          std::to_string(expected_version)});
    if (r.rows() == 0) {
      ThrowMissingOrStale(conn, "select_organisation", org.orgno, "no such organisation",
                          "the organisation was changed by someone else; reload it and retry");
    }
    return OrganisationFromRow(r, 0);
  });
}

}  // namespace onboard::db
