#include "oidc_provider.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <openssl/bio.h>
#include <openssl/ecdsa.h>
#include <openssl/pem.h>

#include <sstream>
#include <stdexcept>

#include "crypto.hpp"
#include "error.hpp"
#include "log.hpp"

namespace onboard::identity {

namespace {

std::string Encode(const std::string& text) {
  std::string out;
  Poco::URI::encode(text, "!#$&'()*+,/:;=?@[]~", out);
  return out;
}

std::string Member(const Poco::JSON::Object& o, const char* name) {
  return o.has(name) && o.get(name).isString() ? o.get(name).extract<std::string>() : "";
}

AppError Unreachable(const std::string& why) {
  return AppError(ErrorCode::kUnavailable, "the identity provider cannot be reached; try again",
                  why, {}, "identity_provider_unavailable");
}

class DiscoveredJwks final : public domain::JwksSource {
 public:
  DiscoveredJwks(OidcProvider& provider, FetchOptions fetch) : provider_(provider), fetch_(fetch) {}
  std::string Fetch() override { return HttpGet(provider_.JwksUri(), fetch_); }

 private:
  OidcProvider& provider_;
  FetchOptions fetch_;
};

int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string SignJws(const std::string& alg, EVP_PKEY* key, const std::string& signing_input) {
  const bool ec = alg == "ES256";
  if ((ec && EVP_PKEY_base_id(key) != EVP_PKEY_EC) ||
      (!ec && (alg != "RS256" || EVP_PKEY_base_id(key) != EVP_PKEY_RSA)))
    throw std::runtime_error("the key cannot sign " + alg);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1)
    throw std::runtime_error("EVP_DigestSign failed");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(signing_input.data()),
                     signing_input.size()) != 1)
    throw std::runtime_error("EVP_DigestSign failed");
  sig.resize(len);
  if (!ec) return sig;
  // JWS wants R||S, 32 bytes each (RFC 7518 section 3.4); OpenSSL gives DER.
  const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
  std::unique_ptr<ECDSA_SIG, decltype(&ECDSA_SIG_free)> parsed(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size())), ECDSA_SIG_free);
  if (!parsed) throw std::runtime_error("d2i_ECDSA_SIG failed");
  std::string raw(64, '\0');
  if (BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()), reinterpret_cast<unsigned char*>(raw.data()),
                   32) != 32 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()),
                   reinterpret_cast<unsigned char*>(raw.data()) + 32, 32) != 32)
    throw std::runtime_error("BN_bn2binpad failed");
  return raw;
}

OidcProvider::OidcProvider(const OidcConfig& config, const AccessTokensConfig& key_policy)
    : config_(config) {
  fetch_.timeout_ms = config.timeout_ms;
  fetch_.connect_timeout_ms = std::min(config.timeout_ms, 2000);
  if (config.client_auth_method == "private_key_jwt") {
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(config.private_key_pem.data(),
                        static_cast<int>(config.private_key_pem.size())),
        BIO_free);
    EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
    if (key == nullptr) throw std::runtime_error("oidc.private_key_file: not a PEM private key");
    private_key_.reset(key, EVP_PKEY_free);
    if (EVP_PKEY_base_id(key) == EVP_PKEY_RSA)
      assertion_alg_ = "RS256";
    else if (EVP_PKEY_base_id(key) == EVP_PKEY_EC && EVP_PKEY_bits(key) == 256)
      assertion_alg_ = "ES256";
    else
      throw std::runtime_error("oidc.private_key_file: an RSA or EC P-256 key is needed");
  }
  domain::IssuerKeysPolicy policy;
  policy.refresh = std::chrono::seconds(key_policy.jwks_refresh_s);
  policy.min_interval = std::chrono::seconds(key_policy.jwks_min_interval_s);
  policy.max_age = std::chrono::seconds(key_policy.jwks_max_age_s);
  keys_ = std::make_unique<domain::IssuerKeys>(
      "oidc", std::make_unique<DiscoveredJwks>(*this, fetch_), policy);
}

OidcProvider::~OidcProvider() = default;

