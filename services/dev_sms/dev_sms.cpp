#include "dev_sms.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "crypto.hpp"
#include "log.hpp"
#include "twilio_signature.hpp"

namespace onboard::devsms {

namespace {

constexpr const char* kApiPrefix = "/2010-04-01/Accounts/";

std::string TwilioDate(const Poco::Timestamp& t) {
  return Poco::DateTimeFormatter::format(t, "%w, %d %b %Y %H:%M:%S +0000");
}

std::string NewSid() { return "SM" + crypto::Hex(crypto::RandomBytes(16)); }

Poco::JSON::Object MessageJson(const Message& m, const std::string& account_sid) {
  Poco::JSON::Object o;
  const std::string uri = std::string(kApiPrefix) + account_sid + "/Messages/" + m.sid + ".json";
  o.set("account_sid", account_sid);
  o.set("api_version", "2010-04-01");
  o.set("body", m.body);
  o.set("date_created", TwilioDate(m.created));
  o.set("date_sent", TwilioDate(m.created));
  o.set("date_updated", TwilioDate(m.created));
  o.set("direction", "outbound-api");
  if (m.error_code.empty())
    o.set("error_code", Poco::Dynamic::Var());
  else
    o.set("error_code", std::stoi(m.error_code));
  o.set("error_message", Poco::Dynamic::Var());
  o.set("from", m.from.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(m.from));
  o.set("messaging_service_sid", m.messaging_service_sid.empty()
                                     ? Poco::Dynamic::Var()
                                     : Poco::Dynamic::Var(m.messaging_service_sid));
  o.set("num_media", "0");
  o.set("num_segments", "1");
  o.set("price", Poco::Dynamic::Var());
  o.set("price_unit", "USD");
  o.set("sid", m.sid);
  o.set("status", m.status);
  Poco::JSON::Object sub;
  sub.set("media", std::string(kApiPrefix) + account_sid + "/Messages/" + m.sid + "/Media.json");
  o.set("subresource_uris", sub);
  o.set("to", m.to);
  o.set("uri", uri);
  return o;
}

void Send(Poco::Net::HTTPServerResponse& resp, int status, const std::string& body,
          const std::string& type = "application/json") {
  resp.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  resp.setContentType(type);
  resp.setContentLength(static_cast<std::streamsize>(body.size()));
  resp.send() << body;
}

void SendJson(Poco::Net::HTTPServerResponse& resp, int status, const Poco::JSON::Object& o) {
  std::ostringstream out;
  o.stringify(out);
  Send(resp, status, out.str());
}

// Twilio's error document.
void SendError(Poco::Net::HTTPServerResponse& resp, int status, int code,
               const std::string& message) {
  Poco::JSON::Object o;
  o.set("code", code);
  o.set("message", message);
  o.set("more_info", "https://www.twilio.com/docs/errors/" + std::to_string(code));
  o.set("status", status);
  SendJson(resp, status, o);
}

bool IsE164(const std::string& s) {
  if (s.size() < 8 || s.size() > 16 || s[0] != '+' || s[1] == '0') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ParseTime(const std::string& text, Poco::Timestamp& out) {
  Poco::DateTime dt;
  int tz = 0;
  if (Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, dt, tz) ||
      Poco::DateTimeParser::tryParse("%Y-%m-%d", text, dt, tz)) {
    dt.makeUTC(tz);
    out = dt.timestamp();
    return true;
  }
  return false;
}

class Handler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit Handler(Provider& p) : p_(p) {}

  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& resp) override {
    try {
      Dispatch(req, resp);
    } catch (const Poco::Exception& e) {
      Poco::JSON::Object f;
      f.set("error", e.displayText());
      log::Warn("dev-sms request failed", f);
      if (!resp.sent()) SendError(resp, 500, 20500, "Internal Server Error");
    } catch (const std::exception& e) {
      Poco::JSON::Object f;
      f.set("error", std::string(e.what()));
      log::Warn("dev-sms request failed", f);
      if (!resp.sent()) SendError(resp, 500, 20500, "Internal Server Error");
    }
  }

