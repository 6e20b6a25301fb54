#include <Poco/JSON/Array.h>

#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "organisations.hpp"
#include "json_io.hpp"

namespace onboard::http::handlers {

namespace {

usecases::NewOrganisation ReadNewOrganisation(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::NewOrganisation command;
  command.organisation.orgno = f.String("orgno", true, 64).value_or("");
  command.organisation.name = f.String("name", true, 1000).value_or("");
  command.organisation.contacts = ReadContacts(f).value;
  command.input_errors = f.Problems();
  return command;
}

// orgno may be repeated but not changed.
usecases::OrganisationChange ReadOrganisationChange(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::OrganisationChange command;
  command.orgno_in_body = f.String("orgno", false, 64);
  command.name = ReadStringPatch(f, "name", 1000);
  command.contacts = ReadContacts(f);
  command.input_errors = f.Problems();
  return command;
}

// An onbehalfof record's JSON.
Poco::JSON::Object::Ptr OnbehalfofJson(const domain::OnBehalfOf& r) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("onbehalfof", r.onbehalfof);
  o->set("display_name", r.display_name);
  o->set("orgno", r.orgno);
  if (r.url) o->set("url", *r.url);
  return o;
}

// The entry the path names (its value "" for POST /clients/{client_id}/onbehalfof).
usecases::OnBehalfOfTarget ReadTarget(const RequestContext& ctx) {
  const auto named = ctx.params.find("onbehalfof");
  return {.client_id = ctx.Param("client_id"),
          .if_match = ctx.request.get("If-Match", ""),
          .value = named == ctx.params.end() ? "" : named->second};
}

// A record from the request body; `value` is the onbehalfof of the path, or empty when the
// body names it.
domain::OnBehalfOf ReadOnbehalfof(RequestContext& ctx, AppServices& svc, const std::string& value) {
  const Poco::JSON::Object::Ptr body = ReadBody(ctx, svc);  // JsonFields borrows it
  JsonFields f(*body);
  domain::OnBehalfOf r;
  const std::string named = f.String("onbehalfof", value.empty(), 100).value_or("");
  r.display_name = f.String("display_name", true, 200).value_or("");
  r.orgno = f.String("orgno", true, 9).value_or("");
  r.url = f.String("url", false, 500);
  if (!value.empty() && !named.empty() && named != value)
    f.AddError("onbehalfof", "immutable", "onbehalfof must be the value of the URL");
  f.Finish("the onbehalfof entry is invalid");
  r.onbehalfof = value.empty() ? named : value;
  return r;
}

}  // namespace

void OrganisationsPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewOrganisation command = ReadNewOrganisation(*ReadBody(ctx, svc));
  const domain::Organisation created =
      svc.use_cases.organisations.Register(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/organisations/" + created.orgno);
  WriteVersioned(ctx, 201, created, OrganisationJson);
}

void OrganisationsList(RequestContext& ctx, AppServices& svc) {
  const PageParams page = ReadPageParams(ctx);
  const usecases::OrganisationQuery query{ctx.Query("name"), {page.cursor, page.limit}};
  const auto result = svc.use_cases.organisations.List(ctx.UseCaseCaller(), query);
  WriteJson(ctx, 200, PageJson(result, OrganisationJson));
}

void OrganisationGet(RequestContext& ctx, AppServices& svc) {
  const domain::Organisation org =
      svc.use_cases.organisations.Get(ctx.UseCaseCaller(), ctx.Param("orgno"));
  WriteVersioned(ctx, 200, org, OrganisationJson);
}

// RFC 7396 merge patch over {name, contacts}; orgno may be repeated but not changed.
void OrganisationPatch(RequestContext& ctx, AppServices& svc) {
  const auto body = ReadBody(ctx, svc, "application/merge-patch+json");
  usecases::OrganisationChange command = ReadOrganisationChange(*body);
  command.orgno = ctx.Param("orgno");
  command.expected_version = ReadIfMatch(ctx);
  const domain::Organisation updated =
      svc.use_cases.organisations.Change(ctx.UseCaseCaller(), command);
  WriteVersioned(ctx, 200, updated, OrganisationJson);
}

// GET /clients/{client_id}/onbehalfof: the client's entries, a JSON array.
void OnbehalfofList(RequestContext& ctx, AppServices& svc) {
  const auto records = svc.use_cases.onbehalfof.List(ctx.UseCaseCaller(), ctx.Param("client_id"));
  Poco::JSON::Array out;
  for (const auto& r : records) out.add(OnbehalfofJson(r));
  WriteJson(ctx, 200, out);
}

// GET /clients/{client_id}/onbehalfof/{onbehalfof}
void OnbehalfofGet(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200,
            *OnbehalfofJson(svc.use_cases.onbehalfof.Get(
                ctx.UseCaseCaller(), ctx.Param("client_id"), ctx.Param("onbehalfof"))));
}

// POST /clients/{client_id}/onbehalfof (the body names the value) and
// POST /clients/{client_id}/onbehalfof/{onbehalfof}: a new entry; 409 when it exists.
void OnbehalfofPost(RequestContext& ctx, AppServices& svc) {
  const usecases::OnBehalfOfTarget target = ReadTarget(ctx);
  const domain::OnBehalfOf record = svc.use_cases.onbehalfof.Add(
      ctx.UseCaseCaller(), target, [&] { return ReadOnbehalfof(ctx, svc, target.value); });
  ctx.response.set("Location", "/clients/" + target.client_id + "/onbehalfof/" + record.onbehalfof);
  WriteJson(ctx, 201, *OnbehalfofJson(record));
}

// PUT /clients/{client_id}/onbehalfof/{onbehalfof}: replaces the entry's members.
void OnbehalfofPut(RequestContext& ctx, AppServices& svc) {
  const usecases::OnBehalfOfTarget target = ReadTarget(ctx);
  const domain::OnBehalfOf record = svc.use_cases.onbehalfof.Replace(
      ctx.UseCaseCaller(), target, [&] { return ReadOnbehalfof(ctx, svc, target.value); });
  WriteJson(ctx, 200, *OnbehalfofJson(record));
}

// DELETE /clients/{client_id}/onbehalfof/{onbehalfof}: 204.
void OnbehalfofDelete(RequestContext& ctx, AppServices& svc) {
  svc.use_cases.onbehalfof.Remove(ctx.UseCaseCaller(), ReadTarget(ctx));
  WriteNoContent(ctx);
}

}  // namespace onboard::http::handlers
