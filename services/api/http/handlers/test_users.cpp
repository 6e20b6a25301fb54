#include <Poco/JSON/Array.h>

#include "common_codecs.hpp"
#include "handlers.hpp"
#include "test_user_pool.hpp"
#include "test_users.hpp"

namespace onboard::http::handlers {

namespace {

usecases::TestUserRequest ReadTestUserRequest(const Poco::JSON::Object& body) {
  JsonFields f(body);
  usecases::TestUserRequest command;
  if (auto count = f.Int("count", false, 1, domain::kMaxTestUsersPerOrganisation))
    command.count = static_cast<int>(*count);
  command.input_errors = f.Problems();
  return command;
}

// `{pid, organisation, state, allocated_at, allocated_by, released_at, released_by}`.
Poco::JSON::Object::Ptr TestUserJson(const domain::TestUser& user) {
  return JsonObject({{"pid", user.pid},
                     {"organisation", user.organisation},
                     {"state", user.active() ? "active" : "released"},
                     {"allocated_at", user.allocated_at},
                     {"allocated_by", user.allocated_by},
                     {"released_at", OrNull(user.released_at)},
                     {"released_by", OrNull(user.released_by)}});
}

}  // namespace

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
  out.set("generated", JsonArray(result.allocation.created));
  out.set("items", JsonArray(result.allocation.active, TestUserJson));
  WriteJson(ctx, result.allocation.created.empty() ? 200 : 201, out);
}

// GET /v1/organisations/{orgno}/test-users[?include_released=true]: the organisation's
// active test users, oldest first (released ones too when asked).
void TestUsersList(RequestContext& ctx, AppServices& svc) {
  const std::string& orgno = ctx.Param("orgno");
  const auto users =
      svc.use_cases.test_users.List(ctx.UseCaseCaller(), orgno, ctx.Query("include_released"));
  Poco::JSON::Object out = ListJson(users, TestUserJson);
  out.set("organisation", orgno);
  WriteJson(ctx, 200, out);
}

// DELETE /v1/organisations/{orgno}/test-users/{pid}: the operator releases a number. It
// stays bound to the organisation (never handed to another one); releasing it again
// changes nothing.
void TestUserDelete(RequestContext& ctx, AppServices& svc) {
  const domain::TestUser released =
      svc.use_cases.test_users.Release(ctx.UseCaseCaller(), ctx.Param("orgno"), ctx.Param("pid"));
  WriteJson(ctx, 200, *TestUserJson(released));
}

}  // namespace onboard::http::handlers
