#include "issuance_load.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "client_fixtures.hpp"
#include "e2e_journey.hpp"

namespace onboard::testsupport::load {

namespace {

using Clock = std::chrono::steady_clock;

// One call that never throws: a refused or cut connection is status 0 with the reason.
HttpResponse Call(const HttpClient& http, const std::string& method, const std::string& path,
                  const Headers& as, const std::optional<std::string>& body = std::nullopt) {
  try {
    return http.Request(method, path, as, body);
  } catch (const Poco::Exception& e) {
    HttpResponse r;
    r.body = "no answer: " + e.displayText();
    return r;
  } catch (const std::exception& e) {
    HttpResponse r;
    r.body = std::string("no answer: ") + e.what();
    return r;
  }
}

std::string Member(const HttpResponse& r, const std::string& name) {
  return r.json && r.json->has(name) && !r.json->isNull(name)
             ? r.json->get(name).convert<std::string>()
             : "";
}

}  // namespace

Issuer::Issuer(DeliveryRig& rig) : rig_(rig) {
  const std::string url = rig.db().url();
  operator_ = rig.operator_token();
  approver_ = CreateToken(url, domain::Role::kOperator, "load-approver");
  provider_ = CreateToken(url, domain::Role::kProvider, "load-provider");
  auditor_ = CreateToken(url, domain::Role::kAuditor, "load-auditor");
  tested_at_ = QueryScalar(url, "SELECT rfc3339(now() - interval '1 day')").value_or("");
  const HttpResponse r = rig.http().Post("/v1/terms", Json(journey::TermsBody()), Operator());
  EXPECT_EQ(r.status, 201) << "publishing the terms: " << r.Describe();
}

std::pair<std::string, std::string> Issuer::NewContact() {
  const int n = next_contact_++;
  const int pid = static_cast<int>(::getpid()) % 900;
  // +47 and eight digits starting with 9: accepted, and apart from DeliveryRig::NewMobile's
  // 4xxxxxxx.
  const std::string mobile = "+47" + std::to_string(90000000 + pid * 10000 + n % 10000);
  const std::string email = "load-" + std::to_string(pid) + "-" + std::to_string(n) + "@example.no";
  return {mobile, email};
}

Issuance Issuer::ApproveNewOrder(int n, const std::vector<Instance>& instances, std::size_t first) {
  std::size_t step = first;
  auto next = [&]() -> const Instance& { return instances[step++ % instances.size()]; };
  Issuance out;
  const auto [mobile, email] = NewContact();
  out.mobile = mobile;
  out.email = email;
  auto fail = [&](const char* what, const HttpResponse& r) {
    out.status = r.status;
    out.problem = std::string(what) + ": " + r.Describe();
    return out;
  };
  const std::string orgno = ValidOrgno(n, 98000000);

  HttpResponse r = Call(*next().http, "POST", "/v1/organisations", Operator(),
                        Json(journey::OrganisationBody(orgno)));
  if (r.status != 201) return fail("organisation", r);
  r = Call(*next().http, "POST", "/v1/clients", Operator(),
           Json(journey::OrderableClientBody(orgno)));
  if (r.status != 201) return fail("test client", r);
  const std::string test_client = Member(r, "client_id");
  r = Call(*next().http, "POST", "/v1/clients/" + test_client + "/verification-runs", Operator(),
           Json(journey::PassedRunBody(tested_at_)));
  if (r.status != 201) return fail("verification run", r);

  const journey::Contact contact{.email = email, .mobile = mobile};
  r = Call(*next().http, "POST", "/v1/onboardings", Operator(),
           Json(journey::OnboardingBody(orgno, "Min side", {}, contact)));
  if (r.status != 201) return fail("onboarding case", r);
  const std::string case_id = Member(r, "id");
  r = Call(*next().http, "POST", "/v1/onboardings/" + case_id + "/clients", Operator(),
           Json(journey::LinkClientBody(test_client)));
  if (r.status != 200) return fail("linking the test client", r);
  r = Call(*next().http, "POST", "/v1/onboardings/" + case_id + "/terms-acceptance", Operator(),
           Json(journey::TermsAcceptanceBody()));
  if (r.status != 200) return fail("terms acceptance", r);

  r = Call(*next().http, "POST", "/v1/onboardings/" + case_id + "/production-orders", Operator(),
           Json(journey::ProductionOrderBody(test_client, journey::SmsZipDelivery(mobile, email))));
  if (r.status != 201) return fail("production order", r);
  const std::string order_id = Member(r, "id");

  const Instance& approving = next();
  out.api = approving.name;
  const auto started = Clock::now();
  r = Call(*approving.http, "POST", "/v1/production-orders/" + order_id + "/approve", Approver());
  out.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  out.status = r.status;
  if (r.status != 200) return fail("approval", r);
  out.client_id = Member(r, "production_client_id");
  out.delivery_id = r.Header("X-Onboard-Delivery-Id");
  out.secret_id =
      QueryScalar(rig_.db().url(), "SELECT secret_id::text FROM deliveries WHERE id = " +
                                       SqlLiteral(out.delivery_id) + "::uuid")
          .value_or("");
  return out;
}

Issuance Issuer::IssueSecret(const std::string& client_id, const Instance& instance) {
  Issuance out;
  const auto [mobile, email] = NewContact();
  out.client_id = client_id;
  out.mobile = mobile;
  out.email = email;
  out.api = instance.name;
  Poco::JSON::Object body;
  body.set("mobile", mobile);
  body.set("email", email);
  const auto started = Clock::now();
  const HttpResponse r =
      Call(*instance.http, "POST", "/v1/clients/" + client_id + "/secret", Operator(), Json(body));
  out.took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  out.status = r.status;
  if (r.status == 202) {
    out.delivery_id = Member(r, "delivery_id");
    out.secret_id = Member(r, "secret_id");
  } else {
    out.problem = r.Describe();
  }
  return out;
}

std::vector<Issuance> Issuer::ApproveNewOrders(int count, int threads,
                                               const std::vector<Instance>& instances) {
  std::vector<Issuance> approvals(static_cast<std::size_t>(count));
  const int per_thread = count / threads;
  RunConcurrently(threads, per_thread, [&](int t, int i) {
    const int n = t * per_thread + i;
    approvals[static_cast<std::size_t>(n)] = ApproveNewOrder(n, instances, 0);
  });
  return approvals;
}

std::unique_ptr<DeliveryRig> StartRig(const std::map<std::string, std::string>& api_env) {
  try {
    return std::make_unique<DeliveryRig>(api_env);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "the delivery rig did not start: " << e.what();
    return nullptr;
  }
}

int64_t Ms(std::chrono::steady_clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

void RunConcurrently(int threads, int iterations, const std::function<void(int, int)>& work) {
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (int i = 0; i < iterations; ++i) work(t, i);
    });
  }
  for (auto& th : pool) th.join();
}

