#pragma once

#include <optional>
#include <string>
#include <vector>

#include "audit_details.hpp"
#include "caller.hpp"
#include "certificate.hpp"
#include "client.hpp"
#include "client_jwk_set.hpp"
#include "client_key.hpp"
#include "clients.hpp"
#include "error.hpp"
#include "scope_catalogue.hpp"
#include "use_case.hpp"

/// Certificates and keys (issue #15): bind an enterprise certificate, register one bare
/// JWK, remove a key, list them, read the client's JWK Set and replace it whole (the
/// provider's self-service shape). A new key makes the client use private_key_jwt, revokes
/// its secrets and activates a production client that waited for its certificate; every
/// change is one unit of work, after whose commit the provider forgets the client's
/// credentials (Caches::ClientChanged as an after-commit hook).
namespace onboard::usecases {

/// What a certificate is checked against: the trust anchors of each environment and the
/// key policy (config `certificates`). References that outlive the use cases.
struct CertificateTrust {
  const domain::TrustAnchors& test;
  const domain::TrustAnchors& production;
  const domain::CertificatePolicy& policy;
};

/// POST /v1/clients/{client_id}/certificates: the upload as DER, leaf first.
struct CertificateUpload {
  std::string client_id;
  std::string if_match;  ///< empty when the request sent none
  std::vector<std::string> chain;
};

/// POST /v1/clients/{client_id}/jwks: one bare public JWK as the parser read it.
struct NewJwk {
  std::string client_id;
  std::string if_match;
  domain::Jwk jwk;
  std::vector<FieldError> input_errors;       ///< what the parser could not read
  std::vector<FieldError> unexpected_fields;  ///< unknown members (listed after the rules')
};

/// POST|PUT /clients/{client_id}/jwks: the posted set of bare keys (the parser refuses a
/// key's x5c: a certificate binds through POST /v1/clients/{id}/certificates, which checks
/// its chain and organisation).
struct JwkSetReplacement {
  std::string client_id;
  std::vector<domain::Jwk> keys;
  std::vector<FieldError> input_errors;       ///< what the parser could not read
  std::vector<FieldError> unexpected_fields;  ///< unknown members (listed after the rules')
};

/// A client's JWK Set: its live keys and the metadata whose `jwks` belong to the set.
struct ClientJwkSet {
  std::vector<domain::ClientKey> keys;
  domain::ClientMetadata metadata;
};

/// Thread-safe as its stores are.
class ClientKeys {
 public:
  ClientKeys(Clients& clients, domain::ClientKeyStore& keys, domain::JwkSetStore& jwk_sets,
             const domain::ScopeCatalogue& scopes, domain::UnitsOfWork& units, Caches& caches,
             CertificateTrust trust)
      : clients_(clients),
        keys_(keys),
        jwk_sets_(jwk_sets),
        scopes_(scopes),
        units_(units),
        caches_(caches),
        trust_(trust) {}

  /// Rules: If-Match as for a client change (optional for a portal), checked before
  /// `read_body` reads the upload; at most 10 certificates (the leaf and its chain:
  /// kValidation `certificate_malformed`); every check of domain::CheckCertificate against
  /// the client's environment's anchors and its organisation; then as every new key (AddKey
  /// below). Returns the stored key.
  domain::ClientKey BindCertificate(const Caller& caller, CertificateUpload command,
                                    const BodyReader<CertificateUpload>& read_body = {});

  /// Rules: If-Match as for BindCertificate (before `read_body`); the metadata validator's
  /// JWK rules (kValidation "the JWK is invalid"), the members make a key; a key without kid
  /// gets its RFC 7638 thumbprint; a kid of the metadata `jwks` is kConflict
  /// `kid_already_registered`; then as every new key.
  domain::ClientKey RegisterJwk(const Caller& caller, NewJwk command,
                                const BodyReader<NewJwk>& read_body = {});

  /// Removes a bound certificate or a registered JWK (kids are unique per client), never
  /// the last key of an active private_key_jwt client without metadata `jwks`
  /// (kConflict `key_required` from the store).
  void RemoveKey(const Caller& caller, const std::string& client_id, const std::string& kid);

  /// The bound certificates, oldest first.
  std::vector<domain::ClientKey> Certificates(const Caller& caller, const std::string& client_id);

  /// The client's public keys: bound certificates and JWKs, then its metadata `jwks`.
  ClientJwkSet JwkSet(const Caller& caller, const std::string& client_id);

  /// Replaces the client's JWKs with the posted set (read by `read_body` once the client is
  /// found; bare keys only: x5c is kValidation `not_supported`; the metadata validator's JWK
  /// rules, 1 to 5 keys, kids unique: "the JWK Set is invalid") and drops its metadata `jwks`, as a
  /// new key changes the client. Returns the set afterwards.
  ClientJwkSet ReplaceJwkSet(const Caller& caller, JwkSetReplacement command,
                             const BodyReader<JwkSetReplacement>& read_body = {});

 private:
  /// The client change that goes with a new key and what it changed.
  struct KeyPlan {
    domain::KeyWrite write;
    bool auth_method_changed = false;
    bool activated = false;
  };
  /// The auth method becomes private_key_jwt (the metadata must still be valid for the
  /// client: kConflict `auth_method_not_allowed`), every secret is revoked, a production
  /// client awaiting the certificate of an approved `certificate` order becomes active.
  KeyPlan PlanKeyWrite(const Caller& caller, const domain::Client& current,
                       const std::string& action) const;
  /// Stores `key` with the plan's write and its audit detail, then forgets the client.
  domain::ClientKey AddKey(const domain::Client& current, domain::ClientKey key, KeyPlan plan,
                           audit::KeyAdded detail);

  Clients& clients_;
  domain::ClientKeyStore& keys_;
  domain::JwkSetStore& jwk_sets_;
  const domain::ScopeCatalogue& scopes_;
  domain::UnitsOfWork& units_;
  Caches& caches_;
  CertificateTrust trust_;
};

}  // namespace onboard::usecases
