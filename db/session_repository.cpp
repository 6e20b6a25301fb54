#include "session_repository.hpp"

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "error.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

// Columns: id, method, actor, display_name, role, token_id, created_at, last_seen_at,
// expires_at (effective), absolute expires_at, ended_at
domain::Session SessionFromRow(const Result& r, int row) {
  domain::Session s;
  ReadColumns(r, row, 0, s.id, s.method, s.actor, s.display_name,
              Parsed(s.role, domain::ParseRole, domain::Role::kAuditor), s.token_id, s.created_at,
              s.last_seen_at, s.expires_at, s.absolute_expires_at, s.ended_at);
  return s;
}

}  // namespace

domain::Session SessionRepository::Open(const std::string& id, const domain::NewSession& session,
                                        const std::string& secret_hash,
                                        const domain::AuditEvent& audit) {
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    return SessionFromRow(
        conn.Exec(
            "insert_session",
            {id, secret_hash, session.method, session.actor, session.display_name,
             std::string(domain::RoleName(session.role)), session.token_id,
             std::to_string(session.absolute_timeout_s), std::to_string(session.idle_timeout_s),
             NullIfEmpty(session.source_ip), NullIfEmpty(session.user_agent)}),
        0);
  });
}

std::optional<domain::SessionLookup> SessionRepository::FindBySecretHash(
    const std::string& secret_hash) {
  return FindRow(pool_, "select_session_by_secret_hash",
                 {secret_hash, std::to_string(domain::kSessionTouchIntervalS)},
                 [](const Result& r, int row) {
                   domain::SessionLookup out;
                   out.session = SessionFromRow(r, row);
                   ReadColumns(r, row, 11, out.ended, out.idle_expired, out.absolute_expired,
                               out.token_unusable, out.touch_due);
                   return out;
                 });
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
  AuditedWrite(pool_, audit, [](Connection&) {});
}

}  // namespace onboard::db
