#include "codecs.hpp"
#include "common_codecs.hpp"
#include "handlers.hpp"

namespace onboard::http::handlers {

// The only response that ever carries a token: shown once, stored as a hash.
void TokensPost(RequestContext& ctx, AppServices& svc) {
  const usecases::NewToken command = ReadNewToken(*ReadBody(ctx, svc));
  const domain::IssuedToken issued = svc.use_cases.tokens.Create(ctx.UseCaseCaller(), command);
  Poco::JSON::Object::Ptr out = TokenJson(issued.token);
  out->set("token", issued.secret.reveal());
  ctx.response.set("Location", "/v1/tokens/" + issued.token.id);
  WriteJson(ctx, 201, *out);
}

}  // namespace onboard::http::handlers
