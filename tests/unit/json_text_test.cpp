#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>

#include "client.hpp"
#include "json_text.hpp"

namespace onboard {
namespace {

std::string PocoText(const Poco::Dynamic::Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(v, out);
  return out.str();
}

Poco::JSON::Object::Ptr SampleText(int options) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(options);
  o->set("zeta", "last by name, first by insertion");
  o->set("count", 42);
  o->set("big", static_cast<Poco::Int64>(-9007199254740993LL));
  o->set("unsigned", static_cast<Poco::UInt64>(18446744073709551615ULL));
  o->set("ratio", 0.25);
  o->set("yes", true);
  o->set("no", false);
  o->set("nothing", Poco::Dynamic::Var());
  o->set("text", "quote \" backslash \\ tab \t newline \n nul-free \x01 control, æøå 😀");
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  list->add("https://app.example.no/callback");
  list->add(7);
  Poco::JSON::Object::Ptr inner = new Poco::JSON::Object(options);
  inner->set("b", 1);
  inner->set("a", Poco::JSON::Array());
  list->add(inner);
  o->set("list", list);
  Poco::JSON::Object by_value;
  by_value.set("k", "v");
  o->set("by_value", by_value);
  return o;
}

// The writer must give the document Poco gives: parsed back, both texts are equal values.
bool SameValue(const std::string& a, const std::string& b) {
  Poco::JSON::Parser pa;
  Poco::JSON::Parser pb;
  return PocoText(pa.parse(a)) == PocoText(pb.parse(b));
}

TEST(JsonText, WritesTheSameDocumentAsPocoForEveryKindOfValue) {
  for (int options : {0, static_cast<int>(Poco::JSON_PRESERVE_KEY_ORDER)}) {
    const auto doc = SampleText(options);
    const std::string ours = json::Text(*doc);
    EXPECT_TRUE(SameValue(ours, PocoText(doc))) << ours;
  }
}

TEST(JsonText, KeepsTheObjectsMemberOrder) {
  const auto sorted = json::Text(*SampleText(0));
  const auto inserted = json::Text(*SampleText(Poco::JSON_PRESERVE_KEY_ORDER));
  EXPECT_EQ(sorted.rfind("{\"big\":", 0), 0u) << sorted;
  EXPECT_EQ(inserted.rfind("{\"zeta\":", 0), 0u) << inserted;
  EXPECT_NE(inserted.find("{\"b\":1,\"a\":[]}"), std::string::npos) << inserted;
  EXPECT_NE(sorted.find("{\"a\":[],\"b\":1}"), std::string::npos) << sorted;
}

TEST(JsonText, EscapesWhatJsonRequiresAndNothingElse) {
  Poco::JSON::Object o;
  o.set("s", std::string("a\"b\\c\n\x1f/ø"));
  EXPECT_EQ(json::Text(o), "{\"s\":\"a\\\"b\\\\c\\n\\u001f/ø\"}");
  Poco::JSON::Object bad;
  bad.set("s", std::string("\xff"));  // not UTF-8: the text still parses
  EXPECT_EQ(json::Text(bad), "{\"s\":\"\\ufffd\"}");
}

TEST(JsonText, NumbersAndLiteralsAreWrittenAsPocoWritesThem) {
  Poco::JSON::Array a;
  a.add(0);
  a.add(-1);
  a.add(static_cast<Poco::Int64>(1764590000000000LL));
  a.add(1.5);
  a.add(true);
  a.add(Poco::Dynamic::Var());
  a.add(Poco::JSON::Object::Ptr());
  EXPECT_EQ(json::Text(a), "[0,-1,1764590000000000,1.5,true,null,null]");
}

TEST(JsonText, TheCreationDiffListsEveryMemberAsNewInNameOrder) {
  Poco::JSON::Object::Ptr stored = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  stored->set("scopes", Poco::JSON::Array());
  stored->set("client_name", "Kari's \"app\"");
  stored->set("gone", Poco::Dynamic::Var());
  const std::string diff = domain::CreationDiffJson(*stored);
  EXPECT_EQ(diff,
            "[{\"field\":\"client_name\",\"from\":null,\"to\":\"Kari's \\\"app\\\"\"},"
            "{\"field\":\"scopes\",\"from\":null,\"to\":[]}]");
  EXPECT_TRUE(SameValue(diff, domain::DiffMetadataJson("{}", domain::StoredMetadataText(*stored))));
}

}  // namespace
}  // namespace onboard
