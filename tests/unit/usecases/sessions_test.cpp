// usecases::Sessions with in-memory stores: who may sign in, what is audited, how a cookie
// is resolved (timeouts, CSRF), sign-out.
#include "sessions.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <stdexcept>
#include <vector>

#include "../thrown.hpp"
#include "error.hpp"
#include "oidc_sign_in.hpp"

namespace onboard::usecases {
namespace {

class FakeTokens : public domain::TokenStore {
 public:
  std::map<std::string, domain::TokenLookup> by_hash;
  void Add(const std::string& secret, const std::string& name, domain::Role role,
           bool revoked = false, bool expired = false) {
    domain::TokenLookup l;
    l.token.id = "id-" + name;
    l.token.name = name;
    l.token.role = role;
    l.revoked = revoked;
    l.expired = expired;
    by_hash[domain::HashToken(secret)] = l;
  }
  domain::ApiToken Create(domain::UnitOfWork&, const domain::ApiToken& t, const std::string&,
                          std::optional<int>) override {
    return t;
  }
  std::optional<domain::TokenLookup> FindByHash(const std::string& hash) override {
    auto it = by_hash.find(hash);
    if (it == by_hash.end()) return std::nullopt;
    return it->second;
  }
  std::vector<domain::ApiToken> List() override { return {}; }
  domain::ApiToken Revoke(domain::UnitOfWork&, const std::string&) override { return {}; }
  void TouchLastUsed(const std::string&) override {}
};

class FakeSessions : public domain::SessionStore {
 public:
  std::map<std::string, domain::SessionLookup> by_hash;
  std::vector<domain::AuditEvent> events;
  int touches = 0;
  domain::Session Open(const std::string& id, const domain::NewSession& n, const std::string& hash,
                       const domain::AuditEvent& audit) override {
    domain::SessionLookup l;
    l.session.id = id;
    l.session.method = n.method;
    l.session.actor = n.actor;
    l.session.display_name = n.display_name;
    l.session.role = n.role;
    l.session.token_id = n.token_id;
    by_hash[hash] = l;
    events.push_back(audit);
    return l.session;
  }
  std::optional<domain::SessionLookup> FindBySecretHash(const std::string& hash) override {
    auto it = by_hash.find(hash);
    if (it == by_hash.end()) return std::nullopt;
    return it->second;
  }
  void Touch(const std::string&) override { ++touches; }
  bool End(const std::string& id, const std::string&, const domain::AuditEvent& audit) override {
    for (auto& [h, l] : by_hash)
      if (l.session.id == id) l.ended = true;
    events.push_back(audit);
    return true;
  }
  void RecordEvent(const domain::AuditEvent& audit) override { events.push_back(audit); }
};

const std::string kOp = "onb_operatortokenoperatortokenoperatortoken12";
const std::string kPortal = "onb_portaltokenportaltokenportaltokenportal1";

class SessionsUseCase : public ::testing::Test {
 protected:
  void SetUp() override {
    tokens.Add(kOp, "kari", domain::Role::kOperator);
    tokens.Add(kPortal, "portal", domain::Role::kPortal);
  }
  ErrorCode CodeOf(const std::function<void()>& f) {
    try {
      f();
    } catch (const AppError& e) {
      return e.code();
    }
    return ErrorCode::kInternal;
  }
  FakeTokens tokens;
  FakeSessions store;
  Sessions sessions{store, tokens, {1800, 43200}};
  SessionOrigin origin{"req-1", "127.0.0.1", "test"};
};

TEST_F(SessionsUseCase, AnOperatorTokenOpensASessionWhoseActorIsTheTokensName) {
  OpenedSession s = sessions.SignInWithToken(kOp, origin);
  EXPECT_TRUE(domain::LooksLikeSessionSecret(s.secret.reveal()));
  EXPECT_EQ(s.session.actor, "kari");
  EXPECT_EQ(s.csrf_token, domain::CsrfTokenFor(s.secret.reveal()));
  ASSERT_EQ(store.events.size(), 1u);
  EXPECT_EQ(store.events[0].action, "session.sign_in");
  EXPECT_EQ(store.events[0].outcome, "success");
  EXPECT_EQ(store.events[0].detail_json.find(s.secret.reveal()), std::string::npos);
  EXPECT_EQ(store.events[0].detail_json.find(s.csrf_token), std::string::npos);
  EXPECT_EQ(store.by_hash.count(domain::HashSessionSecret(s.secret.reveal())), 1u);
}

TEST_F(SessionsUseCase, PortalAndUnknownTokensAreRefusedAndTheRefusalIsAudited) {
  EXPECT_EQ(CodeOf([&] { sessions.SignInWithToken(kPortal, origin); }), ErrorCode::kForbidden);
  EXPECT_EQ(CodeOf([&] { sessions.SignInWithToken("onb_nobody", origin); }),
            ErrorCode::kUnauthenticated);
  ASSERT_EQ(store.events.size(), 2u);
  EXPECT_EQ(store.events[0].outcome, "refused");
  EXPECT_NE(store.events[0].detail_json.find("role_not_allowed"), std::string::npos);
  EXPECT_NE(store.events[1].detail_json.find("unknown_token"), std::string::npos);
  EXPECT_TRUE(store.by_hash.empty());
}

TEST_F(SessionsUseCase, RevokedAndExpiredOperatorTokensAreRefusedAndTheRefusalIsAudited) {
  const std::string revoked = "onb_revokedtokenrevokedtokenrevokedtoken1234";
  const std::string expired = "onb_expiredtokenexpiredtokenexpiredtoken1234";
  tokens.Add(revoked, "gone", domain::Role::kOperator, true);
  tokens.Add(expired, "old", domain::Role::kOperator, false, true);
  const AppError r = testsupport::Thrown([&] { sessions.SignInWithToken(revoked, origin); });
  EXPECT_EQ(r.code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(r.code_name(), "invalid_token");
  const AppError e = testsupport::Thrown([&] { sessions.SignInWithToken(expired, origin); });
  EXPECT_EQ(e.code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(e.code_name(), "expired_token");
  ASSERT_EQ(store.events.size(), 2u);
  EXPECT_EQ(store.events[0].outcome, "refused");
  EXPECT_NE(store.events[0].detail_json.find("revoked_token"), std::string::npos);
  EXPECT_EQ(store.events[1].outcome, "refused");
  EXPECT_NE(store.events[1].detail_json.find("expired_token"), std::string::npos);
  EXPECT_TRUE(store.by_hash.empty());
}

TEST_F(SessionsUseCase, NoTokenSignsInWhereTokenSignInIsTurnedOff) {
  Sessions oidc_only{store, tokens, {1800, 43200, false}};
  const AppError e = testsupport::Thrown([&] { oidc_only.SignInWithToken(kOp, origin); });
  EXPECT_EQ(e.code(), ErrorCode::kForbidden);
  EXPECT_EQ(e.code_name(), "sign_in_method_not_offered");
  EXPECT_TRUE(store.events.empty());
  EXPECT_TRUE(store.by_hash.empty());
}

TEST_F(SessionsUseCase, AnUnsafeRequestNeedsTheSessionsOwnCsrfToken) {
  OpenedSession a = sessions.SignInWithToken(kOp, origin);
  OpenedSession b = sessions.SignInWithToken(kOp, origin);
  EXPECT_NO_THROW(sessions.Resolve(a.secret.reveal(), false, ""));
  EXPECT_EQ(CodeOf([&] { sessions.Resolve(a.secret.reveal(), true, ""); }), ErrorCode::kForbidden);
  EXPECT_EQ(CodeOf([&] { sessions.Resolve(a.secret.reveal(), true, b.csrf_token); }),
            ErrorCode::kForbidden);
  EXPECT_NO_THROW(sessions.Resolve(a.secret.reveal(), true, a.csrf_token));
}

TEST_F(SessionsUseCase, EndedExpiredAndTokenlessSessionsAre401AndUseMovesTheIdleClock) {
  OpenedSession s = sessions.SignInWithToken(kOp, origin);
  auto& row = store.by_hash[domain::HashSessionSecret(s.secret.reveal())];
  row.touch_due = true;
  sessions.Resolve(s.secret.reveal(), false, "");
  EXPECT_EQ(store.touches, 1);
  for (bool domain::SessionLookup::*flag :
       {&domain::SessionLookup::idle_expired, &domain::SessionLookup::absolute_expired,
        &domain::SessionLookup::token_unusable, &domain::SessionLookup::ended}) {
    row.*flag = true;
    EXPECT_EQ(CodeOf([&] { sessions.Resolve(s.secret.reveal(), false, ""); }),
              ErrorCode::kUnauthenticated);
    row.*flag = false;
  }
  EXPECT_EQ(CodeOf([&] { sessions.Resolve("onbs_short", false, ""); }),
            ErrorCode::kUnauthenticated);
}

TEST_F(SessionsUseCase, SignOutEndsTheSessionAndIsAudited) {
  OpenedSession s = sessions.SignInWithToken(kOp, origin);
  sessions.SignOut(s.session, origin);
  EXPECT_EQ(store.events.back().action, "session.sign_out");
  EXPECT_EQ(CodeOf([&] { sessions.Resolve(s.secret.reveal(), false, ""); }),
            ErrorCode::kUnauthenticated);
}

TEST_F(SessionsUseCase, AnotherSignInMethodOpensASessionForAPersonButNotForAPortalRole) {
  PersonSignIn person;
  person.actor = "oidc:https://idp.example#248289761001";
  person.display_name = "Kari Nordmann";
  OpenedSession s = sessions.OpenForPerson(person, origin);
  EXPECT_EQ(s.session.method, "oidc");
  EXPECT_EQ(s.session.actor, person.actor);
  EXPECT_FALSE(s.session.token_id);
  person.role = domain::Role::kPortal;
  EXPECT_EQ(CodeOf([&] { sessions.OpenForPerson(person, origin); }), ErrorCode::kForbidden);
}

// The OpenID Connect ports are never reached: only whether the sign-in is offered is asked.
class UnusedFlows : public domain::OidcFlowStore {
 public:
  void Create(const domain::OidcFlow&, int) override { ADD_FAILURE() << "no flow expected"; }
  std::optional<domain::TakenOidcFlow> Take(const std::string&) override { return std::nullopt; }
};

class UnusedProvider : public domain::OidcProviderPort {
 public:
  std::string AuthorizationEndpoint() override { return "https://idp.test/authorize"; }
  std::optional<std::string> EndSessionEndpoint() override { return std::nullopt; }
  domain::OidcTokenAnswer ExchangeCode(const std::string&, const std::string&,
                                       const std::string&) override {
    throw std::logic_error("no code exchange expected");
  }
  domain::IssuerKeys& Keys() override { throw std::logic_error("no keys expected"); }
};

TEST_F(SessionsUseCase, SingleSignOnRunsOnlyWhereItIsConfiguredAndOffered) {
  UnusedFlows flows;
  UnusedProvider provider;
  OidcSignInPolicy policy;
  OidcSignIn offered(flows, provider, sessions, store, policy);
  EXPECT_EQ(&OfferedOidcSignIn(&offered), &offered);
  policy.offered = false;  // oidc.issuer configured, session.sign_in_methods without oidc
  OidcSignIn configured_only(flows, provider, sessions, store, policy);
  for (OidcSignIn* oidc : {&configured_only, static_cast<OidcSignIn*>(nullptr)}) {
    try {
      OfferedOidcSignIn(oidc);
      ADD_FAILURE() << "expected sign_in_method_not_offered";
    } catch (const AppError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kConflict);
      EXPECT_EQ(e.code_name(), "sign_in_method_not_offered");
    }
  }
}

}  // namespace
}  // namespace onboard::usecases
