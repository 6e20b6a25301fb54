#include <Poco/JSON/Array.h>

#include <algorithm>

#include "client_common.hpp"
#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "organisations.hpp"
#include "json_io.hpp"
#include "self_service_common.hpp"

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
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  Poco::JSON::Array out;
  for (const auto& r : client.metadata.onbehalfof) out.add(self_service::OnbehalfofJson(r));
  WriteJson(ctx, 200, out);
}

// GET /clients/{client_id}/onbehalfof/{onbehalfof}
void OnbehalfofGet(RequestContext& ctx, AppServices& svc) {
  const domain::Client client = client_common::LoadVisible(ctx, svc);
  WriteJson(
      ctx, 200,
      *self_service::OnbehalfofJson(self_service::FindOnbehalfof(client, ctx.Param("onbehalfof"))));
}

// POST /clients/{client_id}/onbehalfof (the body names the value) and
// POST /clients/{client_id}/onbehalfof/{onbehalfof}: a new entry; 409 when it exists.
void OnbehalfofPost(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  const auto named = ctx.params.find("onbehalfof");
  const domain::OnBehalfOf record =
      self_service::ReadOnbehalfof(ctx, svc, named == ctx.params.end() ? "" : named->second);
  self_service::SaveOnbehalfof(ctx, svc, current, [&](std::vector<domain::OnBehalfOf>& list) {
    for (const auto& r : list) {
      if (r.onbehalfof == record.onbehalfof)
        throw AppError(
            ErrorCode::kConflict,
            "the client has an onbehalfof entry " + r.onbehalfof + "; change it with PUT", "", {},
            "onbehalfof_exists");
    }
    list.push_back(record);
  });
  ctx.response.set("Location",
                   "/clients/" + current.client_id + "/onbehalfof/" + record.onbehalfof);
  WriteJson(ctx, 201, *self_service::OnbehalfofJson(record));
}

// PUT /clients/{client_id}/onbehalfof/{onbehalfof}: replaces the entry's members.
void OnbehalfofPut(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  const std::string value = ctx.Param("onbehalfof");
  self_service::FindOnbehalfof(current, value);  // 404 before the body is read
  const domain::OnBehalfOf record = self_service::ReadOnbehalfof(ctx, svc, value);
  self_service::SaveOnbehalfof(ctx, svc, current, [&](std::vector<domain::OnBehalfOf>& list) {
    for (auto& r : list) {
      if (r.onbehalfof == value) r = record;
    }
  });
  WriteJson(ctx, 200, *self_service::OnbehalfofJson(record));
}

// DELETE /clients/{client_id}/onbehalfof/{onbehalfof}: 204.
void OnbehalfofDelete(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  const std::string value = ctx.Param("onbehalfof");
  self_service::FindOnbehalfof(current, value);
  self_service::SaveOnbehalfof(ctx, svc, current, [&](std::vector<domain::OnBehalfOf>& list) {
    list.erase(std::remove_if(list.begin(), list.end(),
                              [&](const domain::OnBehalfOf& r) { return r.onbehalfof == value; }),
               list.end());
  });
  WriteNoContent(ctx);
}

}  // namespace onboard::http::handlers
