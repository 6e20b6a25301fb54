#include "delivery_rig.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "client_fixtures.hpp"
#include "crypto.hpp"
#include "kek.hpp"

namespace onboard::testsupport {

namespace {

std::string RequireBinary(const char* variable) {
  const char* v = std::getenv(variable);
  if (v == nullptr || !std::filesystem::exists(v)) {
    ADD_FAILURE() << variable << " must name the built binary (set by CMake); got '" << (v ? v : "")
                  << "'";
    throw std::runtime_error(std::string(variable) + " missing");
  }
  return v;
}

std::string Python() {
  const char* v = std::getenv("ONBOARD_TEST_PYTHON");
  return v != nullptr && *v != '\0' ? v : "/usr/bin/python3";
}

std::string Tail(const std::string& s, std::size_t n = 6000) {
  return s.size() <= n ? s : s.substr(s.size() - n);
}

class Collect : public Poco::Net::PartHandler {
 public:
  void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
    std::string body;
    Poco::StreamCopier::copyToString(stream, body);
    std::string disposition = header.get("Content-Disposition", "");
    std::string type = header.get("Content-Type", "");
    if (disposition.find("attachment") != std::string::npos ||
        type.find("application/zip") != std::string::npos) {
      std::string value;
      Poco::Net::NameValueCollection params;
      Poco::Net::MessageHeader::splitParameters(disposition, value, params);
      name = params.get("filename", "");
      if (name.empty()) {
        Poco::Net::MessageHeader::splitParameters(type, value, params);
        name = params.get("name", "");
      }
      attachment = body;
    } else if (type.find("text/plain") != std::string::npos) {
      text += body;
    }
  }
  std::string name, attachment, text;
};

}  // namespace

DeliveryRig::DeliveryRig(std::map<std::string, std::string> api_env)
    : api_env_(std::move(api_env)) {
  const std::string courier_bin = RequireBinary("ONBOARD_COURIER_BIN");
  const std::string dev_sms_bin = RequireBinary("ONBOARD_DEV_SMS_BIN");
  (void)courier_bin;
  (void)dev_sms_bin;
  const auto probe = RunProgram({Python(), "-c", "import aiosmtpd"}, {"PATH=/usr/bin:/bin"}, 30s);
  if (probe.exit_code != 0) {
    ADD_FAILURE() << "aiosmtpd is missing: ONBOARD_TEST_PYTHON (" << Python()
                  << ") cannot import it (Debian package python3-aiosmtpd): " << probe.err;
    throw std::runtime_error("aiosmtpd missing");
  }
  char tmpl[] = "/tmp/onboard-rig-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
  work_dir_ = tmpl;
  maildir_ = work_dir_ + "/maildir";
  auth_token_ = crypto::Hex(crypto::RandomBytes(16));
  db_ = std::make_unique<TempDatabase>();
  operator_ = CreateToken(db_->url(), domain::Role::kOperator, "rig-operator");
  api_port_ = FreeLoopbackPort();
  smtp_port_ = FreeLoopbackPort();
  StartDevSms();
  auto env = ApiEnv();
  env["ONBOARD_HTTP_PORT"] = std::to_string(api_port_);
  api_ = std::make_unique<ApiProcess>(db_->url(), env);
  http_ = std::make_unique<HttpClient>(api_->port());
}

std::map<std::string, std::string> DeliveryRig::ApiEnv() const {
  std::map<std::string, std::string> env = api_env_;
  env["ONBOARD_SMS_AUTH_TOKEN"] = auth_token_;
  env["ONBOARD_SMS_STATUS_CALLBACK_URL"] = callback_url();
  env["ONBOARD_SECRETS_KEK"] = kTestKek;
  return env;
}

std::unique_ptr<ApiProcess> DeliveryRig::ExtraApi(
    const std::map<std::string, std::string>& overrides) {
  auto env = ApiEnv();
  env["ONBOARD_INSTANCE_ID"] = "api-extra-" + std::to_string(++extra_apis_started_);
  for (const auto& [k, v] : overrides) env[k] = v;
  return std::make_unique<ApiProcess>(db_->url(), env);
}

