#include "state_machine.hpp"

#include "error.hpp"

namespace onboard::domain {

void RefuseTransition(std::string_view transition, std::string_view what, std::string_view state,
                      const std::string& allowed) {
  throw AppError(ErrorCode::kConflict,
                 "cannot " + std::string(transition) + " " + std::string(what) + " that is " +
                     std::string(state) + "; allowed: " + (allowed.empty() ? "none" : allowed),
                 "", {}, "illegal_transition");
}

}  // namespace onboard::domain
