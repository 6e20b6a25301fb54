#pragma once

#include <cstdint>
#include <string>

#include "client.hpp"
#include "config.hpp"
#include "delivery.hpp"
#include "kek.hpp"

namespace onboard::package {

/// What a delivered issuance is for and where it goes.
struct DeliveryRequest {
  domain::Client client;  ///< with metadata parsed (client_name, auth method)
  std::string organisation;
  std::string order_id;  ///< empty when not issued by an order
  domain::DeliveryChannel channel = domain::DeliveryChannel::kDownload;
  std::string mobile;  ///< validated E.164
  std::string email;   ///< required for the e-mail channel
  std::string created_by;
  std::string supersedes_delivery_id;
  domain::AuditEvent audit;  ///< action/target/actor set by the caller; detail filled here
};

/// Prepares a delivered issuance outside any transaction: a new secret (only its hash
/// kept), a new zip password, the package (credentials.json, README.txt, LES-MEG.txt)
/// encrypted with AES-256 zip encryption, and the SMS (and e-mail) payloads, every one
/// sealed under the key ring's current KEK. The secret and the password exist only in
/// wiped buffers and leave this function only sealed. Throws AppError(kInternal).
domain::SecretIssuance PrepareDeliveredIssuance(const DeliveryRequest& request,
                                                const AppConfig& config,
                                                const crypto::KeyRing& keys, int64_t now_epoch);

/// What the credentials package of one secret holds, rendered from templates/.
struct PackageContents {
  crypto::SecretString credentials_json;
  crypto::SecretString readme_en;
  crypto::SecretString readme_no;
};

/// Template values shared by the package and the messages.
struct PackageFacts {
  std::string client_id;
  std::string client_name;
  std::string environment;
  std::string auth_method;
  std::string secret_expires_at;  ///< ISO 8601 UTC
  EnvironmentEndpoints endpoints;
};

PackageContents RenderPackage(const PackageFacts& facts, const crypto::SecretString& secret);

/// The file name the zip travels under: credentials-<environment>-<client_id>.zip.
std::string PackageFileName(const PackageFacts& facts);

/// ISO 8601 UTC ("2026-12-01T10:00:00Z") of a Unix time.
std::string IsoUtc(int64_t epoch);

}  // namespace onboard::package