void DeliveryRig::KillApi() {
  if (api_) api_->Kill();
}

void DeliveryRig::RestartApi(const std::map<std::string, std::string>& overrides) {
  if (api_) old_api_logs_.push_back(api_->log());
  api_.reset();
  auto env = ApiEnv();
  env["ONBOARD_HTTP_PORT"] = std::to_string(api_port_);
  for (const auto& [k, v] : overrides) env[k] = v;
  api_ = std::make_unique<ApiProcess>(db_->url(), env);
}

void DeliveryRig::PrintLogs() const {
  std::cerr << "---- courier logs ----\n" << Tail(CourierLogs(), 12000) << "\n";
  if (dev_sms_) std::cerr << "---- dev-sms log ----\n" << Tail(dev_sms_->log(), 4000) << "\n";
  if (smtp_) std::cerr << "---- aiosmtpd log ----\n" << Tail(smtp_->log(), 4000) << "\n";
}

DeliveryRig::~DeliveryRig() {
  if (::testing::Test::HasFailure()) PrintLogs();
  if (courier_ && courier_->running()) courier_->Terminate(5s);
  courier_.reset();
  smtp_.reset();
  api_.reset();
  dev_sms_.reset();
  db_.reset();
  std::error_code ec;
  std::filesystem::remove_all(work_dir_, ec);
}

std::string DeliveryRig::callback_url() const {
  return "http://127.0.0.1:" + std::to_string(api_port_) + "/v1/callbacks/sms";
}

std::map<std::string, std::string> DeliveryRig::CourierEnv() const {
  return {
      {"ONBOARD_DATABASE_URL", db_->url()},
      {"ONBOARD_SECRETS_KEK", kTestKek},
      {"ONBOARD_SMS_BASE_URL", "http://127.0.0.1:" + std::to_string(sms_port_)},
      {"ONBOARD_SMS_ACCOUNT_SID", kRigAccountSid},
      {"ONBOARD_SMS_AUTH_TOKEN", auth_token_},
      {"ONBOARD_SMS_FROM", "ONBOARD"},
      {"ONBOARD_SMS_STATUS_CALLBACK_URL", callback_url()},
      {"ONBOARD_SMS_TIMEOUT_MS", "1000"},
      {"ONBOARD_SMS_CONNECT_TIMEOUT_MS", "500"},
      {"ONBOARD_SMTP_HOST", "127.0.0.1"},
      {"ONBOARD_SMTP_PORT", std::to_string(smtp_port_)},
      {"ONBOARD_SMTP_FROM", "onboard@example.no"},
      {"ONBOARD_SMTP_TIMEOUT_MS", "2000"},
      {"ONBOARD_COURIER_POLL_INTERVAL_MS", "50"},
      {"ONBOARD_COURIER_RETRY_BASE_MS", "100"},
      {"ONBOARD_COURIER_RETRY_MAX_MS", "800"},
      {"ONBOARD_COURIER_LEASE_MS", "5000"},
      {"ONBOARD_COURIER_WORKERS", "2"},
      {"ONBOARD_COURIER_BATCH_SIZE", "5"},
      {"ONBOARD_DATABASE_POOL_SIZE", "3"},
  };
}

void DeliveryRig::StartCourier(const std::map<std::string, std::string>& overrides) {
  if (courier_) {
    if (courier_->running()) courier_->Terminate(5s);
    old_courier_logs_.push_back(courier_->log());
  }
  auto env = CourierEnv();
  env["ONBOARD_INSTANCE_ID"] = "courier-" + std::to_string(++couriers_started_);
  for (const auto& [k, v] : overrides) env[k] = v;
  courier_ = std::make_unique<ChildProcess>(
      "courier", std::vector<std::string>{RequireBinary("ONBOARD_COURIER_BIN")}, env);
  const bool started = WaitUntil(
      [&] {
        return courier_->log().find("courier started") != std::string::npos || !courier_->running();
      },
      20s);
  ASSERT_TRUE(started && courier_->running()) << "onboard-courier did not start:\n"
                                              << Tail(courier_->log());
}

