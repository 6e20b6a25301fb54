// Who a caller is (usecases/identity.*): the onboard token's checks, the portal's
// organisation and user, sessions, and which routes a caller may call; against an
// in-memory token store, no HTTP.
#include <gtest/gtest.h>

#include <map>

#include "error.hpp"
#include "identity.hpp"

namespace onboard::usecases {
namespace {

using namespace std::chrono_literals;

constexpr const char* kOrg = "974760673";

class MemoryTokens final : public domain::TokenStore {
 public:
  domain::ApiToken Create(domain::UnitOfWork&, const domain::ApiToken& token, const std::string&,
                          std::optional<int>) override {
    return token;
  }
  std::optional<domain::TokenLookup> FindByHash(const std::string& hash) override {
    ++finds;
    const auto it = by_hash.find(hash);
    if (it == by_hash.end()) return std::nullopt;
    return it->second;
  }
  std::vector<domain::ApiToken> List() override { return {}; }
  domain::ApiToken Revoke(domain::UnitOfWork&, const std::string&) override { return {}; }
  void TouchLastUsed(const std::string& id) override { touched.push_back(id); }

  // Adds a token and returns its secret.
  std::string Add(domain::Role role, std::optional<std::string> organisation = std::nullopt,
                  bool revoked = false, bool expired = false) {
    const std::string secret = "onb_token" + std::to_string(by_hash.size()) + "AAAAAAAAAAAAAAAA";
    domain::TokenLookup l;
    l.token.id = "id-" + std::to_string(by_hash.size());
    l.token.name = "name-" + std::to_string(by_hash.size());
    l.token.role = role;
    l.token.organisation = std::move(organisation);
    l.revoked = revoked;
    l.expired = expired;
    by_hash[domain::HashToken(secret)] = l;
    return secret;
  }

  std::map<std::string, domain::TokenLookup> by_hash;
  std::vector<std::string> touched;
  int finds = 0;
};

BearerCredentials Bearer(std::string token, std::string organisation = "", std::string user = "") {
  return {std::move(token), std::move(organisation), std::move(user)};
}

// The code of the AppError `f` throws, or "" when it throws none.
template <class F>
std::string RefusalCode(F f) {
  try {
    f();
  } catch (const AppError& e) {
    return e.code_name().empty() ? std::string(ErrorTitle(e.code())) : e.code_name();
  }
  return "";
}

TEST(Identity, AnOperatorTokenIsItsOwnCallerAndIgnoresThePortalHeaders) {
  MemoryTokens tokens;
  TokenAuthenticator auth(tokens, 0ms);
  const std::string secret = tokens.Add(domain::Role::kOperator);
  const Identity caller = auth.Authenticate(Bearer(secret, kOrg, "kari"));
  EXPECT_EQ(caller.token_id, "id-0");
  EXPECT_EQ(caller.token_name, "name-0");
  EXPECT_EQ(caller.role, domain::Role::kOperator);
  EXPECT_TRUE(caller.portal_org.empty());
  EXPECT_TRUE(caller.portal_user.empty());
  EXPECT_EQ(tokens.touched, std::vector<std::string>{"id-0"});
}

TEST(Identity, RefusesMalformedUnknownRevokedAndExpiredTokens) {
  MemoryTokens tokens;
  TokenAuthenticator auth(tokens, 0ms);
  const std::string revoked = tokens.Add(domain::Role::kOperator, std::nullopt, true);
  const std::string expired = tokens.Add(domain::Role::kOperator, std::nullopt, false, true);
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer("abc")); }), "invalid_token");
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer("onb_" + std::string(200, 'A'))); }),
            "invalid_token");
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer("onb_unknown")); }), "invalid_token");
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer(revoked)); }), "invalid_token");
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer(expired)); }), "expired_token");
  EXPECT_EQ(tokens.finds, 3);  // a malformed token never reaches the store
}

TEST(Identity, NamesARecognisedTokenEvenWhenItIsRefused) {
  MemoryTokens tokens;
  TokenAuthenticator auth(tokens, 0ms);
  const std::string revoked = tokens.Add(domain::Role::kAuditor, std::nullopt, true);
  PresentedToken presented;
  EXPECT_THROW(auth.Authenticate(Bearer(revoked), &presented), AppError);
  EXPECT_EQ(presented.id, "id-0");
  EXPECT_EQ(presented.role, "auditor");
}

