// The operator console in a real Chromium (issue #16): sign-in and sign-out, CSRF, the
// first-load budget and the narrow layout; every page; the organisations and onboarding
// cases pages; against the real onboard-api and PostgreSQL.
// Each suite is its own ctest (label browser) with its own service.
#include "browser_rig.hpp"
#include "e2e_helpers.hpp"

namespace onboard::testsupport {
namespace {

std::map<std::string, std::string> PageTokens(const ApiEnv& env) {
  return {{"ONBOARD_BROWSER_OPERATOR_TOKEN", env.op.secret},
          {"ONBOARD_BROWSER_AUDITOR_TOKEN", env.auditor.secret},
          {"ONBOARD_BROWSER_PORTAL_TOKEN", env.portal.secret}};
}

using BrowserSession = ApiSuite<browser::ConsoleSuiteConfig>;

TEST_F(BrowserSession, SignInSwitchLanguageAndSignOutEndsTheSessionServerSide) {
  browser::RunScenario("sign-in-out", env().api->port(), PageTokens(env()));
}

TEST_F(BrowserSession, AnUnsafeRequestWithoutTheCsrfHeaderIsRefused) {
  browser::RunScenario("csrf", env().api->port(), PageTokens(env()));
}

TEST_F(BrowserSession, FirstLoadIsAtMost200KbOfCompressedJsAndCss) {
  browser::RunScenario("budget", env().api->port(), PageTokens(env()));
}

TEST_F(BrowserSession, WorksAt390PixelsWide) {
  browser::RunScenario("narrow", env().api->port(), PageTokens(env()));
}

using BrowserPages = ApiSuite<browser::ConsoleSuiteConfig>;

TEST_F(BrowserPages, EveryPagePassesAxeAndIsUsableByKeyboardAndAt390Pixels) {
  browser::RunScenario("every-page", env().api->port(), PageTokens(env()));
}

TEST_F(BrowserPages, AStaleEditShowsWhoChangedTheClientAndOffersAReload) {
  browser::RunScenario("stale-edit", env().api->port(), PageTokens(env()));
}

TEST_F(BrowserPages, AHostileClientNameRendersAsText) {
  browser::RunScenario("hostile-name", env().api->port(), PageTokens(env()));
}

TEST_F(BrowserPages, AnAuditorSeesNoOperatorActionsAndTheAuditPagesWorkWithTheCookie) {
  browser::RunScenario("auditor", env().api->port(), PageTokens(env()));
}

TEST_F(BrowserPages, ATokenMadeInThePageIsShownOnceAndRevokedThere) {
  browser::RunScenario("tokens", env().api->port(), PageTokens(env()));
}

using BrowserRecords = ApiSuite<browser::ConsoleSuiteConfig>;

TEST_F(BrowserRecords, OrganisationsAreRegisteredSearchedAndKeptInThePage) {
  browser::RunScenario("organisations", env().api->port(), PageTokens(env()));
}

TEST_F(BrowserRecords, AnOnboardingCaseIsWorkedThroughInThePage) {
  browser::RunScenario("onboardings", env().api->port(), PageTokens(env()));
}

}  // namespace
}  // namespace onboard::testsupport