 private:
  void Dispatch(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
    const Poco::URI uri(req.getURI());
    const std::string path = uri.getPath();
    const std::string& method = req.getMethod();
    if (path == "/messages" && method == "GET") return ListForHumans(uri, resp);
    if (path == "/_control" && method == "POST") return Control(req, resp);
    if (path == "/_control" && method == "GET") return ShowControl(resp);
    if (path == "/healthz") return Send(resp, 200, "{\"status\":\"ok\"}");
    if (path.rfind(kApiPrefix, 0) != 0)
      return SendError(resp, 404, 20404, "The requested resource was not found");

    const std::string rest = path.substr(std::string(kApiPrefix).size());
    const auto slash = rest.find('/');
    const std::string account = rest.substr(0, slash);
    const std::string tail = slash == std::string::npos ? "" : rest.substr(slash);
    if (!Authorised(req, account)) return SendError(resp, 401, 20003, "Authenticate");
    if (tail == "/Messages.json" && method == "POST") return Create(req, resp);
    if (tail == "/Messages.json" && method == "GET") return List(uri, resp);
    const std::string prefix = "/Messages/";
    if (tail.rfind(prefix, 0) == 0 && tail.size() > prefix.size() + 5 &&
        tail.substr(tail.size() - 5) == ".json") {
      const std::string sid = tail.substr(prefix.size(), tail.size() - prefix.size() - 5);
      if (method == "GET") return Fetch(sid, resp);
      if (method == "POST") return Update(req, sid, resp);
    }
    SendError(resp, 404, 20404, "The requested resource " + path + " was not found");
  }

  bool Authorised(Poco::Net::HTTPServerRequest& req, const std::string& account) {
    const auto& o = p_.options();
    if (account != o.account_sid || !req.hasCredentials()) return false;
    try {
      Poco::Net::HTTPBasicCredentials cred(req);
      if (cred.getUsername() == o.account_sid)
        return crypto::ConstantTimeEqual(cred.getPassword(), o.auth_token);
      if (!o.api_key_sid.empty() && cred.getUsername() == o.api_key_sid) {
        return crypto::ConstantTimeEqual(cred.getPassword(), o.api_key_secret);
      }
    } catch (const Poco::Exception&) {
    }
    return false;
  }

