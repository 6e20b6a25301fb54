#include "issuer.hpp"

#include <Poco/JSON/Object.h>

#include <ctime>
#include <sstream>

#include "client_secret.hpp"
#include "error.hpp"
#include "templates.hpp"
#include "zip_package.hpp"
#include "zip_password.hpp"

namespace onboard::package {

namespace {

TemplateValues ValuesOf(const PackageFacts& f) {
  return {{"client_id", f.client_id},
          {"client_name", f.client_name},
          {"environment", f.environment},
          {"auth_method", f.auth_method},
          {"secret_expires_at", f.secret_expires_at},
          {"issuer", f.endpoints.issuer},
          {"well_known_url", f.endpoints.well_known_url},
          {"token_endpoint", f.endpoints.token_endpoint}};
}

std::string Trimmed(const crypto::SecretString& s) {
  std::string out = s.reveal();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace

std::string IsoUtc(int64_t epoch) {
  const std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string PackageFileName(const PackageFacts& facts) {
  return "credentials-" + facts.environment + "-" + facts.client_id + ".zip";
}

PackageContents RenderPackage(const PackageFacts& facts, const crypto::SecretString& secret) {
  TemplateValues values = ValuesOf(facts);
  values["client_secret"] = secret.reveal();
  PackageContents out{Render("credentials.json.mustache", values, Escape::kJson),
                      Render("README.txt.mustache", values),
                      Render("LES-MEG.txt.mustache", values)};
  crypto::Cleanse(values["client_secret"]);
  return out;
}

domain::SecretIssuance PrepareDeliveredIssuance(const DeliveryRequest& request,
                                                const AppConfig& config,
                                                const crypto::KeyRing& keys, int64_t now_epoch) {
  const std::string environment(domain::ToString(request.client.environment));
  domain::IssuedSecret issued = domain::NewClientSecret(
      config.secrets.pepper, config.secrets.lifetime_days, now_epoch, request.created_by);
  const crypto::SecretString password = domain::NewZipPassword();

  PackageFacts facts{
      request.client.client_id,
      request.client.metadata.client_name,
      environment,
      std::string(domain::ToString(request.client.metadata.token_endpoint_auth_method)),
      IsoUtc(issued.record.expires_at_epoch),
      config.environments.For(environment)};
  std::vector<ZipEntry> entries;
  {
    PackageContents contents = RenderPackage(facts, issued.secret);
    entries.push_back({"credentials.json", std::move(contents.credentials_json)});
    entries.push_back({"README.txt", std::move(contents.readme_en)});
    entries.push_back({"LES-MEG.txt", std::move(contents.readme_no)});
  }
  const crypto::SecretString zip(BuildEncryptedZip(entries, password));
  entries.clear();

  domain::SecretIssuance out;
  out.client_id = request.client.client_id;
  out.secret = issued.record;
  out.grace_days = config.secrets.grace_days;
  out.max_old = config.secrets.max_old;
  out.supersedes_delivery_id = request.supersedes_delivery_id;
  domain::SecretIssuance::DeliveryRow d;
  d.id = crypto::NewUuid();
  d.organisation = request.organisation;
  d.order_id = request.order_id;
  d.environment = environment;
  d.channel = request.channel;
  d.mobile = request.mobile;
  d.email = request.email;
  d.package_expires_at_epoch =
      now_epoch + static_cast<int64_t>(config.delivery.package_ttl_days) * 86400;

  TemplateValues message_values = ValuesOf(facts);
  message_values["attachment_name"] = PackageFileName(facts);
  {
    message_values["zip_password"] = password.reveal();
    const crypto::SecretString sms_text = Render("sms.txt.mustache", message_values);
    crypto::Cleanse(message_values["zip_password"]);
    const crypto::SecretString payload("{\"body\":\"" + JsonEscape(Trimmed(sms_text)) + "\"}");
    crypto::Sealed sealed = keys.Seal(payload.reveal(), crypto::OutboxAad(d.id, "sms"));
    d.outbox.push_back({"sms", d.mobile, sealed.kek_id, std::move(sealed.bytes)});
  }
  if (request.channel == domain::DeliveryChannel::kEmail) {
    const crypto::SecretString subject = Render("email_subject.txt.mustache", message_values);
    const crypto::SecretString text = Render("email_body.txt.mustache", message_values);
    const crypto::SecretString payload(
        "{\"subject\":\"" + JsonEscape(Trimmed(subject)) + "\",\"text\":\"" +
        JsonEscape(text.reveal()) + "\",\"attachment_name\":\"" +
        JsonEscape(PackageFileName(facts)) + "\",\"attachment_base64\":\"" +
        crypto::Base64Encode(zip.reveal()) + "\"}");
    crypto::Sealed sealed = keys.Seal(payload.reveal(), crypto::OutboxAad(d.id, "email"));
    d.outbox.push_back({"email", d.email, sealed.kek_id, std::move(sealed.bytes)});
  } else {
    crypto::Sealed sealed = keys.Seal(zip.reveal(), crypto::PackageAad(d.id));
    d.package_kek_id = sealed.kek_id;
    d.package = std::move(sealed.bytes);
  }

  Poco::JSON::Object detail;
  detail.set("client_id", out.client_id);
  detail.set("secret_id", out.secret.secret_id);
  detail.set("secret_prefix", out.secret.prefix);
  detail.set("secret_expires_at", facts.secret_expires_at);
  detail.set("delivery_id", d.id);
  detail.set("channel", std::string(domain::ToString(d.channel)));
  detail.set("mobile", domain::MaskMobile(d.mobile));
  if (!d.email.empty()) detail.set("email", d.email);
  if (!d.order_id.empty()) detail.set("order_id", d.order_id);
  if (!out.supersedes_delivery_id.empty())
    detail.set("supersedes_delivery_id", out.supersedes_delivery_id);
  std::ostringstream text;
  detail.stringify(text);
  out.audit = request.audit;
  out.audit.detail_json = text.str();
  out.delivery = std::move(d);
  return out;
}

}  // namespace onboard::package
