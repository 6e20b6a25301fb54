#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include "app_services.hpp"
#include "router.hpp"

namespace onboard::http {

/// Creates the one request handler that does, for every request: request id, routing
/// (404/405), authentication (401) and role check (403), the handler, the single catch
/// that renders errors, metrics and the access-log line.
class ApiRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  ApiRequestHandlerFactory(const Router& router, AppServices& services)
      : router_(router), services_(services) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  const Router& router_;
  AppServices& services_;
};

/// Runs the full pipeline for one request; exposed for tests.
void ServeRequest(const Router& router, AppServices& services,
                  Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

}  // namespace onboard::http
