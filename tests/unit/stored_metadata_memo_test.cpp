#include "stored_metadata_memo.hpp"

#include <gtest/gtest.h>

#include <string>

#include "error.hpp"

namespace onboard::domain {
namespace {

const std::string kClientA = "7028046e-b846-4fb5-9b27-5a511e2def54";
const std::string kClientB = "3f1e8a52-0c3b-4d5e-9a7f-2b6c1d0e9f8a";

std::string Document(const std::string& name) {
  ClientMetadata m;
  m.client_name = name;
  m.integration_type = IntegrationType::kMaskinporten;
  m.application_type = ApplicationType::kWeb;
  m.token_endpoint_auth_method = AuthMethod::kPrivateKeyJwt;
  m.client_orgno = "991825827";
  m.scopes = {"idporten:dcr.read"};
  m.grant_types = DefaultGrantTypes(m.integration_type);
  return MetadataToJsonText(m);
}

TEST(StoredMetadataMemo, AnswersWhatTheParserAnswers) {
  StoredMetadataMemo memo;
  const std::string text = Document("Alpha");
  const ClientMetadata direct = ParseStoredMetadata(text, IntegrationType::kMaskinporten);
  EXPECT_EQ(memo.Parse(kClientA, text, IntegrationType::kMaskinporten), direct);
  EXPECT_EQ(memo.Parse(kClientA, text, IntegrationType::kMaskinporten), direct);  // remembered
  EXPECT_EQ(memo.size(), 1u);
}

TEST(StoredMetadataMemo, AChangedDocumentIsParsedAgainNeverAnsweredFromTheOldOne) {
  StoredMetadataMemo memo;
  EXPECT_EQ(memo.Parse(kClientA, Document("Alpha"), IntegrationType::kMaskinporten).client_name,
            "Alpha");
  EXPECT_EQ(memo.Parse(kClientA, Document("Beta"), IntegrationType::kMaskinporten).client_name,
            "Beta");
  EXPECT_EQ(memo.Parse(kClientA, Document("Alpha"), IntegrationType::kMaskinporten).client_name,
            "Alpha");
  EXPECT_EQ(memo.size(), 1u);
}

TEST(StoredMetadataMemo, ADifferentStoredTypeIsParsedAgain) {
  StoredMetadataMemo memo;
  const std::string text = Document("Alpha");
  memo.Parse(kClientA, text, IntegrationType::kMaskinporten);
  // The stored type is fixed for the parse: the same text under another type is refused
  // (or read otherwise) by the parser itself, not answered from the first entry.
  bool refused = false;
  std::optional<ClientMetadata> other;
  try {
    other = memo.Parse(kClientA, text, IntegrationType::kIdporten);
  } catch (const AppError&) {
    refused = true;
  }
  std::optional<ClientMetadata> direct;
  bool direct_refused = false;
  try {
    direct = ParseStoredMetadata(text, IntegrationType::kIdporten);
  } catch (const AppError&) {
    direct_refused = true;
  }
  EXPECT_EQ(refused, direct_refused);
  EXPECT_EQ(other, direct);
}

TEST(StoredMetadataMemo, ADocumentThatDoesNotParseThrowsAndIsNotRemembered) {
  StoredMetadataMemo memo;
  EXPECT_ANY_THROW(memo.Parse(kClientA, "{not json", std::nullopt));
  EXPECT_EQ(memo.size(), 0u);
}

TEST(StoredMetadataMemo, StaysWithinItsCapacity) {
  StoredMetadataMemo memo(1);
  memo.Parse(kClientA, Document("Alpha"), IntegrationType::kMaskinporten);
  EXPECT_EQ(memo.Parse(kClientB, Document("Beta"), IntegrationType::kMaskinporten).client_name,
            "Beta");
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(memo.Parse(kClientA, Document("Alpha"), IntegrationType::kMaskinporten).client_name,
            "Alpha");
  EXPECT_EQ(memo.size(), 1u);
}

}  // namespace
}  // namespace onboard::domain
