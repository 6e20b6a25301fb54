#pragma once

#include "organisation.hpp"
#include "pool.hpp"

namespace onboard::db {

/// OrganisationStore on PostgreSQL. Thread-safe (each call leases its own connection).
class OrganisationRepository final : public domain::OrganisationStore {
 public:
  explicit OrganisationRepository(Pool& pool) : pool_(pool) {}

  domain::Organisation Create(const domain::Organisation& org,
                              const domain::AuditEvent& audit) override;
  std::optional<domain::Organisation> Find(const std::string& orgno) override;
  domain::Page<domain::Organisation> List(const domain::OrganisationFilter& filter,
                                          const domain::PageRequest& page) override;
  domain::Organisation Update(const domain::Organisation& org, int expected_version,
                              const domain::AuditEvent& audit) override;

 private:
  Pool& pool_;
};

/// The contacts of a stored `contacts` column (a JSON array, as ContactsJsonText wrote it).
std::vector<domain::Contact> ContactsFromText(const std::string& json_array);

}  // namespace onboard::db
