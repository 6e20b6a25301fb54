#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// Publishes a new terms version (operator only). A version is never changed once
// published: repeating one is a 409.
void TermsPost(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  domain::Terms terms;
  terms.version = f.String("version", false, domain::kMaxTermsVersionChars * 4).value_or("");
  terms.title = f.String("title", false, domain::kMaxTermsTitleChars * 4).value_or("");
  terms.url = f.String("url", false, domain::kMaxTermsUrlChars * 4).value_or("");
  terms.summary = f.String("summary", false, domain::kMaxTermsSummaryChars * 4).value_or("");
  f.AddErrors(domain::ValidateTerms(terms));
  f.Finish("the terms version is invalid");
  terms.published_by = ctx.caller->token_name;

  domain::AuditEvent audit = ctx.Audit("terms.publish", "terms", terms.version, "");
  Poco::JSON::Object detail;
  detail.set("version", terms.version);
  detail.set("title", terms.title);
  detail.set("url", terms.url);
  audit.detail_json = AuditDetail(detail);
  const domain::Terms published = svc.terms.Publish(terms, audit);
  ctx.response.set("Location", "/v1/terms/" + published.version);
  WriteJson(ctx, 201, *TermsJson(published));
}

}  // namespace onboard::http::handlers
