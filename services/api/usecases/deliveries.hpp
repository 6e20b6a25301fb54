#pragma once

#include <optional>
#include <string>

#include "caller.hpp"
#include "client.hpp"
#include "config.hpp"
#include "delivery.hpp"
#include "kek.hpp"

/// Delivered secrets: every issuance of a secret that travels as a zip package (POST
/// /v1/clients/{id}/secret, reissue, production-order approval) is prepared here, on one
/// path.
namespace onboard::usecases {

/// Where a delivered secret goes. Empty members fall back to the client's production
/// order (mobile, e-mail); the channel is e-mail when an address is known, else download.
struct Destination {
  std::optional<domain::DeliveryChannel> channel;
  std::string mobile;
  std::string email;
  std::string order_id;
};

/// Thread-safe as its store is.
class SecretDeliveries {
 public:
  SecretDeliveries(domain::SecretStore& secrets, const AppConfig& config,
                   const crypto::KeyRing& kek)
      : secrets_(secrets), config_(config), kek_(kek) {}

  /// Validates the destination (mobile against delivery.mobile_prefixes, e-mail plausible
  /// and required for the e-mail channel; kValidation naming the fields) and prepares the
  /// issuance of a new, delivered secret for `client`, with its audit event
  /// `client.secret_issue` (or `delivery.reissue` when it supersedes a delivery).
  domain::SecretIssuance Prepare(const Caller& caller, const domain::Client& client,
                                 const Destination& destination,
                                 const std::string& supersedes_delivery_id = "") const;

 private:
  domain::SecretStore& secrets_;
  const AppConfig& config_;
  const crypto::KeyRing& kek_;
};

}  // namespace onboard::usecases
