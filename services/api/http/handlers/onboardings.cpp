#include <Poco/JSON/Array.h>

#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

namespace {

// UTF-8 needs at most four bytes per code point; the code-point limit itself is checked by
// the domain, this only bounds what is read.
constexpr std::size_t kPlanningByteCap = domain::kMaxPlanningTextChars * 4;
constexpr std::size_t kServiceNameByteCap = domain::kMaxServiceNameChars * 4;

// A member that may be repeated but not changed: its value when it is a readable string.
std::optional<std::string> Repeated(JsonFields& f, const std::string& key) {
  return f.String(key, false, 64);
}

Poco::JSON::Object::Ptr LinkedClientJson(const domain::LinkedClient& c) {
  return JsonObject({{"client_id", c.client_id},
                     {"client_name", c.client_name},
                     {"environment", c.environment},
                     {"state", c.state},
                     {"linked_at", c.linked_at},
                     {"linked_by", c.linked_by}});
}

Poco::Dynamic::Var TermsAcceptanceJson(const std::optional<domain::TermsAcceptance>& a) {
  if (!a) return {};
  return JsonObject({{"terms_version", a->terms_version},
                     {"accepted_at", a->accepted_at},
                     {"accepted_by", a->accepted_by},
                     {"accepted_role", a->accepted_role},
                     {"portal_user", OrNull(a->portal_user)}});
}

}  // namespace

Poco::JSON::Object::Ptr OnboardingJson(const domain::Onboarding& o) {
  Poco::JSON::Object::Ptr planning = new Poco::JSON::Object();
  for (const domain::PlanningField& field : domain::kPlanningFields) {
    planning->set(std::string(field.name), o.planning.*field.member);
  }
  return JsonObject({{"id", o.id},
                     {"organisation", o.organisation},
                     {"service_name", o.service_name},
                     {"state", std::string(domain::OnboardingStateName(o.state))},
                     {"planning", planning},
                     {"planning_complete", domain::IsPlanningComplete(o.planning)},
                     {"planning_missing", JsonArray(domain::MissingPlanningFields(o.planning))},
                     {"contacts", domain::ContactsToJson(o.contacts)},
                     {"test_clients", JsonArray(o.test_clients, LinkedClientJson)},
                     {"production_client_id", OrNull(o.production_client_id)},
                     {"terms_acceptance", TermsAcceptanceJson(o.terms_acceptance)},
                     {"version", o.version},
                     {"created_by", o.created_by},
                     {"created_at", o.created_at},
                     {"updated_at", o.updated_at}});
}

// A change of the case in the path, guarded by If-Match; `change` is the use case.
template <class Command>
void ChangeCase(RequestContext& ctx, AppServices& svc, Command command,
                domain::Onboarding (usecases::Onboardings::*change)(const usecases::Caller&,
                                                                    const Command&)) {
  command.id = ctx.Param("id");
  command.expected_version = ReadIfMatch(ctx);
  const domain::Onboarding o = (svc.use_cases.onboardings.*change)(ctx.UseCaseCaller(), command);
  WriteVersioned(ctx, 200, o, OnboardingJson);
}

Poco::JSON::Object::Ptr TermsJson(const domain::Terms& t) {
  return JsonObject({{"version", t.version},
                     {"title", t.title},
                     {"url", t.url},
                     {"summary", t.summary},
                     {"published_at", t.published_at},
                     {"published_by", t.published_by}});
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

namespace {

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

// A body of one required string member, read into `member` of the command.
template <class Command>
Command ReadOneString(const Poco::JSON::Object& body, const char* key, std::size_t max_bytes,
                      std::string Command::*member) {
  JsonFields f(body);
  Command command;
  command.*member = f.String(key, true, max_bytes).value_or("");
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

}  // namespace

// Opens a case. A portal caller may leave `organisation` out: it is the organisation the
// portal acts for.
void OnboardingsPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewCase command = ReadNewCase(*ReadBody(ctx, svc));
  const domain::Onboarding created = svc.use_cases.onboardings.Open(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/onboardings/" + created.id);
  WriteVersioned(ctx, 201, created, OnboardingJson);
}

// GET /v1/onboardings?organisation=&state=&limit=&cursor=, newest case first.
void OnboardingsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  const usecases::CaseQuery query{
      ctx.Query("organisation"), ctx.Query("state"), {page.cursor, page.limit}};
  const auto result = svc.use_cases.onboardings.List(ctx.UseCaseCaller(), query);
  WriteJson(ctx, 200, PageJson(result, OnboardingJson));
}

void OnboardingGet(RequestContext& ctx, AppServices& svc) {
  const domain::Onboarding o = svc.use_cases.onboardings.Get(ctx.UseCaseCaller(), ctx.Param("id"));
  WriteVersioned(ctx, 200, o, OnboardingJson);
}

// RFC 7396 merge patch over {service_name, state, planning, contacts}; id and
// organisation may be repeated but not changed. State moves only open <-> withdrawn here.
void OnboardingPatch(RequestContext& ctx, AppServices& svc) {
  ChangeCase(ctx, svc, ReadCaseChange(*ReadBody(ctx, svc, "application/merge-patch+json")),
             &usecases::Onboardings::Change);
}

// POST /v1/onboardings/{id}/clients {"client_id": "<uuid>"}: links a test client of the
// case's organisation. Repeating a link that exists changes nothing (200, no audit event).
void OnboardingClientsPost(RequestContext& ctx, AppServices& svc) {
  ChangeCase(ctx, svc,
             ReadOneString(*ReadBody(ctx, svc), "client_id", 64, &usecases::ClientLink::client_id),
             &usecases::Onboardings::LinkClient);
}

// POST /v1/onboardings/{id}/terms-acceptance {"terms_version": "..."}: records that the
// caller (token name, and the portal user for portal calls) accepted a published version.
// Accepting the version already accepted changes nothing (200, no audit event).
void OnboardingTermsAcceptancePost(RequestContext& ctx, AppServices& svc) {
  ChangeCase(ctx, svc,
             ReadOneString(*ReadBody(ctx, svc), "terms_version", domain::kMaxTermsVersionChars,
                           &usecases::TermsAcceptanceCommand::terms_version),
             &usecases::Onboardings::AcceptTerms);
}

// Every published version, newest first. The list is short (a few versions a year), so it
// is not paginated.
void TermsList(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200, ListJson(svc.use_cases.terms.List(), TermsJson));
}

void TermsGet(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200, *TermsJson(svc.use_cases.terms.Get(ctx.Param("version"))));
}

// Publishes a new terms version (operator only). A version is never changed once
// published: repeating one is a 409.
void TermsPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewTerms command = ReadNewTerms(*ReadBody(ctx, svc));
  const domain::Terms published = svc.use_cases.terms.Publish(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/terms/" + published.version);
  WriteJson(ctx, 201, *TermsJson(published));
}

}  // namespace onboard::http::handlers
