#pragma once

#include <string>
#include <vector>

#include "pg.hpp"

namespace onboard::db {

/// Lock id for pg_advisory_lock so that instances starting together migrate one at a time.
inline constexpr long long kMigrationLock = 0x6f6e626f61726401LL;

struct MigrationStatus {
  std::vector<std::string> applied;  ///< versions applied by this call
  int total = 0;                     ///< migrations known to this binary
};

/// Applies every embedded migration (`migrations/NNNN_*.sql`) not yet recorded in
/// `schema_migrations`, in order, each in its own transaction, under an advisory lock.
/// Throws AppError if a recorded migration's checksum differs from the embedded file
/// (a landed migration was edited) or a migration fails (its transaction is rolled back).
MigrationStatus Migrate(Connection& conn);

/// True when every embedded migration is recorded (readiness check). Never throws for a
/// missing table: returns false.
bool MigrationsCurrent(Connection& conn);

/// Number of embedded migrations.
int EmbeddedMigrationCount();

}  // namespace onboard::db
