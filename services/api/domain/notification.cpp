#include "notification.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "audit_export.hpp"
#include "crypto.hpp"
#include "organisation.hpp"

namespace onboard::domain {

// ---- contacts --------------------------------------------------------------------------

bool NotificationContact::Wants(std::string_view kind) const {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

std::vector<FieldError> ValidateContact(const NotificationContact& c) {
  std::vector<FieldError> errors;
  if (!IsPlausibleEmail(c.email))
    errors.push_back({"email", "invalid_email", "email must be an e-mail address"});
  if (!c.mobile.empty() && !IsE164(c.mobile))
    errors.push_back(
        {"mobile", "invalid_mobile", "mobile must be an E.164 number such as +4791234567"});
  if (c.language != "nb" && c.language != "en")
    errors.push_back({"language", "invalid_language", "language must be nb or en"});
  if (c.kinds.empty())
    errors.push_back(
        {"kinds", "required", "kinds must name at least one of expiry, critical, webhook"});
  std::set<std::string> seen;
  for (std::size_t i = 0; i < c.kinds.size(); ++i) {
    const auto& k = c.kinds[i];
    const bool known = std::any_of(std::begin(kContactKinds), std::end(kContactKinds),
                                   [&](const char* n) { return k == n; });
    if (!known)
      errors.push_back({"kinds/" + std::to_string(i), "unknown_kind",
                        "'" + k + "' is not a kind; use expiry, critical or webhook"});
    else if (!seen.insert(k).second)
      errors.push_back({"kinds/" + std::to_string(i), "duplicate", "'" + k + "' is named twice"});
  }
  return errors;
}

std::vector<NotificationContact> RecipientsFor(const std::vector<NotificationContact>& contacts,
                                               const std::string& client_id,
                                               std::string_view kind) {
  std::vector<NotificationContact> own, org;
  for (const auto& c : contacts) {
    if (!c.Wants(kind)) continue;
    if (!client_id.empty() && c.client_id == client_id)
      own.push_back(c);
    else if (c.client_id.empty())
      org.push_back(c);
  }
  return own.empty() ? org : own;
}

// ---- events ----------------------------------------------------------------------------

namespace {

struct Mapping {
  const char* action;
  const char* type;
  bool critical;
};

// Audit action -> event type. Actions not listed keep their own name (see EventFromAudit).
constexpr Mapping kMappings[] = {
    {"organisation.create", "organisation.created", false},
    {"organisation.update", "organisation.updated", false},
    {"client.create", "client.created", false},
    {"client.update", "client.updated", false},
    {"client.patch", "client.updated", false},
    {"client.deactivate", "client.deactivated", true},
    {"client.reactivate", "client.reactivated", true},
    {"client.secret_issue", "secret.issued", true},
    {"client.secret_revoke", "secret.revoked", true},
    {"client.certificate_bind", "certificate.bound", true},
    {"client.jwk_register", "key.bound", true},
    {"client.key_remove", "key.removed", true},
    {"onboarding.create", "onboarding.created", false},
    {"onboarding.update", "onboarding.updated", false},
    {"onboarding.link_client", "onboarding.client_linked", false},
    {"onboarding.accept_terms", "onboarding.terms_accepted", false},
    {"production_order.create", "order.created", false},
    {"production_order.submit", "order.submitted", false},
    {"production_order.approve", "order.approved", true},
    {"production_order.reject", "order.rejected", true},
    {"production_order.cancel", "order.cancelled", false},
    {"verification_run.record", "verification.recorded", false},
    {"verification_catalogue.publish", "verification_catalogue.published", false},
    {"terms.publish", "terms.published", false},
    {"test_users.allocate", "test_users.allocated", false},
    {"test_users.release", "test_users.released", false},
    {"token.create", "token.created", false},
    {"token.revoke", "token.revoked", false},
    {"delivery.sms_sent", "delivery.sms_sent", false},
    {"delivery.sms_failed", "delivery.sms_failed", false},
    {"delivery.sms_cancelled", "delivery.sms_cancelled", false},
    {"delivery.sms_redacted", "delivery.sms_redacted", false},
    {"delivery.sms_redact_failed", "delivery.sms_redact_failed", false},
    {"delivery.email_sent", "delivery.email_sent", false},
    {"delivery.email_failed", "delivery.email_failed", false},
    {"delivery.email_cancelled", "delivery.email_cancelled", false},
    {"delivery.reissue", "delivery.reissued", false},
    {"delivery.package_downloaded", "delivery.package_downloaded", false},
    {"delivery.package_expired", "delivery.package_expired", false},
    {"delivery.package_unavailable", "delivery.package_unavailable", false},
    {"delivery.package_second_download", "delivery.second_download", true},
    {"notification_contact.create", "notification_contact.created", false},
    {"notification_contact.update", "notification_contact.updated", false},
    {"notification_contact.delete", "notification_contact.deleted", false},
    {"webhook.create", "webhook.created", false},
    {"webhook.update", "webhook.updated", false},
    {"webhook.delete", "webhook.deleted", false},
    {"webhook.disable", "webhook.disabled", false},
};

// Audit actions that produce no event: the chain's own maintenance and the notification
// machinery's bookkeeping (which would otherwise notify about notifications).
constexpr const char* kSilent[] = {"audit.checkpoint", "audit.prune", "webhook.test"};

// The types delivery.sms_status becomes, by the state it reports.
std::string SmsStatusType(const Poco::JSON::Object& detail) {
  const std::string state = detail.optValue<std::string>("state", "");
  if (state == "delivered") return "delivery.sms_delivered";
  if (state == "undelivered" || state == "failed") return "delivery.sms_undelivered";
  return "delivery.sms_status";
}

bool SecretLike(const std::string& name) {
  std::string n = name;
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
  if (n == "secret_id" || n == "secret_prefix" || n == "secret_expires_at" || n == "secret_ids" ||
      n == "superseded_secret_ids")
    return false;
  for (const char* bad : {"secret", "password", "token", "hash", "zip", "base64", "pepper",
                          "authorization", "cookie", "private"}) {
    if (n.find(bad) != std::string::npos) return true;
  }
  return false;
}

Poco::Dynamic::Var ScrubValue(const Poco::Dynamic::Var& v);

Poco::JSON::Array::Ptr ScrubArray(const Poco::JSON::Array& a) {
  Poco::JSON::Array::Ptr out = new Poco::JSON::Array();
  for (std::size_t i = 0; i < a.size(); ++i) out->add(ScrubValue(a.get(i)));
  return out;
}

Poco::Dynamic::Var ScrubValue(const Poco::Dynamic::Var& v) {
  if (v.type() == typeid(Poco::JSON::Object::Ptr))
    return ScrubDetail(*v.extract<Poco::JSON::Object::Ptr>());
  if (v.type() == typeid(Poco::JSON::Array::Ptr))
    return ScrubArray(*v.extract<Poco::JSON::Array::Ptr>());
  return v;
}

std::vector<std::string> BuildEventTypes() {
  std::set<std::string> types;
  for (const auto& m : kMappings) types.insert(m.type);
  for (const char* t : {"secret.rotated", "secret.expiring", "key.expiring", "certificate.expiring",
                        "certificate.removed", "delivery.sms_delivered", "delivery.sms_undelivered",
                        "delivery.sms_status", "webhook.test"})
    types.insert(t);
  return {types.begin(), types.end()};
}

}  // namespace

Poco::JSON::Object::Ptr ScrubDetail(const Poco::JSON::Object& detail) {
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object();
  for (const auto& [name, value] : detail) {
    if (SecretLike(name)) continue;
    out->set(name, ScrubValue(value));
  }
  return out;
}

const std::vector<std::string>& EventTypes() {
  static const std::vector<std::string> types = BuildEventTypes();
  return types;
}

bool IsKnownEventType(std::string_view type) {
  const auto& t = EventTypes();
  return std::binary_search(t.begin(), t.end(), std::string(type));
}

std::optional<NotificationEvent> EventFromAudit(const SealedAuditEvent& sealed,
                                                const EventFacts& facts) {
  const AuditEvent& a = sealed.event;
  for (const char* s : kSilent)
    if (a.action == s) return std::nullopt;
  Poco::JSON::Object::Ptr detail;
  try {
    Poco::JSON::Parser parser;
    auto v = parser.parse(a.detail_json.empty() ? "{}" : a.detail_json);
    if (v.type() == typeid(Poco::JSON::Object::Ptr)) detail = v.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
  }
  if (!detail) detail = new Poco::JSON::Object();

  NotificationEvent e;
  e.occurred_at_us = sealed.occurred_at_us;
  e.organisation = a.organisation;
  e.type = a.action;
  for (const auto& m : kMappings) {
    if (a.action == m.action) {
      e.type = m.type;
      e.critical = m.critical;
      break;
    }
  }
  if (a.action == "client.secret_issue" && facts.secret_rotated) e.type = "secret.rotated";
  if (a.action == "client.key_remove" &&
      (facts.removed_key_kind == "certificate" ||
       detail->optValue<std::string>("kind", "") == "certificate"))
    e.type = "certificate.removed";
  if (a.action == "delivery.sms_status") e.type = SmsStatusType(*detail);
  if (a.action == "notification.expiry_reminder") {
    const std::string kind = detail->optValue<std::string>("credential_kind", "secret");
    e.type = kind + ".expiring";
  }

  if (a.target_type == "client")
    e.client_id = a.target_id;
  else if (detail->has("client_id") && !detail->isNull("client_id"))
    e.client_id = detail->getValue<std::string>("client_id");
  else if (a.target_type == "production_order" && !facts.order_client_id.empty())
    e.client_id = facts.order_client_id;  // so an approval or rejection reaches its contacts

  Poco::JSON::Object::Ptr data = ScrubDetail(*detail);
  data->set("target_type", a.target_type);
  data->set("target_id", a.target_id);
  data->set("outcome", a.outcome);
  data->set("actor_role", a.actor.role);
  data->set("audit_seq", sealed.seq);
  e.data = data;
  return e;
}

std::string EventJson(const NotificationEvent& e) {
  Poco::JSON::Object o;
  o.set("id", e.id);
  o.set("type", e.type);
  o.set("occurred_at", Rfc3339FromMicros(e.occurred_at_us));
  if (e.organisation.empty())
    o.set("organisation", Poco::Dynamic::Var());
  else
    o.set("organisation", e.organisation);
  if (!e.client_id.empty()) o.set("client_id", e.client_id);
  o.set("data", e.data ? e.data : Poco::JSON::Object::Ptr(new Poco::JSON::Object()));
  std::ostringstream out;
  o.stringify(out);
  return out.str();
}

// ---- expiry reminders ------------------------------------------------------------------

std::optional<int> DueThreshold(SysTime expires_at, SysTime now, const std::vector<int>& days) {
  if (expires_at <= now) return std::nullopt;
  std::optional<int> best;
  for (int d : days) {
    if (expires_at - now <= std::chrono::hours(24) * d) {
      if (!best || d < *best) best = d;
    }
  }
  return best;
}

bool ReminderOutstanding(int due, std::optional<int> smallest_sent) {
  return !smallest_sent || *smallest_sent > due;
}

std::vector<int> ParseReminderDays(std::string_view text) {
  std::vector<int> out;
  std::string item;
  std::stringstream in{std::string(text)};
  while (std::getline(in, item, ',')) {
    const auto b = item.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    const auto e = item.find_last_not_of(" \t");
    item = item.substr(b, e - b + 1);
    if (item.empty() || item.size() > 3 ||
        !std::all_of(item.begin(), item.end(), [](unsigned char c) { return std::isdigit(c); }))
      throw AppError(ErrorCode::kValidation, "'" + item + "' is not a number of days");
    const int d = std::stoi(item);
    if (d < 1 || d > 400)
      throw AppError(ErrorCode::kValidation, "reminder days must be between 1 and 400");
    if (std::find(out.begin(), out.end(), d) != out.end())
      throw AppError(ErrorCode::kValidation, std::to_string(d) + " is named twice");
    out.push_back(d);
  }
  if (out.empty()) throw AppError(ErrorCode::kValidation, "at least one threshold is needed");
  std::sort(out.rbegin(), out.rend());
  return out;
}

// ---- webhooks --------------------------------------------------------------------------

std::optional<WebhookTarget> ParseWebhookUrl(std::string_view url) {
  if (url.size() > 2000) return std::nullopt;
  for (unsigned char c : url)
    if (c <= 0x20 || c >= 0x7f) return std::nullopt;
  WebhookTarget t;
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    t.scheme = "https";
    t.port = 443;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    t.scheme = "http";
    t.port = 80;
    rest = url.substr(7);
  } else {
    return std::nullopt;
  }
  if (url.find('#') != std::string_view::npos) return std::nullopt;
  const auto slash = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, slash);
  t.path_and_query = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  if (t.path_and_query[0] == '?') t.path_and_query = "/" + t.path_and_query;
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  std::string_view port_text;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    t.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port_text = after.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    t.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (t.host.empty()) return std::nullopt;
  if (!port_text.empty() || (authority.back() == ':')) {
    if (port_text.empty() || port_text.size() > 5) return std::nullopt;
    int p = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return std::nullopt;
      p = p * 10 + (c - '0');
    }
    if (p < 1 || p > 65535) return std::nullopt;
    t.port = p;
  }
  std::transform(t.host.begin(), t.host.end(), t.host.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  for (unsigned char c : t.host)
    if (!(std::isalnum(c) || c == '-' || c == '.' || c == ':' || c == '_')) return std::nullopt;
  return t;
}

