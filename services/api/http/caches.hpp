#pragma once

#include "use_case.hpp"

namespace onboard::http {

class Authenticator;
class ProviderService;

/// usecases::Caches over the HTTP layer's caches: the provider's client snapshot and the
/// token cache. Thread-safe (both are).
class ServiceCaches final : public usecases::Caches {
 public:
  ServiceCaches(ProviderService& provider, Authenticator& auth)
      : provider_(provider), auth_(auth) {}
  void ClientChanged(const std::string& client_id) override;
  void TokensChanged() override;

 private:
  ProviderService& provider_;
  Authenticator& auth_;
};

}  // namespace onboard::http
