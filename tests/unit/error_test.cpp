#include <gtest/gtest.h>

#include <set>

#include "error.hpp"

namespace onboard {
namespace {

struct Expected {
  ErrorCode code;
  int status;
  const char* name;
};

const Expected kTable[] = {
    {ErrorCode::kBadRequest, 400, "bad_request"},
    {ErrorCode::kValidation, 400, "validation_failed"},
    {ErrorCode::kMalformedJson, 400, "malformed_json"},
    {ErrorCode::kUnsupportedMediaType, 415, "unsupported_media_type"},
    {ErrorCode::kLengthRequired, 411, "length_required"},
    {ErrorCode::kPayloadTooLarge, 413, "payload_too_large"},
    {ErrorCode::kUnauthenticated, 401, "unauthenticated"},
    {ErrorCode::kForbidden, 403, "forbidden"},
    {ErrorCode::kNotFound, 404, "not_found"},
    {ErrorCode::kMethodNotAllowed, 405, "method_not_allowed"},
    {ErrorCode::kConflict, 409, "conflict"},
    {ErrorCode::kPreconditionFailed, 412, "precondition_failed"},
    {ErrorCode::kPreconditionRequired, 428, "precondition_required"},
    {ErrorCode::kGone, 410, "gone"},
    {ErrorCode::kTooManyRequests, 429, "too_many_requests"},
    {ErrorCode::kUnavailable, 503, "unavailable"},
    {ErrorCode::kInternal, 500, "internal_error"},
};

TEST(ErrorCodes, MapToTheirHttpStatusAndStableName) {
  for (const auto& e : kTable) {
    EXPECT_EQ(HttpStatusFor(e.code), e.status) << e.name;
    EXPECT_EQ(ErrorCodeName(e.code), e.name);
  }
}

TEST(ErrorCodes, HaveDistinctNamesAndNonEmptyTitles) {
  std::set<std::string_view> names;
  for (const auto& e : kTable) {
    names.insert(ErrorCodeName(e.code));
    EXPECT_FALSE(ErrorTitle(e.code).empty()) << e.name;
  }
  EXPECT_EQ(names.size(), std::size(kTable));
}

TEST(ErrorCodes, UseTheRfc9110ReasonPhrasesAsTitles) {
  EXPECT_EQ(ErrorTitle(ErrorCode::kNotFound), "Not Found");
  EXPECT_EQ(ErrorTitle(ErrorCode::kUnauthenticated), "Unauthorized");
  EXPECT_EQ(ErrorTitle(ErrorCode::kUnavailable), "Service Unavailable");
  EXPECT_EQ(ErrorTitle(ErrorCode::kPayloadTooLarge), "Content Too Large");
}

TEST(AppError, DefaultsItsCodeNameToTheErrorCodesName) {
  AppError e(ErrorCode::kConflict, "exists");
  EXPECT_EQ(e.code_name(), "conflict");
  EXPECT_EQ(e.detail(), "exists");
  EXPECT_STREQ(e.what(), "exists");
}

TEST(AppError, KeepsARefinedCodeNameAndFieldErrors) {
  AppError e(ErrorCode::kConflict, "exists", "23505 on organisations_pkey",
             {{"orgno", "duplicate", "taken"}}, "organisation_exists");
  EXPECT_EQ(e.code_name(), "organisation_exists");
  ASSERT_EQ(e.field_errors().size(), 1u);
  EXPECT_EQ(e.field_errors()[0].path, "orgno");
}

TEST(AppError, ReportsTheInternalTextThroughWhatButKeepsTheDetailPublic) {
  AppError e(ErrorCode::kInternal, "internal error", "SQLSTATE 42P01 relation x does not exist");
  EXPECT_STREQ(e.what(), "SQLSTATE 42P01 relation x does not exist");
  EXPECT_EQ(e.detail(), "internal error");
}

}  // namespace
}  // namespace onboard
