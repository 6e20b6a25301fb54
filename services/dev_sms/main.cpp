// onboard-dev-sms: the Twilio-compatible SMS provider for local runs and tests (dev_sms.hpp).
//
//   onboard-dev-sms [--host=127.0.0.1] [--port=0] [--port-file=FILE] [--callback-delay-ms=100]
//
// Account and credentials from the environment (not argv, which others can read):
// ONBOARD_DEV_SMS_ACCOUNT_SID, ONBOARD_DEV_SMS_AUTH_TOKEN, optionally
// ONBOARD_DEV_SMS_API_KEY_SID / ONBOARD_DEV_SMS_API_KEY_SECRET. Stops on SIGTERM/SIGINT.

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <cstdlib>
#include <iostream>

#include "dev_sms.hpp"
#include "log.hpp"
#include "stop_signals.hpp"

namespace {

std::string Env(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v != nullptr ? v : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  std::string host = "127.0.0.1";
  std::string port_file;
  int port = 0;
  onboard::devsms::Options options;
  options.account_sid = Env("ONBOARD_DEV_SMS_ACCOUNT_SID", "AC00000000000000000000000000000000");
  options.auth_token = Env("ONBOARD_DEV_SMS_AUTH_TOKEN");
  options.api_key_sid = Env("ONBOARD_DEV_SMS_API_KEY_SID");
  options.api_key_secret = Env("ONBOARD_DEV_SMS_API_KEY_SECRET");
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      const std::string prefix = std::string(name) + "=";
      return a.rfind(prefix, 0) == 0 ? argv[i] + prefix.size() : nullptr;
    };
    if (const char* v = value("--host"))
      host = v;
    else if (const char* v = value("--port"))
      port = std::atoi(v);
    else if (const char* v = value("--port-file"))
      port_file = v;
    else if (const char* v = value("--callback-delay-ms"))
      options.callback_delay_ms = std::atoi(v);
    else {
      std::cerr << "usage: onboard-dev-sms [--host=H] [--port=P] [--port-file=F] "
                   "[--callback-delay-ms=N]\n";
      return 64;
    }
  }
  if (options.auth_token.empty()) {
    std::cerr << "onboard-dev-sms: ONBOARD_DEV_SMS_AUTH_TOKEN is required (Basic auth and callback "
                 "signatures)\n";
    return 78;
  }
  // Blocked in every thread; the main thread waits for them below.
  const onboard::StopSignals stop;

  onboard::devsms::Provider provider(options);
  Poco::Net::ServerSocket socket;
  socket.bind(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)), true);
  socket.listen(64);
  Poco::AutoPtr<Poco::Net::HTTPServerParams> params = new Poco::Net::HTTPServerParams();
  params->setMaxThreads(16);
  params->setKeepAlive(true);
  Poco::Net::HTTPServer server(onboard::devsms::NewHandlerFactory(provider), socket, params);
  server.start();
  const int bound = socket.address().port();
  if (!port_file.empty()) {
    {
      Poco::FileOutputStream out(port_file + ".tmp");
      out << bound << "\n";
    }
    Poco::File(port_file + ".tmp").renameTo(port_file);
  }
  Poco::JSON::Object f;
  f.set("address", host + ":" + std::to_string(bound));
  f.set("account_sid", options.account_sid);
  onboard::log::Info("dev-sms listening (messages at GET /messages)", f);

  stop.Wait();
  onboard::log::Info("dev-sms stopping");
  server.stopAll(true);
  return 0;
}
