#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caller.hpp"
#include "error.hpp"
#include "organisation.hpp"
#include "test_users.hpp"

/// Synthetic test users (allocate, list, release) of an organisation.
namespace onboard::usecases {

/// POST /v1/organisations/{orgno}/test-users {"count": N}.
struct TestUserRequest {
  std::string orgno;
  std::optional<int> count;  ///< std::nullopt: domain::kDefaultTestUserCount
  std::vector<FieldError> input_errors;
};

struct TestUserResult {
  int requested = 0;
  domain::TestUserAllocation allocation;  ///< `created` empty: the organisation had enough
};

/// A portal reaches only its own organisation's numbers (kNotFound otherwise).
class TestUserPool {
 public:
  TestUserPool(domain::TestUserStore& store, domain::OrganisationStore& organisations)
      : store_(store), organisations_(organisations) {}

  /// Tops the organisation up to N active numbers, reusing the ones it has; writes
  /// `test_users.allocate` when it generated any.
  TestUserResult Allocate(const Caller& caller, const TestUserRequest& command);
  /// `include_released`: empty, "true" or "false".
  std::vector<domain::TestUser> List(const Caller& caller, const std::string& orgno,
                                     const std::string& include_released);
  /// Releases a number (kNotFound when the organisation has no such number); it stays
  /// bound to the organisation. Writes `test_users.release` when it was active.
  domain::TestUser Release(const Caller& caller, const std::string& orgno, const std::string& pid);

 private:
  domain::TestUserStore& store_;
  domain::OrganisationStore& organisations_;
};

}  // namespace onboard::usecases
