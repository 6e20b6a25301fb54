#include "production_order.hpp"

#include "error.hpp"

namespace onboard::domain {

std::string_view ToString(OrderState s) noexcept {
  switch (s) {
    case OrderState::kDraft:
      return "draft";
    case OrderState::kSubmitted:
      return "submitted";
    case OrderState::kApproved:
      return "approved";
    case OrderState::kRejected:
      return "rejected";
    case OrderState::kCancelled:
      return "cancelled";
  }
  return "draft";
}

std::optional<OrderState> OrderStateFromString(std::string_view t) noexcept {
  for (auto s : {OrderState::kDraft, OrderState::kSubmitted, OrderState::kApproved,
                 OrderState::kRejected, OrderState::kCancelled}) {
    if (ToString(s) == t) return s;
  }
  return std::nullopt;
}

std::string_view ToString(OrderTransition t) noexcept {
  switch (t) {
    case OrderTransition::kSubmit:
      return "submit";
    case OrderTransition::kApprove:
      return "approve";
    case OrderTransition::kReject:
      return "reject";
    case OrderTransition::kCancel:
      return "cancel";
  }
  return "submit";
}

std::optional<OrderState> NextOrderState(OrderState from, OrderTransition t) noexcept {
  switch (t) {
    case OrderTransition::kSubmit:
      return from == OrderState::kDraft ? std::optional(OrderState::kSubmitted) : std::nullopt;
    case OrderTransition::kApprove:
      return from == OrderState::kSubmitted ? std::optional(OrderState::kApproved) : std::nullopt;
    case OrderTransition::kReject:
      return from == OrderState::kSubmitted ? std::optional(OrderState::kRejected) : std::nullopt;
    case OrderTransition::kCancel:
      return (from == OrderState::kDraft || from == OrderState::kSubmitted)
                 ? std::optional(OrderState::kCancelled)
                 : std::nullopt;
  }
  return std::nullopt;
}

std::vector<OrderTransition> AllowedOrderTransitions(OrderState from) {
  std::vector<OrderTransition> out;
  for (auto t : {OrderTransition::kSubmit, OrderTransition::kApprove, OrderTransition::kReject,
                 OrderTransition::kCancel}) {
    if (NextOrderState(from, t)) out.push_back(t);
  }
  return out;
}

OrderState ApplyOrderTransition(OrderState from, OrderTransition t) {
  if (auto next = NextOrderState(from, t)) return *next;
  std::string allowed;
  for (auto a : AllowedOrderTransitions(from))
    allowed += (allowed.empty() ? "" : ", ") + std::string(ToString(a));
  throw AppError(ErrorCode::kConflict,
                 "cannot " + std::string(ToString(t)) + " an order that is " +
                     std::string(ToString(from)) +
                     "; allowed: " + (allowed.empty() ? "none" : allowed),
                 "", {}, "illegal_transition");
}

std::string_view ToString(DeliveryMethod m) noexcept {
  return m == DeliveryMethod::kSmsZip ? "sms_zip" : "certificate";
}

std::optional<DeliveryMethod> DeliveryMethodFromString(std::string_view t) noexcept {
  if (t == "sms_zip") return DeliveryMethod::kSmsZip;
  if (t == "certificate") return DeliveryMethod::kCertificate;
  return std::nullopt;
}

void EnsureFourEyes(const ProductionOrder& order, const std::string& approver_token_name,
                    bool enabled) {
  if (enabled && order.entered_by == approver_token_name) {
    throw AppError(ErrorCode::kForbidden,
                   "four-eyes rule: the order was entered by " + approver_token_name +
                       "; another operator must approve it",
                   "", {}, "four_eyes");
  }
}

}  // namespace onboard::domain
