#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "issuer_keys.hpp"
#include "jose.hpp"
#include "jwt.hpp"

/// JWT access tokens of API callers (RFC 9068 shaped, as Maskinporten issues them for the
/// provider's self-service API): the issuers this service trusts, the claim rules, and the
/// scopes that map to permissions. Plain C++; keys come from IssuerKeys.
namespace onboard::domain {

/// One operation class of the self-service API; a route names the one it needs.
enum class Permission : unsigned {
  kNone = 0,
  kClientsRead = 1u << 0,        ///< read clients, their keys and secret metadata
  kClientsModify = 1u << 1,      ///< change a client's metadata
  kClientsCreate = 1u << 2,      ///< create clients
  kClientsDeactivate = 1u << 3,  ///< deactivate (and reactivate) clients
  kCredentials = 1u << 4,        ///< new secrets, JWKS, certificates
  kOnbehalfofRead = 1u << 5,     ///< read onbehalfof entries
  kOnbehalfofWrite = 1u << 6,    ///< create, change and delete onbehalfof entries
};

constexpr unsigned Bit(Permission p) noexcept { return static_cast<unsigned>(p); }

inline constexpr std::string_view kScopeRead = "idporten:dcr.read";
inline constexpr std::string_view kScopeModify = "idporten:dcr.modify";
inline constexpr std::string_view kScopeWrite = "idporten:dcr.write";
inline constexpr std::string_view kScopeOnbehalfofWrite = "idporten:dcr/onbehalfof:write";
inline constexpr std::string_view kScopeSupplier = "idporten:dcr.supplier";

/// The permissions `scopes` grant on clients of the token's own organisation:
/// read -> read (+ onbehalfof read); modify -> read, modify; write -> everything;
/// onbehalfof:write -> onbehalfof entries only. `idporten:dcr.supplier` grants nothing on
/// the own organisation (see Grant::supplier). Unknown scopes grant nothing.
unsigned PermissionsForScopes(const std::vector<std::string>& scopes);

/// The scopes that grant `p` on the own organisation, joined with " or ", for the 403.
std::string ScopesGranting(Permission p);

/// What a verified access token lets its caller do.
struct Grant {
  std::string issuer_name;  ///< the configured name of the issuer, e.g. maskinporten
  std::string issuer;       ///< iss
  std::string subject;      ///< sub
  std::string client_id;    ///< client_id claim (sub when absent)
  std::string orgno;        ///< from `consumer` (ISO 6523 0192:<orgno>)
  std::vector<std::string> scopes;
  unsigned permissions = 0;  ///< on the own organisation's clients
  bool supplier = false;     ///< idporten:dcr.supplier: every operation on clients it supplies
  int64_t expires_at = 0;
};

/// The organisation number of an ISO 6523 actor id: `0192:<orgno>` as a string, or the
/// Maskinporten object `{"authority": "iso6523-actorid-upis", "ID": "0192:<orgno>"}`.
/// Empty when it is neither or the number fails its check digit.
std::string OrgnoFromConsumer(const Poco::Dynamic::Var& consumer);

/// The rules one trusted issuer's tokens are checked against.
struct AccessTokenIssuer {
  std::string name;                    ///< configuration name
  std::string issuer;                  ///< exact `iss`
  std::vector<std::string> audiences;  ///< at least one must be in `aud`
  std::vector<jose::Alg> algs = {jose::Alg::kRS256, jose::Alg::kPS256, jose::Alg::kES256};
  std::shared_ptr<IssuerKeys> keys;
};

/// Verifies access tokens from several issuers. Thread-safe (IssuerKeys is).
class AccessTokenVerifier {
 public:
  AccessTokenVerifier(std::vector<AccessTokenIssuer> issuers, int64_t skew_s)
      : issuers_(std::move(issuers)), skew_s_(skew_s) {}

  bool empty() const noexcept { return issuers_.empty(); }

  /// The grant of a valid token. Throws jwt::Refused for a token that is malformed, from
  /// an issuer not configured, with an algorithm other than the issuer's (never none or
  /// HS*), an unknown kid, a bad signature, a wrong aud, outside exp/nbf/iat with the
  /// skew, or without a valid `consumer`; AppError(kUnavailable) when the issuer's keys
  /// are too old to use.
  Grant Verify(std::string_view token, int64_t now_epoch) const;

 private:
  std::vector<AccessTokenIssuer> issuers_;
  int64_t skew_s_;
};

}  // namespace onboard::domain
