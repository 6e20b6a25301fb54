#pragma once

#include <string>

#include "caller.hpp"
#include "unit_of_work.hpp"

/// The use-case layer: what a request does, between the HTTP handlers and the stores.
///
/// Conventions (copy them for a new use case):
/// - One file per group, `usecases/<group>.{hpp,cpp}`, one class per group constructed from
///   the stores and services it needs (references that outlive it; thread-safe because it
///   keeps no per-request state).
/// - One method per use case: `Result Verb(const Caller& caller, const Command& command)`.
///   The command is a typed, already-decoded request (the handler parsed JSON, path and
///   headers into it; a member the request left out is std::nullopt); the result is a
///   typed value the handler serialises. No Poco::Net, no HTTP status, no JSON rendering
///   of responses here.
/// - Every rule lives here or, when it needs no store, in domain/: who may do what (the
///   caller's role and organisation), state checks, what follows from what.
/// - Failures throw onboard::AppError (code, public detail, field errors); the handler's
///   single catch renders them. A resource a portal may not see is kNotFound, word for
///   word the answer for one that does not exist.
/// - Writes go through one domain::UnitOfWork per change: begin, write through the stores
///   (passing the unit), Record the audit event (typed details, audit_details.hpp),
///   AfterCommit the cache invalidations (Caches below), Commit.
/// - Tests: tests/unit/usecases/, in-memory fakes of the stores (no database), one test per
///   rule that fails when the rule is removed.
namespace onboard::usecases {

/// Caches that must forget what a committed change made stale. Implemented by the HTTP
/// layer (the provider's client snapshot, the token cache); use cases call it from an
/// AfterCommit hook so a rolled-back change invalidates nothing. Thread-safe.
class Caches {
 public:
  virtual ~Caches() = default;
  /// A client's metadata, state, secrets or keys changed.
  virtual void ClientChanged(const std::string& client_id) = 0;
  /// An API token was created or revoked.
  virtual void TokensChanged() = 0;
};

}  // namespace onboard::usecases