namespace {
bool IsIpLiteral(const std::string& host) {
  in_addr v4{};
  in6_addr v6{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 || inet_pton(AF_INET6, host.c_str(), &v6) == 1;
}

bool NonPublicV4(uint32_t a) {
  const auto in = [a](uint32_t net, int bits) {
    const uint32_t mask = bits == 0 ? 0 : ~uint32_t(0) << (32 - bits);
    return (a & mask) == net;
  };
  return in(0x00000000, 8) ||   // 0.0.0.0/8 "this network"
         in(0x0a000000, 8) ||   // 10/8
         in(0x64400000, 10) ||  // 100.64/10 CGNAT
         in(0x7f000000, 8) ||   // loopback
         in(0xa9fe0000, 16) ||  // link-local (cloud metadata lives here)
         in(0xac100000, 12) ||  // 172.16/12
         in(0xc0000000, 24) ||  // 192.0.0/24 IETF
         in(0xc0000200, 24) ||  // TEST-NET-1
         in(0xc0a80000, 16) ||  // 192.168/16
         in(0xc6120000, 15) ||  // 198.18/15 benchmarking
         in(0xc6336400, 24) ||  // TEST-NET-2
         in(0xcb007100, 24) ||  // TEST-NET-3
         in(0xe0000000, 4) ||   // multicast
         in(0xf0000000, 4);     // reserved + broadcast
}
}  // namespace

bool IsNonPublicAddress(std::string_view address) {
  const std::string text(address);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return NonPublicV4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return true;
  const unsigned char* b = v6.s6_addr;
  static const unsigned char kZero[16] = {};
  if (std::equal(b, b + 16, kZero)) return true;                // ::
  if (std::equal(b, b + 15, kZero) && b[15] == 1) return true;  // ::1
  const bool mapped = std::equal(b, b + 10, kZero) && b[10] == 0xff && b[11] == 0xff;
  const bool compat = std::equal(b, b + 12, kZero);  // ::a.b.c.d (deprecated)
  const bool nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b;
  if (mapped || compat || nat64) {
    const uint32_t a = (uint32_t(b[12]) << 24) | (uint32_t(b[13]) << 16) | (uint32_t(b[14]) << 8) |
                       uint32_t(b[15]);
    return NonPublicV4(a);
  }
  if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // fec0::/10 site-local
  if (b[0] == 0xff) return true;                           // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // doc
  return false;
}

TargetCheck CheckWebhookUrl(std::string_view url, bool allow_http, bool allow_private) {
  const auto t = ParseWebhookUrl(url);
  if (!t)
    return {"webhook_url_invalid",
            "url must be an absolute http(s) URL without user info or fragment"};
  if (t->scheme != "https" && !allow_http) return {"webhook_https_required", "url must use https"};
  if (!allow_private) {
    const bool local_name =
        t->host == "localhost" || (t->host.size() > 10 && t->host.ends_with(".localhost"));
    if (local_name || (IsIpLiteral(t->host) && IsNonPublicAddress(t->host)))
      return {"webhook_target_not_allowed",
              "url must not point at a loopback, link-local or private address"};
  }
  return {};
}

std::string NewWebhookSecret() { return "whsec_" + crypto::Base64Encode(crypto::RandomBytes(32)); }

std::string WebhookSignature(std::string_view secret, std::string_view id, int64_t timestamp,
                             std::string_view body) {
  std::string_view encoded = secret;
  if (encoded.rfind("whsec_", 0) == 0) encoded.remove_prefix(6);
  std::istringstream in{std::string(encoded)};
  Poco::Base64Decoder decoder(in);
  std::string key((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id).append(".").append(std::to_string(timestamp)).append(".").append(body);
  std::string mac = crypto::HmacSha256(key, content);
  crypto::Cleanse(key);
  return "v1," + crypto::Base64Encode(mac);
}

}  // namespace onboard::domain
