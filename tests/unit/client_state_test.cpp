#include <gtest/gtest.h>

#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <Poco/JSON/Parser.h>

#include "client.hpp"
#include "error.hpp"
#include "../support/state_machine_checks.hpp"

namespace onboard::domain {
namespace {

using S = ClientState;
using T = ClientTransition;

constexpr S kAllStates[] = {S::kActive, S::kDeactivated, S::kAwaitingCredentials};
constexpr T kAllTransitions[] = {T::kDeactivate, T::kReactivate, T::kActivate};

// The whole table: (from, transition) -> to. Everything absent is illegal.
const std::map<std::pair<S, T>, S>& LegalMoves() {
  static const std::map<std::pair<S, T>, S> moves{
      {{S::kActive, T::kDeactivate}, S::kDeactivated},
      {{S::kDeactivated, T::kReactivate}, S::kActive},
      {{S::kAwaitingCredentials, T::kDeactivate}, S::kDeactivated},
      {{S::kAwaitingCredentials, T::kActivate}, S::kActive},
  };
  return moves;
}

const std::map<S, std::string>& AllowedText() {
  static const std::map<S, std::string> text{
      {S::kActive, "deactivate"},
      {S::kDeactivated, "reactivate"},
      {S::kAwaitingCredentials, "deactivate, activate"},
  };
  return text;
}

std::string Name(S s) { return std::string(ToString(s)); }
std::string Name(T t) { return std::string(ToString(t)); }

onboard::testsupport::StateMachineTable<S, T> Table() {
  return {std::vector<S>(std::begin(kAllStates), std::end(kAllStates)),
          std::vector<T>(std::begin(kAllTransitions), std::end(kAllTransitions)), LegalMoves(),
          AllowedText(), "a client"};
}

TEST(ClientStateMachine, EveryLegalTransitionLeadsToItsState) {
  onboard::testsupport::ExpectLegalMovesLeadToTheirState(Table(), NextClientState,
                                                         ApplyClientTransition);
}

TEST(ClientStateMachine, EveryOtherTransitionIsAConflictNamingTheAllowedOnes) {
  EXPECT_EQ(onboard::testsupport::ExpectIllegalMovesConflict(Table(), NextClientState,
                                                             ApplyClientTransition),
            3 * 3 - 4);
}

TEST(ClientStateMachine, AllowedTransitionsMatchTheTable) {
  onboard::testsupport::ExpectAllowedTransitionsMatchTheTable(Table(), AllowedClientTransitions);
}

TEST(ClientStateMachine, StateNamesRoundTrip) {
  for (S s : kAllStates) EXPECT_EQ(ClientStateFromString(ToString(s)), std::optional<S>(s));
  EXPECT_EQ(Name(S::kAwaitingCredentials), "awaiting_credentials");
  EXPECT_EQ(ClientStateFromString("inactive"), std::nullopt);
  EXPECT_EQ(ClientStateFromString(""), std::nullopt);
  EXPECT_EQ(Name(T::kDeactivate), "deactivate");
  EXPECT_EQ(Name(T::kReactivate), "reactivate");
  EXPECT_EQ(Name(T::kActivate), "activate");
}

ClientChange Change(const std::string& change, const std::string& state) {
  ClientChange c;
  c.change = change;
  c.state = state;
  return c;
}

TEST(ReactivatedState, IsActiveForAClientThatWasEverActive) {
  EXPECT_EQ(ReactivatedState({Change("create", "active"), Change("deactivate", "deactivated")}),
            S::kActive);
  EXPECT_EQ(ReactivatedState({Change("create", "awaiting_credentials"),
                              Change("activate", "active"), Change("deactivate", "deactivated")}),
            S::kActive);
}

TEST(ReactivatedState, KeepsAClientThatNeverHadCredentialsWaitingForThem) {
  EXPECT_EQ(ReactivatedState(
                {Change("create", "awaiting_credentials"), Change("deactivate", "deactivated")}),
            S::kAwaitingCredentials);
  EXPECT_EQ(
      ReactivatedState(
          {Change("create", "awaiting_credentials"), Change("deactivate", "deactivated"),
           Change("reactivate", "awaiting_credentials"), Change("deactivate", "deactivated")}),
      S::kAwaitingCredentials);
}

TEST(RegistrationChannel, IncludesProductionOrder) {
  EXPECT_TRUE(IsRegistrationChannel("production_order"));
  EXPECT_TRUE(IsRegistrationChannel("portal"));
  EXPECT_FALSE(IsRegistrationChannel("email"));
}

}  // namespace
}  // namespace onboard::domain

namespace onboard::domain {
namespace {

TEST(CreationDiff, IsTheDiffFromAnEmptyDocumentWithoutReparsing) {
  Poco::JSON::Parser parser;
  const std::string text =
      R"({"client_name":"Kommune X","redirect_uris":["https://a.example.no/cb"],"scopes":["openid","profile"],)"
      R"("logo_uri":null,"token_endpoint_auth_method":"client_secret_basic","nested":{"b":1,"a":[true,false]}})";
  const auto stored = parser.parse(text).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(CreationDiffJson(*stored), DiffMetadataJson("{}", StoredMetadataText(*stored)));
  EXPECT_EQ(CreationDiffJson(Poco::JSON::Object()), "[]");
}

}  // namespace
}  // namespace onboard::domain
