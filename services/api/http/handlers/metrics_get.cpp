#include <sstream>

#include "build_info.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "metrics.hpp"
#include "pool.hpp"

namespace onboard::http::handlers {

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

}  // namespace onboard::http::handlers
