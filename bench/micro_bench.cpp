// In-process costs on the registration and read paths: JSON request parsing, client
// metadata parsing and validation, serialisation, the metadata diff and the audit hash.
// ops/bench runs this with --benchmark_format=json and puts the figures in its report.
#include <Poco/JSON/Parser.h>
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <memory>

#include <sstream>
#include <string>

#include "audit_event.hpp"
#include "client.hpp"
#include "client_metadata_json.hpp"
#include "client_validator.hpp"
#include "crypto.hpp"
#include "issuer.hpp"
#include "jose.hpp"
#include "provider_auth.hpp"
#include "zip_package.hpp"
#include "scope_catalogue.hpp"
#include "stored_metadata_memo.hpp"

namespace {

using namespace onboard;

// The body ops/bench posts (bench/wrk/post_clients.lua), with a fixed name.
const std::string kBody =
    R"({"environment":"test","integration_type":"idporten","client_name":"Benchmark client 1-1",)"
    R"("client_orgno":"974760673","redirect_uris":["https://app.example.no/callback"],)"
    R"("post_logout_redirect_uris":["https://app.example.no/logout"],"scopes":["openid","profile"]})";

Poco::JSON::Object::Ptr ParseBody(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

domain::ParseOptions CreateOptions() {
  domain::ParseOptions options;
  options.ignored_fields = {"environment", "registration_channel"};
  return options;
}

void BM_JsonParseRequestBody(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseBody(kBody));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBody.size()));
}
BENCHMARK(BM_JsonParseRequestBody);

void BM_ParseClientMetadata(benchmark::State& state) {
  const auto obj = ParseBody(kBody);
  const auto options = CreateOptions();
  for (auto _ : state) benchmark::DoNotOptimize(domain::ParseClientMetadata(*obj, options));
}
BENCHMARK(BM_ParseClientMetadata);

void BM_ValidateClientMetadata(benchmark::State& state) {
  const auto metadata = domain::ParseClientMetadata(*ParseBody(kBody), CreateOptions());
  const auto scopes = domain::ScopeCatalogue::Default();
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        domain::ValidateClientMetadata(metadata, domain::Environment::kTest, scopes));
  }
}
BENCHMARK(BM_ValidateClientMetadata);

void BM_MetadataToJsonText(benchmark::State& state) {
  const auto metadata = domain::ParseClientMetadata(*ParseBody(kBody), CreateOptions());
  for (auto _ : state) benchmark::DoNotOptimize(domain::MetadataToJsonText(metadata));
}
BENCHMARK(BM_MetadataToJsonText);

// The diff a change stores (updates compare two stored texts).
void BM_DiffMetadataJson(benchmark::State& state) {
  const auto text =
      domain::MetadataToJsonText(domain::ParseClientMetadata(*ParseBody(kBody), CreateOptions()));
  for (auto _ : state) benchmark::DoNotOptimize(domain::DiffMetadataJson("{}", text));
}
BENCHMARK(BM_DiffMetadataJson);

// A client read (ClientStore::Find, GET /v1/clients/{id}): the repository parses the stored
// metadata once into the domain object; BM_StoredMetadataJsonParse is the JSON parse alone,
// which the read did before to find the supplier (usecases::SupplierOf).
void BM_ParseStoredMetadata(benchmark::State& state) {
  const auto text =
      domain::MetadataToJsonText(domain::ParseClientMetadata(*ParseBody(kBody), CreateOptions()));
  for (auto _ : state) {
    benchmark::DoNotOptimize(domain::ParseStoredMetadata(text, domain::IntegrationType::kIdporten));
  }
}
BENCHMARK(BM_ParseStoredMetadata);

// The same read when the client's document was parsed before (the repositories' memo).
void BM_ParseStoredMetadataRemembered(benchmark::State& state) {
  const auto text =
      domain::MetadataToJsonText(domain::ParseClientMetadata(*ParseBody(kBody), CreateOptions()));
  domain::StoredMetadataMemo memo;
  const std::string id = "7028046e-b846-4fb5-9b27-5a511e2def54";
  for (auto _ : state) {
    benchmark::DoNotOptimize(memo.Parse(id, text, domain::IntegrationType::kIdporten));
  }
}
BENCHMARK(BM_ParseStoredMetadataRemembered);

void BM_StoredMetadataJsonParse(benchmark::State& state) {
  const auto text =
      domain::MetadataToJsonText(domain::ParseClientMetadata(*ParseBody(kBody), CreateOptions()));
  for (auto _ : state) benchmark::DoNotOptimize(ParseBody(text));
}
BENCHMARK(BM_StoredMetadataJsonParse);

// The diff a creation stores, from the object the stored text is written from.
void BM_CreationDiffJson(benchmark::State& state) {
  const auto stored =
      domain::ToJson(domain::ParseClientMetadata(*ParseBody(kBody), CreateOptions()));
  for (auto _ : state) benchmark::DoNotOptimize(domain::CreationDiffJson(*stored));
}
BENCHMARK(BM_CreationDiffJson);

// Everything ClientsPost does in process before it reaches the database.
void BM_RegistrationRequestInProcess(benchmark::State& state) {
  const auto options = CreateOptions();
  const auto scopes = domain::ScopeCatalogue::Default();
  for (auto _ : state) {
    const auto obj = ParseBody(kBody);
    auto metadata = domain::ParseClientMetadata(*obj, options);
    auto errors = domain::ValidateClientMetadata(metadata, domain::Environment::kTest, scopes);
    const auto stored = domain::ToJson(metadata);
    benchmark::DoNotOptimize(domain::StoredMetadataText(*stored));
    benchmark::DoNotOptimize(domain::CreationDiffJson(*stored));
    benchmark::DoNotOptimize(errors);
  }
}
BENCHMARK(BM_RegistrationRequestInProcess);

