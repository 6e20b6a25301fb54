#pragma once

#include <memory>

#include "access_token.hpp"
#include "config.hpp"

namespace onboard::identity {

/// The verifier of the configured access-token issuers, each with its JWKS from its URL
/// (libcurl) or file. No fetch happens here: the first token of an issuer fetches.
std::unique_ptr<domain::AccessTokenVerifier> BuildAccessTokenVerifier(
    const AccessTokensConfig& config);

}  // namespace onboard::identity
