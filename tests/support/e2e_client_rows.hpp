#pragma once

// Client rows written straight into a test database, for the tests of other slices
// (onboarding cases, their API) that only need a client to link and not the client
// registration's rules. Header-only.

#include <string>

#include "crypto.hpp"
#include "test_support.hpp"

namespace onboard::testsupport {

/// Inserts an active idporten client of `orgno` in `environment` ("test" or "production")
/// with empty metadata, named "Client <first eight characters of its id>"; its client_id.
inline std::string InsertBareClient(const std::string& db_url, const std::string& orgno,
                                    const std::string& environment) {
  const std::string id = crypto::NewUuid();
  ExecSql(db_url,
          "INSERT INTO clients (client_id, environment, organisation, integration_type, "
          "client_name, state, metadata, registration_channel, created_by) VALUES ('" +
              id + "', '" + environment + "', '" + orgno + "', 'idporten', 'Client " +
              id.substr(0, 8) + "', 'active', '{}', 'operator', 'test')");
  return id;
}

}  // namespace onboard::testsupport
