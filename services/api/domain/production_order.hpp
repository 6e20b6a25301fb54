#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit_event.hpp"
#include "client.hpp"
#include "delivery.hpp"
#include "paging.hpp"

namespace onboard::domain {

/// Lifecycle of a production order (draft -> submitted -> approved | rejected;
/// draft or submitted -> cancelled).
enum class OrderState { kDraft, kSubmitted, kApproved, kRejected, kCancelled };
enum class OrderTransition { kSubmit, kApprove, kReject, kCancel };

std::string_view ToString(OrderState s) noexcept;
std::optional<OrderState> OrderStateFromString(std::string_view text) noexcept;
std::string_view ToString(OrderTransition t) noexcept;

/// The state `t` leads to from `from`, or std::nullopt when illegal.
std::optional<OrderState> NextOrderState(OrderState from, OrderTransition t) noexcept;
std::vector<OrderTransition> AllowedOrderTransitions(OrderState from);
/// Applies `t` or throws AppError(kConflict, code "illegal_transition") naming the allowed
/// transitions.
OrderState ApplyOrderTransition(OrderState from, OrderTransition t);

/// How the production credentials are handed over.
enum class DeliveryMethod { kSmsZip, kCertificate };
std::string_view ToString(DeliveryMethod m) noexcept;
std::optional<DeliveryMethod> DeliveryMethodFromString(std::string_view text) noexcept;

struct ProductionOrder {
  std::string id;
  std::string onboarding_id;
  std::string organisation;
  std::string test_client_id;
  OrderState state = OrderState::kDraft;
  DeliveryMethod delivery_method = DeliveryMethod::kSmsZip;
  std::string delivery_mobile;
  std::string delivery_email;
  std::string proposed_metadata_json;
  std::string metadata_diff_json = "[]";
  std::string validation_errors_json = "[]";
  std::string notes;
  std::string entered_by;
  std::string entered_by_role;
  std::string entered_by_portal_user;
  std::string submitted_at;
  std::string decided_at;
  std::string decided_by;
  std::string decision_reason;
  std::string production_client_id;
  int version = 1;
  std::string created_at;
  std::string updated_at;
  int64_t age_seconds = 0;  ///< since submission (or creation for drafts), for the work queue
};

struct OrderFilter {
  std::optional<OrderState> state;
  std::optional<std::string> onboarding_id;
  std::optional<std::string> organisation;
};

/// Persistence of production orders. Writes carry their audit event into the same
/// transaction. Throws AppError kNotFound, kPreconditionFailed (version moved on),
/// kConflict (an open order exists for the test client).
class ProductionOrderStore {
 public:
  virtual ~ProductionOrderStore() = default;
  virtual ProductionOrder Create(const ProductionOrder& order, const AuditEvent& audit) = 0;
  virtual std::optional<ProductionOrder> Find(const std::string& id) = 0;
  /// Oldest first (the operator team's work queue order).
  virtual Page<ProductionOrder> List(const OrderFilter& filter, const PageRequest& page) = 0;
  /// Moves the order to `order.state` (with decision fields) if still at `expected_version`.
  virtual ProductionOrder Transition(const ProductionOrder& order, int expected_version,
                                     const AuditEvent& audit) = 0;
  /// Approves the order and creates `production_client` with its history entry, links it
  /// to the onboarding case, all in one transaction with `audit`; when `issuance` is set
  /// (sms_zip orders) its secret, delivery and outbox messages are stored in the same
  /// transaction, the same way SecretStore::Issue stores them (the client becomes active).
  virtual ProductionOrder Approve(const ProductionOrder& order, int expected_version,
                                  const Client& production_client, const ClientWrite& client_write,
                                  const AuditEvent& audit,
                                  const std::optional<SecretIssuance>& issuance) = 0;
};

/// Four-eyes rule: the approving operator must not be the one who entered the order.
/// Throws AppError(kForbidden, code "four_eyes") when `enabled` and they are the same.
void EnsureFourEyes(const ProductionOrder& order, const std::string& approver_token_name,
                    bool enabled);

}  // namespace onboard::domain
