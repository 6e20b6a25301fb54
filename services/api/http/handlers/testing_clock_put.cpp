#include "clock.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "codecs.hpp"
#include "notify_common.hpp"

namespace onboard::http::handlers {

using namespace notify_common;

// Test-only: shifts the notifications clock (reminders, digest, the courier's webhook windows)
// on every instance and courier of the database, so tests move time instead of waiting. 404
// unless testing.clock_control is set, as if the route did not exist.
void TestingClockPut(RequestContext& ctx, AppServices& svc) {
  if (!svc.config.notify.test_clock_control || svc.notify->clock_store == nullptr)
    throw AppError(ErrorCode::kNotFound, "not found");
  Poco::JSON::Object::Ptr body =
      ReadJsonObject(ctx, static_cast<std::size_t>(svc.config.http.max_body_bytes));
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