  void Create(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
    p_.CountCreateRequest();
    Poco::Net::HTMLForm form(req, req.stream());
    const Fault fault = p_.NextFault();
    if (fault.kind == "status") return SendError(resp, fault.status, 20500, "Injected failure");
    if (fault.kind == "rate_limit") {
      resp.set("Retry-After", std::to_string(fault.retry_after_s));
      return SendError(resp, 429, 20429, "Too Many Requests");
    }
    if (fault.kind == "reject") {
      return SendError(
          resp, fault.status, fault.code.empty() ? 21610 : std::stoi(fault.code),
          fault.message.empty() ? "Attempt to send to unsubscribed recipient" : fault.message);
    }
    Message m;
    m.to = form.get("To", "");
    m.from = form.get("From", "");
    m.messaging_service_sid = form.get("MessagingServiceSid", "");
    m.body = form.get("Body", "");
    m.status_callback = form.get("StatusCallback", "");
    if (m.to.empty()) return SendError(resp, 400, 21604, "A 'To' phone number is required.");
    if (!IsE164(m.to))
      return SendError(resp, 400, 21211, "Invalid 'To' Phone Number: " + log::MaskPhone(m.to));
    if (m.from.empty() && m.messaging_service_sid.empty()) {
      return SendError(resp, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required");
    }
    if (m.body.empty()) return SendError(resp, 400, 21602, "Message body is required.");
    m.sid = NewSid();
    m.handset_body = m.body;
    const Message stored = p_.Create(std::move(m));
    Poco::JSON::Object f;
    f.set("sid", stored.sid);
    f.set("to", log::MaskPhone(stored.to));
    f.set("body_chars", static_cast<int>(stored.body.size()));
    f.set("fault", fault.kind);
    log::Info("dev-sms message received (read it at GET /messages)", f);
    if (fault.kind == "accept_then_fail")
      return SendError(resp, 500, 20500, "Injected failure after accepting");
    if (fault.kind == "hang") std::this_thread::sleep_for(std::chrono::milliseconds(fault.ms));
    try {
      SendJson(resp, 201, MessageJson(stored, p_.options().account_sid));
    } catch (const Poco::Exception&) {
      // The client gave up waiting (hang): the message stays accepted.
    }
  }

  void Fetch(const std::string& sid, Poco::Net::HTTPServerResponse& resp) {
    Message m;
    if (!p_.Find(sid, m))
      return SendError(resp, 404, 20404, "The requested resource was not found");
    SendJson(resp, 200, MessageJson(m, p_.options().account_sid));
  }

  void Update(Poco::Net::HTTPServerRequest& req, const std::string& sid,
              Poco::Net::HTTPServerResponse& resp) {
    Poco::Net::HTMLForm form(req, req.stream());
    if (!form.has("Body") || !form.get("Body").empty()) {
      return SendError(resp, 400, 21618,
                       "Only redaction (an empty Body) is supported by the dev provider");
    }
    if (p_.refuse_redactions())
      return SendError(resp, 400, 21626, "Injected failure: the message cannot be redacted");
    Message m;
    if (!p_.Redact(sid, m))
      return SendError(resp, 404, 20404, "The requested resource was not found");
    Poco::JSON::Object f;
    f.set("sid", sid);
    log::Info("dev-sms message redacted", f);
    SendJson(resp, 200, MessageJson(m, p_.options().account_sid));
  }

  void List(const Poco::URI& uri, Poco::Net::HTTPServerResponse& resp) {
    std::string to;
    std::optional<Poco::Timestamp> after, before;
    int page_size = 50;
    int page = 0;
    for (const auto& [name, value] : uri.getQueryParameters()) {
      Poco::Timestamp t;
      if (name == "To")
        to = value;
      else if (name == "DateSent>" && ParseTime(value, t))
        after = t;
      else if (name == "DateSent<" && ParseTime(value, t))
        before = t;
      else if (name == "PageSize")
        page_size = std::clamp(std::atoi(value.c_str()), 1, 1000);
      else if (name == "Page")
        page = std::max(0, std::atoi(value.c_str()));
    }
    std::vector<Message> hits;
    for (auto& m : p_.All()) {
      if (!to.empty() && m.to != to) continue;
      if (after && m.created < *after) continue;
      if (before && m.created > *before) continue;
      hits.push_back(std::move(m));
    }
    // Newest first, as Twilio lists them.
    std::reverse(hits.begin(), hits.end());
    const std::string base = std::string(kApiPrefix) + p_.options().account_sid + "/Messages.json";
    auto page_uri = [&](int n) {
      Poco::URI u(base);
      if (!to.empty()) u.addQueryParameter("To", to);
      for (const auto& [name, value] : uri.getQueryParameters()) {
        if (name == "DateSent>" || name == "DateSent<") u.addQueryParameter(name, value);
      }
      u.addQueryParameter("PageSize", std::to_string(page_size));
      u.addQueryParameter("Page", std::to_string(n));
      return u.toString();
    };
    Poco::JSON::Array arr;
    const std::size_t start = static_cast<std::size_t>(page) * static_cast<std::size_t>(page_size);
    for (std::size_t i = start; i < hits.size() && i < start + static_cast<std::size_t>(page_size);
         ++i) {
      arr.add(MessageJson(hits[i], p_.options().account_sid));
    }
    Poco::JSON::Object o;
    o.set("messages", arr);
    o.set("page", page);
    o.set("page_size", page_size);
    o.set("start", static_cast<int>(start));
    o.set("end", static_cast<int>(start + arr.size()));
    o.set("uri", page_uri(page));
    o.set("first_page_uri", page_uri(0));
    const bool more = start + static_cast<std::size_t>(page_size) < hits.size();
    o.set("next_page_uri", more ? Poco::Dynamic::Var(page_uri(page + 1)) : Poco::Dynamic::Var());
    o.set("previous_page_uri",
          page > 0 ? Poco::Dynamic::Var(page_uri(page - 1)) : Poco::Dynamic::Var());
    SendJson(resp, 200, o);
  }

  void ListForHumans(const Poco::URI& uri, Poco::Net::HTTPServerResponse& resp) {
    std::string to;
    for (const auto& [name, value] : uri.getQueryParameters()) {
      if (name == "to") to = value;
    }
    Poco::JSON::Array arr;
    for (const auto& m : p_.All()) {
      if (!to.empty() && m.to != to) continue;
      Poco::JSON::Object o;
      o.set("sid", m.sid);
      o.set("to", m.to);
      o.set("from", m.from.empty() ? m.messaging_service_sid : m.from);
      o.set("body", m.handset_body);  // as the phone shows it, also after redaction at the provider
      o.set("status", m.status);
      o.set("redacted", m.redacted);
      o.set("date_created",
            Poco::DateTimeFormatter::format(m.created, Poco::DateTimeFormat::ISO8601_FRAC_FORMAT));
      arr.add(o);
    }
    Poco::JSON::Object o;
    o.set("messages", arr);
    o.set("create_requests", p_.create_requests());
    SendJson(resp, 200, o);
  }

  void Control(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) {
    std::string text;
    Poco::StreamCopier::copyToString(req.stream(), text);
    Poco::JSON::Parser parser;
    auto o = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
    std::vector<Fault> faults;
    if (auto arr = o->getArray("faults")) {
      for (std::size_t i = 0; i < arr->size(); ++i) {
        auto f = arr->getObject(static_cast<unsigned>(i));
        Fault fault;
        fault.kind = f->optValue<std::string>("kind", "status");
        fault.count = f->optValue<int>("count", 1);
        fault.status = f->optValue<int>("status", fault.kind == "reject" ? 400 : 500);
        fault.retry_after_s = f->optValue<int>("retry_after_s", 1);
        fault.ms = f->optValue<int>("ms", 0);
        fault.code = f->has("code") ? f->get("code").convert<std::string>() : "";
        fault.message = f->optValue<std::string>("message", "");
        if (fault.kind != "status" && fault.kind != "rate_limit" && fault.kind != "hang" &&
            fault.kind != "accept_then_fail" && fault.kind != "reject") {
          return SendError(resp, 400, 20001, "unknown fault kind " + fault.kind);
        }
        faults.push_back(fault);
      }
    }
    p_.SetFaults(std::move(faults), o->optValue<std::string>("final_status", "delivered"));
    p_.SetRefuseRedactions(o->optValue<bool>("refuse_redactions", false));
    ShowControl(resp);
  }

  void ShowControl(Poco::Net::HTTPServerResponse& resp) {
    Poco::JSON::Object o;
    Poco::JSON::Array arr;
    for (const auto& f : p_.faults()) {
      Poco::JSON::Object x;
      x.set("kind", f.kind);
      x.set("count", f.count);
      arr.add(x);
    }
    o.set("faults", arr);
    o.set("final_status", p_.final_status());
    o.set("refuse_redactions", p_.refuse_redactions());
    o.set("create_requests", p_.create_requests());
    SendJson(resp, 200, o);
  }

  Provider& p_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Provider& p) : p_(p) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new Handler(p_);
  }

 private:
  Provider& p_;
};

}  // namespace

