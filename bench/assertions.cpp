// Writes `count` distinct private_key_jwt client assertions (one JSON request body of
// POST /v1/provider/authenticate per line, each with its own jti) for the provider
// benchmark of ops/bench, signed with RS256 on every core. Assertions are issued 5 s ahead
// (within the accepted clock skew) and live 120 s, so generate them right before the run.
// Usage: onboard_bench_assertions KEY.pem KID CLIENT_ID AUDIENCE COUNT OUT
//        onboard_bench_assertions keygen KEY.pem

#include <openssl/pem.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "pki_fixtures.hpp"

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "keygen") {
    // keygen KEY.pem: a new RSA-2048 key written as PKCS#8 PEM; its public JWK on stdout.
    const auto key = onboard::testsupport::pki::Key::Rsa(2048);
    std::ofstream(argv[2]) << key.PrivatePem();
    std::cout << key.PublicJwk("bench-key", "RS256") << "\n";
    return 0;
  }
  if (argc != 7) {
    std::cerr << "usage: " << argv[0] << " KEY.pem KID CLIENT_ID AUDIENCE COUNT OUT\n";
    return 64;
  }
  FILE* f = std::fopen(argv[1], "r");
  if (f == nullptr) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 66;
  }
  onboard::testsupport::pki::Key key;
  key.pkey =
      std::shared_ptr<EVP_PKEY>(PEM_read_PrivateKey(f, nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::fclose(f);
  if (!key.pkey) {
    std::cerr << "not a PEM private key: " << argv[1] << "\n";
    return 65;
  }
  const std::string kid = argv[2], client = argv[3], aud = argv[4];
  const long count = std::stol(argv[5]);
  const unsigned workers = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::vector<std::string>> out(workers);
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      for (long i = w; i < count; i += workers) {
        const std::string jwt = onboard::testsupport::pki::SignJwt(
            R"({"alg":"RS256","kid":")" + kid + "\"}",
            onboard::testsupport::pki::AssertionClaims(client, aud, 5, 120), key, "RS256");
        out[w].push_back(
            R"({"client_assertion_type":"urn:ietf:params:oauth:client-assertion-type:jwt-bearer","client_assertion":")" +
            jwt + R"(","audience":")" + aud + "\"}");
      }
    });
  }
  for (auto& t : threads) t.join();
  std::ofstream file(argv[6]);
  for (const auto& lines : out) {
    for (const auto& line : lines) file << line << "\n";
  }
  return file ? 0 : 74;
}
