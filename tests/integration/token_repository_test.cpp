#include <gtest/gtest.h>

#include "api_token.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "integration_helpers.hpp"
#include "repository.hpp"
#include "token_repository.hpp"

namespace onboard::testsupport {
namespace {

class Tokens : public DatabaseTest {
 protected:
  void SetUp() override {
    DatabaseTest::SetUp();
    if (HasFatalFailure()) return;
    repo_ = std::make_unique<db::TokenRepository>(*pool_);
  }
  void TearDown() override {
    repo_.reset();
    DatabaseTest::TearDown();
  }

  struct Made {
    domain::ApiToken token;
    std::string secret;
    std::string hash;
  };

  Made Make(const std::string& name, domain::Role role = domain::Role::kOperator,
            std::optional<int> days = std::nullopt) {
    Made m;
    m.secret = domain::GenerateTokenSecret().reveal();
    m.hash = domain::HashToken(m.secret);
    domain::ApiToken t;
    t.id = crypto::NewUuid();
    t.name = name;
    t.role = role;
    t.prefix = domain::TokenDisplayPrefix(m.secret);
    t.created_by = "integration-test";
    m.token = CreateIn(t, m.hash, days, Event("token.create", t.id));
    return m;
  }

  // The store's writes, each in a unit of work of its own that records `audit`.
  domain::ApiToken CreateIn(const domain::ApiToken& t, const std::string& hash,
                            std::optional<int> days, const domain::AuditEvent& audit) {
    return db::AuditedWrite(
        *pool_, audit, [&](db::PgUnitOfWork& unit) { return repo_->Create(unit, t, hash, days); });
  }
  domain::ApiToken RevokeIn(const std::string& id, const domain::AuditEvent& audit) {
    return db::AuditedWrite(*pool_, audit,
                            [&](db::PgUnitOfWork& unit) { return repo_->Revoke(unit, id); });
  }

