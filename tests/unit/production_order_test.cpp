#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "error.hpp"
#include "production_order.hpp"
#include "../support/state_machine_checks.hpp"

namespace onboard::domain {
namespace {

using S = OrderState;
using testsupport::StateName;
using T = OrderTransition;

// The whole table, written out: from -> (transition -> to); everything absent is illegal.
const testsupport::StateMachineTable<S, T>& Table() {
  static const testsupport::StateMachineTable<S, T> table{
      {S::kDraft, S::kSubmitted, S::kApproved, S::kRejected, S::kCancelled},
      {T::kSubmit, T::kApprove, T::kReject, T::kCancel},
      {{S::kDraft, {{T::kSubmit, S::kSubmitted}, {T::kCancel, S::kCancelled}}},
       {S::kSubmitted,
        {{T::kApprove, S::kApproved}, {T::kReject, S::kRejected}, {T::kCancel, S::kCancelled}}}},
      "an order"};
  return table;
}

ONBOARD_STATE_MACHINE_TESTS(OrderStateMachine, Table(), NextOrderState, ApplyOrderTransition,
                            AllowedOrderTransitions, 5 * 4 - 5)

TEST(OrderStateMachine, ApprovedRejectedAndCancelledAreFinal) {
  for (S from : {S::kApproved, S::kRejected, S::kCancelled}) {
    EXPECT_TRUE(AllowedOrderTransitions(from).empty()) << StateName(from);
  }
}

TEST(OrderStateMachine, StateAndTransitionNamesRoundTrip) {
  for (S s : Table().states) EXPECT_EQ(OrderStateFromString(ToString(s)), std::optional<S>(s));
  EXPECT_EQ(OrderStateFromString("open"), std::nullopt);
  EXPECT_EQ(OrderStateFromString("Submitted"), std::nullopt);
  EXPECT_EQ(OrderStateFromString(""), std::nullopt);
  EXPECT_EQ(StateName(T::kSubmit), "submit");
  EXPECT_EQ(StateName(T::kApprove), "approve");
  EXPECT_EQ(StateName(T::kReject), "reject");
  EXPECT_EQ(StateName(T::kCancel), "cancel");
}

TEST(DeliveryMethodNames, AreSmsZipAndCertificateOnly) {
  EXPECT_EQ(DeliveryMethodFromString("sms_zip"), std::optional(DeliveryMethod::kSmsZip));
  EXPECT_EQ(DeliveryMethodFromString("certificate"), std::optional(DeliveryMethod::kCertificate));
  EXPECT_EQ(DeliveryMethodFromString("email"), std::nullopt);
  EXPECT_EQ(ToString(DeliveryMethod::kSmsZip), "sms_zip");
  EXPECT_EQ(ToString(DeliveryMethod::kCertificate), "certificate");
}

ProductionOrder EnteredBy(const std::string& who) {
  ProductionOrder o;
  o.id = "0b6f3c1e-1111-4a6b-8c7d-000000000001";
  o.state = S::kSubmitted;
  o.entered_by = who;
  o.entered_by_role = "operator";
  return o;
}

TEST(FourEyes, RefusesTheOperatorWhoEnteredTheOrder) {
  try {
    EnsureFourEyes(EnteredBy("operator-a"), "operator-a", true);
    ADD_FAILURE() << "no exception";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kForbidden);
    EXPECT_EQ(HttpStatusFor(e.code()), 403);
    EXPECT_EQ(e.code_name(), "four_eyes");
    EXPECT_NE(e.detail().find("another operator"), std::string::npos) << e.detail();
  }
}

TEST(FourEyes, LetsAnotherOperatorApprove) {
  EXPECT_NO_THROW(EnsureFourEyes(EnteredBy("operator-a"), "operator-b", true));
}

TEST(FourEyes, ComparesNamesExactly) {
  EXPECT_NO_THROW(EnsureFourEyes(EnteredBy("operator-a"), "operator-a2", true));
  EXPECT_NO_THROW(EnsureFourEyes(EnteredBy("operator-a"), "Operator-A", true));
}

TEST(FourEyes, CanBeSwitchedOffByConfiguration) {
  EXPECT_NO_THROW(EnsureFourEyes(EnteredBy("operator-a"), "operator-a", false));
}

}  // namespace
}  // namespace onboard::domain
