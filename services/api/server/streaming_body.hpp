#pragma once

#include <Poco/Net/HTTPServerResponse.h>

#include <ostream>
#include <string>

namespace onboard::http {

/// A 200 response body written as it is produced: buffered up to 64 KiB, then sent with
/// chunked transfer encoding, so nothing is sent (and an error can still be answered with
/// a problem) until the first 64 KiB are ready. A short body goes out with Content-Length.
/// Throws AppError(kUnavailable, "client_gone") once the caller stops reading. Owned by
/// the request's thread.
class StreamingBody {
 public:
  StreamingBody(Poco::Net::HTTPServerResponse& response, std::string content_type,
                std::string disposition = {});
  std::string& buffer() noexcept { return buffer_; }
  /// Sends the buffer when it is big enough.
  void MaybeFlush();
  /// Sends the rest and ends the body.
  void Finish();

 private:
  void SendHead(bool chunked);
  void SendBuffer();
  Poco::Net::HTTPServerResponse& response_;
  std::string content_type_;
  std::string disposition_;  ///< Content-Disposition, when not empty
  std::string buffer_;
  std::ostream* out_ = nullptr;
};

}  // namespace onboard::http
