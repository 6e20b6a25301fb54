#include <Poco/JSON/Array.h>

#include "handlers.hpp"
#include "json_io.hpp"
#include "onboarding_codecs.hpp"

namespace onboard::http::handlers {

// Every published version, newest first. The list is short (a few versions a year), so it
// is not paginated.
void TermsList(RequestContext& ctx, AppServices& svc) {
  Poco::JSON::Array items;
  for (const domain::Terms& t : svc.terms.List()) items.add(TermsJson(t));
  Poco::JSON::Object body;
  body.set("items", items);
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
