// Certificates, JWKs and the self-service JWK Set (usecases::ClientKeys): the requests
// read into commands, the keys written back. No rule here.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "certificate.hpp"
#include "client_keys.hpp"
#include "common_codecs.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "issuer.hpp"
#include "json_io.hpp"
#include "provider_auth.hpp"

namespace onboard::http::handlers {

namespace {

// A stored key (no private material exists to leak).
Poco::JSON::Object::Ptr ClientKeyJson(const domain::ClientKey& key) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("kid", key.kid);
  o->set("kind", key.kind);
  o->set("alg", key.alg);
  if (key.kind == "certificate") {
    o->set("x5t#S256", key.thumbprint);
    o->set("subject", key.subject);
    o->set("issuer", key.issuer);
    o->set("serial", key.serial);
    o->set("orgno", key.orgno);
    o->set("not_before", package::IsoUtc(key.not_before));
  }
  o->set("not_after", package::IsoUtc(key.not_after));
  o->set("created_at", key.created_at);
  o->set("created_by", key.created_by);
  o->set("last_used_at", OrNull(key.last_used_at));
  Poco::JSON::Parser parser;
  o->set("jwk", parser.parse(key.jwk_json));
  return o;
}

// One member of a JSON upload: PEM blocks or base64 DER.
std::vector<std::string> DecodeCertificates(const std::string& text) {
  if (text.find("-----BEGIN") != std::string::npos) return domain::ReadCertificates(text);
  std::string der;
  try {
    der = crypto::Base64UrlDecode(text);
  } catch (const AppError&) {
    throw AppError(
        ErrorCode::kValidation, "not a PEM certificate or base64 DER", "",
        {{"certificate", "certificate_malformed", "not a PEM certificate or base64 DER"}},
        "certificate_malformed");
  }
  return domain::ReadCertificates(der);
}

// {"certificate": PEM or base64 DER, "chain": [PEM or base64 DER, ...]}.
std::vector<std::string> ReadJsonUpload(RequestContext& ctx, std::size_t max) {
  Poco::JSON::Object::Ptr body = ReadJsonObject(ctx, max);
  JsonFields f(*body);
  const auto certificate = f.String("certificate", true, max);
  const auto chain = f.Array("chain", false);
  f.Finish();
  std::vector<std::string> out = DecodeCertificates(*certificate);
  for (std::size_t i = 0; chain && i < chain->size(); ++i) {
    const auto v = chain->get(static_cast<unsigned>(i));
    if (!v.isString()) {
      throw AppError(ErrorCode::kValidation, "chain must be an array of certificates", "",
                     {{"chain/" + std::to_string(i), "invalid_type", "must be a string"}});
    }
    for (auto& der : DecodeCertificates(v.extract<std::string>())) out.push_back(std::move(der));
  }
  return out;
}

// The client in the path and the request's If-Match: what a key change checks before its
// body is read.
template <typename Command>
Command KeyTarget(const RequestContext& ctx) {
  Command command;
  command.client_id = ctx.Param("client_id");
  if constexpr (requires(Command c) { c.if_match; })
    command.if_match = ctx.request.get("If-Match", "");
  return command;
}

// The uploaded certificate and chain as DER, leaf first: JSON, or the PEM/DER bytes as
// the body (application/pkix-cert, application/x-pem-file, application/pem-certificate-chain).
void ReadCertificateUpload(RequestContext& ctx, AppServices& svc,
                           usecases::CertificateUpload& command) {
  const std::size_t max = static_cast<std::size_t>(svc.config.http.max_body_bytes);
  const std::string type = MediaTypeOf(ctx.request.getContentType());
  const bool raw = type == "application/pkix-cert" || type == "application/x-pem-file" ||
                   type == "application/pem-certificate-chain";
  command.chain =
      raw ? domain::ReadCertificates(ReadBodyBytes(ctx, max)) : ReadJsonUpload(ctx, max);
}

// The members of one bare public JWK (RFC 7517), read (and so listed when wrong) in the
// order each route always read them: POST /v1/clients/{id}/jwks n before e, a JWK Set's
// keys e before n.
domain::Jwk ReadJwkMembers(JsonFields& f, bool e_first = false) {
  domain::Jwk jwk;
  jwk.kty = f.String("kty", true, 10).value_or("");
  jwk.alg = f.String("alg", true, 10).value_or("");
  jwk.use = f.String("use", true, 10).value_or("");
  jwk.kid = f.String("kid", false, 200);
  if (e_first) jwk.e = f.String("e", true, 64).value_or("");
  jwk.n = f.String("n", true, 4096).value_or("");
  if (!e_first) jwk.e = f.String("e", true, 64).value_or("");
  return jwk;
}

// What `f` could not read, and apart from that the members of `body` it did not read
// (reported after the use case's rules, as JsonFields::Finish listed them).
void SplitProblems(JsonFields& f, const Poco::JSON::Object& body, std::vector<FieldError>& input,
                   std::vector<FieldError>& unexpected) {
  unexpected = f.Problems();
  for (const auto& member : body) f.Allow(member.first);
  input = f.Problems();
  unexpected.erase(unexpected.begin(), unexpected.begin() + static_cast<long>(input.size()));
}

// A JWK's certificate chain, when it has one: the strings of `x5c`.
std::optional<std::vector<std::string>> ReadX5c(JsonFields& f) {
  auto x5c = f.Array("x5c", false);
  if (!x5c) return std::nullopt;
  std::vector<std::string> chain;
  for (std::size_t i = 0; i < x5c->size(); ++i) {
    const auto v = x5c->get(static_cast<unsigned>(i));
    if (v.isString())
      chain.push_back(v.extract<std::string>());
    else
      f.AddError("x5c/" + std::to_string(i), "invalid_type", "must be a string");
  }
  return chain;
}

void ReadNewJwk(RequestContext& ctx, AppServices& svc, usecases::NewJwk& command) {
  Poco::JSON::Object::Ptr body = ReadBody(ctx, svc, "application/jwk+json");
  JsonFields f(*body);
  command.jwk = ReadJwkMembers(f);
  command.jwk.x5c = ReadX5c(f);
  SplitProblems(f, *body, command.input_errors, command.unexpected_fields);
}

// {"keys": [JWK, ...]}: at most one key more than a set may have is read; a key's x5c is
// not taken here (a certificate binds through POST /v1/clients/{id}/certificates, which
// checks its chain and organisation).
void ReadJwkSet(RequestContext& ctx, AppServices& svc, usecases::JwkSetReplacement& command) {
  Poco::JSON::Object::Ptr body = ReadBody(ctx, svc, "application/jwk-set+json");
  JsonFields f(*body);
  Poco::JSON::Array::Ptr keys = f.Array("keys", true);
  for (std::size_t i = 0; keys && i < keys->size() && i <= domain::kMaxClientKeys; ++i) {
    const std::string path = "keys/" + std::to_string(i);
    Poco::JSON::Object::Ptr k = keys->getObject(static_cast<unsigned>(i));
    if (!k) {
      f.AddError(path, "invalid_type", "must be a JWK object");
      continue;
    }
    JsonFields kf(*k, path + "/");
    command.keys.push_back(ReadJwkMembers(kf, /*e_first=*/true));
    if (kf.Has("x5c"))
      kf.AddError("x5c", "not_supported",
                  "bind certificates with POST /v1/clients/{id}/certificates");
    f.AddErrors(kf.Problems());
  }
  SplitProblems(f, *body, command.input_errors, command.unexpected_fields);
}

void WriteJwkSet(RequestContext& ctx, const usecases::ClientJwkSet& set) {
  WriteBody(ctx, 200, "application/jwk-set+json", domain::JwksJson(set.keys, set.metadata));
}

}  // namespace