  std::unique_ptr<db::TokenRepository> repo_;
};

TEST_F(Tokens, FindsACreatedTokenByTheHashOfItsSecret) {
  const Made m = Make("ci", domain::Role::kAuditor);
  EXPECT_EQ(m.token.name, "ci");
  EXPECT_EQ(m.token.role, domain::Role::kAuditor);
  EXPECT_EQ(m.token.prefix, m.secret.substr(0, 10));
  EXPECT_FALSE(m.token.expires_at);
  EXPECT_FALSE(m.token.revoked_at);
  const auto lookup = repo_->FindByHash(m.hash);
  ASSERT_TRUE(lookup);
  EXPECT_EQ(lookup->token.id, m.token.id);
  EXPECT_EQ(lookup->token.created_by, "integration-test");
  EXPECT_FALSE(lookup->expired);
  EXPECT_FALSE(lookup->revoked);
  EXPECT_EQ(db_->AuditCount(), 1);
}

TEST_F(Tokens, StoresOnlyTheHashNeverTheSecret) {
  const Made m = Make("ci");
  EXPECT_EQ(
      QueryInt(db_->url(), "SELECT count(*) FROM api_tokens WHERE token_hash = '" + m.hash + "'"),
      1);
  const std::string random_part = m.secret.substr(10);  // beyond the displayed prefix
  EXPECT_EQ(QueryInt(db_->url(), "SELECT count(*) FROM api_tokens t WHERE position('" +
                                     random_part + "' IN t::text) > 0"),
            0);
  EXPECT_EQ(QueryInt(db_->url(), "SELECT count(*) FROM audit_events a WHERE position('" +
                                     random_part + "' IN a::text) > 0"),
            0);
}

TEST_F(Tokens, FindsNothingForAnUnknownHash) {
  EXPECT_FALSE(repo_->FindByHash(domain::HashToken("onb_unknown")));
}

TEST_F(Tokens, ReportsATokenPastItsExpiryAsExpired) {
  const Made fresh = Make("fresh", domain::Role::kOperator, 30);
  ASSERT_TRUE(fresh.token.expires_at);
  EXPECT_FALSE(repo_->FindByHash(fresh.hash)->expired);
  const Made old = Make("old", domain::Role::kOperator, 1);
  ExecSql(db_->url(),
          "UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = '" +
              old.token.id + "'");
  EXPECT_TRUE(repo_->FindByHash(old.hash)->expired);
}

TEST_F(Tokens, RevokesATokenOnceAndAuditsIt) {
  const Made m = Make("ci");
  const auto revoked = RevokeIn(m.token.id, Event("token.revoke", m.token.id));
  EXPECT_TRUE(revoked.revoked_at);
  EXPECT_TRUE(repo_->FindByHash(m.hash)->revoked);
  EXPECT_EQ(db_->AuditCount(), 2);
  try {
    RevokeIn(m.token.id, Event("token.revoke", m.token.id));
    FAIL() << "revoked twice";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  EXPECT_EQ(db_->AuditCount(), 2);
}

TEST_F(Tokens, ReportsRevokingAnUnknownIdAsNotFound) {
  EXPECT_THROW(
      {
        try {
          RevokeIn(crypto::NewUuid(), Event("token.revoke"));
        } catch (const AppError& e) {
          EXPECT_EQ(e.code(), ErrorCode::kNotFound);
          throw;
        }
      },
      AppError);
}

TEST_F(Tokens, RefusesASecondActiveTokenWithTheSameNameButAllowsItAfterRevocation) {
  const Made first = Make("deploy");
  try {
    Make("deploy");
    FAIL() << "duplicate name accepted";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_EQ(e.code_name(), "token_name_taken");
    ASSERT_EQ(e.field_errors().size(), 1u);
    EXPECT_EQ(e.field_errors()[0].path, "name");
  }
  EXPECT_EQ(db_->AuditCount(), 1);
  RevokeIn(first.token.id, Event("token.revoke"));
  EXPECT_NO_THROW(Make("deploy"));
}

TEST_F(Tokens, ListsEveryTokenInCreationOrderIncludingRevokedOnes) {
  const Made a = Make("a");
  const Made b = Make("b");
  const Made c = Make("c");
  RevokeIn(b.token.id, Event("token.revoke"));
  const auto list = repo_->List();
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].id, a.token.id);
  EXPECT_EQ(list[1].id, b.token.id);
  EXPECT_TRUE(list[1].revoked_at);
  EXPECT_EQ(list[2].id, c.token.id);
}

TEST_F(Tokens, RecordsUseAtMostOncePerMinute) {
  const Made m = Make("ci");
  EXPECT_FALSE(repo_->FindByHash(m.hash)->token.last_used_at);
  repo_->TouchLastUsed(m.token.id);
  const auto first = repo_->FindByHash(m.hash)->token.last_used_at;
  ASSERT_TRUE(first);
  repo_->TouchLastUsed(m.token.id);
  EXPECT_EQ(repo_->FindByHash(m.hash)->token.last_used_at, first);
}

TEST_F(Tokens, CreatesNoTokenWhenTheAuditAppendFails) {
  domain::ApiToken t;
  t.id = crypto::NewUuid();
  t.name = "ci";
  t.prefix = "onb_abcdef";
  t.created_by = "test";
  auto audit = Event("token.create", t.id);
  audit.detail_json = "not json";
  EXPECT_THROW(CreateIn(t, domain::HashToken("onb_x"), std::nullopt, audit), AppError);
  EXPECT_TRUE(repo_->List().empty());
  EXPECT_EQ(db_->AuditCount(), 0);
}

TEST_F(Tokens, KeepsATokenActiveWhenTheAuditAppendOfItsRevocationFails) {
  const Made m = Make("ci");
  auto audit = Event("token.revoke", m.token.id);
  audit.detail_json = "not json";
  EXPECT_THROW(RevokeIn(m.token.id, audit), AppError);
  EXPECT_FALSE(repo_->FindByHash(m.hash)->revoked);
}

TEST(TokenCommand, PrintsAWorkingTokenOnceAndAuditsItsCreation) {
  TempDatabase db;
  const CliResult r = RunCli({"token", "create", "--role", "auditor", "--name", "cli-made"},
                             {{"ONBOARD_DATABASE_URL", db.url()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string token = r.out;
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  ASSERT_EQ(token.rfind("onb_", 0), 0u) << r.out;
  EXPECT_EQ(QueryScalar(db.url(), "SELECT role FROM api_tokens WHERE token_hash = '" +
                                      domain::HashToken(token) + "'"),
            "auditor");
  EXPECT_EQ(QueryScalar(db.url(), "SELECT action FROM audit_events"), "token.create");
  EXPECT_EQ(r.err.find(token), std::string::npos);
}

TEST(TokenCommand, RejectsAnUnknownRoleWithUsageExitCode) {
  TempDatabase db;
  const CliResult r = RunCli({"token", "create", "--role", "root", "--name", "x"},
                             {{"ONBOARD_DATABASE_URL", db.url()}});
  EXPECT_EQ(r.exit_code, 64);
  EXPECT_NE(r.err.find("--role"), std::string::npos) << r.err;
  EXPECT_EQ(QueryInt(db.url(), "SELECT count(*) FROM api_tokens"), 0);
}

}  // namespace
}  // namespace onboard::testsupport
