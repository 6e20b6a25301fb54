#include <Poco/JSON/Array.h>

#include <set>

#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

using OrganisationsApi = ApiSuite<DefaultConfig>;

// Tests share one service and database when the binary runs them in one process, so each
// uses organisation numbers and names no other test uses.
OrgnoSequence organisation_numbers(92000000);
std::string Unique(const std::string& name) {
  static int next = 0;
  return name + " u" + std::to_string(next++);
}

TEST_F(OrganisationsApi, CreateAnswers201WithLocationEtagAndTheOrganisation) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  const int64_t before = env().db->AuditCount();
  const HttpResponse r = env().Op("POST", "/v1/organisations", OrgBody(kOrgA, "Acme AS"));
  ASSERT_EQ(r.status, 201) << r.Describe();
  EXPECT_EQ(r.Header("Location"), "/v1/organisations/" + kOrgA);
  EXPECT_EQ(r.Header("ETag"), "\"1\"");
  EXPECT_EQ(r.content_type, "application/json");
  ASSERT_TRUE(r.json);
  EXPECT_EQ(r.json->getValue<std::string>("orgno"), kOrgA);
  EXPECT_EQ(r.json->getValue<std::string>("name"), "Acme AS");
  EXPECT_EQ(r.json->getValue<int>("version"), 1);
  EXPECT_EQ(r.json->getArray("contacts")->size(), 1u);
  EXPECT_EQ(env().db->AuditCount(), before + 1);
  EXPECT_EQ(QueryScalar(env().db->url(),
                        "SELECT actor || '/' || role || '/' || action || '/' || request_id "
                        "FROM audit_events ORDER BY seq DESC LIMIT 1"),
            "e2e-operator/operator/organisation.create/" + r.Header("X-Request-Id"));
}

TEST_F(OrganisationsApi, GetReturnsTheOrganisationWithItsEtag) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "Acme AS");
  const HttpResponse r = env().Op("GET", "/v1/organisations/" + kOrgA);
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("ETag"), "\"1\"");
  EXPECT_EQ(r.json->getValue<std::string>("name"), "Acme AS");
  EXPECT_EQ(r.json->getArray("contacts")->getObject(0)->getValue<std::string>("email"),
            "kari@example.no");
}

TEST_F(OrganisationsApi, GetOfAnUnknownOrganisationIs404) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  ExpectProblem(env().Op("GET", "/v1/organisations/" + kOrgB), 404, "not_found");
}

TEST_F(OrganisationsApi, DuplicateCreateIs409AndWritesNoAuditEvent) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "Acme AS");
  const int64_t before = env().db->AuditCount();
  const HttpResponse r = env().Op("POST", "/v1/organisations", OrgBody(kOrgA, "Other"));
  ExpectProblem(r, 409, "organisation_exists");
  EXPECT_EQ(env().db->AuditCount(), before);
  EXPECT_EQ(env().Op("GET", "/v1/organisations/" + kOrgA).json->getValue<std::string>("name"),
            "Acme AS");
}

TEST_F(OrganisationsApi, ListPagesWithACursorAndFiltersByName) {
  const std::string prefix = Unique("List");  // e.g. "List u3"
  std::vector<std::string> orgnos;
  for (int i = 0; i < 7; ++i) {
    orgnos.push_back(organisation_numbers.Next());
    env().CreateOrg(orgnos.back(),
                    prefix + (i % 2 == 0 ? " Alpha " : " Beta ") + std::to_string(i));
  }
  std::string encoded_prefix;
  for (char c : prefix) encoded_prefix += c == ' ' ? std::string("%20") : std::string(1, c);
  std::vector<std::string> seen;
  std::string path = "/v1/organisations?limit=3&name=" + encoded_prefix;
  int pages = 0;
  while (true) {
    const HttpResponse r = env().Op("GET", path);
    ASSERT_EQ(r.status, 200) << r.Describe();
    auto items = r.json->getArray("items");
    EXPECT_LE(items->size(), 3u);
    for (std::size_t i = 0; i < items->size(); ++i) {
      seen.push_back(items->getObject(static_cast<unsigned>(i))->getValue<std::string>("orgno"));
    }
    ++pages;
    ASSERT_TRUE(r.json->has("next_cursor"));
    if (r.json->isNull("next_cursor")) break;
    path = "/v1/organisations?limit=3&name=" + encoded_prefix +
           "&cursor=" + r.json->getValue<std::string>("next_cursor");
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, orgnos);

  const HttpResponse alpha =
      env().Op("GET", "/v1/organisations?name=" + encoded_prefix + "%20ALPHA");
  ASSERT_EQ(alpha.status, 200) << alpha.Describe();
  EXPECT_EQ(alpha.json->getArray("items")->size(), 4u) << "the name filter ignores case";
  const HttpResponse one =
      env().Op("GET", "/v1/organisations?name=" + encoded_prefix + "%20Beta%205");
  ASSERT_EQ(one.json->getArray("items")->size(), 1u);
  EXPECT_EQ(one.json->getArray("items")->getObject(0)->getValue<std::string>("name"),
            prefix + " Beta 5");
}

