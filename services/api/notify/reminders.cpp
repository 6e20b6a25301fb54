#include "reminders.hpp"

#include <algorithm>
#include <chrono>

#include "notification.hpp"

namespace onboard::notify {

ReminderRoundResult RunReminderRound(domain::ReminderStore& store, const domain::Clock& clock,
                                     const std::vector<int>& days,
                                     const std::string& operator_email, int digest_hour_utc,
                                     const std::string& instance) {
  ReminderRoundResult result;
  const auto now = clock.Now();
  const int max_days = days.empty() ? 0 : *std::max_element(days.begin(), days.end());
  for (const auto& c : store.Expiring(now, max_days)) {
    ++result.considered;
    const auto expires = domain::SysTime(std::chrono::seconds(c.expires_at_s));
    const auto due = domain::DueThreshold(expires, now, days);
    if (!due || !domain::ReminderOutstanding(*due, c.smallest_sent)) continue;
    domain::AuditEvent audit;
    audit.actor.name = "onboard-notify";
    audit.actor.role = "system";
    audit.actor.request_id = "reminders-" + instance;
    audit.organisation = c.organisation;
    audit.action = "notification.expiry_reminder";
    audit.target_type = "client";
    audit.target_id = c.client_id;
    if (store.RecordReminder(c, *due, now, audit)) ++result.sent;
  }
  if (!operator_email.empty()) {
    const auto day = std::chrono::floor<std::chrono::days>(now);
    const auto hour = std::chrono::duration_cast<std::chrono::hours>(now - day).count();
    if (hour >= digest_hour_utc) {
      const std::chrono::year_month_day ymd{day};
      char text[16];
      std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
      result.digest = store.QueueDigest(text, operator_email, now, 30);
    }
  }
  return result;
}

}  // namespace onboard::notify