std::unique_ptr<ChildProcess> DeliveryRig::ExtraCourier(
    const std::string& instance, const std::map<std::string, std::string>& overrides) {
  auto env = CourierEnv();
  env["ONBOARD_INSTANCE_ID"] = instance;
  for (const auto& [k, v] : overrides) env[k] = v;
  auto c = std::make_unique<ChildProcess>(
      instance, std::vector<std::string>{RequireBinary("ONBOARD_COURIER_BIN")}, env);
  const bool started = WaitUntil(
      [&] { return c->log().find("courier started") != std::string::npos || !c->running(); }, 20s);
  EXPECT_TRUE(started && c->running()) << "the extra onboard-courier did not start:\n"
                                       << Tail(c->log());
  return c;
}

void DeliveryRig::StopCourier() {
  ASSERT_TRUE(courier_);
  const auto code = courier_->Terminate(15s);
  EXPECT_EQ(code, std::optional<int>(0)) << "onboard-courier did not stop cleanly on SIGTERM:\n"
                                         << Tail(courier_->log());
}

void DeliveryRig::KillCourier() {
  ASSERT_TRUE(courier_);
  courier_->Kill();
}

std::string DeliveryRig::CourierLogs() const {
  std::string out;
  for (const auto& l : old_courier_logs_) out += l;
  if (courier_) out += courier_->log();
  return out;
}

void DeliveryRig::StartDevSms() {
  if (dev_sms_) old_sms_logs_.push_back(dev_sms_->log());
  dev_sms_.reset();
  // The first start picks a free port; restarts take the same one (the courier's base URL).
  const std::string port_file = work_dir_ + "/dev-sms.port";
  std::vector<std::string> argv{RequireBinary("ONBOARD_DEV_SMS_BIN"), "--callback-delay-ms=50",
                                "--port=" + std::to_string(sms_port_), "--port-file=" + port_file};
  std::filesystem::remove(port_file);
  dev_sms_ = std::make_unique<ChildProcess>("dev-sms", argv,
                                            std::map<std::string, std::string>{
                                                {"ONBOARD_DEV_SMS_ACCOUNT_SID", kRigAccountSid},
                                                {"ONBOARD_DEV_SMS_AUTH_TOKEN", auth_token_},
                                            });
  sms_port_ = dev_sms_->WaitForPortFile(port_file, 20s);
  if (sms_port_ == 0) {
    ADD_FAILURE() << "onboard-dev-sms did not start:\n" << dev_sms_->log();
    throw std::runtime_error("dev-sms did not start");
  }
  const bool up = WaitUntil([&] { return PortAccepts(sms_port_) || !dev_sms_->running(); }, 20s);
  if (!up || !dev_sms_->running()) {
    ADD_FAILURE() << "onboard-dev-sms is not listening on " << sms_port_ << ":\n"
                  << dev_sms_->log();
    throw std::runtime_error("dev-sms did not start");
  }
}

void DeliveryRig::StopDevSms() {
  if (!dev_sms_) return;
  EXPECT_EQ(dev_sms_->Terminate(10s), std::optional<int>(0)) << dev_sms_->log();
  old_sms_logs_.push_back(dev_sms_->log());
  dev_sms_.reset();
}

void DeliveryRig::StartSmtp() {
  smtp_.reset();
  for (const char* sub : {"/cur", "/new", "/tmp"})
    std::filesystem::create_directories(maildir_ + sub);
  smtp_ = std::make_unique<ChildProcess>(
      "aiosmtpd",
      std::vector<std::string>{Python(), "-m", "aiosmtpd", "-n", "-l",
                               "127.0.0.1:" + std::to_string(smtp_port_), "-c",
                               "aiosmtpd.handlers.Mailbox", maildir_},
      std::map<std::string, std::string>{});
  const bool up = WaitUntil([&] { return PortAccepts(smtp_port_) || !smtp_->running(); }, 30s);
  ASSERT_TRUE(up && smtp_->running()) << "aiosmtpd did not start on " << smtp_port_ << ":\n"
                                      << smtp_->log();
}

