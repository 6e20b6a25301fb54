#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jose.hpp"

/// The signing keys of another issuer (an access-token issuer or the operators' identity
/// provider), fetched from its JWKS and cached. Plain C++: the fetch itself is a JwksSource
/// (libcurl or a file, services/api/identity/).
namespace onboard::domain {

/// Where an issuer's JWK Set comes from. `Fetch` returns the document's text or throws
/// (any std::exception) when it cannot be had; its message goes to the log.
class JwksSource {
 public:
  virtual ~JwksSource() = default;
  virtual std::string Fetch() = 0;
};

struct IssuerKeysPolicy {
  /// Keys older than this are fetched again on the next token.
  std::chrono::seconds refresh{300};
  /// At most one fetch per this interval (also for an unknown `kid`).
  std::chrono::seconds min_interval{30};
  /// Keys older than this are no longer used: tokens get 503 until a fetch succeeds.
  std::chrono::seconds max_age{3600};
};

/// One verification key of an issuer.
struct IssuerKey {
  std::string kid;
  std::string alg;  ///< the JWK's `alg`, empty when it names none
  jose::PublicKey key;
};

/// The signature keys of a JWK Set text: `use` absent or `sig`, RSA or EC; keys that do
/// not parse are left out. Throws std::runtime_error when the text is not a JWK Set.
std::vector<IssuerKey> ParseJwkSet(const std::string& text);

/// The cached keys of one issuer. Thread-safe; a fetch holds the issuer's lock, so the
/// requests of that issuer wait for it (bounded by the source's timeout) while other
/// issuers go on.
class IssuerKeys {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  IssuerKeys(
      std::string name, std::unique_ptr<JwksSource> source, IssuerKeysPolicy policy,
      Clock clock = [] { return std::chrono::steady_clock::now(); });

  /// The keys a token signed by `kid` (empty: any key) may be verified with. Fetches the
  /// set first when none is cached, the cache is older than `refresh`, or `kid` is unknown,
  /// at most once per `min_interval`. A failed fetch keeps the cached keys.
  /// Throws AppError(kUnavailable) when no keys younger than `max_age` are held. An empty
  /// result means the kid is unknown.
  std::vector<IssuerKey> Candidates(const std::string& kid);

  const std::string& name() const noexcept { return name_; }
  /// Number of fetch attempts so far (for tests and metrics).
  int fetches() const;

 private:
  void FetchLocked(std::chrono::steady_clock::time_point now);

  const std::string name_;
  std::unique_ptr<JwksSource> source_;
  const IssuerKeysPolicy policy_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::vector<IssuerKey> keys_;
  std::optional<std::chrono::steady_clock::time_point> fetched_;    ///< last success
  std::optional<std::chrono::steady_clock::time_point> attempted_;  ///< last attempt
  std::string last_error_;
  int fetches_ = 0;
};

/// True when one of `candidates` verifies `signature` over `signing_input` with `alg`
/// (named `alg_name` in the token's header): a key whose JWK names another alg, or whose
/// type or curve does not fit `alg`, is passed over.
bool VerifiedByAny(const std::vector<IssuerKey>& candidates, jose::Alg alg,
                   std::string_view alg_name, std::string_view signing_input,
                   std::string_view signature) noexcept;

}  // namespace onboard::domain
