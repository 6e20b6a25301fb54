#include <gtest/gtest.h>

#include <iostream>

#include "api_token.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "migrator.hpp"
#include "pool.hpp"
#include "evidence.hpp"
#include "test_support.hpp"
#include "repository.hpp"
#include "token_repository.hpp"

namespace onboard::testsupport {

std::unique_ptr<db::Connection> Connect(const std::string& url) {
  return std::make_unique<db::Connection>(url, 5);
}

void ExecSql(const std::string& url, const std::string& sql) { Connect(url)->ExecSimple(sql); }

std::optional<std::string> QueryScalar(const std::string& url, const std::string& sql) {
  auto conn = Connect(url);
  db::Result r = conn->ExecSimple(sql);
  if (r.rows() == 0) return std::nullopt;
  return r.Opt(0, 0);
}

int64_t QueryInt(const std::string& url, const std::string& sql) {
  auto v = QueryScalar(url, sql);
  if (!v) throw std::runtime_error("no value from: " + sql);
  return std::stoll(*v);
}

TempDatabase::TempDatabase(bool migrate) : admin_url_(RequireAdminUrl()) {
  name_ = "onboard_t_" + crypto::RandomFromAlphabet("abcdefghijklmnopqrstuvwxyz0123456789", 12);
  url_ = WithDatabase(admin_url_, name_);
  try {
    PhaseTimer timer("create database");
    ExecSql(admin_url_, "CREATE DATABASE " + name_);
  } catch (const AppError& e) {
    ADD_FAILURE() << "cannot create a test database through ONBOARD_TEST_ADMIN_URL: "
                  << e.internal();
    throw;
  }
  if (migrate) {
    try {
      PhaseTimer timer("migrate");
      auto conn = testsupport::Connect(url_);
      db::Migrate(*conn);
    } catch (...) {
      try {
        ExecSql(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      } catch (...) {
      }
      throw;
    }
  }
}

TempDatabase::~TempDatabase() {
  evidence::KeepTables(url_, name_);
  PhaseTimer timer("drop database");
  try {
    ExecSql(admin_url_, "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const AppError& e) {
    std::cerr << "warning: could not drop test database " << name_ << ": " << e.internal() << "\n";
  }
}

int64_t TempDatabase::AuditCount() const {
  return QueryInt(url_, "SELECT count(*) FROM audit_events");
}

db::ChainVerification TempDatabase::VerifyAudit() const {
  auto conn = Connect();
  return db::VerifyAuditChain(*conn);
}

TestToken CreateToken(const std::string& db_url, domain::Role role, std::string name,
                      std::optional<int> expires_in_days) {
  db::Pool pool(db_url, 1, 5000, 5);
  return CreateToken(pool, role, std::move(name), expires_in_days);
}

TestToken CreateToken(db::Pool& pool, domain::Role role, std::string name,
                      std::optional<int> expires_in_days) {
  if (name.empty())
    name = std::string(domain::RoleName(role)) + "-" + crypto::RandomFromAlphabet("abcdefghij", 8);
  db::TokenRepository tokens(pool);
  crypto::SecretString secret = domain::GenerateTokenSecret();
  evidence::RecordSecret(secret.reveal());
  domain::ApiToken token;
  token.id = crypto::NewUuid();
  token.name = name;
  token.role = role;
  token.prefix = domain::TokenDisplayPrefix(secret.reveal());
  token.created_by = "test-support";
  domain::AuditEvent audit;
  audit.actor.name = "test-support";
  audit.actor.role = "system";
  audit.action = "token.create";
  audit.target_type = "api_token";
  audit.target_id = token.id;
  db::AuditedWrite(pool, audit, [&](db::PgUnitOfWork& unit) {
    tokens.Create(unit, token, domain::HashToken(secret.reveal()), expires_in_days);
  });
  return TestToken{token.id, name, role, secret.reveal()};
}

}  // namespace onboard::testsupport