void DeliveryRig::StopSmtp() {
  if (smtp_) smtp_->Terminate(10s);
}

std::vector<Poco::JSON::Object::Ptr> DeliveryRig::Messages(const std::string& to) const {
  std::vector<Poco::JSON::Object::Ptr> out;
  const HttpResponse r = sms_http().Get("/messages");
  if (r.status != 200 || !r.json) {
    ADD_FAILURE() << "GET /messages of the dev provider: " << r.Describe();
    return out;
  }
  auto arr = r.json->getArray("messages");
  for (std::size_t i = 0; arr && i < arr->size(); ++i) {
    auto m = arr->getObject(static_cast<unsigned>(i));
    if (to.empty() || m->getValue<std::string>("to") == to) out.push_back(m);
  }
  return out;
}

void DeliveryRig::SetFaults(const std::string& json) const {
  const HttpResponse r = sms_http().Post("/_control", json);
  ASSERT_EQ(r.status, 200) << r.Describe();
}

std::vector<ReceivedMail> DeliveryRig::Mails(const std::string& to) const {
  std::vector<ReceivedMail> out;
  const std::string dir = maildir_ + "/new";
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    Poco::Net::MailMessage message;
    Collect parts;
    try {
      message.read(in, parts);
    } catch (const Poco::Exception& e) {
      ADD_FAILURE() << "unreadable mail " << entry.path() << ": " << e.displayText();
      continue;
    }
    ReceivedMail m;
    for (const auto& r : message.recipients()) m.to = r.getAddress();
    if (m.to.empty()) m.to = message.get("To", "");
    if (!to.empty() && m.to.find(to) == std::string::npos) continue;
    m.subject = message.getSubject();
    m.message_id = message.get("Message-ID", "");
    m.text = parts.text.empty() ? message.getContent() : parts.text;
    m.attachment_name = parts.name;
    m.attachment = parts.attachment;
    out.push_back(std::move(m));
  }
  return out;
}

std::string DeliveryRig::NewMobile() {
  const int n = 40000000 + (static_cast<int>(::getpid()) % 1000) * 10000 + next_mobile_++;
  return "+47" + std::to_string(n);
}

