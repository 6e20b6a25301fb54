#include "smtp_sender.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/StringPartSource.h>

#include <cctype>
#include <memory>

namespace onboard::courier {

namespace {

// The SMTP reply code in an exception's text ("... 550 5.1.1 no such user"), or 0.
int ReplyCode(const std::string& text) {
  for (std::size_t i = 0; i + 3 <= text.size(); ++i) {
    if ((i == 0 || !std::isdigit(static_cast<unsigned char>(text[i - 1]))) && text[i] >= '2' &&
        text[i] <= '5' && std::isdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isdigit(static_cast<unsigned char>(text[i + 2])) &&
        (i + 3 == text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 3])))) {
      return std::stoi(text.substr(i, 3));
    }
  }
  return 0;
}

}  // namespace

domain::SendResult SmtpSender::Send(const MailItem& mail) {
  domain::SendResult out;
  try {
    Poco::Net::MailMessage message;
    message.setSender(config_.from);
    message.addRecipient(
        Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
    message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
    if (!mail.message_id.empty()) message.set("Message-ID", mail.message_id);
    message.addContent(
        new Poco::Net::StringPartSource(mail.text.reveal(), "text/plain; charset=UTF-8"),
        Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    if (!mail.attachment.empty())  // notifications are text alone
      message.addAttachment(mail.attachment_name,
                            new Poco::Net::StringPartSource(
                                mail.attachment.reveal(), "application/zip", mail.attachment_name),
                            Poco::Net::MailMessage::ENCODING_BASE64);
    const Poco::Timespan timeout(static_cast<Poco::Timespan::TimeDiff>(config_.timeout_ms) * 1000);
    const auto login = config_.username.empty() ? Poco::Net::SMTPClientSession::AUTH_NONE
                                                : Poco::Net::SMTPClientSession::AUTH_LOGIN;
    if (config_.tls == "starttls") {
      Poco::Net::SecureSMTPClientSession session(config_.host,
                                                 static_cast<Poco::UInt16>(config_.port));
      session.setTimeout(timeout);
      session.login();
      Poco::Net::Context::Ptr context =
          new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                 Poco::Net::Context::VERIFY_RELAXED, 9, true);
      if (!session.startTLS(context)) {
        out.outcome = domain::SendOutcome::kRetryable;
        out.error_code = "starttls";
        out.error_message = "the SMTP server does not offer STARTTLS";
        return out;
      }
      if (login != Poco::Net::SMTPClientSession::AUTH_NONE)
        session.login(login, config_.username, config_.password);
      session.sendMessage(message);
      session.close();
    } else {
      Poco::Net::SMTPClientSession session(config_.host, static_cast<Poco::UInt16>(config_.port));
      session.setTimeout(timeout);
      if (login == Poco::Net::SMTPClientSession::AUTH_NONE)
        session.login();
      else
        session.login(login, config_.username, config_.password);
      session.sendMessage(message);
      session.close();
    }
    out.outcome = domain::SendOutcome::kAccepted;
    out.provider_ref = mail.message_id;
    return out;
  } catch (const Poco::Net::SMTPException& e) {
    const int code = ReplyCode(e.displayText());
    out.error_code = code != 0 ? "smtp_" + std::to_string(code) : "smtp";
    out.error_message = e.displayText();
    out.outcome = code >= 500 ? domain::SendOutcome::kPermanent : domain::SendOutcome::kRetryable;
  } catch (const Poco::TimeoutException& e) {
    out.error_code = "timeout";
    out.error_message = e.displayText();
    out.outcome = domain::SendOutcome::kRetryable;
  } catch (const Poco::Exception& e) {
    out.error_code = "connect";
    out.error_message = e.displayText();
    out.outcome = domain::SendOutcome::kRetryable;
  }
  return out;
}

}  // namespace onboard::courier