TEST_F(OrganisationsApi, ListTreatsPercentAndUnderscoreInTheNameFilterLiterally) {
  const std::string prefix = Unique("Pct");
  env().CreateOrg(organisation_numbers.Next(), prefix + " 100% sure");
  env().CreateOrg(organisation_numbers.Next(), prefix + " 1000 sure");
  env().CreateOrg(organisation_numbers.Next(), prefix + " a_b");
  env().CreateOrg(organisation_numbers.Next(), prefix + " axb");
  std::string encoded_prefix;
  for (char c : prefix) encoded_prefix += c == ' ' ? std::string("%20") : std::string(1, c);
  const HttpResponse pct =
      env().Op("GET", "/v1/organisations?name=" + encoded_prefix + "%20100%25");
  ASSERT_EQ(pct.status, 200) << pct.Describe();
  ASSERT_EQ(pct.json->getArray("items")->size(), 1u) << pct.body;
  const HttpResponse under = env().Op("GET", "/v1/organisations?name=" + encoded_prefix + "%20a_");
  ASSERT_EQ(under.json->getArray("items")->size(), 1u) << under.body;
}

TEST_F(OrganisationsApi, ListRejectsABadLimitAndCursorWithFieldErrors) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  for (const char* limit : {"0", "201", "x", "-1"}) {
    const HttpResponse r = env().Op("GET", std::string("/v1/organisations?limit=") + limit);
    ExpectProblem(r, 400, "");
    EXPECT_EQ(ErrorPaths(r), std::vector<std::string>{"limit"}) << limit;
  }
  const HttpResponse cursor = env().Op("GET", "/v1/organisations?cursor=not!base64");
  ExpectProblem(cursor, 400, "");
  EXPECT_EQ(ErrorPaths(cursor), std::vector<std::string>{"cursor"});
}

TEST_F(OrganisationsApi, ListAnswers400NotAServerErrorForABrokenQueryEncoding) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  const HttpResponse r = env().Op("GET", "/v1/organisations?name=%zz");
  ExpectProblem(r, 400, "");
}

TEST_F(OrganisationsApi, PatchAppliesAMergePatchWithIfMatchAndBumpsTheEtag) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "Acme AS");
  const int64_t before = env().db->AuditCount();
  const HttpResponse r =
      env().Op("PATCH", "/v1/organisations/" + kOrgA, std::string(R"({"name":"Acme Holding AS"})"),
               {{"If-Match", "\"1\""}, {"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.Header("ETag"), "\"2\"");
  EXPECT_EQ(r.json->getValue<std::string>("name"), "Acme Holding AS");
  EXPECT_EQ(r.json->getArray("contacts")->size(), 1u)
      << "a merge patch keeps members it does not mention";
  EXPECT_EQ(env().db->AuditCount(), before + 1);
  EXPECT_EQ(
      QueryScalar(env().db->url(), "SELECT detail FROM audit_events ORDER BY seq DESC LIMIT 1"),
      R"({"changed":["name"]})");
}

TEST_F(OrganisationsApi, PatchWithAStaleIfMatchIs412AndChangesNothing) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "Acme AS");
  ASSERT_EQ(env()
                .Op("PATCH", "/v1/organisations/" + kOrgA, std::string(R"({"name":"First"})"),
                    {{"If-Match", "\"1\""}})
                .status,
            200);
  const int64_t before = env().db->AuditCount();
  const HttpResponse stale = env().Op("PATCH", "/v1/organisations/" + kOrgA,
                                      std::string(R"({"name":"Second"})"), {{"If-Match", "\"1\""}});
  ExpectProblem(stale, 412, "version_mismatch");
  EXPECT_EQ(env().Op("GET", "/v1/organisations/" + kOrgA).json->getValue<std::string>("name"),
            "First");
  EXPECT_EQ(env().db->AuditCount(), before);
  ExpectProblem(env().Op("PATCH", "/v1/organisations/" + kOrgA, std::string(R"({"name":"Third"})"),
                         {{"If-Match", "garbage"}}),
                412, "");
}

