#include "issuer_keys.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <stdexcept>

#include "error.hpp"
#include "log.hpp"

namespace onboard::domain {

std::vector<IssuerKey> ParseJwkSet(const std::string& text) {
  Poco::JSON::Array::Ptr keys;
  try {
    Poco::JSON::Parser parser;
    const Poco::Dynamic::Var v = parser.parse(text);
    if (v.type() == typeid(Poco::JSON::Object::Ptr))
      keys = v.extract<Poco::JSON::Object::Ptr>()->getArray("keys");
  } catch (const Poco::Exception&) {
  }
  if (!keys) throw std::runtime_error("the JWKS is not a JSON object with a keys array");
  std::vector<IssuerKey> out;
  for (const auto& entry : *keys) {
    if (entry.type() != typeid(Poco::JSON::Object::Ptr)) continue;
    const auto& o = *entry.extract<Poco::JSON::Object::Ptr>();
    const auto text_of = [&](const char* name) {
      return o.has(name) && o.get(name).isString() ? o.get(name).extract<std::string>()
                                                   : std::string();
    };
    if (const std::string use = text_of("use"); !use.empty() && use != "sig") continue;
    const jose::PublicJwk jwk = jose::JwkFromMembers(text_of);
    if (jwk.kty != "RSA" && jwk.kty != "EC") continue;
    try {
      out.push_back({jwk.kid, jwk.alg, jose::KeyFromJwk(jwk)});
    } catch (const AppError&) {
      // A key this service cannot use is skipped; the others still verify.
    }
  }
  return out;
}

IssuerKeys::IssuerKeys(std::string name, std::unique_ptr<JwksSource> source,
                       IssuerKeysPolicy policy, Clock clock)
    : name_(std::move(name)),
      source_(std::move(source)),
      policy_(policy),
      clock_(std::move(clock)) {}

int IssuerKeys::fetches() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return fetches_;
}

void IssuerKeys::FetchLocked(std::chrono::steady_clock::time_point now) {
  attempted_ = now;
  ++fetches_;
  try {
    keys_ = ParseJwkSet(source_->Fetch());
    fetched_ = now;
    last_error_.clear();
  } catch (const std::exception& e) {
    last_error_ = e.what();
    Poco::JSON::Object f;
    f.set("issuer", name_);
    f.set("error", last_error_);
    log::Warn("JWKS fetch failed; cached keys stay in use until they are too old", f);
  }
}

std::vector<IssuerKey> IssuerKeys::Candidates(const std::string& kid) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto now = clock_();
  const auto known = [&] {
    return kid.empty() || std::any_of(keys_.begin(), keys_.end(),
                                      [&](const IssuerKey& k) { return k.kid == kid; });
  };
  const bool due = !fetched_ || now - *fetched_ >= policy_.refresh || !known();
  if (due && (!attempted_ || now - *attempted_ >= policy_.min_interval)) FetchLocked(now);
  if (!fetched_ || now - *fetched_ > policy_.max_age) {
    throw AppError(ErrorCode::kUnavailable,
                   "the signing keys of the token's issuer cannot be fetched; try again later",
                   "issuer " + name_ + ": no JWKS younger than " +
                       std::to_string(policy_.max_age.count()) + " s (" + last_error_ + ")",
                   {}, "issuer_keys_unavailable");
  }
  std::vector<IssuerKey> out;
  for (const auto& k : keys_) {
    if (kid.empty() || k.kid == kid) out.push_back(k);
  }
  return out;
}

bool VerifiedByAny(const std::vector<IssuerKey>& candidates, jose::Alg alg,
                   std::string_view alg_name, std::string_view signing_input,
                   std::string_view signature) noexcept {
  for (const auto& k : candidates) {
    if (!k.alg.empty() && k.alg != alg_name) continue;
    if (!jose::KeyFits(alg, k.key.get())) continue;
    if (jose::VerifySignature(alg, k.key.get(), signing_input, signature)) return true;
  }
  return false;
}

}  // namespace onboard::domain
