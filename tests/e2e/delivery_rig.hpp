#pragma once

// The delivery set-up of the e2e and reliability tests: one migrated database, the real
// onboard-api, onboard-dev-sms, aiosmtpd (Maildir) and onboard-courier processes on
// loopback, wired as ops/run wires them, with short timeouts and backoffs. Missing peers
// (binaries, Python with aiosmtpd) fail the suite, naming what is missing.

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {

/// One e-mail found in the aiosmtpd Maildir.
struct ReceivedMail {
  std::string to;
  std::string subject;
  std::string message_id;
  std::string text;
  std::string attachment_name;
  std::string attachment;  ///< raw bytes
};

class DeliveryRig {
 public:
  /// `api_env`: extra ONBOARD_* settings of api() and every API it starts (the console's
  /// browser tests add console.dir).
  explicit DeliveryRig(std::map<std::string, std::string> api_env = {});
  ~DeliveryRig();
  DeliveryRig(const DeliveryRig&) = delete;
  DeliveryRig& operator=(const DeliveryRig&) = delete;

  TempDatabase& db() { return *db_; }
  ApiProcess& api() { return *api_; }
  HttpClient& http() { return *http_; }
  HttpClient sms_http() const { return HttpClient(sms_port_); }
  const TestToken& operator_token() const { return operator_; }
  const std::string& auth_token() const { return auth_token_; }
  std::string callback_url() const;

  void StartCourier(const std::map<std::string, std::string>& overrides = {});
  /// SIGTERM; fails the test unless it exits 0.
  void StopCourier();
  void KillCourier();
  /// Another courier against the same database and peers, named `instance`.
  std::unique_ptr<ChildProcess> ExtraCourier(
      const std::string& instance, const std::map<std::string, std::string>& overrides = {});
  ChildProcess* courier() { return courier_.get(); }
  /// Logs of every courier started so far (stopped ones included).
  std::string CourierLogs() const;

  void StartDevSms();
  void StopDevSms();
  ChildProcess* dev_sms() { return dev_sms_.get(); }
  void StartSmtp();
  void StopSmtp();
  const std::string& maildir() const { return maildir_; }

  /// Every message the dev provider holds (GET /messages), optionally only those to `to`.
  std::vector<Poco::JSON::Object::Ptr> Messages(const std::string& to = "") const;
  /// POST /_control.
  void SetFaults(const std::string& json) const;
  /// Mails in the Maildir to `to`.
  std::vector<ReceivedMail> Mails(const std::string& to) const;

  /// A production client with a delivery whose outbox holds the sealed SMS `body` (and an
  /// e-mail with `zip` attached when `email` is given), inserted in one transaction the way
  /// the issuing path writes it. Returns the delivery id.
  std::string InsertDelivery(const std::string& mobile, const std::string& body,
                             const std::string& email = "", const std::string& zip = "",
                             std::chrono::seconds deadline = std::chrono::minutes(10));

  std::string SmsState(const std::string& delivery_id) const;
  std::string OutboxState(const std::string& delivery_id, const std::string& kind) const;
  /// Polls until every given delivery's sms_state is `state` (or the timeout).
  bool WaitForSmsStates(const std::vector<std::string>& delivery_ids, const std::string& state,
                        std::chrono::milliseconds timeout);

  /// A fresh E.164 Norwegian mobile number, different each call.
  std::string NewMobile();
  /// All the process logs (api, courier(s), dev-sms, smtp) concatenated.
  std::string AllLogs() const;
  /// Prints the tails of the courier, dev-sms and aiosmtpd logs to stderr (on failure).
  void PrintLogs() const;
  /// pg_dump of the test database (plain SQL, data included).
  std::string DatabaseDump() const;

  // Several API instances and API crashes (issue #8, scale-out and crash tests).
  /// The ONBOARD_* settings api() runs with, its port aside (peers, callback URL, KEK).
  std::map<std::string, std::string> ApiEnv() const;
  /// Another onboard-api on the same database and peers, on a port of its own.
  std::unique_ptr<ApiProcess> ExtraApi(const std::map<std::string, std::string>& overrides = {});
  /// SIGKILLs api(): no shutdown, no draining, whatever was in flight is cut off.
  void KillApi();
  /// Starts api() again on its port (after KillApi); http() keeps working.
  void RestartApi(const std::map<std::string, std::string>& overrides = {});

 private:
  std::map<std::string, std::string> CourierEnv() const;

  std::map<std::string, std::string> api_env_;
  std::unique_ptr<TempDatabase> db_;
  std::unique_ptr<ApiProcess> api_;
  std::unique_ptr<HttpClient> http_;
  std::unique_ptr<ChildProcess> dev_sms_;
  std::unique_ptr<ChildProcess> smtp_;
  std::unique_ptr<ChildProcess> courier_;
  std::vector<std::string> old_courier_logs_;
  std::vector<std::string> old_sms_logs_;
  std::vector<std::string> old_api_logs_;
  int extra_apis_started_ = 0;
  TestToken operator_;
  std::string auth_token_;
  std::string maildir_;
  std::string work_dir_;
  int sms_port_ = 0;
  int smtp_port_ = 0;
  int api_port_ = 0;
  int couriers_started_ = 0;
  int next_mobile_ = 0;
  int next_org_ = 0;
};

/// The account sid of the dev provider in the tests.
inline constexpr const char* kRigAccountSid = "AC0123456789abcdef0123456789abcdef";

}  // namespace onboard::testsupport
