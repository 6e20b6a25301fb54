#pragma once

#include "use_case.hpp"

namespace onboard::usecases {
class ProviderService;
}  // namespace onboard::usecases

namespace onboard::http {

class Authenticator;

/// usecases::Caches over the HTTP layer's caches: the provider's client snapshot and the
/// token cache. Thread-safe (both are).
class ServiceCaches final : public usecases::Caches {
 public:
  ServiceCaches(usecases::ProviderService& provider, Authenticator& auth)
      : provider_(provider), auth_(auth) {}
  void ClientChanged(const std::string& client_id) override;
  void TokensChanged() override;

 private:
  usecases::ProviderService& provider_;
  Authenticator& auth_;
};

}  // namespace onboard::http
