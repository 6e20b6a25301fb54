#include "clients.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include "audit_details.hpp"
#include "client_validator.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "merge_patch.hpp"
#include "orgno.hpp"

namespace onboard::usecases {

namespace {

constexpr const char* kNoSuchClient = "no such client";
constexpr const char* kInvalidMetadata = "client metadata is invalid";

// Read-only members a caller may echo back from a GET on PUT; they are ignored, except that
// environment and client_id may not change.
const std::set<std::string, std::less<>> kEchoedMembers = {
    "client_id", "environment",          "state",      "active",
    "version",   "registration_channel", "created_at", "updated_at"};

std::vector<std::string> ChangedFields(const std::string& diff_json) {
  Poco::JSON::Parser parser;
  Poco::JSON::Array::Ptr diff = parser.parse(diff_json).extract<Poco::JSON::Array::Ptr>();
  std::vector<std::string> fields;
  for (std::size_t i = 0; i < diff->size(); ++i)
    fields.push_back(diff->getObject(static_cast<unsigned>(i))->getValue<std::string>("field"));
  return fields;
}

// The environment and channel rules of POST /v1/clients.
void CheckEnvironmentAndChannel(const Caller& caller, const NewClient& command,
                                const std::string& channel, std::vector<FieldError>& errors) {
  // A member that is there but not a short string (too long, a number, an object) is
  // invalid, not absent: it must never fall back to the default.
  if (command.environment_sent && command.environment.empty()) {
    errors.push_back({"environment", "invalid_value", "environment must be test"});
  }
  if (command.channel_unreadable) {
    errors.push_back({"registration_channel", "invalid_value",
                      "registration_channel must be portal, operator, mail or web_form"});
  }
  if (!command.environment.empty() && command.environment != "test") {
    if (command.environment == "production") {
      errors.push_back({"environment", "production_requires_order",
                        "production clients are created by approving a production order"});
    } else {
      errors.push_back({"environment", "invalid_value", "environment must be test"});
    }
  }
  if (caller.IsPortal() && channel != "portal") {
    errors.push_back(
        {"registration_channel", "not_allowed", "the portal registers through the portal channel"});
  } else if (!domain::IsRegistrationChannel(channel) || channel == "production_order" ||
             channel == "registration_api") {
    errors.push_back({"registration_channel", "invalid_value",
                      "registration_channel must be portal, operator, mail or web_form"});
  }
}

}  // namespace

ClientDraft DraftClient(domain::Environment environment, domain::ClientState state,
                        std::string channel, std::string created_by,
                        domain::ClientMetadata metadata) {
  ClientDraft draft;
  domain::Client& client = draft.client;
  client.client_id = crypto::NewUuid();
  client.environment = environment;
  client.state = state;
  client.registration_channel = std::move(channel);
  client.created_by = std::move(created_by);
  client.metadata = std::move(metadata);
  const Poco::JSON::Object::Ptr stored = domain::ToJson(client.metadata);
  client.metadata_json = domain::StoredMetadataText(*stored);
  draft.creation_diff = domain::CreationDiffJson(*stored);
  return draft;
}

bool LeavesSecretAuth(const domain::Client& current, const domain::Client& next) {
  return domain::UsesClientSecret(current.metadata.token_endpoint_auth_method) &&
         !domain::UsesClientSecret(next.metadata.token_endpoint_auth_method);
}

std::string OrganisationOf(const domain::Client& client) {
  return client.organisation.empty() ? client.metadata.client_orgno : client.organisation;
}

std::string SupplierOf(const domain::Client& client) {
  return client.metadata.supplier_orgno.value_or("");
}

void Clients::ApplyOwnership(const Caller& caller, domain::ClientMetadata& metadata) {
  const std::string& org = caller.organisation;
  if (metadata.client_orgno == org) {
    // The organisation's own client (a supplier_orgno it names stays as sent).
    if (caller.MayOwn()) return;
    throw AppError(ErrorCode::kForbidden,
                   "this operation needs the scope " + domain::ScopesGranting(caller.permission),
                   "", {}, "insufficient_scope");
  }
  if (!caller.supplier) {
    throw AppError(ErrorCode::kValidation, "client_orgno must be the token's organisation", "",
                   {{"client_orgno", "not_own_organisation",
                     "client_orgno must be the consumer organisation of the access token, or "
                     "the token needs idporten:dcr.supplier"}});
  }
  if (metadata.supplier_orgno && *metadata.supplier_orgno != org) {
    throw AppError(ErrorCode::kValidation, "supplier_orgno must be the token's organisation", "",
                   {{"supplier_orgno", "not_own_organisation",
                     "a supplier's clients name the supplier's own organisation"}});
  }
  metadata.supplier_orgno = org;
}

void Clients::CheckVersion(const Caller& caller, const std::string& if_match,
                           const domain::Client& client, bool required_for_portal) {
  if (if_match.empty()) {
    // Access tokens are customers' automation in the provider's API shape, which has no
    // If-Match: one that is sent is honoured, none is asked for.
    if (caller.IsPortal() && required_for_portal && !caller.access_token) {
      throw AppError(ErrorCode::kPreconditionRequired,
                     "send If-Match with the ETag you read, so changes never collide");
    }
    return;
  }
  if (if_match == "*") return;
  if (ParseIfMatch(if_match) != client.version) {
    throw AppError(ErrorCode::kPreconditionFailed,
                   "the client was changed since you read it (now version " +
                       std::to_string(client.version) + ")",
                   "", {}, "version_mismatch");
  }
}

domain::Client Clients::Register(const Caller& caller, const NewClient& command) {
  const std::string channel = command.channel.value_or(caller.IsPortal() ? "portal" : "operator");
  std::vector<FieldError> errors;
  CheckEnvironmentAndChannel(caller, command, channel, errors);
  domain::ParseOptions options;
  options.ignored_fields = {"environment", "registration_channel"};
  domain::ClientMetadata metadata;
  try {
    metadata = domain::ParseClientMetadata(*command.document, options);
  } catch (const AppError& e) {
    errors.insert(errors.end(), e.field_errors().begin(), e.field_errors().end());
  }
  if (errors.empty()) {
    auto rules = domain::ValidateClientMetadata(metadata, domain::Environment::kTest, scopes_);
    errors.insert(errors.end(), rules.begin(), rules.end());
  }
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, kInvalidMetadata, "", errors);
  if (caller.access_token) {
    ApplyOwnership(caller, metadata);
  } else if (caller.IsPortal() && metadata.client_orgno != caller.organisation) {
    throw AppError(ErrorCode::kValidation,
                   "a portal registers clients only for the organisation it acts for", "",
                   {{"client_orgno", "not_own_organisation",
                     "client_orgno must be the organisation you act for"}});
  }
  ClientDraft draft = DraftClient(domain::Environment::kTest, domain::ClientState::kActive, channel,
                                  caller.who, std::move(metadata));
  const domain::Client& client = draft.client;
  domain::ClientWrite write;
  write.change = "create";
  write.diff_json = std::move(draft.creation_diff);
  write.audit =
      caller.Audit("client.create", "client", client.client_id, client.metadata.client_orgno);
  write.audit.detail_json = audit::Render(audit::ClientCreated{
      .environment = "test",
      .integration_type = std::string(domain::ToString(client.metadata.integration_type)),
      .channel = channel,
      .secret_id = std::nullopt});
  try {
    // The organisation must exist: the foreign key checks it inside the insert, which
    // spares the hot path a lookup round trip before it.
    return clients_.Create(client, std::nullopt, write);
  } catch (const AppError& e) {
    if (e.code_name() != "clients_organisation_fkey") throw;
    throw AppError(ErrorCode::kValidation, kInvalidMetadata, e.internal(),
                   {{"client_orgno", "unknown_organisation", "register the organisation first"}});
  }
}

