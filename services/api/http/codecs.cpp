#include "codecs.hpp"

#include <Poco/NumberParser.h>

#include "error.hpp"
#include "handlers/common_codecs.hpp"

namespace onboard::http {

Poco::JSON::Object::Ptr OrganisationJson(const domain::Organisation& org) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("orgno", org.orgno);
  o->set("name", org.name);
  o->set("contacts", domain::ContactsToJson(org.contacts));
  o->set("version", org.version);
  o->set("created_at", org.created_at);
  o->set("updated_at", org.updated_at);
  return o;
}

Poco::JSON::Object::Ptr TokenJson(const domain::ApiToken& t) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object();
  o->set("id", t.id);
  o->set("name", t.name);
  o->set("role", std::string(domain::RoleName(t.role)));
  o->set("prefix", t.prefix);
  o->set("created_by", t.created_by);
  o->set("created_at", t.created_at);
  auto opt = [&](const char* key, const std::optional<std::string>& v) {
    if (v)
      o->set(key, *v);
    else
      o->set(key, Poco::Dynamic::Var());
  };
  opt("expires_at", t.expires_at);
  opt("revoked_at", t.revoked_at);
  opt("last_used_at", t.last_used_at);
  opt("organisation", t.organisation);
  return o;
}

usecases::NewOrganisation ReadNewOrganisation(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::NewOrganisation command;
  command.organisation.orgno = f.String("orgno", true, 64).value_or("");
  command.organisation.name = f.String("name", true, 1000).value_or("");
  command.organisation.contacts = handlers::ReadContacts(f).value;
  command.input_errors = f.Problems();
  return command;
}

usecases::OrganisationChange ReadOrganisationChange(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::OrganisationChange command;
  command.orgno_in_body = f.String("orgno", false, 64);
  command.name = handlers::ReadStringPatch(f, "name", 1000);
  command.contacts = handlers::ReadContacts(f);
  command.input_errors = f.Problems();
  return command;
}

usecases::NewToken ReadNewToken(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::NewToken command;
  command.name = f.String("name", true, 200).value_or("");
  command.role = f.String("role", true, 32).value_or("");
  if (auto days = f.Int("expires_in_days", false, 1, 3650))
    command.expires_in_days = static_cast<int>(*days);
  command.organisation = f.String("organisation", false, 9);
  command.input_errors = f.Problems();
  return command;
}

std::string VersionEtag(int version) { return "\"" + std::to_string(version) + "\""; }

}  // namespace onboard::http
