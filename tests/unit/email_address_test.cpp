// domain::IsPlausibleEmail: the check every e-mail address (organisation contacts, notification
// contacts, delivery addresses) passes before it can reach a mail header.

#include <gtest/gtest.h>

#include "organisation.hpp"

namespace onboard::domain {
namespace {

TEST(EmailAddress, AcceptsOrdinaryAndUtf8Mailboxes) {
  for (const char* ok : {"drift@kommune.example.no", "first.last+tag@sub.example.no",
                         "\xc3\xa6\xc3\xb8\xc3\xa5@example.no"})
    EXPECT_TRUE(IsPlausibleEmail(ok)) << ok;
}

TEST(EmailAddress, RefusesWhatIsNotOneAddress) {
  for (const char* bad : {"", "no-at.example.no", "@example.no", "a@@example.no", "a@b@example.no",
                          "a@example", "a@.no", "a@example.", "a b@example.no", "a\r\n@example.no"})
    EXPECT_FALSE(IsPlausibleEmail(bad)) << bad;
  EXPECT_FALSE(IsPlausibleEmail(std::string(250, 'a') + "@x.no"));
}

TEST(EmailAddress, RefusesMailHeaderSyntax) {
  for (const char* bad :
       {"<a@example.no>", "Name <a@example.no", "a@example.no>", "\"a\"@example.no",
        "a(comment)@example.no", "a@example.no,b@example.no", "a;b@example.no",
        "group:a@example.no", "a@[127.0.0.1].no", "a\\b@example.no"})
    EXPECT_FALSE(IsPlausibleEmail(bad)) << bad;
}

}  // namespace
}  // namespace onboard::domain
