#include "client.hpp"

#include "json_text.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <set>
#include <sstream>

#include "client_metadata_json.hpp"
#include "error.hpp"
#include "state_machine.hpp"

namespace onboard::domain {

namespace {
constexpr EnumName<ClientState> kClientStates[] = {
    {ClientState::kActive, "active"},
    {ClientState::kDeactivated, "deactivated"},
    {ClientState::kAwaitingCredentials, "awaiting_credentials"}};
// In the order 409 answers list the allowed ones.
constexpr EnumName<ClientTransition> kClientTransitions[] = {
    {ClientTransition::kDeactivate, "deactivate"},
    {ClientTransition::kReactivate, "reactivate"},
    {ClientTransition::kActivate, "activate"}};
}  // namespace

std::string_view ToString(ClientState state) noexcept {
  return NameOf(kClientStates, state, "active");
}

std::optional<ClientState> ClientStateFromString(std::string_view text) noexcept {
  return ValueOf(kClientStates, text);
}

std::string_view ToString(ClientTransition t) noexcept {
  return NameOf(kClientTransitions, t, "deactivate");
}

std::optional<ClientState> NextClientState(ClientState from, ClientTransition t) noexcept {
  switch (t) {
    case ClientTransition::kDeactivate:
      if (from == ClientState::kActive || from == ClientState::kAwaitingCredentials)
        return ClientState::kDeactivated;
      return std::nullopt;
    case ClientTransition::kReactivate:
      if (from == ClientState::kDeactivated) return ClientState::kActive;
      return std::nullopt;
    case ClientTransition::kActivate:
      // Production clients wait for credentials (a delivered secret or a bound certificate).
      if (from == ClientState::kAwaitingCredentials) return ClientState::kActive;
      return std::nullopt;
  }
  return std::nullopt;
}

std::vector<ClientTransition> AllowedClientTransitions(ClientState from) {
  return AllowedTransitions(from, kClientTransitions, NextClientState);
}

ClientState ApplyClientTransition(ClientState from, ClientTransition t) {
  return ApplyTransition(from, t, kClientTransitions, NextClientState, "a client");
}

ClientState ReactivatedState(const std::vector<ClientChange>& history) {
  for (const auto& change : history) {
    if (change.state == ToString(ClientState::kActive)) return ClientState::kActive;
  }
  return ClientState::kAwaitingCredentials;
}

bool IsRegistrationChannel(std::string_view channel) noexcept {
  for (const char* c : kRegistrationChannels) {
    if (channel == c) return true;
  }
  return false;
}

namespace {

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string Stringify(const Poco::Dynamic::Var& v) { return json::Text(v); }

}  // namespace

std::string DiffMetadataJson(const std::string& before_json, const std::string& after_json) {
  Poco::JSON::Object::Ptr before = ParseObject(before_json);
  Poco::JSON::Object::Ptr after = ParseObject(after_json);
  std::set<std::string> keys;
  for (const auto& [k, v] : *before) keys.insert(k);
  for (const auto& [k, v] : *after) keys.insert(k);
  Poco::JSON::Array diff;
  for (const auto& key : keys) {
    const Poco::Dynamic::Var a = before->has(key) ? before->get(key) : Poco::Dynamic::Var();
    const Poco::Dynamic::Var b = after->has(key) ? after->get(key) : Poco::Dynamic::Var();
    if (Stringify(a) == Stringify(b)) continue;
    Poco::JSON::Object entry;
    entry.set("field", key);
    entry.set("from", a);
    entry.set("to", b);
    diff.add(entry);
  }
  return json::Text(diff);
}

std::string CreationDiffJson(const Poco::JSON::Object& after) {
  // What DiffMetadataJson("{}", after) gives, without parsing and comparing: every member
  // is new. The members come in name order (Poco::JSON::Object keeps them sorted).
  // Written directly: each entry's members in name order too (field, from, to).
  std::string out = "[";
  out.reserve(1024);
  for (const auto& [key, value] : after) {
    if (value.isEmpty()) continue;  // null in the text: equal to the absent "from"
    if (out.size() > 1) out.push_back(',');
    out += "{\"field\":";
    json::AppendString(out, key);
    out += ",\"from\":null,\"to\":";
    json::Append(out, value);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

Poco::JSON::Object::Ptr ApplyMergePatch(const Poco::JSON::Object& target,
                                        const Poco::JSON::Object& patch) {
  Poco::JSON::Object::Ptr result = new Poco::JSON::Object(target);
  for (const auto& [key, value] : patch) {
    if (value.isEmpty()) {
      result->remove(key);
    } else if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
      Poco::JSON::Object::Ptr sub_patch = value.extract<Poco::JSON::Object::Ptr>();
      Poco::JSON::Object::Ptr sub_target = result->getObject(key);
      result->set(key,
                  ApplyMergePatch(sub_target ? *sub_target : Poco::JSON::Object(), *sub_patch));
    } else {
      result->set(key, value);
    }
  }
  return result;
}

ClientMetadata ParseStoredMetadata(const std::string& metadata_json,
                                   std::optional<IntegrationType> stored_type) {
  ParseOptions options;
  options.fixed_integration_type = stored_type;
  return ParseClientMetadata(*ParseObject(metadata_json), options);
}

std::string MetadataToJsonText(const ClientMetadata& metadata) {
  return StoredMetadataText(*ToJson(metadata));
}

std::string StoredMetadataText(const Poco::JSON::Object& stored) { return json::Text(stored); }

}  // namespace onboard::domain
