#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"
#include "client.hpp"
#include "delivery.hpp"
#include "onboarding.hpp"
#include "organisation.hpp"
#include "production_order.hpp"
#include "readiness.hpp"
#include "support.hpp"
#include "verifications.hpp"

/// "My integration does not work": from the client_id and environment an owner quotes,
/// everything the operator needs in one answer (GET /v1/support/lookup).
namespace onboard::usecases {

struct SupportAnswer {
  domain::Client client;
  std::optional<domain::Organisation> organisation;
  std::optional<std::string> onboarding_id;             ///< the case that links the client
  std::optional<domain::Onboarding> onboarding;         ///< that case, when it could be read
  std::vector<domain::ProductionOrder> orders;          ///< the case's production orders
  std::optional<domain::Readiness> readiness;           ///< test clients only (sms_zip delivery)
  std::vector<domain::Delivery> deliveries;             ///< newest first; never a password
  std::vector<domain::SealedAuditEvent> recent_events;  ///< the last 20 about client, case, orders
};

class SupportLookup {
 public:
  SupportLookup(domain::ClientStore& clients, domain::OrganisationStore& organisations,
                domain::SupportStore& support, domain::OnboardingStore& onboardings,
                domain::ProductionOrderStore& orders, domain::SecretStore& secrets,
                Verifications& verifications)
      : clients_(clients),
        organisations_(organisations),
        support_(support),
        onboardings_(onboardings),
        orders_(orders),
        secrets_(secrets),
        verifications_(verifications) {}

  /// kValidation unless client_id is given and environment is test or production;
  /// kNotFound for an unknown client, and "wrong_environment" for one that lives in the
  /// other environment.
  SupportAnswer Lookup(const std::string& client_id, const std::string& environment);

 private:
  domain::ClientStore& clients_;
  domain::OrganisationStore& organisations_;
  domain::SupportStore& support_;
  domain::OnboardingStore& onboardings_;
  domain::ProductionOrderStore& orders_;
  domain::SecretStore& secrets_;
  Verifications& verifications_;
};

}  // namespace onboard::usecases
