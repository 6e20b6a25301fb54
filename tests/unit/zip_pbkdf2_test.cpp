// The WinZip AES key derivation of the credentials zip: package::Pbkdf2HmacSha1 gives
// what OpenSSL's PBKDF2 gives, and libzip's derivations run through it.

#include <gtest/gtest.h>

#include <openssl/evp.h>

#include <string>
#include <vector>

#include "zip_package.hpp"

namespace onboard {
namespace {

std::vector<unsigned char> OpenSsl(const std::string& password, const std::string& salt,
                                   int iterations, std::size_t len) {
  std::vector<unsigned char> out(len);
  // PKCS5_PBKDF2_HMAC with an explicit digest: OpenSSL's own code, not the _SHA1 entry
  // point zip_package.cpp defines for libzip.
  EXPECT_EQ(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                              reinterpret_cast<const unsigned char*>(salt.data()),
                              static_cast<int>(salt.size()), iterations, EVP_sha1(),
                              static_cast<int>(len), out.data()),
            1);
  return out;
}

std::vector<unsigned char> Ours(const std::string& password, const std::string& salt,
                                int iterations, std::size_t len) {
  std::vector<unsigned char> out(len);
  EXPECT_TRUE(package::Pbkdf2HmacSha1(reinterpret_cast<const unsigned char*>(password.data()),
                                      password.size(),
                                      reinterpret_cast<const unsigned char*>(salt.data()),
                                      salt.size(), iterations, out.data(), len));
  return out;
}

void ExpectOpenSslResults();

TEST(ZipKeyDerivation, GivesWhatOpenSslGivesForEveryShapeOfInput) {
  // With the SHA extensions when the processor has them, and with SHA1_Transform.
  const bool extensions = package::UseShaExtensions(true);
  ExpectOpenSslResults();
  EXPECT_FALSE(package::UseShaExtensions(false));
  ExpectOpenSslResults();
  package::UseShaExtensions(extensions);
}

void ExpectOpenSslResults() {
  const std::string long_password(100, 'p');  // longer than a SHA-1 block: hashed first
  for (const std::string& password : {std::string("abcde-fghjk-mnpqr-stuvw-xyz23"), std::string(""),
                                      std::string(64, 'x'), long_password}) {
    for (const std::string& salt : {std::string("12345678"), std::string("0123456789ab"),
                                    std::string("0123456789abcdef"), std::string()}) {
      for (int iterations : {1, 2, 1000}) {
        for (std::size_t len : {1u, 20u, 34u, 66u, 81u, 100u}) {
          EXPECT_EQ(Ours(password, salt, iterations, len), OpenSsl(password, salt, iterations, len))
              << "password of " << password.size() << " bytes, salt of " << salt.size() << ", "
              << iterations << " iterations, " << len << " bytes";
        }
      }
    }
  }
}

TEST(ZipKeyDerivation, MatchesTheRfc6070TestVector) {
  // RFC 6070: P = "password", S = "salt", c = 4096, dkLen = 20.
  const std::vector<unsigned char> expected = {0x4b, 0x00, 0x79, 0x01, 0xb7, 0x65, 0x48,
                                               0x9a, 0xbe, 0xad, 0x49, 0xd9, 0x26, 0xf7,
                                               0x21, 0xd0, 0x65, 0xa4, 0x29, 0xc1};
  EXPECT_EQ(Ours("password", "salt", 4096, 20), expected);
}

TEST(ZipKeyDerivation, RefusesWhatOpenSslRefuses) {
  unsigned char out[20];
  const unsigned char salt[8] = {};
  EXPECT_FALSE(package::Pbkdf2HmacSha1(reinterpret_cast<const unsigned char*>("pw"), 2, salt, 8, 0,
                                       out, 20));
  EXPECT_FALSE(
      package::Pbkdf2HmacSha1(reinterpret_cast<const unsigned char*>("pw"), 2, salt, 8, 1, out, 0));
  EXPECT_EQ(PKCS5_PBKDF2_HMAC_SHA1("pw", 2, salt, 8, 1000, 0, out), 0);
}

TEST(ZipKeyDerivation, LibzipDerivesEveryFilesKeysThroughIt) {
  std::vector<package::ZipEntry> entries;
  entries.push_back({"credentials.json", crypto::SecretString("{\"client_secret\":\"x\"}")});
  entries.push_back({"README.txt", crypto::SecretString("read me")});
  entries.push_back({"LES-MEG.txt", crypto::SecretString("les meg")});
  const unsigned long before = package::Pbkdf2Derivations();
  const std::string zip =
      package::BuildEncryptedZip(entries, crypto::SecretString("abcde-fghjk-mnpqr-stuvw-xyz23"));
  EXPECT_GT(zip.size(), 30u);
  EXPECT_EQ(package::Pbkdf2Derivations() - before, entries.size());
}

}  // namespace
}  // namespace onboard
