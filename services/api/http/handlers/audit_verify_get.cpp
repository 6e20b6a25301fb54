#include <Poco/NumberParser.h>

#include "audit_common.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "signer.hpp"

#include <limits>

namespace onboard::http::handlers {

// `from`/`to` are seq numbers (digits) or RFC 3339 times; a time range covers the events
// that occurred in [from, to).
void AuditVerifyGet(RequestContext& ctx, AppServices& svc) {
  const auto params = audit::QueryParams(ctx, {"from", "to"});
  std::vector<FieldError> errors;
  int64_t from_seq = 1, to_seq = 0;
  std::optional<int64_t> from_us, to_us;
  auto read = [&](const char* name, int64_t& seq, std::optional<int64_t>& us) {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty()) return;
    Poco::Int64 n = 0;
    if (it->second.find_first_not_of("0123456789") == std::string::npos &&
        Poco::NumberParser::tryParse64(it->second, n)) {
      seq = n;
    } else {
      us = audit::TimeParam(params, name, errors);
    }
  };
  read("from", from_seq, from_us);
  read("to", to_seq, to_us);
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "from and to must be seq numbers or RFC 3339 times", "",
                   errors);
  Poco::JSON::Object body;
  if (from_us || to_us) {
    const auto [lo, hi] = svc.audit_log.SeqRangeForTimes(from_us, to_us);
    if (from_us) from_seq = lo == 0 ? std::numeric_limits<int64_t>::max() : lo;
    if (to_us) to_seq = hi;
    if (lo == 0) {
      // No event in the time range: nothing to recompute.
      body = audit::ChainReportJson(domain::ChainReport{});
      body.set("range", "no events in the time range");
      WriteJson(ctx, 200, body);
      return;
    }
  }
  body = audit::ChainReportJson(svc.audit_log.Verify(from_seq, to_seq, svc.checkpoint_signer));
  body.set("signature_key_id", svc.checkpoint_signer != nullptr
                                   ? Poco::Dynamic::Var(svc.checkpoint_signer->key_id())
                                   : Poco::Dynamic::Var());
  WriteJson(ctx, 200, body);
}

}  // namespace onboard::http::handlers
