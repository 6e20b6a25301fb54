#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

#include "caller.hpp"
#include "client.hpp"
#include "config.hpp"
#include "deliveries.hpp"
#include "error.hpp"
#include "onboarding.hpp"
#include "production_order.hpp"
#include "scope_catalogue.hpp"
#include "verifications.hpp"

/// Production orders: the owner (portal) or an operator orders production for a verified
/// test client; the operator team submits, rejects, cancels or approves it. Approval
/// builds the production client (DraftClient, clients.hpp) and, for sms_zip, issues its
/// delivered secret in the same transaction.
namespace onboard::usecases {

/// POST /v1/onboardings/{id}/production-orders as the parser read it.
struct NewProductionOrder {
  std::string onboarding_id;
  std::string test_client_id;
  Poco::JSON::Array::Ptr redirect_uris;              ///< the production redirect URIs
  Poco::JSON::Array::Ptr post_logout_redirect_uris;  ///< null: the test client's
  std::optional<std::string> frontchannel_logout_uri;
  Poco::JSON::Object::Ptr metadata_patch;  ///< RFC 7396 merge patch, null when none
  bool delivery_sent = false;              ///< the `delivery` object is there
  domain::DeliveryMethod delivery_method = domain::DeliveryMethod::kSmsZip;
  std::string delivery_mobile;
  std::string delivery_email;
  std::string notes;
  bool submit = true;
  std::vector<FieldError> input_errors;  ///< what the parser could not read
};

/// GET /v1/production-orders: the filters as text, checked here.
struct OrderQuery {
  std::string state;
  std::string onboarding_id;
  domain::PageRequest page;
};

/// A decision on the order in the path: submit, reject, cancel or approve, with the
/// optional reason of its body.
struct OrderDecision {
  std::string order_id;
  bool body_sent = false;    ///< the request had a body
  bool reason_sent = false;  ///< the body has a non-null `reason`
  std::string reason;        ///< "" when absent or unreadable
  std::vector<FieldError> input_errors;
};

/// An approval: the order and, for sms_zip, the delivery its secret travels in.
struct ApprovedOrder {
  domain::ProductionOrder order;
  std::optional<std::string> delivery_id;
};

/// An order's readiness at a glance (the work queue): `ready` when approval would find
/// nothing missing now; `missing` names what blocks, in the checklist's order, by the
/// readiness item ids (test_client, onboarding_case, terms_accepted, planning_complete,
/// verification_tests, production_contacts, production_metadata) and `delivery` when an
/// sms_zip order's mobile or e-mail is not one the package and password can go to.
struct ReadinessSummary {
  bool ready = false;
  std::vector<std::string> missing;
};

/// A listed order; `readiness` only while it can still be approved (draft, submitted).
struct ListedOrder {
  domain::ProductionOrder order;
  std::optional<ReadinessSummary> readiness;
};

/// What the orders' rules read from the configuration.
struct OrderPolicy {
  bool four_eyes = true;
  std::vector<MobilePrefix> mobile_prefixes;
};

/// Thread-safe as its stores are.
class ProductionOrders {
 public:
  ProductionOrders(domain::ProductionOrderStore& orders, domain::OnboardingStore& onboardings,
                   domain::ClientStore& clients, Verifications& verifications,
                   const SecretDeliveries& deliveries, const domain::ScopeCatalogue& scopes,
                   OrderPolicy policy)
      : orders_(orders),
        onboardings_(onboardings),
        clients_(clients),
        verifications_(verifications),
        deliveries_(deliveries),
        scopes_(scopes),
        policy_(std::move(policy)) {}

  /// Rules: the case is visible to the caller; sms_zip needs an accepted mobile and an
  /// e-mail, a certificate delivery no mobile; the test client is a test client linked to
  /// the case. The proposal is the test client's metadata with the merge patch, the
  /// production redirect URIs and logout URIs; a certificate delivery forces
  /// private_key_jwt; sms_zip needs a secret method; the organisation stays. A submitted
  /// order must be valid for production and ready (the checklist). Writes
  /// `production_order.create` or `.submit`.
  domain::ProductionOrder Create(const Caller& caller, const NewProductionOrder& command);

  /// kNotFound "no such production order" when absent or another organisation's.
  domain::ProductionOrder Get(const Caller& caller, const std::string& order_id);

  /// A portal lists its own organisation's orders only.
  domain::Page<domain::ProductionOrder> List(const Caller& caller, const OrderQuery& query);

  /// List, with each open order's readiness judged as approval judges it (the test
  /// client's checklist for the order's delivery method and proposed metadata, with
  /// Verifications::EvaluateMany: a fixed number of store calls per page).
  domain::Page<ListedOrder> ListWithReadiness(const Caller& caller, const OrderQuery& query);

  /// submit (valid and ready), reject (a reason that is not blank is required), cancel;
  /// the reason becomes the decision reason. The body is checked before the order is read.
  domain::ProductionOrder Decide(const Caller& caller, const OrderDecision& command,
                                 domain::OrderTransition transition);

  /// Four eyes (the approver did not enter the order), valid and ready; creates the
  /// production client awaiting credentials and, for sms_zip, its delivered secret.
  ApprovedOrder Approve(const Caller& caller, const OrderDecision& command);

 private:
  void EnsureReady(const std::string& test_client_id, domain::DeliveryMethod delivery,
                   const std::string& proposed_metadata_json);
  std::vector<FieldError> DeliveryRules(const NewProductionOrder& command) const;
  bool DeliveryReachable(const domain::ProductionOrder& order) const;
  static void CheckDecision(const OrderDecision& command, bool reason_required);

  domain::ProductionOrderStore& orders_;
  domain::OnboardingStore& onboardings_;
  domain::ClientStore& clients_;
  Verifications& verifications_;
  const SecretDeliveries& deliveries_;
  const domain::ScopeCatalogue& scopes_;
  OrderPolicy policy_;
};

/// Throws AppError(kValidation, "invalid_for_production") with the production validation
/// errors stored on the order.
void EnsureValidForProduction(const domain::ProductionOrder& order);

}  // namespace onboard::usecases
