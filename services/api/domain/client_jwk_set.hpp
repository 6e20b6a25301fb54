#pragma once

#include <string>
#include <vector>

#include "client_key.hpp"
#include "error.hpp"

namespace onboard::domain {

/// The whole-set replacement of a client's registered JWKs (the provider's self-service
/// `POST/PUT /clients/{id}/jwks`, issue #17): the keys of `keys` become the client's JWKs;
/// a live JWK whose kid is not in the set is removed; one that is posted again with the same
/// key (RFC 7638 thumbprint) is renewed for a year from now; the rest are added (a year
/// too). Bound certificates stay and count towards the limit.
struct JwkSetChange {
  std::vector<ClientKey> keys;  ///< kind "jwk", kid set, jwk_json the public JWK
  std::size_t max_keys = kMaxClientKeys;
  std::string changed_by;
  KeyWrite write;  ///< the client change (auth method, metadata jwks) and the audit event
};

struct JwkSetResult {
  std::vector<ClientKey> keys;  ///< the client's live keys afterwards
  int added = 0;
  int renewed = 0;
  int removed = 0;
};

/// The rule violations of a posted set: 1 to kMaxClientKeys keys, each kid unique.
std::vector<FieldError> ValidateJwkSet(const std::vector<ClientKey>& keys);

/// Persistence of the replacement, in the caller's unit of work under the client's row lock (as
/// ClientKeyStore's writes), with its audit event. Throws AppError(kConflict,
/// `too_many_keys`) when certificates and the set exceed `max_keys`, (kConflict,
/// `kid_already_registered`) when a kid of the set is a bound certificate's,
/// kPreconditionFailed when the client changed since `write.expected_version`,
/// kNotFound for an unknown client. Thread-safe.
class JwkSetStore {
 public:
  virtual ~JwkSetStore() = default;
  virtual JwkSetResult Replace(UnitOfWork& unit, const std::string& client_id,
                               const JwkSetChange& change) = 0;
};

}  // namespace onboard::domain
