#include "production_order.hpp"

#include "error.hpp"
#include "state_machine.hpp"

namespace onboard::domain {

namespace {
constexpr EnumName<OrderState> kOrderStates[] = {{OrderState::kDraft, "draft"},
                                                 {OrderState::kSubmitted, "submitted"},
                                                 {OrderState::kApproved, "approved"},
                                                 {OrderState::kRejected, "rejected"},
                                                 {OrderState::kCancelled, "cancelled"}};
// In the order 409 answers list the allowed ones.
constexpr EnumName<OrderTransition> kOrderTransitions[] = {{OrderTransition::kSubmit, "submit"},
                                                           {OrderTransition::kApprove, "approve"},
                                                           {OrderTransition::kReject, "reject"},
                                                           {OrderTransition::kCancel, "cancel"}};
constexpr EnumName<DeliveryMethod> kDeliveryMethods[] = {
    {DeliveryMethod::kSmsZip, "sms_zip"}, {DeliveryMethod::kCertificate, "certificate"}};
}  // namespace

std::string_view ToString(OrderState s) noexcept { return NameOf(kOrderStates, s, "draft"); }

std::optional<OrderState> OrderStateFromString(std::string_view t) noexcept {
  return ValueOf(kOrderStates, t);
}

std::string_view ToString(OrderTransition t) noexcept {
  return NameOf(kOrderTransitions, t, "submit");
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
  return AllowedTransitions(from, kOrderTransitions, NextOrderState);
}

OrderState ApplyOrderTransition(OrderState from, OrderTransition t) {
  return ApplyTransition(from, t, kOrderTransitions, NextOrderState, "an order");
}

std::string_view ToString(DeliveryMethod m) noexcept {
  return NameOf(kDeliveryMethods, m, "certificate");
}

std::optional<DeliveryMethod> DeliveryMethodFromString(std::string_view t) noexcept {
  return ValueOf(kDeliveryMethods, t);
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
