#include "identity.hpp"

#include <algorithm>

#include "error.hpp"
#include "orgno.hpp"

namespace onboard::usecases {

namespace {

bool PrintableIdentityText(const std::string& s) {
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

AppError InvalidToken(std::string internal) {
  return AppError(ErrorCode::kUnauthenticated, "the bearer token is not valid", std::move(internal),
                  {}, "invalid_token");
}

// A three-part JWS rather than an onboard token: the access-token path.
bool LooksLikeAccessToken(const std::string& token) {
  return token.rfind(domain::kTokenPrefix, 0) != 0 &&
         std::count(token.begin(), token.end(), '.') == 2;
}

}  // namespace

Identity TokenAuthenticator::Authenticate(const BearerCredentials& credentials,
                                          PresentedToken* presented) {
  const std::string& token = credentials.token;
  if (verifier_ != nullptr && !verifier_->empty() && LooksLikeAccessToken(token)) {
    return AuthenticateAccessToken(token, presented);
  }
  if (token.size() > 200 || token.rfind(domain::kTokenPrefix, 0) != 0) {
    throw InvalidToken("malformed token");
  }
  const auto now = std::chrono::steady_clock::now();
  const domain::TokenLookup lookup = Lookup(token, now);
  if (presented != nullptr)
    *presented = {lookup.token.id, lookup.token.name,
                  std::string(domain::RoleName(lookup.token.role))};
  if (lookup.revoked) throw InvalidToken("revoked token " + lookup.token.name);
  if (lookup.expired) {
    throw AppError(ErrorCode::kUnauthenticated, "the bearer token has expired",
                   "expired token " + lookup.token.name, {}, "expired_token");
  }
  RecordUse(lookup.token.id, now);
  Identity caller;
  caller.token_id = lookup.token.id;
  caller.token_name = lookup.token.name;
  caller.role = lookup.token.role;
  if (caller.role == domain::Role::kPortal) ActForOrganisation(caller, lookup.token, credentials);
  return caller;
}

domain::TokenLookup TokenAuthenticator::Lookup(const std::string& token,
                                               std::chrono::steady_clock::time_point now) {
  const std::string hash = domain::HashToken(token);
  std::optional<domain::TokenLookup> still_valid;
  uint64_t generation = 0;
  std::optional<domain::TokenLookup> lookup = Cached(hash, now, &still_valid, &generation);
  if (!lookup) {
    try {
      lookup = store_.FindByHash(hash);
    } catch (...) {
      if (!still_valid) throw;
      // The entry is still within its TTL: use it; a later request tries the reload again.
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = cache_.find(hash); it != cache_.end()) it->second.refreshing = false;
      return *still_valid;
    }
    Store(hash, lookup, now, generation);
  }
  if (!lookup) throw InvalidToken("unknown token");
  return *lookup;
}

void TokenAuthenticator::Store(const std::string& hash,
                               const std::optional<domain::TokenLookup>& lookup,
                               std::chrono::steady_clock::time_point now, uint64_t generation) {
  if (ttl_.count() <= 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = cache_.find(hash);
  if (generation != generation_) {
    if (it != cache_.end()) it->second.refreshing = false;
  } else if (lookup) {
    if (cache_.size() > 10000) cache_.clear();
    cache_[hash] = Entry{*lookup, now};
  } else if (it != cache_.end()) {
    cache_.erase(it);  // the token is gone from the database
  }
}

void TokenAuthenticator::ActForOrganisation(Identity& caller, const domain::ApiToken& token,
                                            const BearerCredentials& credentials) const {
  caller.portal_org = credentials.organisation;
  caller.portal_user = credentials.user;
  if (const auto& bound = token.organisation) {
    // A token bound to one organisation acts for it alone; the headers are optional.
    if (caller.portal_org.empty()) caller.portal_org = *bound;
    if (caller.portal_user.empty()) caller.portal_user = token.name;
    if (caller.portal_org != *bound) {
      throw AppError(ErrorCode::kForbidden, "this token acts only for organisation " + *bound, "",
                     {}, "organisation_mismatch");
    }
  } else if (!portal_header_trust_) {
    throw AppError(
        ErrorCode::kForbidden,
        "this portal token is bound to no organisation, and the organisation is not "
        "taken from a header here; use a bound token or an access token",
        "unbound portal token " + token.name + " refused (auth.portal_header_trust=false)", {},
        "unbound_portal_token");
  }
  std::vector<FieldError> errors;
  if (!domain::IsValidOrgno(caller.portal_org)) {
    errors.push_back(
        {"X-Onboard-Org", "invalid_orgno", "portal calls must name a valid organisation number"});
  }
  if (caller.portal_user.empty() || caller.portal_user.size() > 200 ||
      !PrintableIdentityText(caller.portal_user)) {
    errors.push_back(
        {"X-Onboard-User", "required", "portal calls must name the acting portal user"});
  }
  if (!errors.empty()) {
    throw AppError(ErrorCode::kBadRequest,
                   "portal calls must send X-Onboard-Org and X-Onboard-User", "", errors,
                   "portal_headers_missing");
  }
}

Identity TokenAuthenticator::AuthenticateAccessToken(const std::string& token,
                                                     PresentedToken* presented) const {
  const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  domain::Grant grant;
  try {
    grant = verifier_->Verify(token, now);
  } catch (const domain::jwt::Refused& e) {
    // The reason names claims and issuers, never the token itself.
    throw AppError(ErrorCode::kUnauthenticated, "the access token is not valid", e.what(), {},
                   "invalid_token");
  }
  Identity caller;
  caller.token_name = grant.issuer_name + ":" + grant.client_id;
  caller.role = domain::Role::kPortal;
  caller.portal_org = grant.orgno;
  caller.portal_user = grant.client_id;
  caller.access_token = true;
  caller.permissions = grant.permissions;
  caller.supplier = grant.supplier;
  caller.scopes = std::move(grant.scopes);
  if (presented != nullptr) *presented = {"", caller.token_name, "access_token"};
  return caller;
}

std::optional<domain::TokenLookup> TokenAuthenticator::Cached(
    const std::string& hash, std::chrono::steady_clock::time_point now,
    std::optional<domain::TokenLookup>* still_valid, uint64_t* generation) {
  std::lock_guard<std::mutex> lock(mutex_);
  *generation = generation_;
  auto it = cache_.find(hash);
  if (it == cache_.end() || now - it->second.fetched >= ttl_) return std::nullopt;
  if (now - it->second.fetched < ttl_ / 2 || it->second.refreshing) return it->second.lookup;
  // Past half its life: this request reloads it, the others go on using it meanwhile.
  it->second.refreshing = true;
  *still_valid = it->second.lookup;
  return std::nullopt;
}

void TokenAuthenticator::RecordUse(const std::string& token_id,
                                   std::chrono::steady_clock::time_point now) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = last_touch_.find(token_id);
    if (it != last_touch_.end() && now - it->second < std::chrono::minutes(1)) return;
    if (last_touch_.size() > 10000) last_touch_.clear();
    last_touch_[token_id] = now;
  }
  try {
    store_.TouchLastUsed(token_id);
  } catch (const AppError&) {
    // Bookkeeping only: a request is never refused because last_used_at could not be written.
  }
}