void BM_ComputeAuditHash(benchmark::State& state) {
  domain::SealedAuditEvent e;
  e.seq = 123456;
  e.occurred_at_us = 1764590000000000;
  e.event.actor = {"bench-operator", "operator", "", crypto::NewUuid(), "127.0.0.1"};
  e.event.organisation = "974760673";
  e.event.action = "client.create";
  e.event.target_type = "client";
  e.event.target_id = crypto::NewUuid();
  e.event.detail_json =
      R"({"environment":"test","integration_type":"idporten","channel":"operator"})";
  e.prev_hash = domain::kGenesisHash;
  for (auto _ : state) benchmark::DoNotOptimize(domain::ComputeAuditHash(e));
}
BENCHMARK(BM_ComputeAuditHash);

void BM_NewUuid(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(crypto::NewUuid());
}
BENCHMARK(BM_NewUuid);

// The credentials package of one issuance: three templates rendered, then the zip with its
// three entries, each AES-256 encrypted under a key derived by PBKDF2-HMAC-SHA1 (1,000
// rounds, fixed by WinZip AES) from the password and the entry's own salt.
package::PackageFacts BenchFacts() {
  package::PackageFacts f;
  f.client_id = crypto::NewUuid();
  f.client_name = "Benchmark issuance";
  f.environment = "production";
  f.auth_method = "client_secret_basic";
  f.secret_expires_at = "2027-12-01T10:00:00Z";
  f.endpoints.issuer = "https://idporten.example.no/";
  f.endpoints.well_known_url = "https://idporten.example.no/.well-known/openid-configuration";
  f.endpoints.token_endpoint = "https://idporten.example.no/token";
  return f;
}

void BM_RenderPackage(benchmark::State& state) {
  const package::PackageFacts facts = BenchFacts();
  const crypto::SecretString secret("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG");
  for (auto _ : state) benchmark::DoNotOptimize(package::RenderPackage(facts, secret));
}
BENCHMARK(BM_RenderPackage);

void BM_BuildEncryptedZip(benchmark::State& state) {
  const package::PackageFacts facts = BenchFacts();
  const crypto::SecretString password("abcde-fghjk-mnpqr-stuvw-xyz23");
  package::PackageContents c = package::RenderPackage(
      facts, crypto::SecretString("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));
  for (auto _ : state) {
    std::vector<package::ZipEntry> entries;
    entries.push_back({"credentials.json", crypto::SecretString(c.credentials_json.reveal())});
    entries.push_back({"README.txt", crypto::SecretString(c.readme_en.reveal())});
    entries.push_back({"LES-MEG.txt", crypto::SecretString(c.readme_no.reveal())});
    benchmark::DoNotOptimize(package::BuildEncryptedZip(entries, password));
  }
}
BENCHMARK(BM_BuildEncryptedZip);

void BM_Pbkdf2HmacSha1(benchmark::State& state) {
  const std::string password = "abcde-fghjk-mnpqr-stuvw-xyz23";
  const unsigned char salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  unsigned char out[66];
  for (auto _ : state) {
    package::Pbkdf2HmacSha1(reinterpret_cast<const unsigned char*>(password.data()),
                            password.size(), salt, sizeof salt, 1000, out, sizeof out);
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_Pbkdf2HmacSha1);

// The private_key_jwt path's own work: an RS256 signature check with a parsed key, and
// parsing a client assertion (header and claims JSON, base64url).
struct Rs256Fixture {
  Rs256Fixture() {
    EVP_PKEY* k = EVP_RSA_gen(2048);
    key.reset(k, EVP_PKEY_free);
    const std::string header =
        crypto::Base64UrlEncode(R"({"alg":"RS256","kid":"bench-key","typ":"JWT"})");
    const std::string claims = crypto::Base64UrlEncode(
        R"({"iss":"5b8a2c1e-3f4d-4e6a-9b7c-1d2e3f4a5b6c","sub":"5b8a2c1e-3f4d-4e6a-9b7c-1d2e3f4a5b6c",)"
        R"("aud":"https://idporten.example.no/","jti":"c2a9d3e4-1f2b-4c3d-9e8f-7a6b5c4d3e2f",)"
        R"("iat":1764590000,"exp":1764590060})");
    input = header + "." + claims;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t len = 0;
    EVP_DigestSignInit(md.get(), nullptr, EVP_sha256(), nullptr, key.get());
    EVP_DigestSign(md.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                   input.size());
    signature.resize(len);
    EVP_DigestSign(md.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    jwt = input + "." + crypto::Base64UrlEncode(signature);
  }
  std::shared_ptr<EVP_PKEY> key;
  std::string input, signature, jwt;
};

void BM_VerifyRs256(benchmark::State& state) {
  static const Rs256Fixture f;
  for (auto _ : state) {
    benchmark::DoNotOptimize(domain::jose::VerifySignature(domain::jose::Alg::kRS256, f.key.get(),
                                                           f.input, f.signature));
  }
}
BENCHMARK(BM_VerifyRs256);

void BM_ParseClientAssertion(benchmark::State& state) {
  static const Rs256Fixture f;
  for (auto _ : state) benchmark::DoNotOptimize(domain::ParseClientAssertion(f.jwt));
}
BENCHMARK(BM_ParseClientAssertion);

}  // namespace

BENCHMARK_MAIN();
