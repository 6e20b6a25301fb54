#include <gtest/gtest.h>

#include "courier.hpp"

namespace onboard::domain {
namespace {

using std::chrono::milliseconds;

TEST(RetryDelay, DoublesPerAttemptBetweenHalfAndAllOfTheStep) {
  EXPECT_EQ(RetryDelay(1, milliseconds(1000), milliseconds(60000), 0.0), milliseconds(500));
  EXPECT_EQ(RetryDelay(1, milliseconds(1000), milliseconds(60000), 0.999999), milliseconds(999));
  EXPECT_EQ(RetryDelay(2, milliseconds(1000), milliseconds(60000), 0.0), milliseconds(1000));
  EXPECT_EQ(RetryDelay(3, milliseconds(1000), milliseconds(60000), 0.5), milliseconds(3000));
}

TEST(RetryDelay, NeverExceedsTheCapEvenAfterManyAttempts) {
  EXPECT_EQ(RetryDelay(60, milliseconds(1000), milliseconds(60000), 1.0), milliseconds(60000));
  EXPECT_EQ(RetryDelay(1000, milliseconds(1000), milliseconds(60000), 0.0), milliseconds(30000));
}

TEST(RetryDelay, WaitsAtLeastWhatTheProvidersRetryAfterSays) {
  EXPECT_EQ(RetryDelay(1, milliseconds(100), milliseconds(60000), 0.0, milliseconds(2000)),
            milliseconds(2000));
  EXPECT_EQ(RetryDelay(8, milliseconds(100), milliseconds(60000), 1.0, milliseconds(2000)),
            milliseconds(12800));
}

TEST(SmsState, MapsProviderStatusesOntoDeliveryStates) {
  EXPECT_EQ(SmsStateFromProviderStatus("queued"), SmsState::kQueued);
  EXPECT_EQ(SmsStateFromProviderStatus("accepted"), SmsState::kQueued);
  EXPECT_EQ(SmsStateFromProviderStatus("sending"), SmsState::kSending);
  EXPECT_EQ(SmsStateFromProviderStatus("sent"), SmsState::kSent);
  EXPECT_EQ(SmsStateFromProviderStatus("delivered"), SmsState::kDelivered);
  EXPECT_EQ(SmsStateFromProviderStatus("undelivered"), SmsState::kUndelivered);
  EXPECT_EQ(SmsStateFromProviderStatus("failed"), SmsState::kFailed);
  EXPECT_EQ(SmsStateFromProviderStatus("receiving"), std::nullopt);
}

TEST(SmsState, OnlyMovesForwardSoLateAndRepeatedReportsChangeNothing) {
  EXPECT_TRUE(SmsStateAdvances(SmsState::kQueued, SmsState::kSent));
  EXPECT_TRUE(SmsStateAdvances(SmsState::kSent, SmsState::kDelivered));
  EXPECT_FALSE(SmsStateAdvances(SmsState::kDelivered, SmsState::kDelivered));
  EXPECT_FALSE(SmsStateAdvances(SmsState::kDelivered, SmsState::kSent));
  EXPECT_FALSE(SmsStateAdvances(SmsState::kDelivered, SmsState::kUndelivered));
  EXPECT_FALSE(SmsStateAdvances(SmsState::kFailed, SmsState::kDelivered));
}

TEST(OutboxKind, RoundTripsItsStoredNames) {
  for (OutboxKind k : {OutboxKind::kSms, OutboxKind::kEmail, OutboxKind::kSmsRedact}) {
    OutboxKind parsed = OutboxKind::kEmail;
    ASSERT_TRUE(ParseOutboxKind(ToString(k), parsed));
    EXPECT_EQ(parsed, k);
  }
  OutboxKind ignored;
  EXPECT_FALSE(ParseOutboxKind("fax", ignored));
}

}  // namespace
}  // namespace onboard::domain
