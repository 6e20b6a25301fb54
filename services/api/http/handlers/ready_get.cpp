#include <Poco/JSON/Object.h>

#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "migrator.hpp"
#include "pool.hpp"

namespace onboard::http::handlers {

void ReadyzGet(RequestContext& ctx, AppServices& svc) {
  db::Lease lease =
      svc.pool.Acquire();  // throws kUnavailable (503 + Retry-After) when the DB is down
  if (!db::MigrationsCurrent(*lease)) {
    throw AppError(ErrorCode::kUnavailable, "database migrations are not current", "", {},
                   "migrations_pending");
  }
  Poco::JSON::Object body;
  body.set("status", "ready");
  body.set("migrations", db::EmbeddedMigrationCount());
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
