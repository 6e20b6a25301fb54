#include "deliveries.hpp"

#include <ctime>

#include "clients.hpp"
#include "error.hpp"
#include "issuer.hpp"
#include "organisation.hpp"

namespace onboard::usecases {

domain::SecretIssuance SecretDeliveries::Prepare(const Caller& caller, const domain::Client& client,
                                                 const Destination& requested,
                                                 const std::string& supersedes_delivery_id) const {
  Destination d = requested;
  if (d.mobile.empty() || (d.email.empty() && d.channel != domain::DeliveryChannel::kDownload) ||
      d.order_id.empty()) {
    if (auto contact = secrets_.FindOrderContact(client.client_id)) {
      if (d.mobile.empty()) d.mobile = contact->mobile;
      if (d.email.empty() && d.channel != domain::DeliveryChannel::kDownload)
        d.email = contact->email;
      if (d.order_id.empty()) d.order_id = contact->order_id;
    }
  }
  if (!d.channel)
    d.channel =
        d.email.empty() ? domain::DeliveryChannel::kDownload : domain::DeliveryChannel::kEmail;
  if (*d.channel == domain::DeliveryChannel::kDownload) d.email.clear();
  std::vector<FieldError> errors;
  if (!domain::IsAcceptedMobile(d.mobile, config_.delivery.mobile_prefixes)) {
    errors.push_back(
        {"mobile", d.mobile.empty() ? "required" : "invalid_mobile",
         "the mobile number (E.164, an accepted country prefix) that receives the zip password"});
  }
  if (*d.channel == domain::DeliveryChannel::kEmail && !domain::IsPlausibleEmail(d.email)) {
    errors.push_back({"email", d.email.empty() ? "required" : "invalid_email",
                      "the e-mail channel needs the address that receives the package"});
  }
  if (!errors.empty())
    throw AppError(ErrorCode::kValidation, "the delivery is invalid", "", errors);

  package::DeliveryRequest request;
  request.client = client;
  request.organisation = OrganisationOf(request.client);
  request.order_id = d.order_id;
  request.channel = *d.channel;
  request.mobile = d.mobile;
  request.email = d.email;
  request.created_by = caller.who.empty() ? "system" : caller.who;
  request.supersedes_delivery_id = supersedes_delivery_id;
  request.audit =
      caller.Audit(supersedes_delivery_id.empty() ? "client.secret_issue" : "delivery.reissue",
                   "client", client.client_id, request.organisation);
  return package::PrepareDeliveredIssuance(request, config_, kek_,
                                           static_cast<int64_t>(std::time(nullptr)));
}

}  // namespace onboard::usecases
