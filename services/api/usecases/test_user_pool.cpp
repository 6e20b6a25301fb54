#include "test_user_pool.hpp"

#include "merge_patch.hpp"

namespace onboard::usecases {

namespace {
constexpr const char* kNoSuchPoolOrganisation = "no such organisation";
constexpr const char* kNoSuchTestUser = "no such test user";
}  // namespace

TestUserResult TestUserPool::Allocate(const Caller& caller, const TestUserRequest& command) {
  caller.RequireVisible(command.orgno, kNoSuchPoolOrganisation);
  ThrowIfInvalid(command.input_errors, {}, "the test-user request is invalid");
  TestUserResult result;
  result.requested = command.count.value_or(domain::kDefaultTestUserCount);
  const domain::AuditEvent audit =
      caller.Audit("test_users.allocate", "organisation", command.orgno, command.orgno);
  result.allocation = store_.Allocate(
      command.orgno, result.requested, caller.who, [] { return domain::GenerateSyntheticPid(); },
      audit);
  return result;
}

std::vector<domain::TestUser> TestUserPool::List(const Caller& caller, const std::string& orgno,
                                                 const std::string& include_released) {
  caller.RequireVisible(orgno, kNoSuchPoolOrganisation);
  if (!include_released.empty() && include_released != "true" && include_released != "false") {
    throw AppError(
        ErrorCode::kValidation, "include_released must be true or false", "",
        {{"include_released", "invalid_value", "include_released must be true or false"}});
  }
  if (!organisations_.Find(orgno)) throw AppError(ErrorCode::kNotFound, kNoSuchPoolOrganisation);
  return store_.List(orgno, include_released == "true");
}

domain::TestUser TestUserPool::Release(const Caller& caller, const std::string& orgno,
                                       const std::string& pid) {
  caller.RequireVisible(orgno, kNoSuchTestUser);
  if (!domain::IsSyntheticPid(pid)) throw AppError(ErrorCode::kNotFound, kNoSuchTestUser);
  const domain::AuditEvent audit = caller.Audit("test_users.release", "test_user", pid, orgno);
  auto released = store_.Release(orgno, pid, caller.who, audit);
  if (!released) throw AppError(ErrorCode::kNotFound, kNoSuchTestUser);
  return *released;
}

}  // namespace onboard::usecases
