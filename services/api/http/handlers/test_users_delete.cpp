#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "test_users.hpp"
#include "verification_codecs.hpp"

namespace onboard::http::handlers {

// DELETE /v1/organisations/{orgno}/test-users/{pid}: the operator releases a number. It
// stays bound to the organisation (never handed to another one); releasing it again
// changes nothing.
void TestUserDelete(RequestContext& ctx, AppServices& svc) {
  const std::string& orgno = ctx.Param("orgno");
  const std::string& pid = ctx.Param("pid");
  ctx.RequireOrgVisible(orgno, "no such test user");
  if (!domain::IsSyntheticPid(pid)) throw AppError(ErrorCode::kNotFound, "no such test user");
  const domain::AuditEvent audit = ctx.Audit("test_users.release", "test_user", pid, orgno);
  auto released = svc.test_users.Release(orgno, pid, ctx.caller->token_name, audit);
  if (!released) throw AppError(ErrorCode::kNotFound, "no such test user");
  WriteJson(ctx, 200, *TestUserJson(*released));
}

}  // namespace onboard::http::handlers
