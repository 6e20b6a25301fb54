#include <gtest/gtest.h>

#include <atomic>

#include "config.hpp"
#include "../fake_provider_store.hpp"
#include "../thrown.hpp"
#include "error.hpp"
#include "provider_runtime.hpp"

namespace onboard::usecases {
namespace {

const std::string kPublicClient = "0d7e6f1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";

struct ProviderRuntimeCases : ::testing::Test {
  // One public client (token_endpoint_auth_method none); every other id is unknown.
  testsupport::FakeProviderStore store{"none", kPublicClient};
  AppConfig config;
  ProviderService service{store, config, domain::TrustAnchors{}, domain::TrustAnchors{}};
  ProviderRuntime runtime{service};

  static ProviderAuthentication Public(std::vector<std::string> audiences) {
    ProviderAuthentication c;
    c.input.client_id = kPublicClient;
    c.input.audiences = std::move(audiences);
    return c;
  }
  AppError Refusal(const ProviderAuthentication& c) {
    return testsupport::Thrown([&] { runtime.Authenticate(c); });
  }
};

TEST_F(ProviderRuntimeCases, AnAuthenticationMustNameTheAudienceItIsFor) {
  for (const auto& audiences : {std::vector<std::string>{}, std::vector<std::string>{""},
                                std::vector<std::string>{"https://issuer.example", ""}}) {
    const AppError e = Refusal(Public(audiences));
    EXPECT_EQ(e.code(), ErrorCode::kValidation);
    ASSERT_EQ(e.field_errors().size(), 1u);
    EXPECT_EQ(e.field_errors()[0].path, "audience");
    EXPECT_EQ(e.field_errors()[0].code, "required");
  }
  EXPECT_EQ(store.loads, 0) << "nothing is looked up for an invalid request";
}

TEST_F(ProviderRuntimeCases, InputErrorsAndTheAudienceRuleAreAnsweredTogether) {
  ProviderAuthentication c = Public({});
  c.input_errors.push_back({"client_secret", "invalid_type", "must be a string"});
  const AppError e = Refusal(c);
  ASSERT_EQ(e.field_errors().size(), 2u);
  EXPECT_EQ(e.field_errors()[0].path, "client_secret");
  EXPECT_EQ(e.field_errors()[1].path, "audience");
}

TEST_F(ProviderRuntimeCases, APublicClientAuthenticatesWithoutCredentials) {
  const ProviderAuthAnswer answer = runtime.Authenticate(Public({"https://issuer.example"}));
  ASSERT_TRUE(answer.authenticated) << answer.description;
  EXPECT_EQ(answer.outcome.client_id, kPublicClient);
  EXPECT_EQ(answer.outcome.method, domain::AuthMethod::kNone);
}

TEST_F(ProviderRuntimeCases, AFailedCheckIsAnOAuthErrorAnswerNotAnException) {
  ProviderAuthentication unknown = Public({"https://issuer.example"});
  unknown.input.client_id = "1d7e6f1a-2b3c-4d5e-8f90-a1b2c3d4e5f6";
  const ProviderAuthAnswer answer = runtime.Authenticate(unknown);
  EXPECT_FALSE(answer.authenticated);
  EXPECT_EQ(answer.error, "invalid_client");
  ProviderAuthentication two_methods = Public({"https://issuer.example"});
  two_methods.input.authorization = "Basic eDp5";
  two_methods.input.client_secret = crypto::SecretString("y");
  EXPECT_EQ(runtime.Authenticate(two_methods).error, "invalid_request");
}

TEST_F(ProviderRuntimeCases, AClientsDocumentIsNotModifiedWhenIfNoneMatchNamesItsEtag) {
  const ProviderClientDocument first = runtime.Client(kPublicClient, "");
  ASSERT_TRUE(first.runtime);
  EXPECT_FALSE(first.not_modified);
  EXPECT_TRUE(runtime.Client(kPublicClient, first.runtime->etag).not_modified);
  EXPECT_TRUE(runtime.Client(kPublicClient, "*").not_modified);
  EXPECT_FALSE(runtime.Client(kPublicClient, "\"another\"").not_modified);
}

TEST_F(ProviderRuntimeCases, AnUnknownClientIsNotFound) {
  try {
    runtime.Client("1d7e6f1a-2b3c-4d5e-8f90-a1b2c3d4e5f6", "");
    FAIL() << "expected kNotFound";
  } catch (const AppError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

}  // namespace
}  // namespace onboard::usecases