domain::Client Clients::Get(const Caller& caller, const std::string& client_id) {
  auto client = clients_.Find(client_id);
  if (!client) throw AppError(ErrorCode::kNotFound, kNoSuchClient);
  // Word for word the answer for a client that does not exist: no hint that it does.
  caller.RequireClientVisible(OrganisationOf(*client), SupplierOf(*client), kNoSuchClient);
  return *client;
}

domain::Page<domain::Client> Clients::List(const Caller& caller, const ClientQuery& query) {
  domain::ClientFilter filter;
  std::vector<FieldError> errors;
  if (!query.organisation.empty()) {
    if (!domain::IsValidOrgno(query.organisation))
      errors.push_back({"organisation", "invalid_orgno", "not a valid organisation number"});
    filter.organisation = query.organisation;
  }
  if (!query.environment.empty()) {
    filter.environment = domain::EnvironmentFromString(query.environment);
    if (!filter.environment)
      errors.push_back({"environment", "invalid_value", "environment must be test or production"});
  }
  if (!query.integration_type.empty()) {
    filter.integration_type = domain::IntegrationTypeFromString(query.integration_type);
    if (!filter.integration_type)
      errors.push_back({"integration_type", "invalid_value", "unknown integration type"});
  }
  if (!query.state.empty()) {
    filter.state = domain::ClientStateFromString(query.state);
    if (!filter.state)
      errors.push_back(
          {"state", "invalid_value", "state must be active, deactivated or awaiting_credentials"});
  }
  filter.name_contains = query.name_contains;
  if (filter.name_contains.size() > 200) errors.push_back({"q", "too_long", "at most 200 bytes"});
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, "invalid filter", "", errors);
  return clients_.List(VisibleTo(caller, std::move(filter)), query.page);
}

