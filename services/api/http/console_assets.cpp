#include "console_assets.hpp"

#include <Poco/Net/HTTPResponse.h>

#include "error.hpp"
#include "static_files.hpp"

namespace onboard::http {

namespace {

void SendConsoleFile(RequestContext& ctx, const std::string& name, const StaticFile& file,
                     bool immutable) {
  ctx.status = SendStaticFile(ctx.request, ctx.response, name, file, immutable);
}

void RedirectToConsole(RequestContext& ctx) {
  ctx.status = 308;
  ctx.response.set("Location", "/console/");
  ctx.response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_PERMANENT_REDIRECT);
  ctx.response.setContentLength64(0);
  ctx.response.send();
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
  if (path == "/console") return RedirectToConsole(ctx);
  const std::filesystem::path dir(config.console.dir);
  const std::string rel = path.substr(std::string("/console/").size());
  if (rel.rfind("assets/", 0) == 0) {
    const std::string name = rel.substr(7);
    const auto asset =
        SafeStaticName(name) ? LoadStaticFile(ctx.request, dir / "assets" / name) : std::nullopt;
    if (!asset) throw AppError(ErrorCode::kNotFound, "no such console asset");
    return SendConsoleFile(ctx, name, *asset, true);
  }
  if (SafeStaticName(rel) && rel != "index.html") {
    if (const auto asset = LoadStaticFile(ctx.request, dir / rel))
      return SendConsoleFile(ctx, rel, *asset, false);
  }
  // A client route (/console/, /console/orders/<id>, ...): the application's page.
  const auto index = LoadStaticFile(ctx.request, dir / "index.html");
  if (!index)
    throw AppError(ErrorCode::kInternal, "internal error; quote the request id",
                   "console.dir has no index.html");
  SendConsoleFile(ctx, "index.html", *index, false);
}

}  // namespace onboard::http
