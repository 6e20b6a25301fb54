#include "organisation.hpp"

#include <Poco/JSON/Object.h>

#include <algorithm>
#include <sstream>

namespace onboard::domain {

namespace {
bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}
std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

bool IsE164(std::string_view n) noexcept {
  if (n.size() < 9 || n.size() > 16 || n[0] != '+' || n[1] < '1' || n[1] > '9') return false;
  return std::all_of(n.begin() + 1, n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsPlausibleEmail(std::string_view e) noexcept {
  // Besides spaces and control characters, nothing that is syntax in a mail header's
  // address list (<, >, quotes, comments, groups, routes): the address goes into To: as is.
  if (e.empty() || e.size() > 254 || HasControl(e) ||
      e.find_first_of(" <>\"(),;:[]\\") != std::string_view::npos)
    return false;
  const auto at = e.find('@');
  if (at == 0 || at == std::string_view::npos || e.find('@', at + 1) != std::string_view::npos)
    return false;
  const std::string_view domain = e.substr(at + 1);
  const auto dot = domain.find('.');
  return dot != std::string_view::npos && dot > 0 && dot + 1 < domain.size();
}

std::vector<FieldError> ValidateOrganisation(const Organisation& org) {
  std::vector<FieldError> errors;
  if (org.name.empty()) {
    errors.push_back({"name", "required", "name is required"});
  } else if (CodePoints(org.name) > 200) {
    errors.push_back({"name", "too_long", "name must be at most 200 characters"});
  } else if (HasControl(org.name)) {
    errors.push_back({"name", "control_character", "name must not contain control characters"});
  }
  if (org.contacts.size() > 20) {
    errors.push_back({"contacts", "too_many", "at most 20 contacts"});
  }
  for (std::size_t i = 0; i < org.contacts.size(); ++i) {
    const Contact& c = org.contacts[i];
    const std::string base = "contacts/" + std::to_string(i) + "/";
    if (c.name.empty())
      errors.push_back({base + "name", "required", "contact name is required"});
    else if (CodePoints(c.name) > 200 || HasControl(c.name))
      errors.push_back(
          {base + "name", "invalid", "contact name must be at most 200 printable characters"});
    if (!IsPlausibleEmail(c.email))
      errors.push_back({base + "email", "invalid_email", "not a valid e-mail address"});
    if (!c.mobile.empty() && !IsE164(c.mobile))
      errors.push_back(
          {base + "mobile", "invalid_e164", "mobile must be in E.164 form, e.g. +4791234567"});
    if (c.role != "technical" && c.role != "administrative" && c.role != "incident")
      errors.push_back(
          {base + "role", "invalid_role", "role must be technical, administrative or incident"});
  }
  return errors;
}

Poco::JSON::Array::Ptr ContactsToJson(const std::vector<Contact>& contacts) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array();
  for (const Contact& c : contacts) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
    o->set("name", c.name);
    o->set("email", c.email);
    if (!c.mobile.empty()) o->set("mobile", c.mobile);
    o->set("role", c.role);
    out->add(o);
  }
  return out;
}

std::string ContactsJsonText(const std::vector<Contact>& contacts) {
  std::ostringstream out;
  ContactsToJson(contacts)->stringify(out);
  return out.str();
}

std::vector<Contact> ContactsFromJson(const Poco::JSON::Array& array) {
  std::vector<Contact> out;
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < array.size(); ++i) {
    const std::string base = "contacts/" + std::to_string(i);
    Poco::JSON::Object::Ptr o = array.getObject(static_cast<unsigned>(i));
    if (!o) {
      errors.push_back({base, "invalid_type", "a contact must be an object"});
      continue;
    }
    Contact c;
    for (const auto& [key, value] : *o) {
      std::string* target = key == "name"     ? &c.name
                            : key == "email"  ? &c.email
                            : key == "mobile" ? &c.mobile
                            : key == "role"   ? &c.role
                                              : nullptr;
      if (target == nullptr) {
        errors.push_back({base + "/" + key, "unknown_field", "unknown field"});
      } else if (!value.isString()) {
        errors.push_back({base + "/" + key, "invalid_type", "must be a string"});
      } else {
        *target = value.extract<std::string>();
      }
    }
    out.push_back(std::move(c));
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the organisation is invalid", "", errors);
  return out;
}

}  // namespace onboard::domain
