#pragma once

/// Every use-case group, wired once in app/serve.cpp and handed to the handlers through
/// http::AppServices::use_cases. A new group adds its member here (a reference to the
/// object serve.cpp constructs) and its construction there.
namespace onboard::usecases {

class Sessions;

struct UseCases {
  Sessions& sessions;  ///< console sessions (sessions.hpp, issue #16)
};

}  // namespace onboard::usecases
