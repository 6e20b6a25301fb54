#pragma once

#include "app_services.hpp"
#include "request_context.hpp"

/// One function per endpoint; each lives in handlers/<resource>_<verb>.cpp and does four
/// things: parse, validate, call the domain, serialise.
namespace onboard::http::handlers {

void HealthzGet(RequestContext& ctx, AppServices& svc);
void ReadyzGet(RequestContext& ctx, AppServices& svc);
void MetricsGet(RequestContext& ctx, AppServices& svc);
void OpenapiGet(RequestContext& ctx, AppServices& svc);

void OrganisationsPost(RequestContext& ctx, AppServices& svc);
void OrganisationsList(RequestContext& ctx, AppServices& svc);
void OrganisationGet(RequestContext& ctx, AppServices& svc);
void OrganisationPatch(RequestContext& ctx, AppServices& svc);

void TokensPost(RequestContext& ctx, AppServices& svc);
void TokensList(RequestContext& ctx, AppServices& svc);
void TokenDelete(RequestContext& ctx, AppServices& svc);

}  // namespace onboard::http::handlers
