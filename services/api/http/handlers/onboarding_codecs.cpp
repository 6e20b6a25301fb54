#include "onboarding_codecs.hpp"

#include <Poco/JSON/Array.h>

#include <sstream>

#include "codecs.hpp"
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

void ReadPlanningPatch(JsonFields& fields, domain::PlanningInfo& planning) {
  if (!fields.Has("planning")) return;
  if (fields.IsNull("planning")) {
    fields.Allow("planning");
    planning = domain::PlanningInfo{};
    return;
  }
  Poco::JSON::Object::Ptr obj = fields.Object("planning", false);
  if (!obj) return;
  JsonFields inner(*obj, "planning/");
  for (const domain::PlanningField& field : domain::kPlanningFields) {
    const std::string key(field.name);
    if (!inner.Has(key)) continue;
    if (inner.IsNull(key)) {
      inner.Allow(key);
      (planning.*field.member).clear();
    } else if (auto value = inner.String(key, false, kPlanningByteCap)) {
      planning.*field.member = std::move(*value);
    }
  }
  try {
    inner.Finish();
  } catch (const AppError& e) {
    fields.AddErrors(e.field_errors());
  }
}

void ReadContacts(JsonFields& fields, std::vector<domain::Contact>& contacts, bool allow_null) {
  if (!fields.Has("contacts")) return;
  if (fields.IsNull("contacts")) {
    fields.Allow("contacts");
    if (allow_null)
      contacts.clear();
    else
      fields.AddError("contacts", "invalid_type", "contacts must be an array");
    return;
  }
  if (auto array = fields.Array("contacts", false)) {
    try {
      contacts = domain::ContactsFromJson(*array);
    } catch (const AppError& e) {
      fields.AddErrors(e.field_errors());
    }
  }
}

bool IsUuid(const std::string& text) noexcept {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

domain::Onboarding FindVisibleOnboarding(const RequestContext& ctx, domain::OnboardingStore& store,
                                         const std::string& id) {
  std::optional<domain::Onboarding> found;
  if (IsUuid(id)) found = store.Find(id);
  if (!found) throw AppError(ErrorCode::kNotFound, "no such onboarding case");
  if (ctx.IsPortal() && ctx.caller->portal_org != found->organisation) {
    throw AppError(
        ErrorCode::kNotFound, "no such onboarding case",
        "portal org " + ctx.caller->portal_org + " asked for a case of " + found->organisation);
  }
  return *found;
}

std::optional<int> OptionalIfMatch(const RequestContext& ctx) {
  const int v = ParseIfMatch(ctx.request.get("If-Match", ""));
  if (v < 0) return std::nullopt;
  return v;
}

std::string AuditDetail(const Poco::JSON::Object& detail) {
  std::ostringstream out;
  detail.stringify(out);
  return out.str();
}

}  // namespace onboard::http::handlers
