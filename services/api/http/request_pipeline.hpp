#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "app_services.hpp"
#include "router.hpp"
#include "server.hpp"

namespace onboard::http {

/// Runs the full pipeline for one request: request id, routing (404/405), authentication
/// (401) and role check (403), the handler, the single catch that renders errors, metrics
/// and the access-log line. Exposed for tests.
void ServeRequest(const Router& router, AppServices& services,
                  Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

/// What onboard-api gives the HTTP server (onboard_http_server): every request goes
/// through ServeRequest; the server's own answers (malformed, 408, 505, shed) are counted
/// in the metrics and, except shed connections, written to the access log.
class ApiRequestPipeline : public ServerHandler {
 public:
  ApiRequestPipeline(const Router& router, AppServices& services)
      : router_(router), services_(services) {}
  void Handle(Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response) override {
    ServeRequest(router_, services_, request, response);
  }
  void Answered(const EarlyAnswer& answer) override;

 private:
  const Router& router_;
  AppServices& services_;
};

}  // namespace onboard::http
