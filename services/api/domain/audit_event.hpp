#pragma once

#include <cstdint>
#include <string>

namespace onboard::domain {

/// Who acted: filled by the HTTP layer from the authenticated token.
struct Actor {
  std::string name;         ///< token name (or "system" for background work)
  std::string role;         ///< operator, portal, auditor, provider, system
  std::string portal_user;  ///< X-Onboard-User for portal calls, else empty
  std::string request_id;
  std::string source_ip;
};

/// One audit event as the domain describes it; the store seals it into the chain.
/// `detail_json` must be a JSON object and must never hold a secret, password, token
/// or zip.
struct AuditEvent {
  Actor actor;
  std::string organisation;  ///< orgno the action concerns, may be empty
  std::string action;        ///< e.g. "organisation.create"
  std::string target_type;   ///< e.g. "organisation"
  std::string target_id;
  std::string outcome = "success";
  std::string detail_json = "{}";
};

/// An event as stored in the chain.
struct SealedAuditEvent {
  int64_t seq = 0;
  int64_t occurred_at_us = 0;  ///< microseconds since the Unix epoch (UTC)
  AuditEvent event;
  std::string prev_hash;  ///< hex SHA-256 of the previous event, kGenesisHash for the first
  std::string hash;       ///< hex SHA-256 over prev_hash and the canonical encoding
};

/// prev_hash of the first event.
inline constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

/// Canonical encoding of every field except `hash`: one `name=<byte length>:<value>\n`
/// per field in a fixed order, so no value can be confused with a separator.
std::string CanonicalAuditEncoding(const SealedAuditEvent& e);

/// Hex SHA-256 of CanonicalAuditEncoding(e) (which includes prev_hash).
std::string ComputeAuditHash(const SealedAuditEvent& e);

}  // namespace onboard::domain
