// Checks shared by the state-machine unit tests (clients, production orders): each test
// writes its whole table of legal moves, and these walk every (state, transition) pair.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "error.hpp"

namespace onboard::testsupport {

template <class S, class T>
struct StateMachineTable {
  std::vector<S> states;
  std::vector<T> transitions;
  std::map<std::pair<S, T>, S> legal;  // (from, transition) -> to; everything absent is illegal
  std::map<S, std::string> allowed;    // what the 409 detail lists after "allowed: "
  std::string subject;                 // "a client", "an order": "cannot X <subject> that is Y"
};

template <class V>
std::string StateName(V v) {
  return std::string(ToString(v));
}

// Every legal move leads to its state, through both the query and the applying function.
template <class S, class T, class Next, class Apply>
void ExpectLegalMovesLeadToTheirState(const StateMachineTable<S, T>& table, Next next,
                                      Apply apply) {
  for (const auto& [key, to] : table.legal) {
    const auto [from, t] = key;
    SCOPED_TRACE(StateName(t) + " from " + StateName(from));
    EXPECT_EQ(next(from, t), std::optional<S>(to));
    EXPECT_EQ(apply(from, t), to);
  }
}

// Every other move is a 409 illegal_transition naming the move and the allowed ones; returns
// how many illegal moves were checked.
template <class S, class T, class Next, class Apply>
int ExpectIllegalMovesConflict(const StateMachineTable<S, T>& table, Next next, Apply apply) {
  int illegal = 0;
  for (S from : table.states) {
    for (T t : table.transitions) {
      if (table.legal.count({from, t}) != 0) continue;
      ++illegal;
      SCOPED_TRACE(StateName(t) + " from " + StateName(from));
      EXPECT_EQ(next(from, t), std::nullopt);
      try {
        apply(from, t);
        ADD_FAILURE() << "no exception";
      } catch (const AppError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kConflict);
        EXPECT_EQ(HttpStatusFor(e.code()), 409);
        EXPECT_EQ(e.code_name(), "illegal_transition");
        EXPECT_NE(e.detail().find("cannot " + StateName(t) + " " + table.subject + " that is " +
                                  StateName(from)),
                  std::string::npos)
            << e.detail();
        EXPECT_NE(e.detail().find("allowed: " + table.allowed.at(from)), std::string::npos)
            << e.detail();
      }
    }
  }
  return illegal;
}

// The allowed-transitions list of each state is exactly the table's, in transition order.
template <class S, class T, class Allowed>
void ExpectAllowedTransitionsMatchTheTable(const StateMachineTable<S, T>& table, Allowed allowed) {
  for (S from : table.states) {
    std::vector<T> expected;
    for (T t : table.transitions) {
      if (table.legal.count({from, t}) != 0) expected.push_back(t);
    }
    EXPECT_EQ(allowed(from), expected) << StateName(from);
  }
}

}  // namespace onboard::testsupport
