#pragma once

#include <Poco/JSON/Array.h>

#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"
#include "error.hpp"
#include "paging.hpp"

namespace onboard::domain {

/// A contact person of an organisation. `role` is technical, administrative or incident.
struct Contact {
  std::string name;
  std::string email;
  std::string mobile;  ///< E.164, e.g. +4791234567; may be empty
  std::string role;
};

struct Organisation {
  std::string orgno;
  std::string name;
  std::vector<Contact> contacts;
  int version = 1;
  std::string created_at;  ///< RFC 3339, set by the store
  std::string updated_at;
};

struct OrganisationFilter {
  std::string name_prefix;  ///< case-insensitive prefix of the name; empty = all
  std::string only_orgno;   ///< set for portal callers: restricts the listing to one org
};

/// Persistence of organisations. Mutations write `audit` in the same transaction and
/// throw AppError: kConflict when the organisation exists (Create) or changed since
/// `expected_version` was read (Update); kNotFound when it does not exist.
class OrganisationStore {
 public:
  virtual ~OrganisationStore() = default;
  virtual Organisation Create(const Organisation& org, const AuditEvent& audit) = 0;
  virtual std::optional<Organisation> Find(const std::string& orgno) = 0;
  virtual Page<Organisation> List(const OrganisationFilter& filter, const PageRequest& page) = 0;
  virtual Organisation Update(const Organisation& org, int expected_version,
                              const AuditEvent& audit) = 0;
};

/// Field errors for an organisation's name and contacts (the orgno is checked
/// separately with IsValidOrgno). Paths are relative to the organisation object.
std::vector<FieldError> ValidateOrganisation(const Organisation& org);

/// JSON codec for contacts (also the stored form). Parsing throws AppError(kValidation)
/// for wrong types or unknown fields, with paths under `contacts/`.
Poco::JSON::Array::Ptr ContactsToJson(const std::vector<Contact>& contacts);
/// The same as compact JSON text (the `contacts` jsonb column).
std::string ContactsJsonText(const std::vector<Contact>& contacts);
std::vector<Contact> ContactsFromJson(const Poco::JSON::Array& array);

/// True for an E.164 number: '+', a non-zero digit, 7 to 14 more digits.
bool IsE164(std::string_view number) noexcept;
/// A pragmatic e-mail check: one '@', non-empty local part, a dot in the domain, no
/// spaces, control characters or header syntax (`<>"(),;:[]\`), at most 254 characters.
/// Non-ASCII (UTF-8) mailboxes pass.
bool IsPlausibleEmail(std::string_view email) noexcept;

}  // namespace onboard::domain