std::vector<domain::Client> Clients::ListAll(const Caller& caller, const std::string& inactive) {
  if (!inactive.empty() && inactive != "true" && inactive != "false")
    throw AppError(ErrorCode::kValidation, "invalid filter", "",
                   {{"inactive", "invalid_value", "inactive must be true or false"}});
  const bool deactivated = inactive == "true";
  const domain::ClientFilter filter = VisibleTo(caller, {});
  std::vector<domain::Client> out;
  domain::PageRequest page{"", domain::kMaxPageSize};
  do {
    domain::Page<domain::Client> result = clients_.List(filter, page);
    for (auto& c : result.items) {
      if ((c.state == domain::ClientState::kDeactivated) == deactivated)
        out.push_back(std::move(c));
    }
    page.cursor = result.next_cursor;
  } while (!page.cursor.empty());
  return out;
}

domain::ClientFilter Clients::VisibleTo(const Caller& caller, domain::ClientFilter filter) {
  const std::string& org = caller.organisation;
  if (caller.access_token) {
    // An access token lists its own organisation's clients (when it may read them) and,
    // with idporten:dcr.supplier, the ones it supplies; a filter for another organisation
    // narrows that set.
    const bool own = caller.MayOwn();
    filter.visible_own = own ? std::optional<std::string>(org) : std::nullopt;
    filter.visible_supplied = caller.supplier ? std::optional<std::string>(org) : std::nullopt;
    if (!own && !caller.supplier) filter.visible_own = "000000000";  // sees nothing
  } else if (caller.IsPortal()) {
    // A portal sees its own organisation only; asking for another yields an empty page.
    filter.organisation =
        filter.organisation && *filter.organisation != org ? std::string("000000000") : org;
  }
  return filter;
}

ClientHistory Clients::History(const Caller& caller, const std::string& client_id) {
  ClientHistory out{.client = Get(caller, client_id), .changes = {}};
  out.changes = clients_.History(out.client.client_id);
  return out;
}

domain::Client Clients::Replace(const Caller& caller, const ClientMetadataChange& command) {
  domain::Client current = Get(caller, command.client_id);
  CheckVersion(caller, command.if_match, current);
  const Poco::JSON::Object& body = *command.document;
  std::vector<FieldError> errors;
  if (body.has("environment") &&
      body.optValue<std::string>("environment", "") != domain::ToString(current.environment)) {
    errors.push_back(
        {"environment", "immutable", "environment is set at creation and never changes"});
  }
  if (body.has("client_id") && body.optValue<std::string>("client_id", "") != current.client_id) {
    errors.push_back({"client_id", "immutable", "client_id does not match the URL"});
  }
  domain::ParseOptions options;
  options.fixed_integration_type = current.metadata.integration_type;
  options.ignored_fields = kEchoedMembers;
  return UpdateMetadata(caller, current, body, options, std::move(errors));
}

domain::Client Clients::Patch(const Caller& caller, const ClientMetadataChange& command) {
  domain::Client current = Get(caller, command.client_id);
  CheckVersion(caller, command.if_match, current);
  Poco::JSON::Object::Ptr merged =
      domain::ApplyMergePatch(*domain::ToJson(current.metadata), *command.document);
  domain::ParseOptions options;
  options.fixed_integration_type = current.metadata.integration_type;
  return UpdateMetadata(caller, current, *merged, options, {});
}

