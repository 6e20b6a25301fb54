#pragma once

// A small Twilio-compatible SMS API for local runs and tests (never for production): it
// keeps messages in memory, shows them at GET /messages (bodies included: that is how a
// developer reads the zip password), answers send/fetch/list/redact like Twilio's
// 2010-04-01 Messages API with Basic-auth checking, posts signed status callbacks
// (queued -> sent -> delivered) and lets tests inject faults through POST /_control.

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Timestamp.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace onboard::devsms {

struct Options {
  std::string account_sid;
  std::string auth_token;  ///< Basic-auth password and key of the callback signatures
  std::string api_key_sid;
  std::string api_key_secret;
  int callback_delay_ms = 100;  ///< between the status callbacks of one message
};

struct Message {
  std::string sid;
  std::string to;
  std::string from;
  std::string messaging_service_sid;
  std::string body;          ///< the provider's copy (emptied by redaction)
  std::string handset_body;  ///< what the phone received (kept: GET /messages shows it)
  std::string status = "queued";
  std::string status_callback;
  std::string error_code;
  Poco::Timestamp created;
  bool redacted = false;
};

/// One injected fault, applied to the next create-message requests in order.
struct Fault {
  std::string kind;  ///< status | rate_limit | hang | accept_then_fail | reject
  int count = 1;
  int status = 500;       ///< status, reject
  int retry_after_s = 1;  ///< rate_limit
  int ms = 0;             ///< hang: how long before answering (the message is stored first)
  std::string code;       ///< reject: Twilio error code, e.g. 21610
  std::string message;    ///< reject
};

/// State shared by the request handlers and the callback thread. Thread-safe.
class Provider {
 public:
  explicit Provider(Options options);
  ~Provider();
  Provider(const Provider&) = delete;
  Provider& operator=(const Provider&) = delete;

  const Options& options() const { return options_; }

  /// Stores a new message and schedules its callbacks; returns a copy.
  Message Create(Message m);
  bool Find(const std::string& sid, Message& out) const;
  std::vector<Message> All() const;
  bool Redact(const std::string& sid, Message& out);

  /// Takes the fault for the next create request (kind empty: none).
  Fault NextFault();
  void SetFaults(std::vector<Fault> faults, std::string final_status);
  int create_requests() const;
  void CountCreateRequest();
  std::string final_status() const;
  std::vector<Fault> faults() const;
  /// While set, every redaction (POST .../Messages/{sid} with an empty Body) is refused with
  /// a 400 (tests of the courier's redaction failure).
  void SetRefuseRedactions(bool refuse);
  bool refuse_redactions() const;

 private:
  struct Event {
    std::chrono::steady_clock::time_point at;
    std::string sid;
    std::string status;
  };
  void CallbackLoop();
  void PostCallback(const Message& m, const std::string& status);

  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Message> messages_;
  std::map<std::string, std::size_t> by_sid_;
  std::deque<Fault> faults_;
  std::string final_status_ = "delivered";
  bool refuse_redactions_ = false;
  int create_requests_ = 0;
  std::deque<Event> events_;
  bool stop_ = false;
  std::thread callbacks_;
};

/// Request handler factory for Poco::Net::HTTPServer.
Poco::Net::HTTPRequestHandlerFactory* NewHandlerFactory(Provider& provider);

}  // namespace onboard::devsms
