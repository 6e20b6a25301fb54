#pragma once

#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit_event.hpp"
#include "client_metadata.hpp"
#include "client_secret.hpp"
#include "paging.hpp"
#include "unit_of_work.hpp"

namespace onboard::domain {

/// Lifecycle state of a stored client. Clients are deactivated, never deleted.
enum class ClientState { kActive, kDeactivated, kAwaitingCredentials };

std::string_view ToString(ClientState state) noexcept;
std::optional<ClientState> ClientStateFromString(std::string_view text) noexcept;

/// Named lifecycle transitions of a client.
enum class ClientTransition { kDeactivate, kReactivate, kActivate };

std::string_view ToString(ClientTransition t) noexcept;

/// The state a transition leads to from `from`, or std::nullopt when it is illegal.
std::optional<ClientState> NextClientState(ClientState from, ClientTransition t) noexcept;

/// Transitions allowed from `from` (named in 409 answers).
std::vector<ClientTransition> AllowedClientTransitions(ClientState from);

/// Applies `t` or throws AppError(kConflict, code "illegal_transition") naming the
/// transitions that are allowed from `from`.
ClientState ApplyClientTransition(ClientState from, ClientTransition t);

/// How a registration reached the service.
inline constexpr const char* kRegistrationChannels[] = {
    "portal", "operator", "mail", "web_form", "registration_api", "production_order"};
bool IsRegistrationChannel(std::string_view channel) noexcept;

/// A stored client, complete as every ClientStore returns it: `metadata` parsed once from
/// the stored document, `metadata_json` that document as stored (ToJson(metadata)), so
/// reads can serve it without re-encoding, and the organisation it belongs to.
struct Client {
  std::string client_id;
  Environment environment = Environment::kTest;
  ClientState state = ClientState::kActive;
  int version = 1;
  std::string registration_channel;
  std::string created_by;
  std::string created_at;
  std::string updated_at;
  std::string metadata_json;
  ClientMetadata metadata;
  std::string organisation;  ///< client_orgno, as stored alongside
};

struct ClientFilter {
  std::optional<std::string> organisation;
  /// What an access token sees (either or both set): the clients of `visible_own` and the
  /// clients whose supplier_orgno is `visible_supplied`. Neither: no such limit.
  std::optional<std::string> visible_own;
  std::optional<std::string> visible_supplied;
  std::optional<Environment> environment;
  std::optional<IntegrationType> integration_type;
  std::optional<ClientState> state;
  std::string name_contains;  ///< case-insensitive substring of client_name
};

/// One version of a client in its history.
struct ClientChange {
  int version = 0;
  std::string change;  ///< create, update, deactivate, reactivate, activate
  std::string changed_at;
  std::string actor;
  std::string role;
  std::string portal_user;
  std::string request_id;
  std::string state;
  std::string diff_json;  ///< JSON array of {field, from, to}
};

/// The state reactivation returns a deactivated client to, from its history (oldest
/// first or any order): active when it was ever active, otherwise awaiting_credentials, so
/// a production client that never received its credentials cannot become active by being
/// deactivated and reactivated. Pure.
ClientState ReactivatedState(const std::vector<ClientChange>& history);

/// What a write stores besides the client row: the history entry and the audit event.
struct ClientWrite {
  std::string change;     ///< history `change` value
  std::string diff_json;  ///< JSON array, "[]" when nothing changed
  AuditEvent audit;
  std::optional<SecretRecord> new_secret;  ///< stored with the change when set
  /// Revokes the client's active secrets with the change (its auth method no longer uses
  /// one: DOMAIN.md, "changing token_endpoint_auth_method away from client_secret_*
  /// deletes the secret").
  bool revoke_secrets = false;
  /// Forgets the client's RFC 7592 registration access token for good (RFC 7592 delete).
  bool retire_registration_token = false;
};

/// Persistence of clients. Every write stores a history row and the audit event in the
/// same transaction. Throws AppError kNotFound / kPreconditionFailed (version changed
/// since `expected_version` was read) / kConflict.
class ClientStore {
 public:
  virtual ~ClientStore() = default;
  virtual Client Create(const Client& client,
                        const std::optional<std::string>& registration_token_hash,
                        const ClientWrite& write) = 0;
  virtual std::optional<Client> Find(const std::string& client_id) = 0;
  /// The clients among `client_ids` that exist, in no particular order. The default asks
  /// Find for each; the database answers in one statement.
  virtual std::vector<Client> FindMany(const std::vector<std::string>& client_ids) {
    std::vector<Client> out;
    for (const std::string& id : client_ids) {
      if (auto client = Find(id)) out.push_back(std::move(*client));
    }
    return out;
  }
  virtual std::optional<Client> FindByRegistrationToken(const std::string& token_hash) = 0;
  virtual Page<Client> List(const ClientFilter& filter, const PageRequest& page) = 0;
  /// Replaces metadata and state of `client` in `unit` if its stored version is still
  /// `expected_version`; bumps the version.
  virtual Client Update(UnitOfWork& unit, const Client& client, int expected_version,
                        const ClientWrite& write) = 0;
  virtual std::vector<ClientChange> History(const std::string& client_id) = 0;
};

/// Field-level diff of two metadata JSON objects (top-level members): a JSON array of
/// `{"field", "from", "to"}` (absent members are null), in member-name order.
std::string DiffMetadataJson(const std::string& before_json, const std::string& after_json);

/// DiffMetadataJson("{}", text of `after`), computed from the object itself (creation).
std::string CreationDiffJson(const Poco::JSON::Object& after);

/// RFC 7396 JSON merge patch: returns `target` with `patch` applied (null removes a
/// member, objects merge recursively, everything else replaces).
Poco::JSON::Object::Ptr ApplyMergePatch(const Poco::JSON::Object& target,
                                        const Poco::JSON::Object& patch);

/// Parses the stored metadata JSON (written by ToJson) back into metadata. `stored_type`,
/// when set, is the integration type stored beside the document (the clients column): a
/// document that does not name one (a row written by hand) reads as that type. Throws
/// AppError(kValidation) when the text is not such a document.
ClientMetadata ParseStoredMetadata(const std::string& metadata_json,
                                   std::optional<IntegrationType> stored_type = std::nullopt);

/// Canonical text of metadata for storage: ToJson(metadata) stringified.
std::string MetadataToJsonText(const ClientMetadata& metadata);
/// The same text from the object ToJson(metadata) already built.
std::string StoredMetadataText(const Poco::JSON::Object& stored);

}  // namespace onboard::domain
