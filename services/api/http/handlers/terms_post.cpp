#include "common_codecs.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// Publishes a new terms version (operator only). A version is never changed once
// published: repeating one is a 409.
void TermsPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewTerms command = ReadNewTerms(*ReadBody(ctx, svc));
  const domain::Terms published = svc.use_cases.terms.Publish(ctx.UseCaseCaller(), command);
  ctx.response.set("Location", "/v1/terms/" + published.version);
  WriteJson(ctx, 201, *TermsJson(published));
}

}  // namespace onboard::http::handlers
