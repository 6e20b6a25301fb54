#include "migrator.hpp"

#include <map>

#include "crypto.hpp"
#include "embedded_file.hpp"
#include "error.hpp"
#include "log.hpp"
#include "pool.hpp"

namespace onboard::db {

const std::vector<onboard::EmbeddedFile>& EmbeddedMigrations();

namespace {

std::string VersionOf(std::string_view file_name) {
  const auto underscore = file_name.find('_');
  return std::string(file_name.substr(0, underscore));
}

// Releases the session-level advisory lock even when a migration throws.
class SessionLock {
 public:
  explicit SessionLock(Connection& conn) : conn_(conn) {
    conn_.Exec("lock_migrations", {std::to_string(kMigrationLock)});
  }
  ~SessionLock() {
    try {
      if (!conn_.broken()) conn_.Exec("unlock_migrations", {std::to_string(kMigrationLock)});
    } catch (...) {
      conn_.MarkBroken();
    }
  }

 private:
  Connection& conn_;
};

}  // namespace

int EmbeddedMigrationCount() { return static_cast<int>(EmbeddedMigrations().size()); }

MigrationStatus Migrate(Connection& conn) {
  MigrationStatus status;
  status.total = EmbeddedMigrationCount();
  SessionLock lock(conn);
  conn.ExecSimple(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version text CONSTRAINT schema_migrations_pkey PRIMARY KEY,"
      " name text NOT NULL,"
      " checksum text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
  Result applied = conn.Exec("select_schema_migrations");
  std::map<std::string, std::string> checksums;
  for (int i = 0; i < applied.rows(); ++i) checksums[applied.Str(i, 0)] = applied.Str(i, 2);

  for (const auto& file : EmbeddedMigrations()) {
    const std::string version = VersionOf(file.name);
    const std::string checksum = crypto::Sha256Hex(file.content);
    if (auto it = checksums.find(version); it != checksums.end()) {
      if (it->second != checksum) {
        throw AppError(ErrorCode::kInternal, "migration checksum mismatch",
                       "migration " + std::string(file.name) +
                           " was edited after it was applied (checksum " + it->second +
                           " recorded, " + checksum + " embedded)");
      }
      continue;
    }
    Tx tx(conn);
    conn.ExecSimple(std::string(file.content));
    conn.Exec("insert_schema_migration", {version, std::string(file.name), checksum});
    tx.Commit();
    status.applied.push_back(std::string(file.name));
    Poco::JSON::Object f;
    f.set("migration", std::string(file.name));
    log::Info("migration applied", f);
  }
  return status;
}

bool MigrationsCurrent(Connection& conn) {
  try {
    Result r = conn.Exec("count_schema_migrations");
    return r.rows() == 1 && r.Int(0, 0) >= EmbeddedMigrationCount();
  } catch (const AppError& e) {
    if (e.code() == ErrorCode::kUnavailable) throw;
    return false;  // no schema_migrations table yet
  }
}

}  // namespace onboard::db