TEST_F(OrganisationsApi, PatchWithNullContactsRemovesThem) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "Acme AS");
  const HttpResponse r =
      env().Op("PATCH", "/v1/organisations/" + kOrgA, std::string(R"({"contacts":null})"),
               {{"Content-Type", "application/merge-patch+json"}});
  ASSERT_EQ(r.status, 200) << r.Describe();
  EXPECT_EQ(r.json->getArray("contacts")->size(), 0u);
}

TEST_F(OrganisationsApi, PatchCannotChangeTheOrgno) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "Acme AS");
  const HttpResponse r =
      env().Op("PATCH", "/v1/organisations/" + kOrgA, "{\"orgno\":\"" + kOrgB + "\"}");
  ExpectProblem(r, 400, "");
  EXPECT_EQ(ErrorPaths(r), std::vector<std::string>{"orgno"});
}

TEST_F(OrganisationsApi, PatchRemovingTheNameReportsOneErrorForName) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "Acme AS");
  const HttpResponse r =
      env().Op("PATCH", "/v1/organisations/" + kOrgA, std::string(R"({"name":null})"));
  ExpectProblem(r, 400, "validation_failed");
  EXPECT_EQ(ErrorPaths(r), std::vector<std::string>{"name"}) << r.body;
}

TEST_F(OrganisationsApi, PatchOfAnUnknownOrganisationIs404) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  ExpectProblem(env().Op("PATCH", "/v1/organisations/" + kOrgB, std::string(R"({"name":"x"})")),
                404, "");
}

TEST_F(OrganisationsApi, CreateReportsEveryInvalidFieldByPath) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  const HttpResponse r = env().Op(
      "POST", "/v1/organisations",
      std::string(
          R"({"orgno":"123456789","name":"","contacts":[{"name":"K","email":"nope","mobile":"12","role":"boss"}]})"));
  ExpectProblem(r, 400, "validation_failed");
  EXPECT_EQ(ErrorPaths(r), (std::vector<std::string>{"contacts/0/email", "contacts/0/mobile",
                                                     "contacts/0/role", "name", "orgno"}))
      << r.body;
}

TEST_F(OrganisationsApi, PortalRegistersOnlyTheOrganisationItActsFor) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  const HttpResponse own = env().Portal(kOrgA, "POST", "/v1/organisations", OrgBody(kOrgA, "Own"));
  EXPECT_EQ(own.status, 201) << own.Describe();
  EXPECT_EQ(QueryScalar(env().db->url(),
                        "SELECT portal_user FROM audit_events ORDER BY seq DESC LIMIT 1"),
            "kari");
  const int64_t before = env().db->AuditCount();
  ExpectProblem(env().Portal(kOrgA, "POST", "/v1/organisations", OrgBody(kOrgB, "Other")), 403, "");
  EXPECT_EQ(env().db->AuditCount(), before);
  EXPECT_EQ(env().Op("GET", "/v1/organisations/" + kOrgB).status, 404);
}

