#include "error_writer.hpp"

#include <Poco/JSON/Object.h>

#include "json_io.hpp"
#include "problem.hpp"

namespace onboard::http {

void WriteProblem(RequestContext& ctx, const AppError& err, int retry_after_s) {
  const int status = HttpStatusFor(err.code());
  const std::string& uri = ctx.request.getURI();
  Problem problem;
  problem.status = status;
  problem.code = err.code_name();
  problem.title = ErrorTitle(err.code());
  problem.detail = err.detail();
  problem.instance = std::string_view(uri).substr(0, uri.find('?'));
  problem.request_id = ctx.request_id;
  problem.errors = &err.field_errors();
  if (err.code() == ErrorCode::kUnavailable || err.code() == ErrorCode::kTooManyRequests) {
    ctx.response.set("Retry-After", std::to_string(retry_after_s > 0 ? retry_after_s : 1));
  }
  if (err.code() == ErrorCode::kUnauthenticated) ctx.response.set("WWW-Authenticate", "Bearer");
  if (!ctx.body_consumed)
    ctx.response.setKeepAlive(false);  // unread body: do not reuse the connection
  WriteBody(ctx, status, std::string(kProblemMediaType), ProblemJson(problem));
}

void WriteOAuthError(RequestContext& ctx, int status, const std::string& error,
                     const std::string& description) {
  Poco::JSON::Object body;
  body.set("error", error);
  body.set("error_description", description);
  if (!ctx.body_consumed) ctx.response.setKeepAlive(false);
  ctx.response.set("Cache-Control", "no-store");
  WriteJson(ctx, status, body);
}

void WriteRegistrationError(RequestContext& ctx, const AppError& err, int retry_after_s) {
  switch (err.code()) {
    case ErrorCode::kValidation:
    case ErrorCode::kMalformedJson:
    case ErrorCode::kBadRequest: {
      std::string error = "invalid_client_metadata";
      std::string description = err.detail();
      for (const auto& fe : err.field_errors()) {
        if (fe.code == "invalid_software_statement")
          error = fe.code;
        else if (error == "invalid_client_metadata" &&
                 (fe.path.rfind("redirect_uris", 0) == 0 ||
                  fe.path.rfind("post_logout_redirect_uris", 0) == 0)) {
          error = "invalid_redirect_uri";
        }
      }
      for (std::size_t i = 0; i < err.field_errors().size() && i < 5; ++i) {
        const auto& fe = err.field_errors()[i];
        description += (i == 0 ? ": " : "; ") + fe.path + " " + fe.message;
      }
      WriteOAuthError(ctx, 400, error, description);
      return;
    }
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kNotFound:
      // RFC 7592 section 2: an unknown client or a bad token is an invalid token, so
      // the answer never tells whether a client exists.
      ctx.response.set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      WriteOAuthError(ctx, 401, "invalid_token",
                      "the access token is missing, invalid or not for this client");
      return;
    case ErrorCode::kForbidden:
      WriteOAuthError(ctx, 403, "insufficient_scope", err.detail());
      return;
    default:
      WriteProblem(ctx, err, retry_after_s);
  }
}

}  // namespace onboard::http
