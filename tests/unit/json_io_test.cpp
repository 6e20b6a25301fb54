#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "flat_json.hpp"
#include "json_body.hpp"
#include "json_io.hpp"

namespace onboard::http {
namespace {

Poco::JSON::Object::Ptr Parse(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
}

// Runs Finish() and returns the collected field errors (empty when it did not throw).
std::vector<FieldError> Errors(JsonFields& f) {
  try {
    f.Finish();
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    return e.field_errors();
  }
  return {};
}

const FieldError* Find(const std::vector<FieldError>& errors, const std::string& path) {
  for (const auto& e : errors) {
    if (e.path == path) return &e;
  }
  return nullptr;
}

TEST(JsonFields, ReadsFieldsOfTheRightTypes) {
  auto obj = Parse(R"({"s":"text","i":42,"b":true,"a":[1],"o":{}})");
  JsonFields f(*obj);
  EXPECT_EQ(f.String("s", true), "text");
  EXPECT_EQ(f.Int("i", true, 0, 100), 42);
  EXPECT_EQ(f.Bool("b", true), true);
  EXPECT_NE(f.Array("a", true), nullptr);
  EXPECT_NE(f.Object("o", true), nullptr);
  EXPECT_NO_THROW(f.Finish());
}

TEST(JsonFields, RejectsEveryUnknownFieldByPath) {
  auto obj = Parse(R"({"name":"x","nmae":"y","extra":1})");
  JsonFields f(*obj);
  f.String("name", true);
  const auto errors = Errors(f);
  ASSERT_EQ(errors.size(), 2u);
  ASSERT_NE(Find(errors, "nmae"), nullptr);
  EXPECT_EQ(Find(errors, "nmae")->code, "unknown_field");
  ASSERT_NE(Find(errors, "extra"), nullptr);
}

TEST(JsonFields, AcceptsAFieldMarkedAllowedWithoutReadingIt) {
  auto obj = Parse(R"({"later":1})");
  JsonFields f(*obj);
  f.Allow("later");
  EXPECT_TRUE(Errors(f).empty());
}

TEST(JsonFields, ReportsAMissingRequiredFieldAndTreatsNullAsMissing) {
  auto obj = Parse(R"({"b":null})");
  JsonFields f(*obj);
  EXPECT_FALSE(f.String("a", true));
  EXPECT_FALSE(f.String("b", true));
  EXPECT_FALSE(f.String("c", false));
  const auto errors = Errors(f);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(Find(errors, "a")->code, "required");
  EXPECT_EQ(Find(errors, "b")->code, "required");
}

TEST(JsonFields, ReportsWrongTypesWithTheFieldPath) {
  auto obj = Parse(R"({"s":1,"i":"5","f":1.5,"b":"true","a":{},"o":[]})");
  JsonFields f(*obj);
  EXPECT_FALSE(f.String("s", true));
  EXPECT_FALSE(f.Int("i", true, 0, 10));
  EXPECT_FALSE(f.Int("f", true, 0, 10));
  EXPECT_FALSE(f.Bool("b", true));
  EXPECT_EQ(f.Array("a", true), nullptr);
  EXPECT_EQ(f.Object("o", true), nullptr);
  const auto errors = Errors(f);
  ASSERT_EQ(errors.size(), 6u);
  for (const char* path : {"s", "i", "f", "b", "a", "o"}) {
    ASSERT_NE(Find(errors, path), nullptr) << path;
    EXPECT_EQ(Find(errors, path)->code, "invalid_type") << path;
  }
}

TEST(JsonFields, EnforcesIntegerRangesInclusively) {
  auto obj =
      Parse(R"({"lo":1,"hi":3650,"under":0,"over":3651,"huge":9223372036854775808,"neg":-5})");
  JsonFields f(*obj);
  EXPECT_EQ(f.Int("lo", true, 1, 3650), 1);
  EXPECT_EQ(f.Int("hi", true, 1, 3650), 3650);
  EXPECT_FALSE(f.Int("under", true, 1, 3650));
  EXPECT_FALSE(f.Int("over", true, 1, 3650));
  EXPECT_FALSE(f.Int("huge", true, 1, 3650));
  EXPECT_FALSE(f.Int("neg", true, 1, 3650));
  const auto errors = Errors(f);
  ASSERT_EQ(errors.size(), 4u);
  for (const char* path : {"under", "over", "huge", "neg"}) {
    ASSERT_NE(Find(errors, path), nullptr) << path;
    EXPECT_EQ(Find(errors, path)->code, "out_of_range") << path;
  }
}

TEST(JsonFields, RejectsAStringLongerThanItsLimit) {
  auto obj = Parse(R"({"ok":"abcd","long":"abcde"})");
  JsonFields f(*obj);
  EXPECT_EQ(f.String("ok", true, 4), "abcd");
  EXPECT_FALSE(f.String("long", true, 4));
  const auto errors = Errors(f);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].path, "long");
  EXPECT_EQ(errors[0].code, "too_long");
}

