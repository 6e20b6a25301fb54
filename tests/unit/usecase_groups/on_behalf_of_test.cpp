#include <gtest/gtest.h>

#include "../metadata_fixtures.hpp"
#include "client_metadata_json.hpp"
#include "clients.hpp"
#include "fakes.hpp"
#include "on_behalf_of.hpp"

namespace onboard::usecases {
namespace {

domain::OnBehalfOf Record(const std::string& value, const std::string& name = "Kunde En") {
  domain::OnBehalfOf r;
  r.onbehalfof = value;
  r.display_name = name;
  r.orgno = kOrgB;
  return r;
}

struct OnBehalfOfCases : testing::UseCaseTest {
  Clients client_cases{clients, scopes, units, caches};
  OnBehalfOfEntries cases{client_cases};
  int reads = 0;  // how often the body reader ran

  // A stored web client of kOrgA (version 1), registered by an operator.
  std::string Stored() {
    NewClient c;
    c.document = domain::ToJson(domain::testing::WebClientMetadata(kOrgA));
    return client_cases.Register(testing::Operator(), c).client_id;
  }
  ReadOnBehalfOf Reads(const domain::OnBehalfOf& record) {
    return [this, record] {
      ++reads;
      return record;
    };
  }
  OnBehalfOfTarget Target(const std::string& id, const std::string& value = "") {
    return {.client_id = id, .if_match = "", .value = value};
  }
};

TEST_F(OnBehalfOfCases, AddAppendsTheRecordAsAClientUpdate) {
  const std::string id = Stored();
  const Caller portal = testing::Portal(kOrgA);
  EXPECT_EQ(cases.Add(portal, Target(id), Reads(Record("kunde1"))).onbehalfof, "kunde1");
  cases.Add(portal, Target(id, "kunde2"), Reads(Record("kunde2")));
  const auto list = cases.List(portal, id);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].onbehalfof, "kunde1");
  EXPECT_EQ(list[1].onbehalfof, "kunde2");
  EXPECT_EQ(clients.rows[id].metadata.onbehalfof.size(), 2u) << "the client's own metadata";
  ASSERT_EQ(clients.writes.size(), 3u);
  EXPECT_EQ(clients.writes[2].change, "update");
}

TEST_F(OnBehalfOfCases, AddingAValueTwiceIsAConflict) {
  const std::string id = Stored();
  const Caller portal = testing::Portal(kOrgA);
  cases.Add(portal, Target(id), Reads(Record("kunde1")));
  const AppError e = Thrown([&] { cases.Add(portal, Target(id), Reads(Record("kunde1", "X"))); });
  EXPECT_EQ(e.code(), ErrorCode::kConflict);
  EXPECT_EQ(e.code_name(), "onbehalfof_exists");
  EXPECT_EQ(cases.Get(portal, id, "kunde1").display_name, "Kunde En") << "unchanged";
  EXPECT_EQ(clients.writes.size(), 2u);
}

TEST_F(OnBehalfOfCases, GetReplaceAndRemoveAnswerNotFoundForAnUnknownValue) {
  const std::string id = Stored();
  const Caller portal = testing::Portal(kOrgA);
  const AppError got = Thrown([&] { cases.Get(portal, id, "kunde9"); });
  EXPECT_EQ(got.code(), ErrorCode::kNotFound);
  EXPECT_EQ(got.code_name(), "not_found");
  const AppError put =
      Thrown([&] { cases.Replace(portal, Target(id, "kunde9"), Reads(Record("kunde9"))); });
  EXPECT_EQ(put.code(), ErrorCode::kNotFound);
  EXPECT_EQ(reads, 0) << "404 before the body is read";
  EXPECT_EQ(Thrown([&] { cases.Remove(portal, Target(id, "kunde9")); }).code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(clients.writes.size(), 1u) << "nothing written";
}

TEST_F(OnBehalfOfCases, ReplaceChangesOnlyThatRecordsMembers) {
  const std::string id = Stored();
  const Caller portal = testing::Portal(kOrgA);
  cases.Add(portal, Target(id), Reads(Record("kunde1")));
  cases.Add(portal, Target(id), Reads(Record("kunde2", "Kunde To")));
  cases.Replace(portal, Target(id, "kunde1"), Reads(Record("kunde1", "Kunde Én AS")));
  EXPECT_EQ(cases.Get(portal, id, "kunde1").display_name, "Kunde Én AS");
  EXPECT_EQ(cases.Get(portal, id, "kunde2").display_name, "Kunde To");
  EXPECT_EQ(cases.List(portal, id).size(), 2u);
}

TEST_F(OnBehalfOfCases, RemoveDropsTheRecord) {
  const std::string id = Stored();
  const Caller portal = testing::Portal(kOrgA);
  cases.Add(portal, Target(id), Reads(Record("kunde1")));
  cases.Add(portal, Target(id), Reads(Record("kunde2")));
  cases.Remove(portal, Target(id, "kunde2"));
  const auto list = cases.List(portal, id);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].onbehalfof, "kunde1");
  EXPECT_EQ(Thrown([&] { cases.Get(portal, id, "kunde2"); }).code(), ErrorCode::kNotFound);
}

TEST_F(OnBehalfOfCases, AStaleIfMatchFailsBeforeTheBodyIsRead) {
  const std::string id = Stored();
  OnBehalfOfTarget target = Target(id);
  target.if_match = "\"7\"";
  EXPECT_EQ(
      Thrown([&] { cases.Add(testing::Portal(kOrgA), target, Reads(Record("kunde1"))); }).code(),
      ErrorCode::kPreconditionFailed);
  EXPECT_EQ(reads, 0);
  // A portal need not send one (the sub-resource overwrites no one's metadata).
  EXPECT_NO_THROW(cases.Add(testing::Portal(kOrgA), Target(id), Reads(Record("kunde1"))));
}

TEST_F(OnBehalfOfCases, AClientOfAnotherOrganisationIsNotFound) {
  const std::string id = Stored();
  const AppError e =
      Thrown([&] { cases.Add(testing::Portal(kOrgB), Target(id), Reads(Record("kunde1"))); });
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(reads, 0);
  EXPECT_EQ(Thrown([&] { cases.List(testing::Portal(kOrgB), id); }).code(), ErrorCode::kNotFound);
}

TEST_F(OnBehalfOfCases, AnInvalidRecordNamesItsMembers) {
  const std::string id = Stored();
  domain::OnBehalfOf bad = Record("kunde1");
  bad.orgno = "123456789";
  const AppError e = Thrown([&] { cases.Add(testing::Portal(kOrgA), Target(id), Reads(bad)); });
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  EXPECT_TRUE(Has(e.field_errors(), "orgno", "invalid_orgno"));
  EXPECT_TRUE(clients.rows[id].metadata.onbehalfof.empty());
}

}  // namespace
}  // namespace onboard::usecases
