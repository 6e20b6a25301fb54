#pragma once

// Client metadata shared by the domain and use-case unit tests.

#include <string>

#include "client_metadata.hpp"

namespace onboard::domain::testing {

/// A web client ("Min side") of `orgno` that meets every rule in both environments:
/// client_secret_basic, authorization_code, openid and profile, one redirect and one logout
/// URI on https://app.example.no.
inline ClientMetadata WebClientMetadata(const std::string& orgno = "974760673",
                                        IntegrationType type = IntegrationType::kIdporten) {
  ClientMetadata m;
  m.client_name = "Min side";
  m.integration_type = type;
  m.application_type = ApplicationType::kWeb;
  m.token_endpoint_auth_method = AuthMethod::kClientSecretBasic;
  m.grant_types = {"authorization_code"};
  m.scopes = {"openid", "profile"};
  m.redirect_uris = {"https://app.example.no/callback"};
  m.post_logout_redirect_uris = {"https://app.example.no/logout"};
  m.client_orgno = orgno;
  return m;
}

}  // namespace onboard::domain::testing
