#include "authenticator.hpp"

#include <algorithm>

#include "error.hpp"

namespace onboard::http {

Caller Authenticator::Authenticate(const Poco::Net::HTTPServerRequest& request,
                                   PresentedToken* presented) {
  const std::string& header = request.get("Authorization", "");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.size() <= kBearer.size() ||
      !std::equal(kBearer.begin(), kBearer.end(), header.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) ==
               std::tolower(static_cast<unsigned char>(b));
      })) {
    throw AppError(ErrorCode::kUnauthenticated, "a bearer token is required", "", {},
                   "missing_token");
  }
  return Authenticate({header.substr(kBearer.size()), request.get("X-Onboard-Org", ""),
                       request.get("X-Onboard-User", "")},
                      presented);
}

}  // namespace onboard::http
