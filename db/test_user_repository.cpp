#include "test_user_repository.hpp"

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "error.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

// A fresh synthetic number collides with the pool only by chance; this many draws in a
// row that are all taken means the generator or the pool is broken.
constexpr int kMaxDrawsPerNumber = 100;

// Columns: pid, organisation, allocated_at, allocated_by, released_at ('' when active),
// released_by ('' when active).
domain::TestUser TestUserFromRow(const Result& r, int row) {
  domain::TestUser u;
  ReadColumns(r, row, 0, u.pid, u.organisation, u.allocated_at, u.allocated_by, u.released_at,
              u.released_by);
  return u;
}

std::vector<domain::TestUser> ListOn(Connection& conn, const std::string& orgno,
                                     bool include_released) {
  return RowsOf(conn.Exec("list_test_users", {orgno, include_released ? "true" : "false"}),
                TestUserFromRow);
}

}  // namespace

std::vector<domain::TestUser> TestUserRepository::List(const std::string& orgno,
                                                       bool include_released) {
  Lease lease = pool_.Acquire();
  return ListOn(*lease, orgno, include_released);
}

domain::TestUserAllocation TestUserRepository::Allocate(
    const std::string& orgno, int requested, const std::string& allocated_by,
    const std::function<std::string()>& generate, const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  if (conn.Exec("lock_test_user_organisation", {orgno}).rows() == 0) {
    throw AppError(ErrorCode::kNotFound, "no such organisation");
  }
  domain::TestUserAllocation out;
  const int active = static_cast<int>(ListOn(conn, orgno, false).size());
  const int shortfall = domain::TestUserShortfall(active, requested);
  for (int n = 0; n < shortfall; ++n) {
    bool stored = false;
    for (int draw = 0; draw < kMaxDrawsPerNumber && !stored; ++draw) {
      const std::string pid = generate();
      // ON CONFLICT DO NOTHING: a number already in the pool (any organisation, active or
      // released) yields no row and is simply drawn again.
      if (conn.Exec("insert_test_user", {pid, orgno, allocated_by}).rows() == 1) {
        out.created.push_back(pid);
        stored = true;
      }
    }
    if (!stored) {
      throw AppError(
          ErrorCode::kInternal, "internal error",
          "no free synthetic number after " + std::to_string(kMaxDrawsPerNumber) + " draws");
    }
  }
  if (!out.created.empty()) {
    domain::AuditEvent event = audit;
    event.detail_json = domain::AllocationAuditDetail(requested, out.created);
    out.active = ListOn(conn, orgno, false);
    unit.Record(event);
    unit.Commit();
  } else {
    out.active = ListOn(conn, orgno, false);
  }
  return out;
}

std::optional<domain::TestUser> TestUserRepository::Release(const std::string& orgno,
                                                            const std::string& pid,
                                                            const std::string& released_by,
                                                            const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result released = conn.Exec("release_test_user", {orgno, pid, released_by});
  if (released.rows() == 0) {
    Result existing = conn.Exec("select_test_user", {orgno, pid});
    if (existing.rows() == 0) return std::nullopt;
    return TestUserFromRow(existing, 0);  // already released: nothing to change or audit
  }
  unit.Record(audit);
  unit.Commit();
  return TestUserFromRow(released, 0);
}

}  // namespace onboard::db
