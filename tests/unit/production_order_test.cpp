#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "error.hpp"
#include "production_order.hpp"

namespace onboard::domain {
namespace {

using S = OrderState;
using T = OrderTransition;

constexpr S kAllStates[] = {S::kDraft, S::kSubmitted, S::kApproved, S::kRejected, S::kCancelled};
constexpr T kAllTransitions[] = {T::kSubmit, T::kApprove, T::kReject, T::kCancel};

// The whole table, written out: (from, transition) -> to. Everything absent is illegal.
const std::map<std::pair<S, T>, S>& LegalMoves() {
  static const std::map<std::pair<S, T>, S> moves{
      {{S::kDraft, T::kSubmit}, S::kSubmitted},     {{S::kDraft, T::kCancel}, S::kCancelled},
      {{S::kSubmitted, T::kApprove}, S::kApproved}, {{S::kSubmitted, T::kReject}, S::kRejected},
      {{S::kSubmitted, T::kCancel}, S::kCancelled},
  };
  return moves;
}

// What the 409 detail must list after "allowed: ".
const std::map<S, std::string>& AllowedText() {
  static const std::map<S, std::string> text{
      {S::kDraft, "submit, cancel"}, {S::kSubmitted, "approve, reject, cancel"},
      {S::kApproved, "none"},        {S::kRejected, "none"},
      {S::kCancelled, "none"},
  };
  return text;
}

std::string Name(S s) { return std::string(ToString(s)); }
std::string Name(T t) { return std::string(ToString(t)); }

TEST(OrderStateMachine, EveryLegalTransitionLeadsToItsState) {
  for (const auto& [key, to] : LegalMoves()) {
    const auto [from, t] = key;
    SCOPED_TRACE(Name(t) + " from " + Name(from));
    EXPECT_EQ(NextOrderState(from, t), std::optional<S>(to));
    EXPECT_EQ(ApplyOrderTransition(from, t), to);
  }
}

TEST(OrderStateMachine, EveryOtherTransitionIsAConflictNamingTheAllowedOnes) {
  int illegal = 0;
  for (S from : kAllStates) {
    for (T t : kAllTransitions) {
      if (LegalMoves().count({from, t}) != 0) continue;
      ++illegal;
      SCOPED_TRACE(Name(t) + " from " + Name(from));
      EXPECT_EQ(NextOrderState(from, t), std::nullopt);
      try {
        ApplyOrderTransition(from, t);
        ADD_FAILURE() << "no exception";
      } catch (const AppError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kConflict);
        EXPECT_EQ(HttpStatusFor(e.code()), 409);
        EXPECT_EQ(e.code_name(), "illegal_transition");
        EXPECT_NE(e.detail().find("cannot " + Name(t) + " an order that is " + Name(from)),
                  std::string::npos)
            << e.detail();
        EXPECT_NE(e.detail().find("allowed: " + AllowedText().at(from)), std::string::npos)
            << e.detail();
      }
    }
  }
  EXPECT_EQ(illegal, 5 * 4 - 5);
}

TEST(OrderStateMachine, AllowedTransitionsMatchTheTable) {
  for (S from : kAllStates) {
    std::vector<T> expected;
    for (T t : kAllTransitions) {
      if (LegalMoves().count({from, t}) != 0) expected.push_back(t);
    }
    EXPECT_EQ(AllowedOrderTransitions(from), expected) << Name(from);
  }
}

TEST(OrderStateMachine, ApprovedRejectedAndCancelledAreFinal) {
  for (S from : {S::kApproved, S::kRejected, S::kCancelled}) {
    EXPECT_TRUE(AllowedOrderTransitions(from).empty()) << Name(from);
  }
}

TEST(OrderStateMachine, StateAndTransitionNamesRoundTrip) {
  for (S s : kAllStates) EXPECT_EQ(OrderStateFromString(ToString(s)), std::optional<S>(s));
  EXPECT_EQ(OrderStateFromString("open"), std::nullopt);
  EXPECT_EQ(OrderStateFromString("Submitted"), std::nullopt);
  EXPECT_EQ(OrderStateFromString(""), std::nullopt);
  EXPECT_EQ(Name(T::kSubmit), "submit");
  EXPECT_EQ(Name(T::kApprove), "approve");
  EXPECT_EQ(Name(T::kReject), "reject");
  EXPECT_EQ(Name(T::kCancel), "cancel");
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
