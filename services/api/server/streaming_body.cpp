#include "streaming_body.hpp"

#include "error.hpp"

namespace onboard::http {

namespace {
constexpr std::size_t kStreamFlushBytes = 64 * 1024;
}  // namespace

StreamingBody::StreamingBody(Poco::Net::HTTPServerResponse& response, std::string content_type,
                             std::string disposition)
    : response_(response),
      content_type_(std::move(content_type)),
      disposition_(std::move(disposition)) {
  buffer_.reserve(kStreamFlushBytes + 8192);
}

void StreamingBody::SendHead(bool chunked) {
  response_.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
  response_.setContentType(content_type_);
  if (!disposition_.empty()) response_.set("Content-Disposition", disposition_);
  if (chunked) {
    response_.setChunkedTransferEncoding(true);
  } else {
    response_.setContentLength64(static_cast<Poco::Int64>(buffer_.size()));
  }
  out_ = &response_.send();
}

void StreamingBody::SendBuffer() {
  if (out_ == nullptr) SendHead(true);
  out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  out_->flush();
  buffer_.clear();
  if (!out_->good()) {
    throw AppError(ErrorCode::kUnavailable, "the caller stopped reading",
                   "client went away during a streamed answer", {}, "client_gone");
  }
}

void StreamingBody::MaybeFlush() {
  if (buffer_.size() >= kStreamFlushBytes) SendBuffer();
}

void StreamingBody::Finish() {
  if (out_ == nullptr) {
    SendHead(false);
    out_->write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
    return;
  }
  if (!buffer_.empty()) SendBuffer();
}

}  // namespace onboard::http