std::string Outcomes(const std::vector<Issuance>& all) {
  std::map<std::string, int> n;
  for (const auto& i : all) {
    std::string key = std::to_string(i.status);
    if (!i.ok()) key += " " + i.problem.substr(0, i.status == 0 ? 60 : 0);
    ++n[key];
  }
  std::string out;
  for (const auto& [k, v] : n) out += (out.empty() ? "" : "; ") + std::to_string(v) + "x " + k;
  return out;
}

std::string InList(const std::vector<std::string>& ids) {
  std::string in;
  for (const auto& id : ids) in += (in.empty() ? "" : ",") + SqlLiteral(id);
  return in.empty() ? "NULL" : in;
}

bool WaitForOutboxSettled(DeliveryRig& rig, const std::vector<std::string>& delivery_ids,
                          std::chrono::milliseconds timeout) {
  const std::string sql =
      "SELECT count(*) FROM outbox WHERE kind IN ('sms', 'email') AND state IN ('pending', "
      "'sending') AND delivery_id::text IN (" +
      InList(delivery_ids) + ")";
  return WaitUntil([&] { return QueryInt(rig.db().url(), sql) == 0; }, timeout, 200ms);
}

void ExpectComplete(DeliveryRig& rig, const std::vector<Issuance>& issued) {
  auto conn = Connect(rig.db().url());  // one connection for all the checks
  auto scalar = [&](const std::string& sql) {
    return conn->ExecSimple(sql).Opt(0, 0).value_or("");
  };
  for (const auto& i : issued) {
    ASSERT_FALSE(i.delivery_id.empty()) << "a 2xx answer names its delivery: " << i.problem;
    const std::string id = SqlLiteral(i.delivery_id);
    EXPECT_EQ(
        scalar(
            "SELECT count(*) FROM deliveries d JOIN client_secrets s ON s.secret_id = d.secret_id "
            "WHERE d.id::text = " +
            id + " AND length(s.secret_hash) > 0 AND d.mobile = " + SqlLiteral(i.mobile) +
            " AND d.email = " + SqlLiteral(i.email)),
        "1")
        << "delivery " << i.delivery_id << " with its secret hash and recipients";
    EXPECT_EQ(
        scalar("SELECT string_agg(kind || '=' || recipient, ',' ORDER BY kind) FROM outbox WHERE "
               "delivery_id::text = " +
               id + " AND kind IN ('sms', 'email')"),
        "email=" + i.email + ",sms=" + i.mobile)
        << "delivery " << i.delivery_id << " has one SMS and one e-mail outbox row";
    EXPECT_EQ(scalar("SELECT count(*) FROM audit_events WHERE action = 'client.secret_issue' AND "
                     "detail::jsonb->>'delivery_id' = " +
                     id),
              "1")
        << "delivery " << i.delivery_id << " has its issuance audit event";
  }
}

