#pragma once

#include <string>
#include <vector>

#include "clock.hpp"
#include "notification_store.hpp"

namespace onboard::notify {

/// What one scheduler round did.
struct ReminderRoundResult {
  int considered = 0;  ///< credentials expiring within the largest threshold
  int sent = 0;        ///< reminders this round recorded (others had been, by any instance)
  bool digest = false;
};

/// One round of the reminder scheduler at `clock.Now()`: for every credential that still
/// authenticates, the most urgent threshold that is due (DueThreshold) is recorded unless it
/// or a more urgent one already was (so after downtime only that one goes out); then, from
/// `digest_hour_utc` on, the day's digest to `operator_email` (when set). Safe to run on
/// every instance at once: the store records each reminder and digest once.
ReminderRoundResult RunReminderRound(domain::ReminderStore& store, const domain::Clock& clock,
                                     const std::vector<int>& days,
                                     const std::string& operator_email, int digest_hour_utc,
                                     const std::string& instance);

}  // namespace onboard::notify
