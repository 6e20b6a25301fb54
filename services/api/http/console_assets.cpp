#include "console_assets.hpp"

#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include "crypto.hpp"
#include "error.hpp"

namespace onboard::http {

namespace {

namespace fs = std::filesystem;

struct Asset {
  std::string body;
  std::string etag;
  bool gzip = false;
};

bool SafeName(const std::string& name) {
  return !name.empty() && name.size() <= 200 && name[0] != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
         });
}

std::string ContentTypeFor(const std::string& name) {
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

std::optional<std::string> ReadFile(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool AcceptsGzip(const RequestContext& ctx) {
  std::string accept = ctx.request.get("Accept-Encoding", "");
  std::transform(accept.begin(), accept.end(), accept.begin(), ::tolower);
  return accept.find("gzip") != std::string::npos && accept.find("gzip;q=0") == std::string::npos;
}

// The file and, when the browser takes gzip and one was built, its gzip copy instead.
std::optional<Asset> Load(const RequestContext& ctx, const fs::path& file) {
  Asset asset;
  if (AcceptsGzip(ctx)) {
    if (auto gz = ReadFile(file.string() + ".gz")) {
      asset.body = std::move(*gz);
      asset.gzip = true;
    }
  }
  if (!asset.gzip) {
    auto plain = ReadFile(file);
    if (!plain) return std::nullopt;
    asset.body = std::move(*plain);
  }
  asset.etag =
      "\"" + crypto::Sha256Hex(asset.body).substr(0, 32) + (asset.gzip ? "-gz" : "") + "\"";
  return asset;
}

void Send(RequestContext& ctx, const std::string& name, const Asset& asset, bool immutable) {
  ctx.response.set("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  ctx.response.set("ETag", asset.etag);
  ctx.response.set("Vary", "Accept-Encoding");
  if (ctx.request.get("If-None-Match", "") == asset.etag) {
    ctx.status = 304;
    ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
    ctx.response.send();
    return;
  }
  if (asset.gzip) ctx.response.set("Content-Encoding", "gzip");
  ctx.status = 200;
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  ctx.response.setContentType(ContentTypeFor(name));
  ctx.response.setContentLength64(static_cast<Poco::Int64>(asset.body.size()));
  ctx.response.send().write(asset.body.data(), static_cast<std::streamsize>(asset.body.size()));
}

}  // namespace

bool IsConsolePath(const std::string& path) {
  return path == "/console" || path.rfind("/console/", 0) == 0;
}

void ServeConsole(RequestContext& ctx, const AppConfig& config, const std::string& path) {
  ctx.route = "/console/";
  ctx.response.set("Content-Security-Policy", kConsoleCsp);
  ctx.response.set("Referrer-Policy", "no-referrer");
  const std::string& method = ctx.request.getMethod();
  if (method != "GET" && method != "HEAD") {
    ctx.response.set("Allow", "GET, HEAD");
    throw AppError(ErrorCode::kMethodNotAllowed, method + " is not allowed here; use GET, HEAD");
  }
  if (config.console.dir.empty()) {
    throw AppError(ErrorCode::kNotFound, "the console is not installed here (console.dir)");
  }
  if (path == "/console") {
    ctx.status = 308;
    ctx.response.set("Location", "/console/");
    ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_PERMANENT_REDIRECT);
    ctx.response.setContentLength64(0);
    ctx.response.send();
    return;
  }
  const fs::path dir(config.console.dir);
  const std::string rel = path.substr(std::string("/console/").size());
  if (rel.rfind("assets/", 0) == 0) {
    const std::string name = rel.substr(7);
    const auto asset = SafeName(name) ? Load(ctx, dir / "assets" / name) : std::nullopt;
    if (!asset) throw AppError(ErrorCode::kNotFound, "no such console asset");
    return Send(ctx, name, *asset, true);
  }
  if (SafeName(rel) && rel != "index.html") {
    if (const auto asset = Load(ctx, dir / rel)) return Send(ctx, rel, *asset, false);
  }
  // A client route (/console/, /console/orders/<id>, ...): the application's page.
  const auto index = Load(ctx, dir / "index.html");
  if (!index)
    throw AppError(ErrorCode::kInternal, "internal error; quote the request id",
                   "console.dir has no index.html");
  Send(ctx, "index.html", *index, false);
}

}  // namespace onboard::http
