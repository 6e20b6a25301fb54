#include <gtest/gtest.h>

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
using testsupport::StateName;
using T = ClientTransition;

// The whole table: from -> (transition -> to); everything absent is illegal.
const testsupport::StateMachineTable<S, T>& Table() {
  static const testsupport::StateMachineTable<S, T> table{
      {S::kActive, S::kDeactivated, S::kAwaitingCredentials},
      {T::kDeactivate, T::kReactivate, T::kActivate},
      {{S::kActive, {{T::kDeactivate, S::kDeactivated}}},
       {S::kDeactivated, {{T::kReactivate, S::kActive}}},
       {S::kAwaitingCredentials, {{T::kDeactivate, S::kDeactivated}, {T::kActivate, S::kActive}}}},
      "a client"};
  return table;
}

ONBOARD_STATE_MACHINE_TESTS(ClientStateMachine, Table(), NextClientState, ApplyClientTransition,
                            AllowedClientTransitions, 3 * 3 - 4)

TEST(ClientStateMachine, StateNamesRoundTrip) {
  for (S s : Table().states) EXPECT_EQ(ClientStateFromString(ToString(s)), std::optional<S>(s));
  EXPECT_EQ(StateName(S::kAwaitingCredentials), "awaiting_credentials");
  EXPECT_EQ(ClientStateFromString("inactive"), std::nullopt);
  EXPECT_EQ(ClientStateFromString(""), std::nullopt);
  EXPECT_EQ(StateName(T::kDeactivate), "deactivate");
  EXPECT_EQ(StateName(T::kReactivate), "reactivate");
  EXPECT_EQ(StateName(T::kActivate), "activate");
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
