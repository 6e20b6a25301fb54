#include "repository.hpp"

namespace onboard::db {

Result ExecRefusing(Connection& conn, std::string_view statement, const Params& params,
                    const std::vector<Refusal>& refusals) {
  try {
    return conn.Exec(statement, params);
  } catch (const AppError& e) {
    if (e.code() != ErrorCode::kConflict) throw;
    for (const Refusal& refusal : refusals) {
      if (e.code_name() != refusal.constraint) continue;
      throw AppError(refusal.code, refusal.detail, e.internal(), refusal.field_errors,
                     refusal.code_name);
    }
    throw;
  }
}

Result ExecExpectingRow(Connection& conn, std::string_view statement, const Params& params,
                        const std::string& not_found) {
  Result r = conn.Exec(statement, params);
  if (r.rows() == 0) throw AppError(ErrorCode::kNotFound, not_found);
  return r;
}

void ThrowMissingOrStale(Connection& conn, std::string_view select_statement, const std::string& id,
                         const std::string& not_found, const std::string& stale) {
  if (conn.Exec(select_statement, {id}).rows() == 0)
    throw AppError(ErrorCode::kNotFound, not_found);
  throw AppError(ErrorCode::kPreconditionFailed, stale, "", {}, "version_mismatch");
}

}  // namespace onboard::db
