#include "onboarding_codecs.hpp"

#include <Poco/JSON/Array.h>

#include "common_codecs.hpp"
#include "error.hpp"

namespace onboard::http::handlers {

namespace {

Poco::Dynamic::Var OrNull(const std::string& s) {
  if (s.empty()) return Poco::Dynamic::Var();
  return s;
}

// UTF-8 needs at most four bytes per code point; the code-point limit itself is checked by
// the domain, this only bounds what is read.
constexpr std::size_t kPlanningByteCap = domain::kMaxPlanningTextChars * 4;
constexpr std::size_t kServiceNameByteCap = domain::kMaxServiceNameChars * 4;

// A member that may be repeated but not changed: its value when it is a readable string.
std::optional<std::string> Repeated(JsonFields& f, const std::string& key) {
  return f.String(key, false, 64);
}

}  // namespace

Poco::JSON::Object::Ptr OnboardingJson(const domain::Onboarding& o) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object();
  out->set("id", o.id);
  out->set("organisation", o.organisation);
  out->set("service_name", o.service_name);
  out->set("state", std::string(domain::OnboardingStateName(o.state)));

  Poco::JSON::Object::Ptr planning = new Poco::JSON::Object();
  for (const domain::PlanningField& field : domain::kPlanningFields) {
    planning->set(std::string(field.name), o.planning.*field.member);
  }
  out->set("planning", planning);
  out->set("planning_complete", domain::IsPlanningComplete(o.planning));
  Poco::JSON::Array::Ptr missing = new Poco::JSON::Array();
  for (const std::string& name : domain::MissingPlanningFields(o.planning)) missing->add(name);
  out->set("planning_missing", missing);

  out->set("contacts", domain::ContactsToJson(o.contacts));

  Poco::JSON::Array::Ptr clients = new Poco::JSON::Array();
  for (const domain::LinkedClient& c : o.test_clients) {
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object();
    j->set("client_id", c.client_id);
    j->set("client_name", c.client_name);
    j->set("environment", c.environment);
    j->set("state", c.state);
    j->set("linked_at", c.linked_at);
    j->set("linked_by", c.linked_by);
    clients->add(j);
  }
  out->set("test_clients", clients);
  out->set("production_client_id", o.production_client_id
                                       ? Poco::Dynamic::Var(*o.production_client_id)
                                       : Poco::Dynamic::Var());
  if (o.terms_acceptance) {
    const domain::TermsAcceptance& a = *o.terms_acceptance;
    Poco::JSON::Object::Ptr j = new Poco::JSON::Object();
    j->set("terms_version", a.terms_version);
    j->set("accepted_at", a.accepted_at);
    j->set("accepted_by", a.accepted_by);
    j->set("accepted_role", a.accepted_role);
    j->set("portal_user", OrNull(a.portal_user));
    out->set("terms_acceptance", j);
  } else {
    out->set("terms_acceptance", Poco::Dynamic::Var());
  }
  out->set("version", o.version);
  out->set("created_by", o.created_by);
  out->set("created_at", o.created_at);
  out->set("updated_at", o.updated_at);
  return out;
}

Poco::JSON::Object::Ptr TermsJson(const domain::Terms& t) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object();
  out->set("version", t.version);
  out->set("title", t.title);
  out->set("url", t.url);
  out->set("summary", t.summary);
  out->set("published_at", t.published_at);
  out->set("published_by", t.published_by);
  return out;
}

usecases::PlanningPatch ReadPlanningPatch(JsonFields& fields) {
  usecases::PlanningPatch patch;
  if (!fields.Has("planning")) return patch;
  if (fields.IsNull("planning")) {
    fields.Allow("planning");
    patch.null = true;
    return patch;
  }
  Poco::JSON::Object::Ptr obj = fields.Object("planning", false);
  if (!obj) return patch;
  JsonFields inner(*obj, "planning/");
  for (std::size_t i = 0; i < patch.fields.size(); ++i) {
    patch.fields[i] =
        ReadStringPatch(inner, std::string(domain::kPlanningFields[i].name), kPlanningByteCap);
  }
  fields.AddErrors(inner.Problems());
  return patch;
}

usecases::NewCase ReadNewCase(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::NewCase command;
  // Absent or null: the use case decides (a portal's own organisation, else required).
  if (f.Has("organisation") && !f.IsNull("organisation")) {
    command.organisation = f.String("organisation", false, 64).value_or("");
  } else {
    f.Allow("organisation");
  }
  command.service_name = f.String("service_name", false, kServiceNameByteCap).value_or("");
  command.planning = ReadPlanningPatch(f);
  command.contacts = ReadContacts(f);
  command.input_errors = f.Problems();
  return command;
}

usecases::CaseChange ReadCaseChange(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::CaseChange command;
  command.id_in_body = Repeated(f, "id");
  command.organisation_in_body = Repeated(f, "organisation");
  command.service_name = ReadStringPatch(f, "service_name", kServiceNameByteCap);
  command.state = ReadStringPatch(f, "state", 64);
  command.planning = ReadPlanningPatch(f);
  command.contacts = ReadContacts(f);
  command.input_errors = f.Problems();
  return command;
}

usecases::ClientLink ReadClientLink(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::ClientLink command;
  command.client_id = f.String("client_id", true, 64).value_or("");
  command.input_errors = f.Problems();
  return command;
}

usecases::TermsAcceptanceCommand ReadTermsAcceptance(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::TermsAcceptanceCommand command;
  command.terms_version =
      f.String("terms_version", true, domain::kMaxTermsVersionChars).value_or("");
  command.input_errors = f.Problems();
  return command;
}

usecases::NewTerms ReadNewTerms(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::NewTerms command;
  domain::Terms& t = command.terms;
  t.version = f.String("version", false, domain::kMaxTermsVersionChars * 4).value_or("");
  t.title = f.String("title", false, domain::kMaxTermsTitleChars * 4).value_or("");
  t.url = f.String("url", false, domain::kMaxTermsUrlChars * 4).value_or("");
  t.summary = f.String("summary", false, domain::kMaxTermsSummaryChars * 4).value_or("");
  command.input_errors = f.Problems();
  return command;
}

}  // namespace onboard::http::handlers
