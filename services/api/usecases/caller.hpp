#pragma once

#include <string>
#include <vector>

#include "access_token.hpp"
#include "audit_event.hpp"
#include "roles.hpp"

namespace onboard::usecases {

/// Who asks: built by the HTTP layer from the authenticated request (RequestContext::
/// UseCaseCaller), by the CLI for its own work, or by a test. A plain value.
struct Caller {
  std::string token_id;
  std::string who;  ///< the token's name: the actor in events and history
  domain::Role role = domain::Role::kOperator;
  std::string organisation;  ///< portal callers: the organisation they act for, else empty
  std::string portal_user;   ///< portal callers: X-Onboard-User, else empty
  std::string request_id;
  std::string source_ip;
  /// A JWT access token (issue #17): `organisation` is its `consumer`, `portal_user` its
  /// client_id; what its scopes grant on its own organisation's clients (domain::Permission
  /// bits), whether it may act as a supplier (idporten:dcr.supplier), and the permission the
  /// route it called needs.
  bool access_token = false;
  unsigned permissions = 0;
  bool supplier = false;
  std::vector<std::string> scopes;
  domain::Permission permission = domain::Permission::kNone;

  bool IsPortal() const noexcept { return role == domain::Role::kPortal; }

  /// An audit event prefilled with this caller, the request id and the source address.
  domain::AuditEvent Audit(std::string action, std::string target_type, std::string target_id,
                           std::string organisation) const;

  /// Throws AppError(kNotFound, `not_found`) when a portal caller reaches for another
  /// organisation's resource; `not_found` must be word for word the answer for a resource
  /// that does not exist, so the answer never hints that it does. No-op for other roles.
  void RequireVisible(const std::string& orgno,
                      const std::string& not_found = "no such resource") const;

  /// The client form of RequireVisible: an access token sees a client of its own
  /// organisation when its scopes grant the route's permission (kForbidden
  /// "insufficient_scope" when it may only read it), and with idporten:dcr.supplier a
  /// client whose supplier_orgno is its organisation; anything else is kNotFound
  /// `not_found`. Other callers: RequireVisible(client_orgno).
  void RequireClientVisible(const std::string& client_orgno, const std::string& supplier_orgno,
                            const std::string& not_found = "no such client") const;

  /// An access token's grant on its own organisation's clients covers the route's
  /// permission.
  bool MayOwn() const noexcept;
};

}  // namespace onboard::usecases
