#pragma once

#include <functional>
#include <string>
#include <type_traits>

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

/// Fills the members of a `Command` that come from the request body. A use case whose
/// target must be found (and the caller's preconditions, such as If-Match, checked) before
/// the body is read takes one beside its command and calls it at that point, so a malformed
/// body for a client the caller may not see is still that client's 404, and a stale
/// If-Match still its 412. Empty for a command built whole (tests, the CLI).
template <typename Command>
using BodyReader = std::function<void(Command&)>;

/// Runs `read` (when set) on `command`.
template <typename Command>
void ReadBodyInto(const BodyReader<Command>& read, Command& command) {
  if (read) read(command);
}

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

/// Caches as two callbacks: the server wires them to the provider snapshot's and the token
/// cache's invalidation (services/api/app/serve.cpp), so neither the use cases nor the HTTP
/// layer call those caches themselves.
class CallbackCaches final : public Caches {
 public:
  CallbackCaches(std::function<void(const std::string&)> client_changed,
                 std::function<void()> tokens_changed)
      : client_changed_(std::move(client_changed)), tokens_changed_(std::move(tokens_changed)) {}
  void ClientChanged(const std::string& client_id) override { client_changed_(client_id); }
  void TokensChanged() override { tokens_changed_(); }

 private:
  std::function<void(const std::string&)> client_changed_;
  std::function<void()> tokens_changed_;
};

/// One change of a client in a unit of its own: `write(unit)` writes through the stores,
/// the unit commits, and only then are the client's cached credentials forgotten
/// (Caches::ClientChanged as an after-commit hook: a change that throws or rolls back
/// invalidates nothing). Returns what `write` returns.
template <typename Write>
auto InClientChange(domain::UnitsOfWork& units, Caches& caches, const std::string& client_id,
                    Write&& write) {
  const std::unique_ptr<domain::UnitOfWork> unit = units.Begin();
  unit->AfterCommit([&caches, client_id] { caches.ClientChanged(client_id); });
  if constexpr (std::is_void_v<decltype(write(*unit))>) {
    write(*unit);
    unit->Commit();
  } else {
    auto out = write(*unit);
    unit->Commit();
    return out;
  }
}

}  // namespace onboard::usecases