TEST_F(OrganisationsApi, PortalGets404ForAnotherOrganisation) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "A");
  env().CreateOrg(kOrgB, "B");
  ExpectProblem(env().Portal(kOrgA, "GET", "/v1/organisations/" + kOrgB), 404, "not_found");
  const HttpResponse patch = env().Portal(kOrgA, "PATCH", "/v1/organisations/" + kOrgB,
                                          std::string(R"({"name":"Hijacked"})"));
  ExpectProblem(patch, 404, "not_found");
  EXPECT_EQ(env().Op("GET", "/v1/organisations/" + kOrgB).json->getValue<std::string>("name"), "B");
  // The answer for another organisation is the one for a missing one: no hint that it exists.
  const HttpResponse missing =
      env().Portal(kOrgA, "GET", "/v1/organisations/" + organisation_numbers.Next());
  EXPECT_EQ(missing.json->getValue<std::string>("detail"),
            env()
                .Portal(kOrgA, "GET", "/v1/organisations/" + kOrgB)
                .json->getValue<std::string>("detail"));
  EXPECT_EQ(env().Portal(kOrgA, "GET", "/v1/organisations/" + kOrgA).status, 200);
}

TEST_F(OrganisationsApi, PortalListSeesOnlyItsOwnOrganisation) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  env().CreateOrg(kOrgA, "Shared name A");
  env().CreateOrg(kOrgB, "Shared name B");
  const HttpResponse r = env().Portal(kOrgA, "GET", "/v1/organisations?name=shared%20name");
  ASSERT_EQ(r.status, 200) << r.Describe();
  auto items = r.json->getArray("items");
  ASSERT_EQ(items->size(), 1u);
  EXPECT_EQ(items->getObject(0)->getValue<std::string>("orgno"), kOrgA);
}

TEST_F(OrganisationsApi, PortalWithoutOrgAndUserHeadersIs400) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  const auto& portal = env().portal.secret;
  const HttpResponse none = env().http->Get("/v1/organisations", Bearer(portal));
  ExpectProblem(none, 400, "portal_headers_missing");
  EXPECT_EQ(ErrorPaths(none), (std::vector<std::string>{"X-Onboard-Org", "X-Onboard-User"}));
  ExpectProblem(env().http->Get("/v1/organisations", Bearer(portal, {{"X-Onboard-Org", kOrgA}})),
                400, "portal_headers_missing");
  ExpectProblem(env().http->Get("/v1/organisations", Bearer(portal, {{"X-Onboard-User", "kari"}})),
                400, "portal_headers_missing");
  ExpectProblem(env().http->Get("/v1/organisations", Bearer(portal, {{"X-Onboard-Org", "123"},
                                                                     {"X-Onboard-User", "kari"}})),
                400, "portal_headers_missing");
}

TEST_F(OrganisationsApi, EveryChangeWroteExactlyOneAuditEventAndTheChainVerifies) {
  const std::string kOrgA = organisation_numbers.Next(), kOrgB = organisation_numbers.Next();
  const int64_t start = env().db->AuditCount();
  env().CreateOrg(kOrgA, "A");                                                       // +1
  env().Op("POST", "/v1/organisations", OrgBody(kOrgA, "dup"));                      // 409
  env().Op("PATCH", "/v1/organisations/" + kOrgA, std::string(R"({"name":"A2"})"));  // +1
  env().Op("PATCH", "/v1/organisations/" + kOrgA, std::string(R"({"name":""})"));    // 400
  env().Op("PATCH", "/v1/organisations/" + kOrgA, std::string(R"({"name":"A3"})"),
           {{"If-Match", "\"1\""}});                                      // 412
  env().Portal(kOrgB, "POST", "/v1/organisations", OrgBody(kOrgB, "B"));  // +1
  env().Op("GET", "/v1/organisations");
  EXPECT_EQ(env().db->AuditCount(), start + 3);
  const CliResult verify = RunCli({"audit", "verify"}, {{"ONBOARD_DATABASE_URL", env().db->url()}});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
  EXPECT_NE(verify.out.find("\"intact\":true"), std::string::npos) << verify.out;
  EXPECT_NE(verify.out.find("\"checked\":" + std::to_string(start + 3)), std::string::npos)
      << verify.out;
}

}  // namespace
}  // namespace onboard::testsupport
