#pragma once

#include <string>

namespace onboard::testsupport::evidence {

/// What the suite leaves for the final secrets scan (tests/reliability/secrets_scan.sh),
/// in the directory named by ONBOARD_TEST_EVIDENCE_DIR (ops/test sets it for a whole-suite
/// run; unset, every function here does nothing):
///   secrets          every client secret, zip password and API token a test saw, one a
///                    line (mode 0600, removed with the directory when ops/test ends)
///   logs/*.log       the output of every onboard-api process the tests started
///   tables/*.rows    every row of every table of every test database, as text, taken
///                    just before the database is dropped
bool Enabled();
/// Remembers a plaintext secret the scan must not find anywhere.
void RecordSecret(const std::string& secret);
/// Records the secret-bearing members of a JSON response body (client_secret, token,
/// registration_access_token, zip_password, password, at any depth).
void RecordSecretsInJson(const std::string& json_text);
/// Keeps a copy of a log file.
void KeepLog(const std::string& path);
/// Writes every row of every table in the public schema of `url` to tables/<name>.rows.
void KeepTables(const std::string& url, const std::string& name);

}  // namespace onboard::testsupport::evidence
