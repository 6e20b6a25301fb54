#pragma once

#include "notification_store.hpp"

namespace onboard::notify {

/// domain::NotificationRenderer over the embedded templates (templates/notify_*.mustache):
/// every text is a template, in nb or en. Thread-safe.
class TemplateRenderer final : public domain::NotificationRenderer {
 public:
  domain::RenderedMessage Critical(const domain::NotificationEvent& event,
                                   const domain::MessageClient& client,
                                   const std::string& language) const override;
  domain::RenderedMessage Reminder(const domain::ExpiringCredential& credential, int threshold_days,
                                   const std::string& language) const override;
  domain::RenderedMessage Digest(
      const std::string& day, const std::vector<domain::ExpiringCredential>& expiring,
      const std::vector<domain::UndeliveredReminder>& undelivered) const override;
  domain::RenderedMessage WebhookDisabled(const std::string& subscription_id,
                                          const std::string& url, const std::string& reason,
                                          const std::string& language) const override;
};

}  // namespace onboard::notify
