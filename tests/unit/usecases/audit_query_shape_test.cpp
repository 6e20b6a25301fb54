#include <gtest/gtest.h>

#include "audit_queries.hpp"
#include "../thrown.hpp"
#include "error.hpp"

namespace onboard::usecases {
namespace {

AppError QueryRefusal(const QueryShape& shape, const GivenParams& given) {
  return testsupport::Thrown([&] { AcceptParams(shape, given); });
}

TEST(AuditQueryShape, AMisspeltFilterIsRefusedNotIgnored) {
  const AppError e = QueryRefusal(kEventsQuery, {{"actor", "ops"}, {"acter", "ops"}});
  EXPECT_EQ(e.code(), ErrorCode::kValidation);
  ASSERT_EQ(e.field_errors().size(), 1u);
  EXPECT_EQ(e.field_errors()[0].path, "acter");
  EXPECT_EQ(e.field_errors()[0].code, "unknown_parameter");
}

TEST(AuditQueryShape, AParameterGivenTwiceIsRefusedAndEveryProblemIsNamed) {
  const AppError e =
      QueryRefusal(kReportQuery, {{"month", "2026-01"}, {"month", "2026-02"}, {"x", "1"}});
  ASSERT_EQ(e.field_errors().size(), 2u);
  EXPECT_EQ(e.field_errors()[0].path, "month");
  EXPECT_EQ(e.field_errors()[0].code, "repeated");
  EXPECT_EQ(e.field_errors()[1].path, "x");
}

TEST(AuditQueryShape, EachQueryTakesItsOwnParameters) {
  EXPECT_EQ(AcceptParams(kEventsQuery, {{"client_id", "c"}}).at("client_id"), "c");
  EXPECT_EQ(QueryRefusal(kClientTrailQuery, {{"client_id", "c"}}).field_errors()[0].path,
            "client_id");
  EXPECT_EQ(QueryRefusal(kReportQuery, {{"expiring_within_days", "5"}}).code(),
            ErrorCode::kValidation);
  EXPECT_EQ(AcceptParams(kCredentialsReportQuery, {{"expiring_within_days", "5"}}).size(), 1u);
  EXPECT_EQ(AcceptParams(kMonthlyReportQuery, {{"expiring_within_days", "5"}}).size(), 1u);
  EXPECT_EQ(QueryRefusal(kVerifyQuery, {{"format", "csv"}}).code(), ErrorCode::kValidation);
  EXPECT_EQ(QueryRefusal(kCheckpointsQuery, {{"from", "1"}}).code(), ErrorCode::kValidation);
}

TEST(AuditQueryShape, OnlyEventSearchesStreamNdjsonAndOnlyTheMonthlyReportIsHtml) {
  std::vector<FieldError> errors;
  EXPECT_EQ(NamedFormat(kEventsQuery, {{"format", "ndjson"}}, errors), ExportFormat::kNdjson);
  EXPECT_EQ(NamedFormat(kMonthlyReportQuery, {{"format", "html"}}, errors), ExportFormat::kHtml);
  EXPECT_EQ(NamedFormat(kReportQuery, {{"format", "csv"}}, errors), ExportFormat::kCsv);
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(NamedFormat(kEventsQuery, {{"format", "html"}}, errors), ExportFormat::kJson);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "format must be one of json, ndjson, csv");
  EXPECT_EQ(NamedFormat(kReportQuery, {{"format", "ndjson"}}, errors), ExportFormat::kJson);
  EXPECT_EQ(errors.back().message, "format must be one of json, csv");
  EXPECT_EQ(NamedFormat(kMonthlyReportQuery, {{"format", "xml"}}, errors), ExportFormat::kJson);
  EXPECT_EQ(errors.back().message, "format must be one of json, html, csv");
  EXPECT_FALSE(NamedFormat(kEventsQuery, {}, errors).has_value());
}

}  // namespace
}  // namespace onboard::usecases
