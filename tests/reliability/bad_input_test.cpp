// Bad input in every field of a client registration (label reliability): SQL and
// template injection strings, control and bidi characters, invalid UTF-8, oversize values,
// wrong encodings. Structured fields (URIs, enums, numbers, org numbers, scopes) must be
// refused with a 4xx that changes nothing. Free text (names, description) may hold any
// well-formed text: it is then stored verbatim (read back byte for byte) and nothing else
// changes; SQL never runs, a template is never rendered.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

const char* kBase =
    R"({"environment":"test","client_name":"Min side","display_name":"Min side","description":"Selvbetjening",)"
    R"("client_uri":"https://app.example.no","logo_uri":"https://app.example.no/logo.png","integration_type":"idporten",)"
    R"("application_type":"web","token_endpoint_auth_method":"client_secret_post",)"
    R"("grant_types":["authorization_code","refresh_token"],"scopes":["openid","profile"],)"
    R"("redirect_uris":["https://app.example.no/callback"],"post_logout_redirect_uris":["https://app.example.no/logout"],)"
    R"("frontchannel_logout_uri":"https://app.example.no/fc","access_token_lifetime":120,"refresh_token_lifetime":600,)"
    R"("authorization_lifetime":7200,"refresh_token_usage":"REUSE","client_orgno":"974760673",)"
    R"("supplier_orgno":"991825827","contacts":["drift@example.no"]})";

const std::set<std::string> kFreeText = {"client_name", "display_name", "description"};