domain::Client Clients::Deactivate(const Caller& caller, const ClientStateChange& command) {
  const domain::Client current = Get(caller, command.client_id);
  CheckVersion(caller, command.if_match, current, /*required_for_portal=*/false);
  domain::Client next = current;
  next.state = domain::ApplyClientTransition(current.state, domain::ClientTransition::kDeactivate);
  return Save(caller, current, std::move(next), "deactivate");
}

domain::Client Clients::Reactivate(const Caller& caller, const ClientStateChange& command) {
  const domain::Client current = Get(caller, command.client_id);
  CheckVersion(caller, command.if_match, current, /*required_for_portal=*/false);
  domain::Client next = current;
  domain::ApplyClientTransition(current.state, domain::ClientTransition::kReactivate);
  next.state = domain::ReactivatedState(clients_.History(current.client_id));
  return Save(caller, current, std::move(next), "reactivate");
}

domain::Client Clients::EditOnbehalfof(
    const Caller& caller, const domain::Client& current,
    const std::function<void(std::vector<domain::OnBehalfOf>&)>& edit) {
  domain::Client next = current;
  edit(next.metadata.onbehalfof);
  std::vector<FieldError> errors =
      domain::ValidateClientMetadata(next.metadata, current.environment, scopes_);
  // The sub-resource's caller sent one record: name its members, not the list's index.
  for (auto& e : errors) {
    if (e.path.rfind("onbehalfof/", 0) != 0) continue;
    const auto slash = e.path.find('/', 11);
    e.path = slash == std::string::npos ? "onbehalfof" : e.path.substr(slash + 1);
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the onbehalfof entry is invalid", "", errors);
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  return Save(caller, current, std::move(next), "update");
}

domain::Client Clients::UpdateMetadata(const Caller& caller, const domain::Client& current,
                                       const Poco::JSON::Object& document,
                                       const domain::ParseOptions& options,
                                       std::vector<FieldError> errors) {
  domain::ClientMetadata metadata;
  try {
    metadata = domain::ParseClientMetadata(document, options);
  } catch (const AppError& e) {
    errors.insert(errors.end(), e.field_errors().begin(), e.field_errors().end());
  }
  if (errors.empty() && metadata.client_orgno != current.metadata.client_orgno) {
    errors.push_back({"client_orgno", "immutable", "a client cannot move to another organisation"});
  }
  const std::string& org = caller.organisation;
  if (errors.empty() && caller.access_token && caller.supplier && SupplierOf(current) == org &&
      OrganisationOf(current) != org) {
    // A supplier's change keeps it the supplier: it can neither drop nor hand over a client.
    if (metadata.supplier_orgno && *metadata.supplier_orgno != org) {
      errors.push_back({"supplier_orgno", "not_own_organisation",
                        "a supplier's clients name the supplier's own organisation"});
    }
    metadata.supplier_orgno = org;
  }
  if (errors.empty()) {
    auto rules = domain::ValidateClientMetadata(metadata, current.environment, scopes_);
    errors.insert(errors.end(), rules.begin(), rules.end());
  }
  if (!errors.empty()) throw AppError(ErrorCode::kValidation, kInvalidMetadata, "", errors);
  domain::Client next = current;
  next.metadata = std::move(metadata);
  next.metadata_json = domain::MetadataToJsonText(next.metadata);
  return Save(caller, current, std::move(next), "update");
}

domain::Client Clients::Save(const Caller& caller, const domain::Client& current,
                             domain::Client next, const std::string& change) {
  domain::ClientWrite write;
  write.change = change;
  write.diff_json = domain::DiffMetadataJson(current.metadata_json, next.metadata_json);
  write.audit =
      caller.Audit("client." + change, "client", current.client_id, OrganisationOf(current));
  write.revoke_secrets = LeavesSecretAuth(current, next);
  write.audit.detail_json = audit::Render(
      audit::ClientChanged{.environment = std::string(domain::ToString(current.environment)),
                           .from_version = current.version,
                           .state = std::string(domain::ToString(next.state)),
                           .changed_fields = ChangedFields(write.diff_json),
                           .secrets_revoked = write.revoke_secrets});
  return InClientChange(units_, caches_, current.client_id, [&](domain::UnitOfWork& unit) {
    return clients_.Update(unit, next, current.version, write);
  });
}

}  // namespace onboard::usecases
