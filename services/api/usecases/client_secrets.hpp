#pragma once

#include <optional>
#include <string>
#include <vector>

#include "caller.hpp"
#include "client.hpp"
#include "clients.hpp"
#include "deliveries.hpp"
#include "delivery.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "use_case.hpp"

/// Secrets and deliveries: issue (a test client's secret shown once, a production
/// client's delivered), list, revoke, read a delivery, reissue it, take its package.
/// Every change is one unit of work, after whose commit the provider forgets the client's
/// credentials (Caches::ClientChanged as an after-commit hook).
namespace onboard::usecases {

/// How new secrets are made and rotated (config `secrets`).
struct SecretRotation {
  std::string pepper;
  int lifetime_days = 360;
  int grace_days = 7;
  int max_old = 5;
};

/// POST /v1/clients/{client_id}/secret as the parser read its optional body.
struct SecretRequest {
  std::string client_id;
  Destination destination;                     ///< a production secret's recipients
  std::vector<FieldError> destination_errors;  ///< what the parser could not read
  std::vector<FieldError> unexpected_fields;   ///< every member (a test client takes none)
};

/// A new secret: for a test client the secret itself (shown once), for a production
/// client the delivery it travels in.
struct IssuedClientSecret {
  std::string client_id;
  domain::SecretRecord record;
  std::optional<crypto::SecretString> secret;  ///< test clients only
  std::optional<std::string> delivery_id;      ///< production clients only
  domain::DeliveryChannel channel = domain::DeliveryChannel::kDownload;
};

/// POST /v1/deliveries/{delivery_id}/reissue: new recipients (empty members: the old
/// delivery's).
struct ReissueRequest {
  std::string delivery_id;
  Destination destination;
  std::vector<FieldError> input_errors;
};

struct ReissuedDelivery {
  std::string delivery_id;
  std::string secret_id;
  std::string supersedes;
  domain::DeliveryChannel channel = domain::DeliveryChannel::kDownload;
};

/// A client's secrets, newest first (never a hash or a secret).
struct SecretList {
  std::string client_id;
  std::vector<domain::SecretInfo> items;
};

/// The one-time download of a delivery's package.
struct DownloadedPackage {
  domain::Delivery delivery;
  crypto::SecretString zip;
};

/// Thread-safe as its stores are.
class ClientSecrets {
 public:
  ClientSecrets(Clients& clients, domain::ClientStore& client_store, domain::SecretStore& secrets,
                const SecretDeliveries& deliveries, domain::UnitsOfWork& units, Caches& caches,
                SecretRotation rotation)
      : clients_(clients),
        client_store_(client_store),
        secrets_(secrets),
        deliveries_(deliveries),
        units_(units),
        caches_(caches),
        rotation_(std::move(rotation)) {}

  /// Rules: only the operator team issues production secrets (kForbidden
  /// `operator_only`), except for an access token (self-service), whose production secret
  /// always goes to the contacts of the client's production order: a destination it names
  /// is a 400 `destination_fixed`, a client without an order a 409 `no_order_contact`; the client
  /// authenticates with a secret (kConflict `no_secret_auth_method`) and is not deactivated
  /// (`client_deactivated`). A production secret goes out as a delivery; a test client's is
  /// returned once (its request takes no fields). `read_body` reads the request's body after
  /// these checks. The previous secrets stay valid for the grace period.
  IssuedClientSecret Issue(const Caller& caller, SecretRequest command,
                           const BodyReader<SecretRequest>& read_body = {});

  SecretList List(const Caller& caller, const std::string& client_id);

  /// Revokes one secret at once (no grace); kNotFound "no such active secret".
  void Revoke(const Caller& caller, const std::string& client_id, const std::string& secret_id);

  /// kNotFound "no such delivery" when absent or another organisation's.
  domain::Delivery Delivery(const Caller& caller, const std::string& delivery_id);

  /// A new secret, zip and password for the same client and recipients; the old delivery
  /// is retired. `read_body` reads the new recipients once the delivery is found. kConflict
  /// `already_reissued`, `no_secret_auth_method`.
  ReissuedDelivery Reissue(const Caller& caller, ReissueRequest command,
                           const BodyReader<ReissueRequest>& read_body = {});

  /// The first call gets the zip (the stored copy is destroyed with it); later ones are
  /// kGone and leave an audit alarm.
  DownloadedPackage TakePackage(const Caller& caller, const std::string& delivery_id);

 private:
  Clients& clients_;
  domain::ClientStore& client_store_;
  domain::SecretStore& secrets_;
  const SecretDeliveries& deliveries_;
  domain::UnitsOfWork& units_;
  Caches& caches_;
  SecretRotation rotation_;
};

}  // namespace onboard::usecases
