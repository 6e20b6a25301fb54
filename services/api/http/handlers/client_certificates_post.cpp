#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "certificate.hpp"
#include "client_common.hpp"
#include "client_keys_common.hpp"
#include "crypto.hpp"
#include "error.hpp"
#include "handlers.hpp"
#include "json_io.hpp"
#include "provider_service.hpp"

namespace onboard::http::handlers {

namespace {

std::string MediaTypeOf(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  type.erase(std::remove_if(type.begin(), type.end(),
                            [](unsigned char c) { return std::isspace(c) != 0; }),
             type.end());
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return type;
}

// A PEM or DER body (application/pkix-cert, application/x-pem-file,
// application/pem-certificate-chain), capped like every body.
std::string ReadRawBody(RequestContext& ctx, std::size_t max_bytes) {
  if (!ctx.request.hasContentLength())
    throw AppError(ErrorCode::kLengthRequired, "a Content-Length header is required");
  const auto length = ctx.request.getContentLength64();
  if (length < 0 || static_cast<std::size_t>(length) > max_bytes) {
    throw AppError(ErrorCode::kPayloadTooLarge,
                   "the body is larger than " + std::to_string(max_bytes) + " bytes");
  }
  std::string body(static_cast<std::size_t>(length), '\0');
  ctx.request.stream().read(body.data(), length);
  if (ctx.request.stream().gcount() != length) {
    throw AppError(ErrorCode::kBadRequest, "the body is shorter than its Content-Length");
  }
  ctx.body_consumed = true;
  return body;
}

// The uploaded certificate and chain as DER, leaf first. JSON: {"certificate": PEM or
// base64 DER, "chain": [PEM or base64 DER, ...]}; or the PEM/DER bytes as the body.
std::vector<std::string> ReadUpload(RequestContext& ctx, AppServices& svc) {
  const std::size_t max = static_cast<std::size_t>(svc.config.http.max_body_bytes);
  const std::string type = MediaTypeOf(ctx.request.getContentType());
  if (type == "application/pkix-cert" || type == "application/x-pem-file" ||
      type == "application/pem-certificate-chain") {
    return domain::ReadCertificates(ReadRawBody(ctx, max));
  }
  Poco::JSON::Object::Ptr body = ReadJsonObject(ctx, max);
  JsonFields f(*body);
  const auto certificate = f.String("certificate", true, max);
  const auto chain = f.Array("chain", false);
  f.Finish();
  auto read = [](const std::string& text) {
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
  };
  std::vector<std::string> out = read(*certificate);
  if (chain) {
    for (std::size_t i = 0; i < chain->size(); ++i) {
      const auto v = chain->get(static_cast<unsigned>(i));
      if (!v.isString()) {
        throw AppError(ErrorCode::kValidation, "chain must be an array of certificates", "",
                       {{"chain/" + std::to_string(i), "invalid_type", "must be a string"}});
      }
      for (auto& der : read(v.extract<std::string>())) out.push_back(std::move(der));
    }
  }
  if (out.size() > 10) {
    throw AppError(ErrorCode::kValidation, "at most 10 certificates (the leaf and its chain)", "",
                   {{"chain", "too_many_items", "at most 10 certificates"}},
                   "certificate_malformed");
  }
  return out;
}

}  // namespace

// POST /v1/clients/{client_id}/certificates: binds an enterprise certificate after every
// check of DOMAIN.md; the client then authenticates with private_key_jwt.
void ClientCertificatesPost(RequestContext& ctx, AppServices& svc) {
  const domain::Client current = client_common::LoadVisible(ctx, svc);
  client_common::CheckIfMatch(ctx, current, /*required_for_portal=*/false);
  const std::vector<std::string> chain = ReadUpload(ctx, svc);
  const std::string env_name(domain::ToString(current.environment));
  const domain::CheckedCertificate cert = domain::CheckCertificate(
      chain, svc.provider.Anchors(current.environment), client_common::OrganisationOf(current),
      svc.provider.certificate_policy(), static_cast<int64_t>(std::time(nullptr)), env_name);

  domain::ClientKey key;
  key.id = crypto::NewUuid();
  key.client_id = current.client_id;
  key.kid = cert.thumbprint;
  key.kind = "certificate";
  key.alg = cert.jwk.alg;
  key.jwk_json = domain::jose::JwkJson(cert.jwk);
  key.certificate = crypto::Base64Encode(cert.der);
  key.thumbprint = cert.thumbprint;
  key.subject = cert.subject;
  key.issuer = cert.issuer;
  key.serial = cert.serial;
  key.orgno = cert.orgno;
  key.not_before = cert.not_before;
  key.not_after = cert.not_after;
  key.created_by = ctx.caller->token_name;

  Poco::JSON::Object detail;
  detail.set("kid", key.kid);
  detail.set("subject", key.subject);
  detail.set("issuer", key.issuer);
  detail.set("serial", key.serial);
  detail.set("not_after", key.not_after);
  client_keys::AddAndRespond(
      ctx, svc, current, std::move(key),
      client_keys::PlanKeyWrite(ctx, svc, current, "client.certificate_bind", detail));
}

}  // namespace onboard::http::handlers