Provider::Provider(Options options)
    : options_(std::move(options)), callbacks_([this] { CallbackLoop(); }) {}

Provider::~Provider() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  callbacks_.join();
}

Message Provider::Create(Message m) {
  std::lock_guard<std::mutex> lock(mutex_);
  by_sid_[m.sid] = messages_.size();
  messages_.push_back(m);
  if (!m.status_callback.empty()) {
    const auto now = std::chrono::steady_clock::now();
    const auto d = std::chrono::milliseconds(options_.callback_delay_ms);
    events_.push_back({now + d, m.sid, "queued"});
    events_.push_back({now + 2 * d, m.sid, "sent"});
    events_.push_back({now + 3 * d, m.sid, final_status_});
    wake_.notify_all();
  }
  return m;
}

bool Provider::Find(const std::string& sid, Message& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = by_sid_.find(sid);
  if (it == by_sid_.end()) return false;
  out = messages_[it->second];
  return true;
}

std::vector<Message> Provider::All() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return messages_;
}

bool Provider::Redact(const std::string& sid, Message& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = by_sid_.find(sid);
  if (it == by_sid_.end()) return false;
  Message& m = messages_[it->second];
  crypto::Cleanse(m.body);
  m.body.clear();
  m.redacted = true;
  out = m;
  return true;
}

