#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <filesystem>
#include <optional>
#include <string>

namespace onboard::http {

/// One file of a directory of static assets, as it is sent: the file itself or, when the
/// browser accepts gzip and a `<file>.gz` copy exists, that copy; its strong ETag is the
/// first 32 hex digits of the SHA-256 of what is sent (`-gz` appended for the copy).
struct StaticFile {
  std::string body;
  std::string etag;
  bool gzip = false;
};

/// True for a plain file name that may be looked up in an asset directory: 1 to 200 of
/// [A-Za-z0-9._-], not starting with a dot (so no path, no `..`, no hidden file).
bool SafeStaticName(const std::string& name);

/// The file (or its gzip copy, see StaticFile), or std::nullopt when it is not a regular
/// file that can be read.
std::optional<StaticFile> LoadStaticFile(const Poco::Net::HTTPServerRequest& request,
                                         const std::filesystem::path& file);

/// Sends `file` (named `name`, whose extension gives the Content-Type) with its ETag,
/// `Vary: Accept-Encoding` and `Cache-Control` (`public, max-age=31536000, immutable` for
/// content-hashed files, else `no-cache`); 304 when If-None-Match names the ETag. Returns
/// the status sent.
int SendStaticFile(const Poco::Net::HTTPServerRequest& request,
                   Poco::Net::HTTPServerResponse& response, const std::string& name,
                   const StaticFile& file, bool immutable);

}  // namespace onboard::http
