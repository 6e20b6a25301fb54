#include <Poco/JSON/Object.h>

#include <sstream>

#include "build_info.hpp"
#include "clock.hpp"
#include "codecs.hpp"
#include "common_codecs.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "metrics.hpp"
#include "migrator.hpp"
#include "notify_usecases.hpp"
#include "openapi_document.hpp"
#include "pool.hpp"

namespace onboard::http::handlers {

void HealthzGet(RequestContext& ctx, AppServices&) {
  Poco::JSON::Object body;
  body.set("status", "ok");
  WriteJson(ctx, 200, body);
}

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

void MetricsGet(RequestContext& ctx, AppServices& svc) {
  const db::PoolStats pool = svc.pool.Stats();
  std::ostringstream extra;
  extra << "# HELP onboard_db_pool_connections Database pool connections by state.\n"
        << "# TYPE onboard_db_pool_connections gauge\n"
        << "onboard_db_pool_connections{state=\"in_use\"} " << pool.in_use << "\n"
        << "onboard_db_pool_connections{state=\"idle\"} " << pool.idle << "\n"
        << "onboard_db_pool_connections{state=\"max\"} " << pool.max << "\n"
        << "# HELP onboard_db_pool_broken_total Connections dropped because they were broken.\n"
        << "# TYPE onboard_db_pool_broken_total counter\n"
        << "onboard_db_pool_broken_total " << pool.broken_dropped << "\n"
        << "# HELP onboard_db_pool_acquire_timeouts_total Requests that found no free connection "
           "in time.\n"
        << "# TYPE onboard_db_pool_acquire_timeouts_total counter\n"
        << "onboard_db_pool_acquire_timeouts_total " << pool.acquire_timeouts << "\n"
        << "# HELP onboard_build_info Build information.\n"
        << "# TYPE onboard_build_info gauge\n"
        << "onboard_build_info{version=\"" << kBuildVersion << "\",revision=\"" << kBuildRevision
        << "\"} 1\n";
  WriteBody(ctx, 200, "text/plain; version=0.0.4; charset=utf-8", svc.metrics.Render(extra.str()));
}

void OpenapiGet(RequestContext& ctx, AppServices&) {
  WriteBody(ctx, 200, "application/json", std::string(OpenapiDocument()));
}

// Test-only: shifts the notifications clock (reminders, digest, the courier's webhook windows)
// on every instance and courier of the database, so tests move time instead of waiting. 404
// unless testing.clock_control is set, as if the route did not exist.
void TestingClockPut(RequestContext& ctx, AppServices& svc) {
  if (!svc.config.notify.test_clock_control || svc.notify->clock_store == nullptr)
    throw AppError(ErrorCode::kNotFound, "not found");
  Poco::JSON::Object::Ptr body = ReadBody(ctx, svc);
  JsonFields f(*body);
  const auto offset = f.Int("offset_s", true, -100LL * 365 * 86400, 100LL * 365 * 86400);
  f.Finish("the clock offset is invalid");
  svc.notify->clock_store->Save(std::chrono::seconds(*offset));
  svc.notify->clock.SetOffset(std::chrono::seconds(*offset));
  Poco::JSON::Object out;
  out.set("offset_s", static_cast<int64_t>(svc.notify->clock.offset().count()));
  WriteJson(ctx, 200, out);
}

}  // namespace onboard::http::handlers