// Values as JSON text (already encoded), so invalid UTF-8 and escapes go out as they are.
std::vector<std::string> Injections() {
  return {
      R"("'; DROP TABLE clients; --")",
      R"("\" OR 1=1 --")",
      R"j("1; UPDATE api_tokens SET revoked_at = now()")j",
      R"("{{#contacts}}{{{.}}}{{/contacts}}{{> secret}}")",
      R"("${jndi:ldap://127.0.0.1/x} #{7*7} <%= 7*7 %>")",
      R"("<script>alert(1)</script>")",
      R"("../../../../etc/passwd")",
      R"("\u0000")",
      R"("a\u202eb")",
      "\"\xff\xfe\xc3\x28\"",
      "\"" + std::string(70000, 'A') + "\"",
      R"(12345678901234567890123)",
      R"({"$ne":null})",
  };
}

// kBase with `field` set to `value` (for a list: its only or first element).
std::string WithField(const std::string& field, const std::string& value) {
  Poco::JSON::Parser parser;
  auto base = parser.parse(kBase).extract<Poco::JSON::Object::Ptr>();
  const bool list = base->isArray(field);
  base->remove(field);
  std::ostringstream out;
  base->stringify(out);
  std::string text = out.str();
  text.pop_back();  // the closing brace
  text += ",\"" + field + "\":" + (list ? "[" + value + "]" : value) + "}";
  return text;
}

struct Counts {
  int64_t clients, history, audit, tokens_revoked, organisations;
  bool operator==(const Counts&) const = default;
};

class BadInput : public ApiSuite<DefaultConfig> {
 protected:
  Counts Now() {
    if (!conn_) conn_ = env().db->Connect();
    db::Result r = conn_->ExecSimple(
        "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM client_history), "
        "(SELECT count(*) FROM audit_events), (SELECT count(*) FROM api_tokens WHERE revoked_at IS "
        "NOT NULL), "
        "(SELECT count(*) FROM organisations)");
    return {r.Int(0, 0), r.Int(0, 1), r.Int(0, 2), r.Int(0, 3), r.Int(0, 4)};
  }
  std::unique_ptr<db::Connection> conn_;
};

// LeakIn on a body without the text the client sent itself (echoing a rejected value in
// an error message is not a leak; SQL or a stack trace of our own would be).
std::string LeakBeyondEcho(std::string body, const std::string& sent_json_value) {
  std::string sent = sent_json_value;
  if (sent.size() >= 2 && sent.front() == '"' && sent.back() == '"')
    sent = sent.substr(1, sent.size() - 2);
  for (std::size_t at; !sent.empty() && (at = body.find(sent)) != std::string::npos;)
    body.erase(at, sent.size());
  return LeakIn(body);
}

TEST_F(BadInput, TheBaseRegistrationIsValid) {
  env().CreateOrg("974760673", "Injeksjon AS");
  env().CreateOrg("991825827", "Leverandør AS");
  const HttpResponse r = env().Op("POST", "/v1/clients", std::string(kBase));
  EXPECT_EQ(r.status, 201) << r.Describe();
}

TEST_F(BadInput, EveryFieldRefusesOrStoresVerbatimAndNothingElseChanges) {
  if (QueryInt(env().db->url(), "SELECT count(*) FROM organisations") == 0) {
    env().CreateOrg("974760673", "Injeksjon AS");
    env().CreateOrg("991825827", "Leverandør AS");
  }
  Poco::JSON::Parser parser;
  auto base = parser.parse(kBase).extract<Poco::JSON::Object::Ptr>();
  std::vector<std::string> fields;
  base->getNames(fields);
  int refused = 0, stored = 0;
  for (const auto& field : fields) {
    for (const auto& value : Injections()) {
      const Counts before = Now();
      const HttpResponse r = env().Op("POST", "/v1/clients", WithField(field, value));
      const std::string what = field + " = " + value.substr(0, 60);
      ASSERT_TRUE(r.status == 201 || (r.status >= 400 && r.status < 500))
          << what << ": " << r.Describe().substr(0, 300);
      EXPECT_EQ(LeakBeyondEcho(r.body, value), "") << what << ": " << r.body.substr(0, 300);
      if (r.status != 201) {
        ++refused;
        EXPECT_EQ(r.Header("Content-Type"), "application/problem+json") << what;
        EXPECT_TRUE(Now() == before) << what << " changed the database although it was refused";
        continue;
      }
      ++stored;
      EXPECT_TRUE(kFreeText.count(field) != 0) << what << " was accepted in a structured field";
      // Stored verbatim: the value reads back exactly as sent (after JSON decoding).
      auto sent = parser.parse(WithField(field, value)).extract<Poco::JSON::Object::Ptr>();
      const HttpResponse got = env().Op("GET", r.Header("Location"));
      ASSERT_EQ(got.status, 200) << got.Describe();
      EXPECT_EQ(got.json->optValue<std::string>(field, "(missing)"),
                sent->getValue<std::string>(field))
          << what;
      const Counts after = Now();
      EXPECT_EQ(after.clients, before.clients + 1) << what;
      EXPECT_EQ(after.audit, before.audit + 1) << what;
      EXPECT_EQ(after.tokens_revoked, before.tokens_revoked) << what;
      EXPECT_EQ(after.organisations, before.organisations) << what;
    }
  }
  EXPECT_GT(refused, 0);
  RecordProperty("refused", refused);
  RecordProperty("stored_verbatim", stored);
  EXPECT_EQ(env().Op("GET", "/v1/organisations").status, 200);
  const auto v = env().db->VerifyAudit();
  EXPECT_TRUE(v.intact) << v.reason;
}

TEST_F(BadInput, BodiesInOtherEncodingsOrCharsetsAre4xxAndChangeNothing) {
  const Counts before = Now();
  const std::string utf16("\xff\xfe{\0\"\0}\0", 8);
  for (const auto& [body, type] : std::vector<std::pair<std::string, std::string>>{
           {utf16, "application/json"},
           {"{\"client_name\":\"Bl\xe5"
            "b\xe6r\"}",
            "application/json; charset=iso-8859-1"},
           {"client_name=x", "application/x-www-form-urlencoded"},
           {"<client><name>x</name></client>", "application/xml"},
           {std::string("{\"client_name\":\"a\0b\"}", 21), "application/json"},
           {"{\"client_name\":\"x\",\"client_name\":\"y\"", "application/json"}}) {
    const HttpResponse r =
        env().http->Request("POST", "/v1/clients", Bearer(env().op.secret), body, type);
    EXPECT_GE(r.status, 400) << type << ": " << r.Describe();
    EXPECT_LT(r.status, 500) << type << ": " << r.Describe();
  }
  EXPECT_TRUE(Now() == before);
}

TEST_F(BadInput, BadPercentEncodingAndInjectionInPathsAndQueriesAre4xx) {
  const Counts before = Now();
  for (const char* path :
       {"/v1/clients/%zz", "/v1/clients/%00", "/v1/clients/'%20OR%201=1--", "/v1/clients?q=%ff%fe",
        "/v1/clients?limit=-1", "/v1/clients?limit=1e9", "/v1/clients/..%2f..%2fetc%2fpasswd",
        "/v1/organisations/974760673'--"}) {
    const HttpResponse r = env().Op("GET", path);
    EXPECT_GE(r.status, 400) << path << ": " << r.Describe();
    EXPECT_LT(r.status, 500) << path << ": " << r.Describe();
    EXPECT_EQ(LeakIn(r.body), "") << path;
  }
  EXPECT_TRUE(Now() == before);
}

}  // namespace
}  // namespace onboard::testsupport