std::string DeliveryRig::InsertDelivery(const std::string& mobile, const std::string& body,
                                        const std::string& email, const std::string& zip,
                                        std::chrono::seconds deadline) {
  const std::string orgno = ValidOrgno(next_org_++, 97000000);
  const std::string client_id = crypto::NewUuid();
  const std::string secret_id = crypto::NewUuid();
  const std::string delivery_id = crypto::NewUuid();
  std::vector<std::string> problems;
  const crypto::KeyRing ring(crypto::ParseKeks(kTestKek, problems));
  Poco::JSON::Object sms;
  sms.set("body", body);
  const auto sealed_sms = ring.Seal(Json(sms), crypto::OutboxAad(delivery_id, "sms"));
  const std::string channel = email.empty() ? "download" : "email";
  const std::string dl = std::to_string(deadline.count());
  std::string sql =
      "BEGIN;"
      "INSERT INTO organisations (orgno, name) VALUES ('" +
      orgno + "', 'Rig " + orgno +
      "') ON CONFLICT DO NOTHING;"
      "INSERT INTO clients (client_id, environment, organisation, integration_type, client_name, "
      "state, metadata, "
      "registration_channel, created_by) VALUES ('" +
      client_id + "', 'production', '" + orgno +
      "', 'idporten', 'Tjeneste', 'awaiting_credentials', '{}', 'production_order', 'rig');"
      "INSERT INTO client_secrets (secret_id, client_id, secret_hash, prefix, expires_at, "
      "created_by) VALUES ('" +
      secret_id + "', '" + client_id + "', '" + crypto::Hex(crypto::RandomBytes(32)) +
      "', 'rig', now() + interval '360 days', 'rig');"
      "INSERT INTO deliveries (id, client_id, secret_id, organisation, environment, channel, "
      "mobile, email, "
      "package_state, package_expires_at, email_state, created_by) VALUES ('" +
      delivery_id + "', '" + client_id + "', '" + secret_id + "', '" + orgno +
      "', 'production', '" + channel + "', '" + mobile + "', " +
      (email.empty() ? std::string("NULL") : SqlLiteral(email)) +
      ", 'built', now() + interval '14 days', '" + (email.empty() ? "not_applicable" : "queued") +
      "', 'rig');"
      "INSERT INTO outbox (delivery_id, kind, recipient, payload_kek_id, payload, deadline_at) "
      "VALUES ('" +
      delivery_id + "', 'sms', '" + mobile + "', '" + sealed_sms.kek_id + "', '\\x" +
      crypto::Hex(sealed_sms.bytes) + "'::bytea, now() + interval '" + dl + " seconds');";
  if (!email.empty()) {
    Poco::JSON::Object mail;
    mail.set("subject", "Klientpakke / client package");
    mail.set("text", "Vedlagt er pakken. The package is attached.");
    mail.set("attachment_name", "package.zip");
    mail.set("attachment_base64", crypto::Base64Encode(zip));
    const auto sealed_mail = ring.Seal(Json(mail), crypto::OutboxAad(delivery_id, "email"));
    sql +=
        "INSERT INTO outbox (delivery_id, kind, recipient, payload_kek_id, payload, deadline_at) "
        "VALUES ('" +
        delivery_id + "', 'email', " + SqlLiteral(email) + ", '" + sealed_mail.kek_id + "', '\\x" +
        crypto::Hex(sealed_mail.bytes) + "'::bytea, now() + interval '" + dl + " seconds');";
  }
  sql += "COMMIT;";
  ExecSql(db_->url(), sql);
  return delivery_id;
}

std::string DeliveryRig::SmsState(const std::string& delivery_id) const {
  return QueryScalar(db_->url(),
                     "SELECT sms_state FROM deliveries WHERE id = '" + delivery_id + "'")
      .value_or("");
}

std::string DeliveryRig::OutboxState(const std::string& delivery_id,
                                     const std::string& kind) const {
  return QueryScalar(db_->url(),
                     "SELECT string_agg(state, ',' ORDER BY id) FROM outbox WHERE delivery_id = '" +
                         delivery_id + "' AND kind = '" + kind + "'")
      .value_or("");
}

bool DeliveryRig::WaitForSmsStates(const std::vector<std::string>& ids, const std::string& state,
                                   std::chrono::milliseconds timeout) {
  return WaitUntil(
      [&] {
        for (const auto& id : ids) {
          if (SmsState(id) != state) return false;
        }
        return true;
      },
      timeout, 50ms);
}

std::string DeliveryRig::AllLogs() const {
  std::string out;
  for (const auto& l : old_api_logs_) out += l;
  if (api_) out += api_->log();
  out += CourierLogs();
  for (const auto& l : old_sms_logs_) out += l;
  if (dev_sms_) out += dev_sms_->log();
  if (smtp_) out += smtp_->log();
  return out;
}

std::string DeliveryRig::DatabaseDump() const {
  const std::string pg_dump = "/usr/lib/postgresql/15/bin/pg_dump";
  if (!std::filesystem::exists(pg_dump)) {
    ADD_FAILURE() << pg_dump << " is missing (Debian package postgresql-15)";
    return {};
  }
  const auto r = RunProgram({pg_dump, "--no-owner", "--inserts", "--dbname=" + db_->url()},
                            {"PATH=/usr/bin:/bin"}, 60s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

}  // namespace onboard::testsupport
