#pragma once

// An in-memory domain::ProviderStore for the provider's unit tests (the runtime cache in
// cache_refresh_test.cpp, the provider use case in usecases/provider_runtime_test.cpp).

#include <atomic>
#include <optional>
#include <string>

#include "client.hpp"
#include "provider_auth.hpp"

namespace onboard::testsupport {

/// Every client it is asked for exists (or only `only_client`, when set), an idporten client
/// of organisation 974760673 with `auth_method`. Assertion ids are always new; touches are
/// dropped. BeforeLoad runs inside each Load (a test's gate or failure). Thread-safe as far
/// as `loads` and whatever BeforeLoad does.
class FakeProviderStore : public domain::ProviderStore {
 public:
  explicit FakeProviderStore(std::string auth_method, std::optional<std::string> only_client = {})
      : auth_method_(std::move(auth_method)), only_client_(std::move(only_client)) {}

  std::optional<domain::RuntimeRecord> Load(const std::string& client_id) override {
    ++loads;
    BeforeLoad();
    if (only_client_ && client_id != *only_client_) return std::nullopt;
    domain::RuntimeRecord r;
    r.client.client_id = client_id;
    r.client.metadata_json =
        R"({"integration_type":"idporten","client_name":"Kommune","client_orgno":"974760673",)"
        R"("token_endpoint_auth_method":")" +
        auth_method_ + R"("})";
    r.client.metadata = domain::ParseStoredMetadata(r.client.metadata_json);
    return r;
  }
  bool RememberJti(const std::string&, const std::string&, int64_t) override { return true; }
  int64_t PurgeExpiredJtis() override { return 0; }
  void TouchSecret(const std::string&) override {}
  void TouchKey(const std::string&) override {}

  std::atomic<int> loads{0};

 protected:
  virtual void BeforeLoad() {}

 private:
  std::string auth_method_;
  std::optional<std::string> only_client_;
};

}  // namespace onboard::testsupport
