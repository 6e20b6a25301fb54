#pragma once

#include <string>

#include "api_token.hpp"
#include "audit_log.hpp"
#include "audit_report.hpp"
#include "refusal_counter.hpp"
#include "client.hpp"
#include "delivery.hpp"
#include "kek.hpp"
#include "client_key.hpp"
#include "scope_catalogue.hpp"
#include "config.hpp"
#include "onboarding.hpp"
#include "organisation.hpp"
#include "production_order.hpp"
#include "support.hpp"
#include "terms.hpp"
#include "test_users.hpp"
#include "verification.hpp"
#include "use_cases.hpp"

namespace onboard::db {
class Pool;
}
namespace onboard::crypto {
class Signer;
}

namespace onboard::domain {
class SmsCallbackStore;
}  // namespace onboard::domain

namespace onboard::notify {
class ContactUseCases;
class WebhookUseCases;
}  // namespace onboard::notify
namespace onboard::domain {
class OffsetClock;
class ClockOffsetStore;
}  // namespace onboard::domain

namespace onboard::http {

/// The notification use cases (issue #18).
struct NotifyServices {
  notify::ContactUseCases& contacts;
  notify::WebhookUseCases& webhooks;
  domain::OffsetClock& clock;  ///< the notifications' clock (shifted only by a test)
  /// Where a moved clock is shared with the other instances and the couriers; null unless
  /// testing.clock_control.
  domain::ClockOffsetStore* clock_store = nullptr;
};

class Metrics;
class Authenticator;
using usecases::ProviderService;

/// The dependencies handlers use, wired once in main. Every member outlives the server.
struct AppServices {
  const AppConfig& config;
  db::Pool& pool;
  domain::OrganisationStore& organisations;
  domain::TokenStore& tokens;
  domain::ClientStore& clients;
  const domain::ScopeCatalogue& scopes;
  domain::OnboardingStore& onboardings;
  domain::TermsStore& terms;
  domain::ProductionOrderStore& orders;
  domain::SupportStore& support;
  domain::VerificationStore& verifications;
  domain::TestUserStore& test_users;
  Metrics& metrics;
  Authenticator& auth;
  domain::SecretStore& secrets;
  const crypto::KeyRing& kek_ring;
  domain::ClientKeyStore& keys;
  ProviderService& provider;
  domain::SmsCallbackStore& sms_callbacks;
  domain::AuditLogStore& audit_log;
  domain::ReportStore& reports;
  domain::RefusalCounter& refusals;
  const crypto::Signer* checkpoint_signer;  ///< null when audit.checkpoint_key_file is not set
  usecases::UseCases& use_cases;            ///< what requests do (services/api/usecases/)
  NotifyServices* notify = nullptr;         ///< set by serve before the server starts
};

}  // namespace onboard::http
