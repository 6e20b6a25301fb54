#pragma once

#include <Poco/JSON/Object.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "caller.hpp"
#include "client.hpp"
#include "client_metadata_json.hpp"
#include "error.hpp"
#include "paging.hpp"
#include "scope_catalogue.hpp"
#include "use_case.hpp"

/// Client registration through the API: create a test client (POST /v1/clients), read,
/// list, its history, replace (PUT), merge patch (PATCH), deactivate and reactivate.
/// RFC 7591 / RFC 7592 registration is in dynamic_registration.hpp; both build a new
/// domain::Client with DraftClient, as production-order approval does.
namespace onboard::usecases {

/// A new client's row and the diff of its first history entry, built in ONE place for
/// every way a client is created (POST /v1/clients, RFC 7591, production approval).
struct ClientDraft {
  domain::Client client;      ///< a new client_id, metadata and its stored JSON text
  std::string creation_diff;  ///< the first history row's diff ("{}" -> metadata)
};
ClientDraft DraftClient(domain::Environment environment, domain::ClientState state,
                        std::string channel, std::string created_by,
                        domain::ClientMetadata metadata);

/// The organisation a client belongs to (its client_orgno) and the organisation that
/// supplies it (supplier_orgno, empty when none), from parsed or stored metadata.
std::string OrganisationOf(const domain::Client& client);
std::string SupplierOf(const domain::Client& client);

/// True when `next` stops using a client secret that `current` used (client_secret_* to
/// private_key_jwt or none): the change must revoke the client's secrets (DOMAIN.md).
bool LeavesSecretAuth(const domain::Client& current, const domain::Client& next);

/// POST /v1/clients: the request body (metadata plus `environment` and
/// `registration_channel`) as the parser read it.
struct NewClient {
  std::string environment;             ///< "" when absent or unreadable
  bool environment_sent = false;       ///< the member is there (maybe unreadable)
  std::optional<std::string> channel;  ///< absent (or unreadable): the caller's default
  bool channel_unreadable = false;     ///< there, not null, but not a string of <= 32 bytes
  Poco::JSON::Object::Ptr document;    ///< the whole body (environment and channel ignored)
};

/// GET /v1/clients: the filters as text (checked here) and the page.
struct ClientQuery {
  std::string organisation;
  std::string environment;
  std::string integration_type;
  std::string state;
  std::string name_contains;  ///< `q`
  domain::PageRequest page;
};

/// PUT (a whole metadata document, read-only members may be echoed) or PATCH (an RFC 7396
/// merge patch over the stored metadata) of a client's metadata.
struct ClientMetadataChange {
  std::string client_id;
  std::string if_match;  ///< the If-Match header, "" when absent
  Poco::JSON::Object::Ptr document;
};

/// A client with its versions, oldest first.
struct ClientHistory {
  domain::Client client;
  std::vector<domain::ClientChange> changes;
};

/// Deactivate / reactivate.
struct ClientStateChange {
  std::string client_id;
  std::string if_match;  ///< the If-Match header, "" when absent (a portal need not send one)
};

/// Thread-safe as its stores are; holds no state of its own.
class Clients {
 public:
  Clients(domain::ClientStore& clients, const domain::ScopeCatalogue& scopes,
          domain::UnitsOfWork& units, Caches& caches)
      : clients_(clients), scopes_(scopes), units_(units), caches_(caches) {}

  /// Creates an active test client. Rules: environment is test (production clients come
  /// only from an approved production order: `production_requires_order`); the channel is
  /// portal, operator, mail or web_form, and a portal registers through the portal channel
  /// only; the metadata is valid for test; a portal registers only for its own
  /// organisation, an access token per ApplyOwnership; the organisation must exist
  /// (`unknown_organisation`). Writes `client.create`.
  domain::Client Register(const Caller& caller, const NewClient& command);

  /// kNotFound "no such client" when absent or not visible (Caller::RequireClientVisible).
  domain::Client Get(const Caller& caller, const std::string& client_id);

  /// A portal lists its own organisation only, an access token what its grant reaches.
  domain::Page<domain::Client> List(const Caller& caller, const ClientQuery& query);

  /// GET /clients (the provider's self-service list, unpaged as the provider's API is):
  /// every client the caller sees as List shows them, read to the last page; the clients in
  /// use, or with `inactive` "true" the deactivated ones (`inactive` is "", "true" or
  /// "false": kValidation otherwise).
  std::vector<domain::Client> ListAll(const Caller& caller, const std::string& inactive);

  /// The client's versions, oldest first (after Get's visibility check).
  ClientHistory History(const Caller& caller, const std::string& client_id);

  /// PUT: `environment` and `client_id` may be echoed but not changed; the integration type
  /// and organisation are fixed; the metadata is validated for the client's environment.
  domain::Client Replace(const Caller& caller, const ClientMetadataChange& command);

  /// PATCH: RFC 7396 merge patch over the stored metadata, then as Replace.
  domain::Client Patch(const Caller& caller, const ClientMetadataChange& command);

  domain::Client Deactivate(const Caller& caller, const ClientStateChange& command);

  /// The self-service onbehalfof sub-resource (/clients/{id}/onbehalfof): `edit` changes
  /// the records of `current` (read with Get); the metadata is validated for the client's
  /// environment, errors of the edited record named by member (`display_name`, not
  /// `onbehalfof/0/display_name`), and stored as a client `update`.
  domain::Client EditOnbehalfof(const Caller& caller, const domain::Client& current,
                                const std::function<void(std::vector<domain::OnBehalfOf>&)>& edit);

  /// Back to where it was: a client that never had its credentials keeps waiting for them.
  domain::Client Reactivate(const Caller& caller, const ClientStateChange& command);

  /// If-Match against the client's version: kPreconditionFailed when stale;
  /// kPreconditionRequired when a portal sends none and `required_for_portal` (portal users
  /// must never overwrite each other's metadata silently; a state change overwrites
  /// nothing). `*` matches any version.
  static void CheckVersion(const Caller& caller, const std::string& if_match,
                           const domain::Client& client, bool required_for_portal = true);

  /// For a client an access token creates: a client of another organisation is one it
  /// supplies (idporten:dcr.supplier; supplier_orgno becomes the token's organisation,
  /// kValidation without that scope), a client of its own needs the route's permission
  /// (kForbidden naming the scope). A supplier cannot hand a client to a third party.
  static void ApplyOwnership(const Caller& caller, domain::ClientMetadata& metadata);

 private:
  domain::Client UpdateMetadata(const Caller& caller, const domain::Client& current,
                                const Poco::JSON::Object& document,
                                const domain::ParseOptions& options,
                                std::vector<FieldError> errors);
  domain::Client Save(const Caller& caller, const domain::Client& current, domain::Client next,
                      const std::string& change);
  /// `filter` narrowed to what `caller` may see (List's visibility rule).
  static domain::ClientFilter VisibleTo(const Caller& caller, domain::ClientFilter filter);

  domain::ClientStore& clients_;
  const domain::ScopeCatalogue& scopes_;
  domain::UnitsOfWork& units_;
  Caches& caches_;
};

}  // namespace onboard::usecases
