#pragma once

#include <string>

#include "config.hpp"
#include "courier.hpp"
#include "crypto.hpp"

namespace onboard::courier {

/// One e-mail with the package: plain-text body and the zip attached.
struct MailItem {
  std::string to;
  std::string subject;
  crypto::SecretString text;
  std::string attachment_name;
  crypto::SecretString attachment;  ///< the zip bytes (encrypted, but never logged)
  std::string message_id;  ///< e.g. <outbox-17.DELIVERY@onboard>; lets recipients spot a resend
};

/// Sends through the configured relay with Poco::Net::SMTPClientSession (STARTTLS via
/// SecureSMTPClientSession when smtp.tls = starttls; AUTH LOGIN when a username is set).
/// A new session per message. Thread-safe (no shared state).
class SmtpSender {
 public:
  explicit SmtpSender(const SmtpConfig& config) : config_(config) {}

  /// kAccepted once the relay took the message; kRetryable for connection failures,
  /// timeouts and 4xx replies; kPermanent for 5xx replies (code = the SMTP reply code).
  domain::SendResult Send(const MailItem& mail);

 private:
  SmtpConfig config_;
};

}  // namespace onboard::courier
