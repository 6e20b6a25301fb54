#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include <set>

#include "verification_e2e.hpp"

namespace onboard::testsupport::verification {
namespace {

class VerificationCatalogueApi : public ::testing::Test {
 protected:
  Service svc;
};

Poco::JSON::Array::Ptr CasesOf(const HttpResponse& r) { return r.json->getArray("cases"); }

// Version 1's cases as a POST body, with `extra` appended.
Poco::JSON::Object NextVersion(const HttpResponse& current,
                               Poco::JSON::Object::Ptr extra = nullptr) {
  Poco::JSON::Array cases;
  auto existing = CasesOf(current);
  for (std::size_t i = 0; i < existing->size(); ++i) {
    auto c = existing->getObject(static_cast<unsigned>(i));
    Poco::JSON::Object copy;
    for (const char* key : {"id", "name", "title", "description", "mandatory", "feature"})
      copy.set(key, c->get(key));
    cases.add(copy);
  }
  if (extra) cases.add(extra);
  Poco::JSON::Object body;
  body.set("cases", cases);
  return body;
}

TEST_F(VerificationCatalogueApi, ServesTheSeededVersionOne) {
  const HttpResponse r = svc.http().Get("/v1/verification-catalogue", svc.Operator());
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("ETag"), "\"1\"");
  EXPECT_EQ(r.json->getValue<int>("version"), 1);
  auto cases = CasesOf(r);
  ASSERT_EQ(cases->size(), 11u);
  std::set<int> mandatory;
  std::map<int, std::string> features;
  for (std::size_t i = 0; i < cases->size(); ++i) {
    auto c = cases->getObject(static_cast<unsigned>(i));
    EXPECT_EQ(c->getValue<int>("id"), static_cast<int>(i) + 1);
    if (c->getValue<bool>("mandatory")) mandatory.insert(c->getValue<int>("id"));
    if (!c->isNull("feature"))
      features[c->getValue<int>("id")] = c->getValue<std::string>("feature");
    EXPECT_FALSE(c->getValue<std::string>("rule").empty());
  }
  EXPECT_EQ(mandatory, (std::set<int>{1, 3, 6, 7, 8}));
  EXPECT_EQ(features,
            (std::map<int, std::string>{
                {7, "frontchannel_logout_uri"}, {9, "sso_disabled"}, {10, "onbehalfof"}}));
}

TEST_F(VerificationCatalogueApi, PortalsMayReadButOnlyOperatorsPublish) {
  const std::string orgno = ValidOrgno(1);
  const HttpResponse read = svc.http().Get("/v1/verification-catalogue", svc.Portal(orgno));
  ASSERT_EQ(read.status, 200) << read.Describe();
  EXPECT_EQ(svc.Post("/v1/verification-catalogue", NextVersion(read), svc.Portal(orgno)).status,
            403);
  EXPECT_EQ(svc.http().Get("/v1/verification-catalogue", svc.Auditor()).status, 403);
  EXPECT_EQ(svc.http().Get("/v1/verification-catalogue", svc.Provider()).status, 403);
  EXPECT_EQ(svc.http().Get("/v1/verification-catalogue").status, 401);
}

TEST_F(VerificationCatalogueApi, PublishesTheNextVersionWithOneAuditEvent) {
  const HttpResponse v1 = svc.http().Get("/v1/verification-catalogue", svc.Operator());
  Poco::JSON::Object::Ptr extra = new Poco::JSON::Object();
  extra->set("id", 12);
  extra->set("name", "sso_from_app");
  extra->set("title", "SSO from the mobile app");
  extra->set("description", "Log in from the app and continue in the browser.");
  extra->set("mandatory", false);
  extra->set("feature", Poco::Dynamic::Var());
  const int64_t before = svc.db().AuditCount();
  Headers headers = svc.Operator();
  headers.emplace_back("If-Match", "\"1\"");
  const HttpResponse created =
      svc.http().Post("/v1/verification-catalogue", Json(NextVersion(v1, extra)), headers);
  ASSERT_EQ(created.status, 201) << created.Describe();
  EXPECT_EQ(created.json->getValue<int>("version"), 2);
  EXPECT_EQ(created.json->getValue<std::string>("published_by"), "operator-e2e");
  EXPECT_EQ(created.Header("Location"), "/v1/verification-catalogue?version=2");
  EXPECT_EQ(svc.db().AuditCount(), before + 1);
  EXPECT_EQ(AuditCount(svc.db(), "verification_catalogue.publish"), 1);
  EXPECT_TRUE(svc.db().VerifyAudit().intact);

  const HttpResponse current = svc.http().Get("/v1/verification-catalogue", svc.Operator());
  EXPECT_EQ(current.json->getValue<int>("version"), 2);
  EXPECT_EQ(CasesOf(current)->size(), 12u);
  const HttpResponse old = svc.http().Get("/v1/verification-catalogue?version=1", svc.Operator());
  ASSERT_EQ(old.status, 200);
  EXPECT_EQ(CasesOf(old)->size(), 11u);
  EXPECT_EQ(svc.http().Get("/v1/verification-catalogue?version=3", svc.Operator()).status, 404);
  EXPECT_EQ(svc.http().Get("/v1/verification-catalogue?version=x", svc.Operator()).status, 400);

  // Publishing against the version that was current before is refused.
  const HttpResponse stale =
      svc.http().Post("/v1/verification-catalogue", Json(NextVersion(v1)), headers);
  EXPECT_EQ(stale.status, 412) << stale.Describe();
  EXPECT_EQ(svc.db().AuditCount(), before + 1);
}

TEST_F(VerificationCatalogueApi, RefusesAnInvalidListWithFieldErrorsAndNoAuditEvent) {
  const HttpResponse v1 = svc.http().Get("/v1/verification-catalogue", svc.Operator());
  Poco::JSON::Object::Ptr bad = new Poco::JSON::Object();
  bad->set("id", 3);
  bad->set("name", "Not A Name");
  bad->set("title", "Duplicate");
  bad->set("description", "x");
  bad->set("mandatory", true);
  bad->set("feature", "ui_locales");
  bad->set("colour", "red");
  const int64_t before = svc.db().AuditCount();
  const HttpResponse r =
      svc.Post("/v1/verification-catalogue", NextVersion(v1, bad), svc.Operator());
  ASSERT_EQ(r.status, 400) << r.Describe();
  std::set<std::string> errors;
  auto list = r.json->getArray("errors");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto e = list->getObject(static_cast<unsigned>(i));
    errors.insert(e->getValue<std::string>("path") + ":" + e->getValue<std::string>("code"));
  }
  EXPECT_EQ(errors, (std::set<std::string>{
                        "cases/11/id:duplicate_case", "cases/11/name:invalid_name",
                        "cases/11/feature:unknown_feature", "cases/11/colour:unknown_field"}));
  EXPECT_EQ(svc.db().AuditCount(), before);
  EXPECT_EQ(
      svc.http().Get("/v1/verification-catalogue", svc.Operator()).json->getValue<int>("version"),
      1);
}

}  // namespace
}  // namespace onboard::testsupport::verification
