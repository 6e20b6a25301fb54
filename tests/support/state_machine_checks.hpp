// Checks shared by the state-machine unit tests (clients, production orders): each test
// writes its whole table of legal moves, and these walk every (state, transition) pair.
// ONBOARD_STATE_MACHINE_TESTS defines the three tests every state machine has.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "error.hpp"

namespace onboard::testsupport {

template <class S, class T>
struct StateMachineTable {
  std::vector<S> states;
  std::vector<T> transitions;
  std::map<S, std::map<T, S>> moves;  // from -> (transition -> to); everything absent is illegal
  std::string subject;                // "a client", "an order": "cannot X <subject> that is Y"

  /// Where `t` leads from `from`, nullopt when the table has no such move.
  std::optional<S> To(S from, T t) const {
    const auto row = moves.find(from);
    if (row == moves.end()) return std::nullopt;
    const auto move = row->second.find(t);
    if (move == row->second.end()) return std::nullopt;
    return move->second;
  }
};

template <class V>
std::string StateName(V v) {
  return std::string(ToString(v));
}

// What the 409 detail lists after "allowed: ": the legal moves from `from` in the table's
// transition order ("deactivate, activate"), or "none".
template <class S, class T>
std::string AllowedText(const StateMachineTable<S, T>& table, S from) {
  std::string text;
  for (T t : table.transitions) {
    if (table.To(from, t)) text += (text.empty() ? "" : ", ") + StateName(t);
  }
  return text.empty() ? "none" : text;
}

// Every legal move leads to its state, through both the query and the applying function.
template <class S, class T, class Next, class Apply>
void ExpectLegalMovesLeadToTheirState(const StateMachineTable<S, T>& table, Next next,
                                      Apply apply) {
  for (const auto& [from, row] : table.moves) {
    for (const auto& [t, to] : row) {
      SCOPED_TRACE(StateName(t) + " from " + StateName(from));
      EXPECT_EQ(next(from, t), std::optional<S>(to));
      EXPECT_EQ(apply(from, t), to);
    }
  }
}

// Every other move is a 409 illegal_transition naming the move and the allowed ones; returns
// how many illegal moves were checked.
template <class S, class T, class Next, class Apply>
int ExpectIllegalMovesConflict(const StateMachineTable<S, T>& table, Next next, Apply apply) {
  int illegal = 0;
  for (S from : table.states) {
    for (T t : table.transitions) {
      if (table.To(from, t)) continue;
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
        EXPECT_NE(e.detail().find("allowed: " + AllowedText(table, from)), std::string::npos)
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
      if (table.To(from, t)) expected.push_back(t);
    }
    EXPECT_EQ(allowed(from), expected) << StateName(from);
  }
}

}  // namespace onboard::testsupport

/// Defines Suite.EveryLegalTransitionLeadsToItsState,
/// Suite.EveryOtherTransitionIsAConflictNamingTheAllowedOnes (which also checks that
/// `illegal_count` moves were illegal) and Suite.AllowedTransitionsMatchTheTable for the
/// table `table` (an expression) and the machine's next/apply/allowed functions.
#define ONBOARD_STATE_MACHINE_TESTS(Suite, table, next, apply, allowed, illegal_count) \
  TEST(Suite, EveryLegalTransitionLeadsToItsState) {                                   \
    ::onboard::testsupport::ExpectLegalMovesLeadToTheirState(table, next, apply);      \
  }                                                                                    \
  TEST(Suite, EveryOtherTransitionIsAConflictNamingTheAllowedOnes) {                   \
    EXPECT_EQ(::onboard::testsupport::ExpectIllegalMovesConflict(table, next, apply),  \
              illegal_count);                                                          \
  }                                                                                    \
  TEST(Suite, AllowedTransitionsMatchTheTable) {                                       \
    ::onboard::testsupport::ExpectAllowedTransitionsMatchTheTable(table, allowed);     \
  }
