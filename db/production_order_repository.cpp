#include "production_order_repository.hpp"

#include "secret_repository.hpp"

#include <limits>
#include <stdexcept>

#include "audit_store.hpp"
#include "pg_unit_of_work.hpp"
#include "client_repository.hpp"
#include "error.hpp"
#include "repository.hpp"

namespace onboard::db {

namespace {

domain::ProductionOrder OrderFromRow(const Result& r, int row) {
  domain::ProductionOrder o;
  ReadColumns(
      r, row, 0, o.id, o.onboarding_id, o.organisation, o.test_client_id,
      Parsed(o.state, domain::OrderStateFromString, domain::OrderState::kDraft),
      Parsed(o.delivery_method, domain::DeliveryMethodFromString, domain::DeliveryMethod::kSmsZip),
      o.delivery_mobile, o.delivery_email, o.proposed_metadata_json, o.metadata_diff_json,
      o.validation_errors_json, o.notes, o.entered_by, o.entered_by_role, o.entered_by_portal_user,
      o.submitted_at, o.decided_at, o.decided_by, o.decision_reason, o.production_client_id,
      o.version, o.created_at, o.updated_at, o.age_seconds);
  return o;
}

std::string OnboardingStateFor(domain::OrderState s) {
  switch (s) {
    case domain::OrderState::kSubmitted:
      return "production_ordered";
    case domain::OrderState::kApproved:
      return "in_production";
    default:
      return "open";
  }
}

Result UpdateState(Connection& conn, const domain::ProductionOrder& o, int expected_version,
                   const std::optional<std::string>& production_client_id) {
  Result r = conn.Exec(
      "update_production_order_state",
      {o.id, std::string(domain::ToString(o.state)), NullIfEmpty(o.decided_by),
       NullIfEmpty(o.decision_reason), std::to_string(expected_version), production_client_id});
  if (r.rows() == 0) {
    ThrowMissingOrStale(conn, "select_production_order", o.id, "no such production order",
                        "the order was changed by someone else; reload it and retry");
  }
  return r;
}

}  // namespace

domain::ProductionOrder ProductionOrderRepository::Create(const domain::ProductionOrder& o,
                                                          const domain::AuditEvent& audit) {
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    Result r = ExecRefusing(
        conn, "insert_production_order",
        {o.id, o.onboarding_id, o.organisation, o.test_client_id,
         std::string(domain::ToString(o.state)), std::string(domain::ToString(o.delivery_method)),
         NullIfEmpty(o.delivery_mobile), NullIfEmpty(o.delivery_email), o.proposed_metadata_json,
         o.metadata_diff_json, o.validation_errors_json, o.notes, o.entered_by, o.entered_by_role,
         NullIfEmpty(o.entered_by_portal_user)},
        {{"production_orders_open_key",
          ErrorCode::kConflict,
          "an open production order already exists for this test client",
          {},
          "order_already_open"}});
    if (o.state == domain::OrderState::kSubmitted) {
      conn.Exec("update_onboarding_for_order",
                {o.onboarding_id, OnboardingStateFor(o.state), std::nullopt});
    }
    return OrderFromRow(r, 0);
  });
}

std::optional<domain::ProductionOrder> ProductionOrderRepository::Find(const std::string& id) {
  if (!IsUuid(id)) return std::nullopt;
  return FindRow(pool_, "select_production_order", {id}, OrderFromRow);
}

domain::Page<domain::ProductionOrder> ProductionOrderRepository::List(
    const domain::OrderFilter& filter, const domain::PageRequest& page) {
  // Work-queue order: the longest-waiting first, i.e. by submission time (creation time
  // for drafts), then seq. The cursor is the last row's key, "<queue_us>_<seq>".
  int64_t after_us = std::numeric_limits<int64_t>::min();
  int64_t after_seq = 0;
  if (!page.cursor.empty()) {
    const auto sep = page.cursor.find('_');
    try {
      if (sep == std::string::npos) throw std::invalid_argument("no separator");
      std::size_t used_us = 0, used_seq = 0;
      after_us = std::stoll(page.cursor.substr(0, sep), &used_us);
      after_seq = std::stoll(page.cursor.substr(sep + 1), &used_seq);
      if (used_us != sep || used_seq != page.cursor.size() - sep - 1)
        throw std::invalid_argument("trailing text");
    } catch (...) {
      throw AppError(ErrorCode::kValidation, "cursor is malformed", "",
                     {{"cursor", "invalid", "cursor is malformed"}});
    }
  }
  Lease lease = pool_.Acquire();
  Result r = lease->Exec(
      "list_production_orders",
      {NameOrNull(filter.state), filter.onboarding_id, filter.organisation,
       std::to_string(after_us), std::to_string(after_seq), std::to_string(page.limit + 1)});
  return PageOf(r, page.limit, OrderFromRow,
                [&](int last) { return r.Str(last, 25) + "_" + r.Str(last, 24); });
}

domain::ProductionOrder ProductionOrderRepository::Transition(const domain::ProductionOrder& o,
                                                              int expected_version,
                                                              const domain::AuditEvent& audit) {
  return AuditedWrite(pool_, audit, [&](Connection& conn) {
    Result r = UpdateState(conn, o, expected_version, std::nullopt);
    conn.Exec("update_onboarding_for_order",
              {o.onboarding_id, OnboardingStateFor(o.state), std::nullopt});
    return OrderFromRow(r, 0);
  });
}

domain::ProductionOrder ProductionOrderRepository::Approve(
    const domain::ProductionOrder& o, int expected_version, const domain::Client& c,
    const domain::ClientWrite& client_write, const domain::AuditEvent& audit,
    const std::optional<domain::SecretIssuance>& issuance) {
  PgUnitOfWork unit(pool_);
  Connection& conn = unit.Tx();
  InsertClient(conn, c, std::nullopt, client_write);
  Result r = UpdateState(conn, o, expected_version, c.client_id);
  conn.Exec("update_onboarding_for_order",
            {o.onboarding_id, OnboardingStateFor(o.state), c.client_id});
  unit.Record(audit);
  // The secret of an sms_zip order is issued with the approval: the same code path as
  // POST /v1/clients/{id}/secret, so an approval without its delivery cannot commit.
  if (issuance) StoreIssuance(unit, *issuance);
  unit.Commit();
  return OrderFromRow(r, 0);
}

}  // namespace onboard::db
