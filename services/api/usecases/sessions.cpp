#include "sessions.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

#include "error.hpp"

namespace onboard::usecases {

namespace {

domain::AuditEvent Event(const std::string& actor, const std::string& role,
                         const SessionOrigin& origin, std::string action, std::string target_id) {
  domain::AuditEvent e;
  e.actor.name = actor;
  e.actor.role = role;
  e.actor.request_id = origin.request_id;
  e.actor.source_ip = origin.source_ip;
  e.action = std::move(action);
  e.target_type = "session";
  e.target_id = std::move(target_id);
  return e;
}

std::string Stringify(const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

}  // namespace

OpenedSession Sessions::SignInWithToken(const std::string& token, const SessionOrigin& origin) {
  if (!policy_.token_sign_in)
    throw AppError(ErrorCode::kForbidden, "sign-in with a personal token is turned off here", "",
                   {}, "sign_in_method_not_offered");
  if (token.empty() || token.size() > 200 || token.rfind(domain::kTokenPrefix, 0) != 0) {
    Refuse("anonymous", "anonymous", "malformed_token", origin);
    throw AppError(ErrorCode::kUnauthenticated, "the token is not valid", "", {}, "invalid_token");
  }
  const std::optional<domain::TokenLookup> lookup = tokens_.FindByHash(domain::HashToken(token));
  if (!lookup) {
    Refuse("anonymous", "anonymous", "unknown_token", origin);
    throw AppError(ErrorCode::kUnauthenticated, "the token is not valid", "", {}, "invalid_token");
  }
  const std::string role(domain::RoleName(lookup->token.role));
  if (lookup->revoked || lookup->expired) {
    Refuse(lookup->token.name, role, lookup->revoked ? "revoked_token" : "expired_token", origin);
    throw AppError(ErrorCode::kUnauthenticated,
                   lookup->revoked ? "the token is not valid" : "the token has expired", "", {},
                   lookup->revoked ? "invalid_token" : "expired_token");
  }
  if (!domain::RoleMaySignIn(lookup->token.role)) {
    Refuse(lookup->token.name, role, "role_not_allowed", origin);
    throw AppError(ErrorCode::kForbidden,
                   "only operator and auditor tokens can open a console session", "", {},
                   "role_may_not_sign_in");
  }
  domain::NewSession session;
  session.method = "token";
  session.actor = lookup->token.name;
  session.display_name = lookup->token.name;
  session.role = lookup->token.role;
  session.token_id = lookup->token.id;
  Poco::JSON::Object detail;
  detail.set("token_id", lookup->token.id);
  return Open(std::move(session), origin, Stringify(detail));
}

OpenedSession Sessions::OpenForPerson(const PersonSignIn& person, const SessionOrigin& origin) {
  if (!domain::RoleMaySignIn(person.role)) {
    Refuse(person.actor, std::string(domain::RoleName(person.role)), "role_not_allowed", origin);
    throw AppError(ErrorCode::kForbidden, "only operators and auditors can open a console session",
                   "", {}, "role_may_not_sign_in");
  }
  if (person.method == "token" || person.actor.empty() || person.actor.size() > 500 ||
      person.display_name.size() > 200) {
    throw AppError(ErrorCode::kInternal, "internal error", "sign-in method handed over no person");
  }
  domain::NewSession session;
  session.method = person.method;
  session.actor = person.actor;
  session.display_name = person.display_name.empty() ? person.actor : person.display_name;
  session.role = person.role;
  return Open(std::move(session), origin, person.detail_json);
}

OpenedSession Sessions::Open(domain::NewSession session, const SessionOrigin& origin,
                             const std::string& detail_json) {
  session.source_ip = origin.source_ip;
  session.user_agent = origin.user_agent.substr(0, 300);
  session.idle_timeout_s = policy_.idle_timeout_s;
  session.absolute_timeout_s = policy_.absolute_timeout_s;
  OpenedSession out;
  out.secret = domain::GenerateSessionSecret();
  out.csrf_token = domain::CsrfTokenFor(out.secret.reveal());
  const std::string id = crypto::NewUuid();
  domain::AuditEvent audit = Event(session.actor, std::string(domain::RoleName(session.role)),
                                   origin, "session.sign_in", id);
  Poco::JSON::Object::Ptr detail = new Poco::JSON::Object;
  try {
    detail = Poco::JSON::Parser().parse(detail_json).extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  detail->set("method", session.method);
  detail->set("display_name", session.display_name);
  detail->set("idle_timeout_s", session.idle_timeout_s);
  detail->set("absolute_timeout_s", session.absolute_timeout_s);
  audit.detail_json = Stringify(*detail);
  out.session = sessions_.Open(id, session, domain::HashSessionSecret(out.secret.reveal()), audit);
  return out;
}

domain::Session Sessions::Resolve(const std::string& secret, bool unsafe,
                                  const std::string& csrf_header) {
  const auto refuse = [](const char* detail, const char* code) {
    return AppError(ErrorCode::kUnauthenticated, detail, "", {}, code);
  };
  if (!domain::LooksLikeSessionSecret(secret))
    throw refuse("the session is not valid; sign in again", "invalid_session");
  std::optional<domain::SessionLookup> lookup =
      sessions_.FindBySecretHash(domain::HashSessionSecret(secret));
  if (!lookup || lookup->ended || lookup->token_unusable)
    throw refuse("the session is not valid; sign in again", "invalid_session");
  if (lookup->idle_expired || lookup->absolute_expired)
    throw refuse("the session has expired; sign in again", "session_expired");
  if (unsafe && !crypto::ConstantTimeEqual(csrf_header, domain::CsrfTokenFor(secret))) {
    throw AppError(ErrorCode::kForbidden,
                   "a request made with the session cookie must carry the session's CSRF token "
                   "in X-CSRF-Token",
                   "", {}, "csrf_token_invalid");
  }
  if (lookup->touch_due) {
    try {
      sessions_.Touch(lookup->session.id);
    } catch (const AppError&) {
      // The idle clock is bookkeeping: a request is never refused because it could not move.
    }
  }
  return lookup->session;
}

void Sessions::SignOut(const domain::Session& session, const SessionOrigin& origin) {
  domain::AuditEvent audit = Event(session.actor, std::string(domain::RoleName(session.role)),
                                   origin, "session.sign_out", session.id);
  Poco::JSON::Object detail;
  detail.set("method", session.method);
  audit.detail_json = Stringify(detail);
  sessions_.End(session.id, "sign_out", audit);
}

void Sessions::Refuse(const std::string& actor, const std::string& role, const std::string& reason,
                      const SessionOrigin& origin) {
  domain::AuditEvent audit = Event(actor, role, origin, "session.sign_in", "");
  audit.outcome = "refused";
  Poco::JSON::Object detail;
  detail.set("reason", reason);
  audit.detail_json = Stringify(detail);
  try {
    sessions_.RecordEvent(audit);
  } catch (const AppError&) {
    // The refusal stands even when its record cannot be written (the database is away).
  }
}

}  // namespace onboard::usecases
