#include "authenticator.hpp"

#include <algorithm>

#include "error.hpp"
#include "orgno.hpp"

namespace onboard::http {

namespace {
bool Printable(const std::string& s) {
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}
}  // namespace

Caller Authenticator::Authenticate(const Poco::Net::HTTPServerRequest& request,
                                   PresentedToken* presented) {
  const std::string& header = request.get("Authorization", "");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), header.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      })) {
    throw AppError(ErrorCode::kUnauthenticated, "a bearer token is required", "", {},
                   "missing_token");
  }
  const std::string token = header.substr(kBearer.size());
  if (verifier_ != nullptr && !verifier_->empty() && token.rfind(domain::kTokenPrefix, 0) != 0 &&
      std::count(token.begin(), token.end(), '.') == 2) {
    return AuthenticateAccessToken(token, presented);
  }
  if (token.size() > 200 || token.rfind(domain::kTokenPrefix, 0) != 0) {
    throw AppError(ErrorCode::kUnauthenticated, "the bearer token is not valid", "malformed token",
                   {}, "invalid_token");
  }
  const std::string hash = domain::HashToken(token);
  const auto now = std::chrono::steady_clock::now();
  std::optional<domain::TokenLookup> still_valid;
  uint64_t generation = 0;
  std::optional<domain::TokenLookup> lookup = Cached(hash, now, &still_valid, &generation);
  if (!lookup) {
    bool served_cached = false;
    try {
      lookup = store_.FindByHash(hash);
    } catch (...) {
      if (!still_valid) throw;
      // The entry is still within its TTL: use it; a later request tries the reload again.
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = cache_.find(hash); it != cache_.end()) it->second.refreshing = false;
      lookup = still_valid;
      served_cached = true;
    }
    if (ttl_.count() > 0 && !served_cached) {
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
  }
  if (!lookup)
    throw AppError(ErrorCode::kUnauthenticated, "the bearer token is not valid", "unknown token",
                   {}, "invalid_token");
  if (presented != nullptr)
    *presented = {lookup->token.id, lookup->token.name,
                  std::string(domain::RoleName(lookup->token.role))};
  if (lookup->revoked) {
    throw AppError(ErrorCode::kUnauthenticated, "the bearer token is not valid",
                   "revoked token " + lookup->token.name, {}, "invalid_token");
  }
  if (lookup->expired) {
    throw AppError(ErrorCode::kUnauthenticated, "the bearer token has expired",
                   "expired token " + lookup->token.name, {}, "expired_token");
  }
  RecordUse(lookup->token.id, now);
  Caller caller;
  caller.token_id = lookup->token.id;
  caller.token_name = lookup->token.name;
  caller.role = lookup->token.role;
  if (caller.role == domain::Role::kPortal) {
    caller.portal_org = request.get("X-Onboard-Org", "");
    caller.portal_user = request.get("X-Onboard-User", "");
    std::vector<FieldError> errors;
    if (const auto& bound = lookup->token.organisation) {
      // A token bound to one organisation acts for it alone; the headers are optional.
      if (caller.portal_org.empty()) caller.portal_org = *bound;
      if (caller.portal_user.empty()) caller.portal_user = lookup->token.name;
      if (caller.portal_org != *bound) {
        throw AppError(ErrorCode::kForbidden, "this token acts only for organisation " + *bound, "",
                       {}, "organisation_mismatch");
      }
    } else if (!portal_header_trust_) {
      throw AppError(ErrorCode::kForbidden,
                     "this portal token is bound to no organisation, and the organisation is not "
                     "taken from a header here; use a bound token or an access token",
                     "unbound portal token " + lookup->token.name +
                         " refused (auth.portal_header_trust=false)",
                     {}, "unbound_portal_token");
    }
    if (!domain::IsValidOrgno(caller.portal_org)) {
      errors.push_back(
          {"X-Onboard-Org", "invalid_orgno", "portal calls must name a valid organisation number"});
    }
    if (caller.portal_user.empty() || caller.portal_user.size() > 200 ||
        !Printable(caller.portal_user)) {
      errors.push_back(
          {"X-Onboard-User", "required", "portal calls must name the acting portal user"});
    }
    if (!errors.empty()) {
      throw AppError(ErrorCode::kBadRequest,
                     "portal calls must send X-Onboard-Org and X-Onboard-User", "", errors,
                     "portal_headers_missing");
    }
  }
  return caller;
}

Caller Authenticator::AuthenticateAccessToken(const std::string& token,
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
  Caller caller;
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

std::optional<domain::TokenLookup> Authenticator::Cached(
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

void Authenticator::RecordUse(const std::string& token_id,
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

void Authenticator::Invalidate() {
  std::lock_guard<std::mutex> lock(mutex_);
  cache_.clear();
  ++generation_;
}

}  // namespace onboard::http
