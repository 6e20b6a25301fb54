// onboard-api serving the console's files under /console/ (issue #16): content types,
// strict headers, immutable hashed bundles with ETags, gzip, the index.html fallback of
// client routes, and nothing outside console.dir.
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

#include "browser_rig.hpp"
#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

struct ConsoleConfig {
  static std::map<std::string, std::string> Env() { return browser::ConsoleApiEnv(); }
};
using ConsoleAssets = ApiSuite<ConsoleConfig>;

const char* kCsp = "default-src 'self'; frame-ancestors 'none'";

std::string Manifest(const std::string& key) {
  std::ifstream in(browser::ConsoleDir() + "/manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  return Poco::JSON::Parser()
      .parse(text.str())
      .extract<Poco::JSON::Object::Ptr>()
      ->getValue<std::string>(key);
}

void ExpectStrictHeaders(const HttpResponse& r) {
  EXPECT_EQ(r.Header("Content-Security-Policy"), kCsp) << r.Describe();
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer");
}

TEST_F(ConsoleAssets, TheIndexAndEveryClientRouteGetTheApplicationPageWithStrictHeaders) {
  for (const char* path :
       {"/console/", "/console/queue", "/console/orders/3f1c2d9e-0000-4000-8000-000000000000",
        "/console/support?client_id=x&environment=test"}) {
    const HttpResponse r = env().http->Get(path);
    ASSERT_EQ(r.status, 200) << path << ": " << r.Describe();
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << path;
    ExpectStrictHeaders(r);
    EXPECT_EQ(r.Header("Cache-Control"), "no-cache") << path;
    EXPECT_FALSE(r.Header("ETag").empty());
    EXPECT_NE(r.body.find("<div id=\"app\"></div>"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("/console/" + Manifest("js")), std::string::npos) << r.body;
    // No inline script or style: everything comes from the same origin's files.
    EXPECT_EQ(r.body.find("<script>"), std::string::npos);
    EXPECT_EQ(r.body.find("<style"), std::string::npos);
    EXPECT_EQ(r.body.find(" style="), std::string::npos);
  }
  const HttpResponse bare = env().http->Get("/console");
  EXPECT_EQ(bare.status, 308);
  EXPECT_EQ(bare.Header("Location"), "/console/");
}

TEST_F(ConsoleAssets, HashedBundlesAreImmutableWithAnETagAndGzipWhenAccepted) {
  const std::string js = "/console/" + Manifest("js");
  const HttpResponse plain = env().http->Get(js);
  ASSERT_EQ(plain.status, 200) << plain.Describe();
  EXPECT_EQ(plain.content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(plain.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(plain.Header("Content-Encoding"), "");
  ExpectStrictHeaders(plain);
  const std::string etag = plain.Header("ETag");
  ASSERT_FALSE(etag.empty());
  const HttpResponse again = env().http->Get(js, {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304) << again.Describe();
  EXPECT_TRUE(again.body.empty());

  const HttpResponse gz = env().http->Get(js, {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(gz.status, 200);
  EXPECT_EQ(gz.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.Header("Vary"), "Accept-Encoding");
  EXPECT_NE(gz.Header("ETag"), etag);
  EXPECT_LT(gz.body.size(), plain.body.size());
  EXPECT_EQ(static_cast<unsigned char>(gz.body[0]), 0x1f);

  const HttpResponse css = env().http->Get("/console/" + Manifest("css"));
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  const HttpResponse icon = env().http->Get("/console/favicon.svg");
  EXPECT_EQ(icon.status, 200);
  EXPECT_EQ(icon.content_type, "image/svg+xml");
  EXPECT_EQ(icon.Header("Cache-Control"), "no-cache");
}

TEST_F(ConsoleAssets, MissingAssetsAndPathsOutsideTheDirectoryAre404AndOnlyGetAndHeadAreAllowed) {
  for (const char* path : {"/console/assets/app-MISSING.js", "/console/assets/../manifest.json",
                           "/console/assets/%2e%2e%2fmanifest.json", "/console/assets/.hidden"}) {
    const HttpResponse r = env().http->Get(path);
    EXPECT_EQ(r.status, 404) << path << ": " << r.Describe();
    EXPECT_EQ(r.Header("Content-Security-Policy"), kCsp);
  }
  // A dotted name outside assets/ is a client route, never a file above the directory.
  const HttpResponse up = env().http->Get("/console/../../etc/passwd");
  EXPECT_EQ(up.body.find("root:"), std::string::npos);
  const HttpResponse post = env().http->Post("/console/", "{}");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("Allow"), "GET, HEAD");
  const HttpResponse head = env().http->Request("HEAD", "/console/");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
}

TEST(ConsoleAssetsUnconfigured, WithoutConsoleDirTheConsoleIs404) {
  auto env = ApiEnv::Start();
  const HttpResponse r = env->http->Get("/console/");
  EXPECT_EQ(r.status, 404) << r.Describe();
  EXPECT_NE(r.body.find("console.dir"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace onboard::testsupport
