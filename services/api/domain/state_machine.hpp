#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "enum_names.hpp"

namespace onboard::domain {

/// Throws AppError(kConflict, code "illegal_transition") with the text "cannot <transition>
/// <what> that is <state>; allowed: <allowed, or none>", e.g. "cannot reactivate a client
/// that is active; allowed: deactivate".
[[noreturn]] void RefuseTransition(std::string_view transition, std::string_view what,
                                   std::string_view state, const std::string& allowed);

/// The transitions of a lifecycle that `next` (its transition function: the state a
/// transition leads to, or nullopt) allows from `from`, in the order of `transitions`, the
/// lifecycle's table of transition names.
template <typename State, typename Transition, std::size_t N, typename Next>
std::vector<Transition> AllowedTransitions(State from, const EnumName<Transition> (&transitions)[N],
                                           Next next) {
  std::vector<Transition> out;
  for (const auto& row : transitions) {
    if (next(from, row.value)) out.push_back(row.value);
  }
  return out;
}

/// The state `t` leads to from `from`; RefuseTransition naming `what` ("a client", "an
/// order") and the allowed transitions when `next` refuses it.
template <typename State, typename Transition, std::size_t N, typename Next>
State ApplyTransition(State from, Transition t, const EnumName<Transition> (&transitions)[N],
                      Next next, std::string_view what) {
  if (const std::optional<State> to = next(from, t)) return *to;
  std::string allowed;
  for (Transition a : AllowedTransitions(from, transitions, next))
    allowed += (allowed.empty() ? "" : ", ") + std::string(ToString(a));
  RefuseTransition(ToString(t), what, ToString(from), allowed);
}

}  // namespace onboard::domain