int ExpectEachSentOnce(DeliveryRig& rig, const std::vector<Issuance>& delivered,
                       const std::vector<Issuance>& absent) {
  auto conn = Connect(rig.db().url());  // one connection for all the checks
  auto scalar = [&](const std::string& sql) {
    return conn->ExecSimple(sql).Opt(0, 0).value_or("");
  };
  std::map<std::string, std::vector<Poco::JSON::Object::Ptr>> sms_to;
  for (const auto& m : rig.Messages()) sms_to[m->getValue<std::string>("to")].push_back(m);
  std::map<std::string, std::map<std::string, int>>
      mail_ids_to;  // recipient -> Message-ID -> copies
  std::map<std::string, std::string> attachment_of;
  for (const auto& m : rig.Mails("")) {
    std::string to = m.to;  // "<a@b>" or "a@b"
    to.erase(std::remove_if(to.begin(), to.end(),
                            [](char c) { return c == '<' || c == '>' || c == ' '; }),
             to.end());
    ++mail_ids_to[to][m.message_id];
    if (!m.attachment.empty()) attachment_of[m.message_id] = m.attachment_name;
  }
  int extra_copies = 0;
  std::set<std::string> expected_mobiles, expected_emails;
  for (const auto& d : delivered) {
    expected_mobiles.insert(d.mobile);
    expected_emails.insert(d.email);
    const auto& sms = sms_to[d.mobile];
    EXPECT_EQ(sms.size(), 1u) << "delivery " << d.delivery_id
                              << ": the provider must receive its SMS exactly once";
    if (sms.size() == 1) {
      EXPECT_EQ(
          scalar("SELECT sms_sid FROM deliveries WHERE id::text = " + SqlLiteral(d.delivery_id)),
          sms[0]->getValue<std::string>("sid"))
          << "delivery " << d.delivery_id << " records the sid of the SMS the provider holds";
    }
    const auto& mails = mail_ids_to[d.email];
    EXPECT_EQ(mails.size(), 1u) << "delivery " << d.delivery_id
                                << ": exactly one e-mail (one Message-ID) expected";
    for (const auto& [message_id, copies] : mails) {
      EXPECT_NE(message_id.find(d.delivery_id), std::string::npos)
          << message_id << " names its delivery";
      const std::string& name = attachment_of[message_id];
      EXPECT_TRUE(name.size() > 4 && name.substr(name.size() - 4) == ".zip")
          << message_id << " carries the package";
      extra_copies += copies - 1;
    }
    EXPECT_EQ(scalar("SELECT string_agg(kind || '=' || state, ',' ORDER BY kind) FROM outbox WHERE "
                     "delivery_id::text = " +
                     SqlLiteral(d.delivery_id) + " AND kind IN ('sms', 'email')"),
              "email=done,sms=done")
        << "delivery " << d.delivery_id;
  }
  for (const auto& a : absent) {
    EXPECT_EQ(sms_to.count(a.mobile), 0u)
        << "an issuance that is absent must send no SMS (" << a.mobile << ")";
    EXPECT_EQ(mail_ids_to.count(a.email), 0u)
        << "an issuance that is absent must send no e-mail (" << a.email << ")";
  }
  for (const auto& [to, list] : sms_to) {
    EXPECT_TRUE(expected_mobiles.count(to))
        << list.size() << " SMS to " << to << ", which no delivery names";
  }
  for (const auto& [to, ids] : mail_ids_to) {
    EXPECT_TRUE(expected_emails.count(to))
        << ids.size() << " e-mail(s) to " << to << ", which no delivery names";
  }
  return extra_copies;
}

std::string LatencySummary(const std::vector<Issuance>& all) {
  std::vector<int64_t> ms;
  for (const auto& i : all) ms.push_back(i.took.count());
  if (ms.empty()) return "none";
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1,
                       static_cast<std::size_t>(q * static_cast<double>(ms.size())))];
  };
  return "p50 " + std::to_string(at(0.5)) + " ms, p99 " + std::to_string(at(0.99)) + " ms, max " +
         std::to_string(ms.back()) + " ms over " + std::to_string(ms.size()) + " requests";
}

}  // namespace onboard::testsupport::load
