#include "session_repository.hpp"

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "error.hpp"

namespace onboard::db {

namespace {

// Columns: id, method, actor, display_name, role, token_id, created_at, last_seen_at,
// expires_at (effective), absolute expires_at, ended_at
domain::Session SessionFromRow(const Result& r, int row) {
  domain::Session s;
  s.id = r.Str(row, 0);
  s.method = r.Str(row, 1);
  s.actor = r.Str(row, 2);
  s.display_name = r.Str(row, 3);
  s.role = domain::ParseRole(r.Get(row, 4)).value_or(domain::Role::kAuditor);
  s.token_id = r.Opt(row, 5);
  s.created_at = r.Str(row, 6);
  s.last_seen_at = r.Str(row, 7);
  s.expires_at = r.Str(row, 8);
  s.absolute_expires_at = r.Str(row, 9);
  s.ended_at = r.Opt(row, 10);
  return s;
}

}  // namespace

domain::Session SessionRepository::Open(const std::string& id, const domain::NewSession& session,
                                        const std::string& secret_hash,
                                        const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r = conn.Exec(
      "insert_session",
      {id, secret_hash, session.method, session.actor, session.display_name,
       std::string(domain::RoleName(session.role)), session.token_id,
       std::to_string(session.absolute_timeout_s), std::to_string(session.idle_timeout_s),
       session.source_ip.empty() ? std::nullopt : std::optional<std::string>(session.source_ip),
       session.user_agent.empty() ? std::nullopt : std::optional<std::string>(session.user_agent)});
  unit.Record(audit);
  unit.Commit();
  return SessionFromRow(r, 0);
}

std::optional<domain::SessionLookup> SessionRepository::FindBySecretHash(
    const std::string& secret_hash) {
  Lease lease = pool_.Acquire();
  Result r = lease->Exec("select_session_by_secret_hash",
                         {secret_hash, std::to_string(domain::kSessionTouchIntervalS)});
  if (r.rows() == 0) return std::nullopt;
  domain::SessionLookup out;
  out.session = SessionFromRow(r, 0);
  out.ended = r.Bool(0, 11);
  out.idle_expired = r.Bool(0, 12);
  out.absolute_expired = r.Bool(0, 13);
  out.token_unusable = r.Bool(0, 14);
  out.touch_due = r.Bool(0, 15);
  return out;
}

void SessionRepository::Touch(const std::string& id) {
  Lease lease = pool_.Acquire();
  lease->Exec("touch_session", {id});
}

bool SessionRepository::End(const std::string& id, const std::string& reason,
                            const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  Result r = conn.Exec("end_session", {id, reason});
  if (r.rows() == 0) return false;
  unit.Record(audit);
  unit.Commit();
  return true;
}

void SessionRepository::RecordEvent(const domain::AuditEvent& audit) {
  PgUnitOfWork unit(pool_);
  unit.Tx();
  unit.Record(audit);
  unit.Commit();
}

}  // namespace onboard::db