TEST(JsonFields, PrefixesPathsForNestedObjects) {
  auto obj = Parse(R"({"name":5,"bogus":true})");
  JsonFields f(*obj, "contacts/3/");
  f.String("name", true);
  f.AddErrors({{"email", "invalid_email", "bad"}});
  const auto errors = Errors(f);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_NE(Find(errors, "contacts/3/name"), nullptr);
  EXPECT_NE(Find(errors, "contacts/3/bogus"), nullptr);
  EXPECT_NE(Find(errors, "contacts/3/email"), nullptr);
}

TEST(JsonFields, CollectsEveryProblemBeforeThrowingOnce) {
  auto obj = Parse(R"({"a":1,"b":2})");
  JsonFields f(*obj);
  f.String("a", true);
  f.String("b", true);
  f.AddError("c", "custom", "custom message");
  f.String("d", true);
  try {
    f.Finish("the thing is invalid");
    FAIL() << "no error";
  } catch (const AppError& e) {
    EXPECT_EQ(e.detail(), "the thing is invalid");
    EXPECT_EQ(e.field_errors().size(), 4u);
  }
}

const std::vector<std::string_view> kProviderNames = {"client_id", "client_assertion", "audience"};

TEST(FlatStringObject, ReadsAFlatObjectOfPlainStringsAsPocoDoes) {
  const std::string body =
      " {\"client_id\" : \"abc\",\n\t\"audience\":[\"https://a/\", \"b\"],"
      "\"client_assertion\":\"x.y.z\"} ";
  const auto flat = ReadFlatStringObject(body, kProviderNames);
  ASSERT_TRUE(flat);
  ASSERT_EQ(flat->size(), 3u);
  EXPECT_EQ((*flat)[0].name, "client_id");
  EXPECT_EQ((*flat)[0].values, std::vector<std::string_view>{"abc"});
  EXPECT_FALSE((*flat)[0].array);
  EXPECT_EQ((*flat)[1].name, "audience");
  EXPECT_TRUE((*flat)[1].array);
  EXPECT_EQ((*flat)[1].values, (std::vector<std::string_view>{"https://a/", "b"}));
  EXPECT_EQ((*flat)[2].values, std::vector<std::string_view>{"x.y.z"});
  const auto parsed = ParseJsonObjectBody(body);
  EXPECT_EQ(parsed->getValue<std::string>("client_id"), "abc");
  EXPECT_TRUE(ReadFlatStringObject("{}", kProviderNames)->empty());
  EXPECT_TRUE(ReadFlatStringObject("{\"audience\":[]}", kProviderNames)->front().values.empty());
}

TEST(FlatStringObject, LeavesEverythingElseToPocosParser) {
  for (const std::string body : {
           "{\"client_id\":\"a\\u0041\"}",               // an escape
           "{\"client_id\":1}",                          // a number
           "{\"client_id\":null}",                       // null
           "{\"client_id\":{\"a\":\"b\"}}",              // nested
           "{\"other\":\"a\"}",                          // unknown member
           "{\"client_id\":\"a\",\"client_id\":\"b\"}",  // repeated member
           "{\"client_id\":\"caf\xc3\xa9\"}",            // not ASCII
           "{\"client_id\":\"a\tb\"}",                   // a control character
           "{\"client_id\":\"a\",}",                     // bad syntax
           "{\"client_id\":\"a\"} x",                    // trailing bytes
           "[\"a\"]",                                    // not an object
           "{\"audience\":[\"a\",1]}",                   // an array with a number
           "",
       }) {
    EXPECT_FALSE(ReadFlatStringObject(body, kProviderNames)) << body;
  }
}

}  // namespace
}  // namespace onboard::http