Fault Provider::NextFault() {
  std::lock_guard<std::mutex> lock(mutex_);
  while (!faults_.empty() && faults_.front().count <= 0) faults_.pop_front();
  if (faults_.empty()) return {};
  Fault f = faults_.front();
  if (--faults_.front().count <= 0) faults_.pop_front();
  return f;
}

void Provider::SetFaults(std::vector<Fault> faults, std::string final_status) {
  std::lock_guard<std::mutex> lock(mutex_);
  faults_.assign(faults.begin(), faults.end());
  final_status_ = std::move(final_status);
}

int Provider::create_requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return create_requests_;
}

void Provider::CountCreateRequest() {
  std::lock_guard<std::mutex> lock(mutex_);
  ++create_requests_;
}

std::string Provider::final_status() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return final_status_;
}

void Provider::SetRefuseRedactions(bool refuse) {
  std::lock_guard<std::mutex> lock(mutex_);
  refuse_redactions_ = refuse;
}

bool Provider::refuse_redactions() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return refuse_redactions_;
}

std::vector<Fault> Provider::faults() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {faults_.begin(), faults_.end()};
}

void Provider::CallbackLoop() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    if (events_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const Event next = events_.front();
    if (wake_.wait_until(lock, next.at) != std::cv_status::timeout &&
        std::chrono::steady_clock::now() < next.at) {
      continue;
    }
    events_.pop_front();
    auto it = by_sid_.find(next.sid);
    if (it == by_sid_.end()) continue;
    Message& m = messages_[it->second];
    m.status = next.status;
    if (next.status == "undelivered" || next.status == "failed") m.error_code = "30003";
    const Message copy = m;
    lock.unlock();
    PostCallback(copy, next.status);
    lock.lock();
  }
}

void Provider::PostCallback(const Message& m, const std::string& status) {
  twilio::FormParams params{{"AccountSid", options_.account_sid},
                            {"ApiVersion", "2010-04-01"},
                            {"MessageSid", m.sid},
                            {"MessageStatus", status},
                            {"SmsSid", m.sid},
                            {"SmsStatus", status},
                            {"To", m.to}};
  if (!m.from.empty()) params.emplace_back("From", m.from);
  if (!m.messaging_service_sid.empty())
    params.emplace_back("MessagingServiceSid", m.messaging_service_sid);
  if (!m.error_code.empty()) params.emplace_back("ErrorCode", m.error_code);
  std::string body;
  for (const auto& [k, v] : params) {
    if (!body.empty()) body += '&';
    std::string ek, ev;
    Poco::URI::encode(k, "!#$&'()*+,/:;=?@[]", ek);
    Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]", ev);
    body += ek + "=" + ev;
  }
  const std::string signature = twilio::Signature(options_.auth_token, m.status_callback, params);
  Poco::JSON::Object f;
  f.set("sid", m.sid);
  f.set("status", status);
  for (int attempt = 1; attempt <= 3; ++attempt) {
    try {
      const Poco::URI uri(m.status_callback);
      Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
      session.setTimeout(Poco::Timespan(5, 0));
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, uri.getPathAndQuery(),
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      req.setContentType("application/x-www-form-urlencoded");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
      req.set("X-Twilio-Signature", signature);
      req.set("User-Agent", "TwilioProxy/1.1 (onboard-dev-sms)");
      session.sendRequest(req) << body;
      Poco::Net::HTTPResponse resp;
      std::istream& in = session.receiveResponse(resp);
      std::string ignored;
      Poco::StreamCopier::copyToString(in, ignored);
      f.set("http_status", static_cast<int>(resp.getStatus()));
      log::Info("dev-sms status callback", f);
      if (resp.getStatus() < 500) return;
    } catch (const Poco::Exception& e) {
      f.set("error", e.displayText());
      log::Warn("dev-sms status callback failed", f);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt));
  }
}

Poco::Net::HTTPRequestHandlerFactory* NewHandlerFactory(Provider& provider) {
  return new Factory(provider);
}

}  // namespace onboard::devsms
