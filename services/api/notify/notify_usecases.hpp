#pragma once

// The use cases of notification contacts and webhooks (issue #18). Shaped like the use-case
// layer of issue #15 (one class per group, typed commands, AppError for refusals, every rule
// here or in domain/); kept in services/api/notify until that layer's Caller is on main.

#include <optional>
#include <string>
#include <vector>

#include "client.hpp"
#include "clock.hpp"
#include "kek.hpp"
#include "notification_store.hpp"
#include "organisation.hpp"

namespace onboard::notify {

/// Who asks.
struct Caller {
  domain::Actor actor;
  bool portal = false;
  std::string organisation;  ///< portal callers: the organisation they act for

  domain::AuditEvent Audit(std::string action, std::string target_type, std::string target_id,
                           std::string organisation) const;
  /// kNotFound with `not_found` when a portal caller reaches for another organisation's.
  void RequireVisible(const std::string& orgno, const std::string& not_found) const;
};

/// The members a request gave (nullopt: left out).
struct ContactCommand {
  std::optional<std::string> email;
  std::optional<std::string> mobile;  ///< "" clears it
  std::optional<std::string> language;
  std::optional<std::vector<std::string>> kinds;
};

class ContactUseCases {
 public:
  ContactUseCases(domain::NotificationContactStore& contacts, domain::OrganisationStore& orgs,
                  domain::ClientStore& clients)
      : contacts_(contacts), orgs_(orgs), clients_(clients) {}

  domain::NotificationContact CreateForOrganisation(const Caller& caller, const std::string& orgno,
                                                    const ContactCommand& command);
  domain::NotificationContact CreateForClient(const Caller& caller, const std::string& client_id,
                                              const ContactCommand& command);
  std::vector<domain::NotificationContact> ListForOrganisation(const Caller& caller,
                                                               const std::string& orgno);
  std::vector<domain::NotificationContact> ListForClient(const Caller& caller,
                                                         const std::string& client_id);
  domain::NotificationContact Get(const Caller& caller, const std::string& id);
  /// Replaces email, mobile, language and kinds (PUT); `if_match` < 0: no precondition.
  domain::NotificationContact Replace(const Caller& caller, const std::string& id,
                                      const ContactCommand& command, int if_match);
  void Delete(const Caller& caller, const std::string& id);
  std::vector<domain::OrganisationWithoutContact> Missing();
  /// For the support lookup: the client's own contacts and its organisation's.
  std::vector<domain::NotificationContact> OfClient(const std::string& organisation,
                                                    const std::string& client_id);

 private:
  domain::NotificationContact Create(const Caller& caller, domain::NotificationContact contact,
                                     const ContactCommand& command);
  domain::Client VisibleClient(const Caller& caller, const std::string& client_id);

  domain::NotificationContactStore& contacts_;
  domain::OrganisationStore& orgs_;
  domain::ClientStore& clients_;
};

/// Resolves a host name to numeric addresses (for the target check at creation).
class AddressResolver {
 public:
  virtual ~AddressResolver() = default;
  /// Empty when the name does not resolve.
  virtual std::vector<std::string> Resolve(const std::string& host) const = 0;
};

/// getaddrinfo(3).
class SystemResolver final : public AddressResolver {
 public:
  std::vector<std::string> Resolve(const std::string& host) const override;
};

struct WebhookPolicy {
  bool allow_http = false;
  bool allow_private = false;
  int retry_hours = 24;
};

struct WebhookCommand {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::string> organisation;  ///< operators only; portal: its own
  std::optional<std::string> description;
  std::optional<bool> active;  ///< update only
};

struct CreatedWebhook {
  domain::WebhookSubscription subscription;
  std::string secret;  ///< shown once
};

class WebhookUseCases {
 public:
  WebhookUseCases(domain::WebhookStore& store, domain::OrganisationStore& orgs,
                  const crypto::KeyRing& keys, const AddressResolver& resolver,
                  const domain::Clock& clock, WebhookPolicy policy)
      : store_(store),
        orgs_(orgs),
        keys_(keys),
        resolver_(resolver),
        clock_(clock),
        policy_(policy) {}

  CreatedWebhook Create(const Caller& caller, const WebhookCommand& command);
  std::vector<domain::WebhookSubscription> List(const Caller& caller);
  domain::WebhookSubscription Get(const Caller& caller, const std::string& id);
  domain::WebhookSubscription Update(const Caller& caller, const std::string& id,
                                     const WebhookCommand& command, int if_match);
  void Delete(const Caller& caller, const std::string& id);
  /// Queues a webhook.test event for this subscription alone; returns the event id.
  std::string Test(const Caller& caller, const std::string& id);
  std::vector<domain::WebhookAttempt> Deliveries(const Caller& caller, const std::string& id,
                                                 int limit);

 private:
  void CheckTarget(const std::string& url, std::vector<FieldError>& errors) const;
  void CheckEvents(const std::vector<std::string>& events, std::vector<FieldError>& errors) const;

  domain::WebhookStore& store_;
  domain::OrganisationStore& orgs_;
  const crypto::KeyRing& keys_;
  const AddressResolver& resolver_;
  const domain::Clock& clock_;
  WebhookPolicy policy_;
};

/// AAD of a subscription's sealed secret (binding with the courier).
std::string WebhookSecretAad(const std::string& subscription_id);

}  // namespace onboard::notify
