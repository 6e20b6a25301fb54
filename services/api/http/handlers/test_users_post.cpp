#include <Poco/JSON/Array.h>

#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "test_users.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// POST /v1/organisations/{orgno}/test-users {"count": N}: makes sure the organisation has
// N active test users, reusing the ones it has and generating only the shortfall. 201 when
// numbers were generated, 200 when the organisation already had enough.
void TestUsersPost(RequestContext& ctx, AppServices& svc) {
  const std::string& orgno = ctx.Param("orgno");
  ctx.RequireOrgVisible(orgno, "no such organisation");
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
  JsonFields f(*body);
  const int count = static_cast<int>(f.Int("count", false, 1, domain::kMaxTestUsersPerOrganisation)
                                         .value_or(domain::kDefaultTestUserCount));
  f.Finish("the test-user request is invalid");

  const domain::AuditEvent audit = ctx.Audit("test_users.allocate", "organisation", orgno, orgno);
  const domain::TestUserAllocation result = svc.test_users.Allocate(
      orgno, count, ctx.caller->token_name, [] { return domain::GenerateSyntheticPid(); }, audit);
  Poco::JSON::Object out;
  out.set("organisation", orgno);
  out.set("requested", count);
  Poco::JSON::Array generated, items;
  for (const std::string& pid : result.created) generated.add(pid);
  for (const auto& user : result.active) items.add(TestUserJson(user));
  out.set("generated", generated);
  out.set("items", items);
  WriteJson(ctx, result.created.empty() ? 200 : 201, out);
}

}  // namespace onboard::http::handlers
