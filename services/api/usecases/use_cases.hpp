#pragma once

#include "audit_queries.hpp"
#include "client_keys.hpp"
#include "client_secrets.hpp"
#include "clients.hpp"
#include "deliveries.hpp"
#include "dynamic_registration.hpp"
#include "on_behalf_of.hpp"
#include "onboardings.hpp"
#include "organisations.hpp"
#include "production_orders.hpp"
#include "provider_runtime.hpp"
#include "sms_callbacks.hpp"
#include "support_lookup.hpp"
#include "test_user_pool.hpp"
#include "tokens.hpp"
#include "verifications.hpp"

/// Every use-case group, wired once in app/serve.cpp and handed to the handlers through
/// http::AppServices::use_cases. A new group adds its member here (a reference to the
/// object serve.cpp constructs) and its construction there.
namespace onboard::usecases {

class Sessions;
class OidcSignIn;
class ProviderService;

struct UseCases {
  Organisations& organisations;
  Clients& clients;                   ///< client registration through the API
  DynamicRegistration& registration;  ///< RFC 7591 / RFC 7592
  OnBehalfOfEntries& onbehalfof;      ///< the self-service onbehalfof sub-resource
  ProductionOrders& orders;
  const SecretDeliveries& deliveries;  ///< every delivered secret is prepared here
  ClientSecrets& secrets;              ///< secrets and deliveries
  ClientKeys& keys;                    ///< certificates, JWKs and JWK Sets
  Onboardings& onboardings;
  TermsOfUse& terms;
  Verifications& verifications;
  TestUserPool& test_users;
  Tokens& tokens;
  AuditQueries& audit;
  SupportLookup& support;
  ProviderRuntime& provider;    ///< the provider runtime's client documents and authentication
  SmsCallbacks& sms_callbacks;  ///< the SMS provider's delivery reports
  Sessions& sessions;           ///< console sessions (sessions.hpp, issue #16)
  /// Operators' OpenID Connect sign-in (oidc_sign_in.hpp, issue #17); null when oidc.issuer
  /// is not configured.
  OidcSignIn* oidc = nullptr;
};

}  // namespace onboard::usecases