// POST /v1/clients/{client_id}/certificates: binds an enterprise certificate after every
// check of DOMAIN.md; the client then authenticates with private_key_jwt.
void ClientCertificatesPost(RequestContext& ctx, AppServices& svc) {
  const domain::ClientKey key = svc.use_cases.keys.BindCertificate(
      ctx.UseCaseCaller(), KeyTarget<usecases::CertificateUpload>(ctx),
      [&](usecases::CertificateUpload& c) { ReadCertificateUpload(ctx, svc, c); });
  WriteJson(ctx, 201, *ClientKeyJson(key));
}

// GET /v1/clients/{client_id}/certificates: the bound certificates, oldest first.
void ClientCertificatesList(RequestContext& ctx, AppServices& svc) {
  const auto keys = svc.use_cases.keys.Certificates(ctx.UseCaseCaller(), ctx.Param("client_id"));
  WriteJson(ctx, 200, *JsonObject({{"certificates", JsonArray(keys, ClientKeyJson)}}));
}

// DELETE /v1/clients/{client_id}/certificates/{kid}: removes a bound certificate (or a
// registered JWK: kids are unique per client).
void ClientCertificateDelete(RequestContext& ctx, AppServices& svc) {
  svc.use_cases.keys.RemoveKey(ctx.UseCaseCaller(), ctx.Param("client_id"), ctx.Param("kid"));
  WriteNoContent(ctx);
}

// POST /v1/clients/{client_id}/jwks: registers one bare public JWK (RFC 7517); a key
// without kid gets its RFC 7638 thumbprint as kid.
void ClientJwksPost(RequestContext& ctx, AppServices& svc) {
  const domain::ClientKey key =
      svc.use_cases.keys.RegisterJwk(ctx.UseCaseCaller(), KeyTarget<usecases::NewJwk>(ctx),
                                     [&](usecases::NewJwk& c) { ReadNewJwk(ctx, svc, c); });
  WriteJson(ctx, 201, *ClientKeyJson(key));
}

// GET /v1/clients/{client_id}/jwks: the client's public keys as a JWK Set (RFC 7517
// section 5), bound certificates with x5c, then the keys of its metadata `jwks`.
void ClientJwksGet(RequestContext& ctx, AppServices& svc) {
  WriteJwkSet(ctx, svc.use_cases.keys.JwkSet(ctx.UseCaseCaller(), ctx.Param("client_id")));
}

// POST and PUT /clients/{client_id}/jwks (the provider's self-service shape): the posted
// set replaces the client's JWKs (re-posted keys live a year from now again); answers the
// client's JWK Set.
void SelfServiceJwksPut(RequestContext& ctx, AppServices& svc) {
  WriteJwkSet(ctx, svc.use_cases.keys.ReplaceJwkSet(
                       ctx.UseCaseCaller(), KeyTarget<usecases::JwkSetReplacement>(ctx),
                       [&](usecases::JwkSetReplacement& c) { ReadJwkSet(ctx, svc, c); }));
}

}  // namespace onboard::http::handlers
