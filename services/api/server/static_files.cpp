#include "static_files.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "crypto.hpp"

namespace onboard::http {

namespace {

namespace fs = std::filesystem;

std::string StaticContentType(const std::string& name) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
  };
  for (const auto& [ext, type] : kTypes) {
    const std::string e(ext);
    if (name.size() > e.size() && name.compare(name.size() - e.size(), e.size(), e) == 0)
      return type;
  }
  return "application/octet-stream";
}

std::optional<std::string> ReadStaticFile(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool AcceptsGzip(const Poco::Net::HTTPServerRequest& request) {
  std::string accept = request.get("Accept-Encoding", "");
  std::transform(accept.begin(), accept.end(), accept.begin(), ::tolower);
  return accept.find("gzip") != std::string::npos && accept.find("gzip;q=0") == std::string::npos;
}

}  // namespace

bool SafeStaticName(const std::string& name) {
  return !name.empty() && name.size() <= 200 && name[0] != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
         });
}

std::optional<StaticFile> LoadStaticFile(const Poco::Net::HTTPServerRequest& request,
                                         const fs::path& file) {
  StaticFile asset;
  if (AcceptsGzip(request)) {
    if (auto gz = ReadStaticFile(file.string() + ".gz")) {
      asset.body = std::move(*gz);
      asset.gzip = true;
    }
  }
  if (!asset.gzip) {
    auto plain = ReadStaticFile(file);
    if (!plain) return std::nullopt;
    asset.body = std::move(*plain);
  }
  asset.etag =
      "\"" + crypto::Sha256Hex(asset.body).substr(0, 32) + (asset.gzip ? "-gz" : "") + "\"";
  return asset;
}

int SendStaticFile(const Poco::Net::HTTPServerRequest& request,
                   Poco::Net::HTTPServerResponse& response, const std::string& name,
                   const StaticFile& file, bool immutable) {
  response.set("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.set("ETag", file.etag);
  response.set("Vary", "Accept-Encoding");
  if (request.get("If-None-Match", "") == file.etag) {
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
    response.send();
    return 304;
  }
  if (file.gzip) response.set("Content-Encoding", "gzip");
  response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType(StaticContentType(name));
  response.setContentLength64(static_cast<Poco::Int64>(file.body.size()));
  response.send().write(file.body.data(), static_cast<std::streamsize>(file.body.size()));
  return 200;
}

}  // namespace onboard::http
