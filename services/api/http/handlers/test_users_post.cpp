#include <Poco/JSON/Array.h>

#include "common_codecs.hpp"
#include "handlers.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/organisations/{orgno}/test-users {"count": N}: makes sure the organisation has
// N active test users, reusing the ones it has and generating only the shortfall. 201 when
// numbers were generated, 200 when the organisation already had enough.
void TestUsersPost(RequestContext& ctx, AppServices& svc) {
  usecases::TestUserRequest command = ReadTestUserRequest(*ReadBody(ctx, svc));
  command.orgno = ctx.Param("orgno");
  const usecases::TestUserResult result =
      svc.use_cases.test_users.Allocate(ctx.UseCaseCaller(), command);
  Poco::JSON::Object out;
  out.set("organisation", command.orgno);
  out.set("requested", result.requested);
  Poco::JSON::Array generated, items;
  for (const std::string& pid : result.allocation.created) generated.add(pid);
  for (const auto& user : result.allocation.active) items.add(TestUserJson(user));
  out.set("generated", generated);
  out.set("items", items);
  WriteJson(ctx, result.allocation.created.empty() ? 200 : 201, out);
}

}  // namespace onboard::http::handlers
