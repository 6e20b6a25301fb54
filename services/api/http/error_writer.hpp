#pragma once

#include "error.hpp"
#include "request_context.hpp"

namespace onboard::http {

/// Renders `err` as RFC 9457 application/problem+json (type, title, status, detail,
/// instance, code, request_id, errors). Adds Allow / Retry-After when given.
void WriteProblem(RequestContext& ctx, const AppError& err, int retry_after_s = 0);

/// Renders an RFC 6749 / RFC 7591 error body `{error, error_description}`.
void WriteOAuthError(RequestContext& ctx, int status, const std::string& error,
                     const std::string& description);

/// Renders `err` for the RFC 7591 / 7592 registration endpoints: validation problems as
/// 400 `invalid_redirect_uri` (when a redirect URI is at fault), `invalid_software_statement`
/// or `invalid_client_metadata`; authentication problems as 401 `invalid_token`.
void WriteRegistrationError(RequestContext& ctx, const AppError& err, int retry_after_s = 0);

}  // namespace onboard::http
