#include "caches.hpp"

#include "authenticator.hpp"
#include "provider_service.hpp"

namespace onboard::http {

void ServiceCaches::ClientChanged(const std::string& client_id) { provider_.Invalidate(client_id); }

void ServiceCaches::TokensChanged() { auth_.Invalidate(); }

}  // namespace onboard::http
