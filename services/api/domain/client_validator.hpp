#pragma once

#include <cstddef>
#include <vector>

#include "client_metadata.hpp"
#include "error.hpp"
#include "scope_catalogue.hpp"

namespace onboard::domain {

/// Limits enforced by ValidateClientMetadata.
inline constexpr std::size_t kMaxRedirectUris = 20;
inline constexpr std::size_t kMaxPostLogoutRedirectUris = 20;
inline constexpr std::size_t kMaxUriLength = 2000;
inline constexpr std::size_t kMaxNameLength = 200;          // code points
inline constexpr std::size_t kMaxDescriptionLength = 2000;  // code points
inline constexpr std::size_t kMaxScopes = 50;
inline constexpr std::size_t kMaxJwks = 5;
inline constexpr std::size_t kMaxX5cCertificates = 10;
inline constexpr std::size_t kMaxKidLength = 100;
inline constexpr std::size_t kMinRsaModulusBits = 2048;
inline constexpr std::size_t kMaxOnBehalfOf = 10;
inline constexpr std::size_t kMaxOnBehalfOfValueLength = 100;
inline constexpr std::size_t kMaxContacts = 10;
inline constexpr std::size_t kMaxEmailLength = 254;

/// Checks metadata against the provider's rules for a client in `environment`, using
/// `scopes` as the list of registrable scopes. Returns every violation (empty if valid),
/// each with a stable `code` and a JSON-pointer-like `path` (`redirect_uris/2`,
/// `jwks/0/kid`). The rules and codes are listed in client_validator.cpp. Pure and
/// thread-safe; throws only on allocation failure.
std::vector<FieldError> ValidateClientMetadata(const ClientMetadata& metadata,
                                               Environment environment,
                                               const ScopeCatalogue& scopes);

/// Like ValidateClientMetadata but throws AppError(kValidation, "client metadata is
/// invalid", "", errors) when there is any violation.
void EnsureValidClientMetadata(const ClientMetadata& metadata, Environment environment,
                               const ScopeCatalogue& scopes);

/// The `jwks` rules alone (DOMAIN.md: kty/alg/use/e/n required, RS256/384/512 with
/// 2048-bit RSA at least, kid charset, unique kids, at most 5), for keys registered
/// outside the metadata (POST /v1/clients/{id}/jwks). Paths start with `path`.
std::vector<FieldError> ValidateJwks(const std::vector<Jwk>& jwks,
                                     const std::string& path = "jwks");

}  // namespace onboard::domain
