#pragma once

#include <string>

#include "api_token.hpp"
#include "config.hpp"
#include "organisation.hpp"

namespace onboard::db {
class Pool;
}

namespace onboard::http {

class Metrics;
class Authenticator;

/// The dependencies handlers use, wired once in main. Every member outlives the server.
struct AppServices {
  const AppConfig& config;
  db::Pool& pool;
  domain::OrganisationStore& organisations;
  domain::TokenStore& tokens;
  Metrics& metrics;
  Authenticator& auth;
};

}  // namespace onboard::http
