#include "common_codecs.hpp"
#include "handlers.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// Every published version, newest first. The list is short (a few versions a year), so it
// is not paginated.
void TermsList(RequestContext& ctx, AppServices& svc) {
  WriteJson(ctx, 200, ListJson(svc.use_cases.terms.List(), TermsJson));
}

}  // namespace onboard::http::handlers