void TokenAuthenticator::Invalidate() {
  InvalidateLocal();
  if (publish_) publish_("tokens");
}

void TokenAuthenticator::InvalidateLocal() {
  std::lock_guard<std::mutex> lock(mutex_);
  cache_.clear();
  ++generation_;
}

Identity SessionIdentity(const domain::Session& session) {
  Identity caller;
  caller.token_id = session.token_id.value_or("");
  caller.token_name = session.actor;
  caller.role = session.role;
  caller.session_id = session.id;
  caller.display_name = session.display_name;
  return caller;
}

PresentedToken PresentedBy(const Identity& caller) {
  return {caller.token_id, caller.token_name, std::string(domain::RoleName(caller.role))};
}

void RequireRouteAccess(const Identity& caller, unsigned roles, domain::Permission permission,
                        const std::string& route) {
  if (!caller.access_token) {
    if ((roles & domain::RoleBit(caller.role)) != 0) return;
    throw AppError(ErrorCode::kForbidden, "the " + std::string(domain::RoleName(caller.role)) +
                                              " role may not call " + route);
  }
  // An access token calls a route that names a permission its scopes grant, or any such
  // route with idporten:dcr.supplier (the client it touches must then be one it supplies).
  if (permission == domain::Permission::kNone) {
    throw AppError(ErrorCode::kForbidden, "access tokens may not call " + route, "", {},
                   "access_token_not_allowed");
  }
  if ((caller.permissions & domain::Bit(permission)) != 0 || caller.supplier) return;
  throw AppError(ErrorCode::kForbidden,
                 "this operation needs the scope " + domain::ScopesGranting(permission), "", {},
                 "insufficient_scope");
}

}  // namespace onboard::usecases