OidcProvider::Document OidcProvider::Discover() {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (document_ && now - fetched_ < std::chrono::seconds(config_.discovery_refresh_s))
    return *document_;
  std::string issuer = config_.issuer;
  while (!issuer.empty() && issuer.back() == '/') issuer.pop_back();
  const std::string url = issuer + "/.well-known/openid-configuration";
  try {
    const std::string text = HttpGet(url, fetch_);
    const auto doc = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
    Document d;
    d.authorization_endpoint = Member(*doc, "authorization_endpoint");
    d.token_endpoint = Member(*doc, "token_endpoint");
    d.jwks_uri = Member(*doc, "jwks_uri");
    d.end_session_endpoint = Member(*doc, "end_session_endpoint");
    // OpenID Connect Discovery 4.3: the document's issuer must be the one configured.
    if (Member(*doc, "issuer") != config_.issuer)
      throw std::runtime_error("the document names issuer '" + Member(*doc, "issuer") + "'");
    for (const std::string* u : {&d.authorization_endpoint, &d.token_endpoint, &d.jwks_uri}) {
      if (!IsAllowedFetchUrl(*u))
        throw std::runtime_error("an endpoint is missing or not https: '" + *u + "'");
    }
    if (!d.end_session_endpoint.empty() && !IsAllowedFetchUrl(d.end_session_endpoint))
      d.end_session_endpoint.clear();
    document_ = d;
    fetched_ = now;
  } catch (const std::exception& e) {
    Poco::JSON::Object f;
    f.set("url", url);
    f.set("error", std::string(e.what()));
    log::Warn(document_ ? "oidc discovery refresh failed; the cached document stays in use"
                        : "oidc discovery failed",
              f);
    if (!document_) throw Unreachable(std::string("discovery: ") + e.what());
    fetched_ = now - std::chrono::seconds(config_.discovery_refresh_s) + std::chrono::seconds(30);
  }
  return *document_;
}

std::string OidcProvider::AuthorizationEndpoint() { return Discover().authorization_endpoint; }

std::optional<std::string> OidcProvider::EndSessionEndpoint() {
  const Document d = Discover();
  if (d.end_session_endpoint.empty()) return std::nullopt;
  return d.end_session_endpoint;
}

std::string OidcProvider::JwksUri() { return Discover().jwks_uri; }

std::string OidcProvider::ClientAssertion(const std::string& audience) const {
  Poco::JSON::Object header;
  header.set("alg", assertion_alg_);
  header.set("typ", "JWT");
  if (!config_.private_key_kid.empty()) header.set("kid", config_.private_key_kid);
  Poco::JSON::Object claims;
  const int64_t now = Now();
  claims.set("iss", config_.client_id);
  claims.set("sub", config_.client_id);
  claims.set("aud", audience);
  claims.set("jti", crypto::NewUuid());
  claims.set("iat", now);
  claims.set("exp", now + 60);
  std::ostringstream h, c;
  header.stringify(h);
  claims.stringify(c);
  const std::string input =
      crypto::Base64UrlEncode(h.str()) + "." + crypto::Base64UrlEncode(c.str());
  return input + "." + crypto::Base64UrlEncode(SignJws(assertion_alg_, private_key_.get(), input));
}

domain::OidcTokenAnswer OidcProvider::ExchangeCode(const std::string& code,
                                                   const std::string& verifier,
                                                   const std::string& redirect_uri) {
  const Document d = Discover();
  std::string form = "grant_type=authorization_code&code=" + Encode(code) +
                     "&redirect_uri=" + Encode(redirect_uri) + "&code_verifier=" + Encode(verifier);
  std::string user, password;
  if (config_.client_auth_method == "private_key_jwt") {
    form +=
        "&client_id=" + Encode(config_.client_id) +
        "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
        "&client_assertion=" +
        ClientAssertion(d.token_endpoint);
  } else {
    // RFC 6749 section 2.3.1: both are form-encoded before they go into Basic.
    user = Encode(config_.client_id);
    password = Encode(config_.client_secret);
  }
  HttpAnswer answer;
  try {
    answer = HttpPostForm(d.token_endpoint, form, user, password, fetch_);
  } catch (const std::exception& e) {
    crypto::Cleanse(password);
    throw Unreachable(std::string("token endpoint: ") + e.what());
  }
  crypto::Cleanse(password);
  Poco::JSON::Object::Ptr body;
  try {
    body = Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
  }
  if (answer.status >= 500 || !body)
    throw Unreachable("token endpoint answered HTTP " + std::to_string(answer.status));
  if (answer.status != 200) {
    const std::string error = Member(*body, "error");
    throw domain::jwt::Refused("the token endpoint refused the code: " +
                               (error.empty() ? "HTTP " + std::to_string(answer.status) : error));
  }
  domain::OidcTokenAnswer out;
  out.id_token = Member(*body, "id_token");
  if (out.id_token.empty()) throw domain::jwt::Refused("the token endpoint returned no id_token");
  return out;
}

}  // namespace onboard::identity