TEST(Identity, AnUnboundPortalTokenActsForTheOrganisationAndUserItsHeadersName) {
  MemoryTokens tokens;
  TokenAuthenticator auth(tokens, 0ms);
  const std::string secret = tokens.Add(domain::Role::kPortal);
  const Identity caller = auth.Authenticate(Bearer(secret, kOrg, "kari"));
  EXPECT_EQ(caller.portal_org, kOrg);
  EXPECT_EQ(caller.portal_user, "kari");
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer(secret, "123", "kari")); }),
            "portal_headers_missing");
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer(secret, kOrg, "")); }),
            "portal_headers_missing");
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer(secret, kOrg, "kari\n")); }),
            "portal_headers_missing");
}

TEST(Identity, AnUnboundPortalTokenIsRefusedWhereHeadersAreNotTrusted) {
  MemoryTokens tokens;
  TokenAuthenticator auth(tokens, 0ms);
  auth.SetPortalHeaderTrust(false);
  const std::string secret = tokens.Add(domain::Role::kPortal);
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer(secret, kOrg, "kari")); }),
            "unbound_portal_token");
}

TEST(Identity, ABoundPortalTokenActsForItsOwnOrganisationAlone) {
  MemoryTokens tokens;
  TokenAuthenticator auth(tokens, 0ms);
  auth.SetPortalHeaderTrust(false);
  const std::string secret = tokens.Add(domain::Role::kPortal, kOrg);
  const Identity caller = auth.Authenticate(Bearer(secret));
  EXPECT_EQ(caller.portal_org, kOrg);
  EXPECT_EQ(caller.portal_user, "name-0");  // the token's name when no user header is sent
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer(secret, "910000002", "kari")); }),
            "organisation_mismatch");
}

TEST(Identity, AJwtShapedTokenIsMalformedWhenNoIssuerIsConfigured) {
  MemoryTokens tokens;
  TokenAuthenticator auth(tokens, 0ms);
  EXPECT_EQ(RefusalCode([&] { auth.Authenticate(Bearer("aaa.bbb.ccc")); }), "invalid_token");
  EXPECT_EQ(tokens.finds, 0);
}

TEST(Identity, ASessionCallerIsThePersonWithTheSessionsRole) {
  domain::Session session;
  session.id = "s-1";
  session.actor = "oidc:https://idp#42";
  session.display_name = "Kari Nordmann";
  session.role = domain::Role::kAuditor;
  const Identity caller = SessionIdentity(session);
  EXPECT_EQ(caller.token_id, "");
  EXPECT_EQ(caller.token_name, "oidc:https://idp#42");
  EXPECT_EQ(caller.role, domain::Role::kAuditor);
  EXPECT_EQ(caller.session_id, "s-1");
  EXPECT_EQ(caller.display_name, "Kari Nordmann");
  EXPECT_EQ(PresentedBy(caller).role, "auditor");
}

TEST(Identity, ARoleMayCallOnlyTheRoutesThatAllowIt) {
  Identity auditor;
  auditor.role = domain::Role::kAuditor;
  const unsigned operators = domain::RoleBit(domain::Role::kOperator);
  EXPECT_EQ(RefusalCode([&] {
              RequireRouteAccess(auditor, operators | domain::RoleBit(domain::Role::kAuditor),
                                 domain::Permission::kNone, "GET /x");
            }),
            "");
  try {
    RequireRouteAccess(auditor, operators, domain::Permission::kNone, "POST /v1/tokens");
    FAIL() << "no refusal";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_EQ(e.detail(), "the auditor role may not call POST /v1/tokens");
  }
}

TEST(Identity, AnAccessTokenCallsOnlyRoutesWhosePermissionItsScopesGrant) {
  Identity token;
  token.role = domain::Role::kPortal;
  token.access_token = true;
  token.permissions = domain::Bit(domain::Permission::kClientsRead);
  const unsigned any = 0xF;
  EXPECT_EQ(RefusalCode([&] {
              RequireRouteAccess(token, any, domain::Permission::kNone, "GET /v1/tokens");
            }),
            "access_token_not_allowed");
  EXPECT_EQ(
      RefusalCode([&] { RequireRouteAccess(token, any, domain::Permission::kClientsRead, "r"); }),
      "");
  EXPECT_EQ(
      RefusalCode([&] { RequireRouteAccess(token, any, domain::Permission::kClientsCreate, "w"); }),
      "insufficient_scope");
  token.supplier = true;
  EXPECT_EQ(
      RefusalCode([&] { RequireRouteAccess(token, any, domain::Permission::kClientsCreate, "w"); }),
      "");
}

}  // namespace
}  // namespace onboard::usecases
