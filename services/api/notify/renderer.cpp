#include "renderer.hpp"

#include <algorithm>

#include "audit_export.hpp"
#include "templates.hpp"

namespace onboard::notify {

namespace {

using package::TemplateValues;

std::string Lang(const std::string& language) { return language == "en" ? "en" : "nb"; }

std::string Render(const std::string& name, const TemplateValues& v) {
  return package::Render(name, v).reveal();
}

// Drops the trailing newline of a one-line template.
std::string Line(const std::string& name, const TemplateValues& v) {
  std::string s = Render(name, v);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

std::string Utc(int64_t epoch_s) {
  std::string s = domain::Rfc3339FromMicros(epoch_s * 1000000);
  // 2026-01-02T03:04:05Z -> 2026-01-02 03:04
  if (s.size() >= 16) s = s.substr(0, 10) + " " + s.substr(11, 5);
  return s;
}

// "secret.issued" -> "t_secret_issued"
std::string TypeFlag(const std::string& type) {
  std::string flag = "t_" + type;
  std::replace(flag.begin(), flag.end(), '.', '_');
  return flag;
}

void KindFlags(const std::string& kind, TemplateValues& v) {
  if (kind == "secret") v["is_secret"] = "1";
  if (kind == "key") v["is_key"] = "1";
  if (kind == "certificate") v["is_certificate"] = "1";
}

}  // namespace

domain::RenderedMessage TemplateRenderer::Critical(const domain::NotificationEvent& event,
                                                   const domain::MessageClient& client,
                                                   const std::string& language) const {
  const std::string lang = Lang(language);
  TemplateValues v{{"client_name", client.client_name},
                   {"client_id", client.client_id},
                   {"environment", client.environment},
                   {"event_type", event.type},
                   {"event_id", event.id},
                   {"occurred_at", Utc(event.occurred_at_us / 1000000)}};
  v[TypeFlag(event.type)] = "1";
  if (event.type == "delivery.second_download") v["is_alarm"] = "1";
  if (event.data) {
    for (const char* key : {"secret_prefix", "kid", "thumbprint"}) {
      if (event.data->has(key) && !event.data->isNull(key)) {
        v["label"] = event.data->getValue<std::string>(key);
        break;
      }
    }
  }
  v["what"] = Line("notify_what." + lang + ".txt.mustache", v);
  domain::RenderedMessage m;
  m.subject = Line("notify_critical_subject." + lang + ".txt.mustache", v);
  m.text = Render("notify_critical_body." + lang + ".txt.mustache", v);
  return m;
}

domain::RenderedMessage TemplateRenderer::Reminder(const domain::ExpiringCredential& c,
                                                   int threshold_days,
                                                   const std::string& language) const {
  const std::string lang = Lang(language);
  TemplateValues v{{"client_name", c.client_name},
                   {"client_id", c.client_id},
                   {"environment", c.environment},
                   {"organisation", c.organisation},
                   {"label", c.label},
                   {"days", std::to_string(threshold_days)},
                   {"expires_at", Utc(c.expires_at_s)}};
  KindFlags(c.kind, v);
  v["kind"] = Line("notify_kind." + lang + ".txt.mustache", v);
  v["label_name"] = Line("notify_label." + lang + ".txt.mustache", v);
  domain::RenderedMessage m;
  m.subject = Line("notify_reminder_subject." + lang + ".txt.mustache", v);
  m.text = Render("notify_reminder_body." + lang + ".txt.mustache", v);
  m.sms = Line("notify_reminder_sms." + lang + ".txt.mustache", v);
  return m;
}

domain::RenderedMessage TemplateRenderer::Digest(
    const std::string& day, const std::vector<domain::ExpiringCredential>& expiring,
    const std::vector<domain::UndeliveredReminder>& undelivered) const {
  std::string expiring_lines, undelivered_lines;
  for (const auto& c : expiring) {
    expiring_lines +=
        Render("notify_digest_expiring_line.txt.mustache", {{"expires_at", Utc(c.expires_at_s)},
                                                            {"environment", c.environment},
                                                            {"kind", c.kind},
                                                            {"label", c.label},
                                                            {"client_id", c.client_id},
                                                            {"client_name", c.client_name},
                                                            {"organisation", c.organisation}});
  }
  for (const auto& u : undelivered) {
    TemplateValues v{{"kind", u.credential.kind},
                     {"credential_id", u.credential.id},
                     {"threshold_days", std::to_string(u.threshold_days)},
                     {"expires_at", Utc(u.credential.expires_at_s)},
                     {"client_id", u.credential.client_id},
                     {"organisation", u.credential.organisation},
                     {"errors", u.errors}};
    if (u.recipients == 0) v["no_contact"] = "1";
    undelivered_lines += Render("notify_digest_undelivered_line.txt.mustache", v);
  }
  TemplateValues v{{"day", day},
                   {"within_days", "30"},
                   {"expiring_count", std::to_string(expiring.size())},
                   {"undelivered_count", std::to_string(undelivered.size())}};
  if (!expiring_lines.empty()) v["expiring_lines"] = expiring_lines;
  if (!undelivered_lines.empty()) v["undelivered_lines"] = undelivered_lines;
  domain::RenderedMessage m;
  m.subject = Line("notify_digest_subject.txt.mustache", v);
  m.text = Render("notify_digest_body.txt.mustache", v);
  return m;
}

domain::RenderedMessage TemplateRenderer::WebhookDisabled(const std::string& subscription_id,
                                                          const std::string& url,
                                                          const std::string& reason,
                                                          const std::string& language) const {
  const std::string lang = Lang(language);
  TemplateValues v{{"subscription_id", subscription_id}, {"url", url}};
  if (reason == "gone") v["gone"] = "1";
  domain::RenderedMessage m;
  m.subject = Line("notify_webhook_disabled_subject." + lang + ".txt.mustache", v);
  m.text = Render("notify_webhook_disabled_body." + lang + ".txt.mustache", v);
  return m;
}

}  // namespace onboard::notify
