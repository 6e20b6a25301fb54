#pragma once

#include "onboarding.hpp"
#include "pool.hpp"

namespace onboard::db {

/// OnboardingStore on PostgreSQL. Thread-safe (each call leases its own connection).
/// Linking and accepting lock the case row (SELECT ... FOR UPDATE) for the length of
/// their transaction, so concurrent changes to one case are applied one after another.
class OnboardingRepository final : public domain::OnboardingStore {
 public:
  explicit OnboardingRepository(Pool& pool) : pool_(pool) {}

  domain::Onboarding Create(const domain::Onboarding& onboarding,
                            const domain::AuditEvent& audit) override;
  std::optional<domain::Onboarding> Find(const std::string& id) override;
  std::vector<domain::Onboarding> FindMany(const std::vector<std::string>& ids) override;
  domain::Page<domain::Onboarding> List(const domain::OnboardingFilter& filter,
                                        const domain::PageRequest& page) override;
  domain::Onboarding Update(const domain::Onboarding& onboarding, int expected_version,
                            const domain::AuditEvent& audit) override;
  domain::OnboardingChange LinkTestClient(const std::string& id, const std::string& client_id,
                                          const domain::Actor& by,
                                          std::optional<int> expected_version,
                                          const domain::AuditEvent& audit) override;
  domain::OnboardingChange AcceptTerms(const std::string& id, const std::string& terms_version,
                                       const domain::Actor& by, std::optional<int> expected_version,
                                       const domain::AuditEvent& audit) override;

 private:
  Pool& pool_;
};

}  // namespace onboard::db
