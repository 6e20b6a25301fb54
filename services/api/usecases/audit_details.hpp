#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

/// Typed audit details: one struct per kind of event the client, production-order, secret
/// and key use cases write, rendered into `AuditEvent::detail_json` in ONE place
/// (audit_details.cpp, members in name order). A detail never holds a secret, password,
/// token or personal data: ids, names of changed members, states and counts only.
namespace onboard::usecases::audit {

/// client.create: how and where a client was registered.
struct ClientCreated {
  std::string environment;                      ///< test or production
  std::optional<std::string> integration_type;  ///< the console and portal channels name it
  std::string channel;                          ///< the registration channel
  std::optional<std::string> secret_id;         ///< a secret issued with the registration
};

/// client.update, client.deactivate, client.reactivate by a token caller.
struct ClientChanged {
  std::string environment;
  int from_version = 0;
  std::string state;                        ///< the state after the change
  std::vector<std::string> changed_fields;  ///< top-level metadata members that changed
  bool secrets_revoked = false;             ///< the change stopped using a client secret
};

/// client.update through RFC 7592 (the registration access token): only whether it
/// revoked the client's secrets; `{}` when it did not.
struct RegistrationUpdated {
  bool secrets_revoked = false;
};

/// client.deactivate through RFC 7592 delete: the registration access token is retired.
struct RegistrationDeleted {};

/// production_order.create / production_order.submit.
struct OrderCreated {
  std::string test_client_id;
  std::string onboarding_id;
  std::string delivery_method;
  std::string state;
};

/// production_order.submit / .reject / .cancel of an existing order.
struct OrderTransitioned {
  std::string from;
  std::string to;
  std::string reason;  ///< omitted when empty
};

/// production_order.approve (also the production client's client.create history event).
struct OrderApproved {
  std::string production_client_id;
  std::string test_client_id;
  std::string delivery_method;
  std::string entered_by;
  std::string reason;  ///< omitted when empty
};

/// client.secret_issue of a test client's secret, shown once in the response.
struct SecretShownOnce {
  std::string secret_id;
  std::string secret_prefix;  ///< the first characters, as the secret list shows them
  std::string secret_expires_at;
};

/// client.secret_revoke.
struct SecretRevoked {
  std::string secret_id;
};

/// client.certificate_bind / client.jwk_register: the key and what its write changed.
struct KeyAdded {
  std::string kid;
  std::string alg;      ///< JWKs only
  std::string subject;  ///< certificates only (with issuer, serial, not_after)
  std::string issuer;
  std::string serial;
  int64_t not_after = 0;
  bool certificate = false;
  std::string environment;
  bool auth_method_changed = false;  ///< the client now uses private_key_jwt
  bool activated = false;            ///< a production client's awaited certificate
};

/// client.jwks_replace: how many keys the posted set has and what its write changed.
struct KeysReplaced {
  int keys = 0;
  std::string environment;
  bool auth_method_changed = false;
  bool activated = false;
};

/// client.key_remove.
struct KeyRemoved {
  std::string kid;
  std::string environment;
};

std::string Render(const ClientCreated& detail);
std::string Render(const KeyAdded& detail);
std::string Render(const KeyRemoved& detail);
std::string Render(const KeysReplaced& detail);
std::string Render(const SecretShownOnce& detail);
std::string Render(const SecretRevoked& detail);
std::string Render(const OrderCreated& detail);
std::string Render(const OrderTransitioned& detail);
std::string Render(const OrderApproved& detail);
std::string Render(const ClientChanged& detail);
std::string Render(const RegistrationUpdated& detail);
std::string Render(const RegistrationDeleted& detail);

}  // namespace onboard::usecases::audit
