#!/usr/bin/env python3
"""Mutation check of the use-case rules (issue #15): does a unit test fail when a rule is gone?

For each rule below (a file of services/api/usecases/ and the exact text of the rule's
condition or statement), it disables the rule in the source, builds only the use-case test
binaries (onboard_usecase_group_tests and onboard_usecase_tests, incrementally, in build/),
runs them, and restores the source. A rule is covered when at least one test fails; a rule
whose mutant survives is a missing test. Prints a Markdown table and exits 1 when a mutant
survived or did not build.

    tests/mutation_check.py              every rule
    tests/mutation_check.py four sms     only the rules whose id contains one of the words
    tests/mutation_check.py --list       the rules, without building

It builds in build-mutation/ (configured on the first run: Release, the test suite,
ONBOARD_MUTATION_CHECK=ON; the rest of the tree comes from ccache after ops/build). The
sources are put back however it ends (also on Ctrl-C), and the binaries are rebuilt from
them at the end.
"""

import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Its own build tree: the same configuration as build/ (ops/build), but onboard_usecases
# compiled file by file (ONBOARD_MUTATION_CHECK), so each mutant recompiles one source.
BUILD = os.path.join(ROOT, "build-mutation")
TARGETS = ["onboard_usecase_group_tests", "onboard_usecase_tests"]

# (id, the rule, file under services/api/usecases/, the rule's text, the text without it).
# The rule's text must occur exactly once in the file. Conditions become `false && (...)`
# and statements `if (false) ...`, so the mutant still compiles without unused-variable
# warnings.
RULES = [
    ("four-eyes", "the four-eyes check: the operator who entered an order does not approve it",
     "production_orders.cpp",
     "  domain::EnsureFourEyes(current, caller.who, policy_.four_eyes);",
     "  if (false) domain::EnsureFourEyes(current, caller.who, policy_.four_eyes);"),
    ("certificate-forces-pkjwt", "a certificate delivery forces private_key_jwt",
     "production_orders.cpp",
     "if (command.delivery_method == domain::DeliveryMethod::kCertificate) {\n"
     "    proposed->set(\"token_endpoint_auth_method\", \"private_key_jwt\");",
     "if (false && command.delivery_method == domain::DeliveryMethod::kCertificate) {\n"
     "    proposed->set(\"token_endpoint_auth_method\", \"private_key_jwt\");"),
    ("sms-zip-secret-method", "sms_zip needs a secret method", "production_orders.cpp",
     "if (command.delivery_method == domain::DeliveryMethod::kSmsZip &&\n"
     "      !domain::UsesClientSecret(metadata.token_endpoint_auth_method)) {",
     "if (false && command.delivery_method == domain::DeliveryMethod::kSmsZip &&\n"
     "      !domain::UsesClientSecret(metadata.token_endpoint_auth_method)) {"),
    ("sms-zip-e164", "sms_zip needs an E.164 mobile number", "production_orders.cpp",
     "if (!domain::IsE164(command.delivery_mobile)) {",
     "if (false && !domain::IsE164(command.delivery_mobile)) {"),
    ("sms-zip-prefix", "sms_zip sends the password only to accepted mobile prefixes",
     "production_orders.cpp",
     "} else if (!domain::IsAcceptedMobile(command.delivery_mobile, policy_.mobile_prefixes)) {",
     "} else if (false &&\n"
     "             !domain::IsAcceptedMobile(command.delivery_mobile, policy_.mobile_prefixes)) {"),
    ("sms-zip-email", "sms_zip needs the e-mail address that receives the package",
     "production_orders.cpp",
     "if (!domain::IsPlausibleEmail(command.delivery_email)) {",
     "if (false && !domain::IsPlausibleEmail(command.delivery_email)) {"),
    ("certificate-no-mobile", "a certificate delivery takes no mobile number",
     "production_orders.cpp",
     "} else if (!command.delivery_mobile.empty()) {",
     "} else if (false && !command.delivery_mobile.empty()) {"),
    ("order-same-organisation", "the production client stays in the order's organisation",
     "production_orders.cpp",
     "if (metadata.client_orgno != onboarding->organisation) {",
     "if (false && metadata.client_orgno != onboarding->organisation) {"),
    ("order-linked-test-client", "an order names a test client linked to its case",
     "production_orders.cpp",
     "if (!test_client || test_client->environment != domain::Environment::kTest || !linked) {",
     "if (!test_client ||\n"
     "      (false && (test_client->environment != domain::Environment::kTest || !linked))) {"),
    ("environment-production", "the environment rule: production clients come only from an order",
     "clients.cpp",
     "if (!command.environment.empty() && command.environment != \"test\") {",
     "if (false && !command.environment.empty() && command.environment != \"test\") {"),
    ("channel-portal", "the channel rule: a portal registers through the portal channel",
     "clients.cpp",
     "if (caller.IsPortal() && channel != \"portal\") {",
     "if (false && caller.IsPortal() && channel != \"portal\") {"),
    ("channel-known", "the channel rule: only portal, operator, mail and web_form are chosen",
     "clients.cpp",
     "} else if (!domain::IsRegistrationChannel(channel) || channel == \"production_order\" ||\n"
     "             channel == \"registration_api\") {",
     "} else if (false && (!domain::IsRegistrationChannel(channel) ||\n"
     "                      channel == \"production_order\" || channel == \"registration_api\")) {"),
    ("portal-own-organisation", "a portal registers only for its own organisation",
     "clients.cpp",
     "} else if (caller.IsPortal() && metadata.client_orgno != caller.organisation) {",
     "} else if (false && caller.IsPortal() && metadata.client_orgno != caller.organisation) {"),
    ("dcr-portal-own-organisation",
     "RFC 7591: a portal's registration is for its own organisation", "dynamic_registration.cpp",
     "if (caller.IsPortal() && metadata.client_orgno != caller.organisation) {",
     "if (false && caller.IsPortal() && metadata.client_orgno != caller.organisation) {"),
    ("revoke-on-auth-change", "revoking secrets when the auth method changes (client update)",
     "clients.cpp",
     "  write.revoke_secrets = LeavesSecretAuth(current, next);",
     "  write.revoke_secrets = false && LeavesSecretAuth(current, next);"),
    ("dcr-revoke-on-auth-change",
     "RFC 7592: revoking secrets when an update leaves secret authentication",
     "dynamic_registration.cpp",
     "  write.revoke_secrets = LeavesSecretAuth(current, next);",
     "  write.revoke_secrets = false && LeavesSecretAuth(current, next);"),
    ("portal-visibility", "a portal sees only its own organisation's resources (as not found)",
     "caller.cpp",
     "if (IsPortal() && organisation != orgno) {",
     "if (false && IsPortal() && organisation != orgno) {"),
    ("portal-lists-own-clients", "a portal lists only its own organisation's clients",
     "clients.cpp",
     "  } else if (caller.IsPortal()) {\n    // A portal sees its own organisation only;",
     "  } else if (false && caller.IsPortal()) {\n    // A portal sees its own organisation only;"),
    ("organisation-portal-register", "a portal registers only the organisation it acts for",
     "organisations.cpp",
     "if (caller.IsPortal() && caller.organisation != org.orgno) {",
     "if (false && caller.IsPortal() && caller.organisation != org.orgno) {"),
    ("case-portal-own-organisation", "a portal opens onboarding cases only for its organisation",
     "onboardings.cpp",
     "if (caller.IsPortal() && caller.organisation != o.organisation) {",
     "if (false && caller.IsPortal() && caller.organisation != o.organisation) {"),
    ("operator-only-production-secrets", "only the operator team issues production secrets",
     "client_secrets.cpp",
     "if (production && caller.role != domain::Role::kOperator && !caller.access_token) {",
     "if (false && production && caller.role != domain::Role::kOperator &&\n"
     "      !caller.access_token) {"),
    ("token-portal-only", "only portal tokens are bound to an organisation", "tokens.cpp",
     "if (command.organisation && (!role || *role != domain::Role::kPortal)) {",
     "if (false && command.organisation && (!role || *role != domain::Role::kPortal)) {"),
    ("token-revoke-after-commit", "a token revocation clears the token cache after its commit",
     "tokens.cpp",
     "unit->AfterCommit([this] { caches_.TokensChanged(); });",
     "caches_.TokensChanged();"),
    ("verification-test-clients", "verification runs concern test clients only",
     "verifications.cpp",
     "if (client.environment != domain::Environment::kTest) {",
     "if (false && client.environment != domain::Environment::kTest) {"),
    ("session-revoked-token", "a revoked or expired token opens no console session",
     "sessions.cpp",
     "if (lookup->revoked || lookup->expired) {",
     "if (false && (lookup->revoked || lookup->expired)) {"),
    ("session-role", "only operator and auditor tokens open a console session", "sessions.cpp",
     "if (!domain::RoleMaySignIn(lookup->token.role)) {",
     "if (false && !domain::RoleMaySignIn(lookup->token.role)) {"),
    ("provider-audience", "a provider authentication names the audience it is for",
     "provider_runtime.cpp",
     "if (audiences.empty() ||\n"
     "      std::any_of(audiences.begin(), audiences.end(), [](const auto& a) { return a.empty(); })) {",
     "if (false && (audiences.empty() || std::any_of(audiences.begin(), audiences.end(),\n"
     "                                               [](const auto& a) { return a.empty(); }))) {"),
    ("onbehalfof-exists", "a new onbehalfof entry may not repeat an existing value (409)",
     "on_behalf_of.cpp",
     "      if (r.onbehalfof == record.onbehalfof)\n        throw",
     "      if (false && r.onbehalfof == record.onbehalfof)\n        throw"),
    ("onbehalfof-replace-unknown", "PUT of an unknown onbehalfof entry is 404, before the body",
     "on_behalf_of.cpp",
     "  Find(current, target.value);  // 404 before the body is read",
     "  // Find(current, target.value);  // 404 before the body is read"),
    ("oidc-offered", "single sign-on runs only where session.sign_in_methods offers it",
     "oidc_sign_in.cpp",
     "  if (oidc == nullptr || !oidc->offered())",
     "  if (oidc == nullptr)"),
    ("sms-callback-signature", "an SMS status callback must carry Twilio's valid signature",
     "sms_callbacks.cpp",
     "  if (!twilio::ValidSignature(sms_.auth_token, url, callback.form, callback.signature))",
     "  if (false && !twilio::ValidSignature(sms_.auth_token, url, callback.form, callback.signature))"),
]


def build():
    """Builds the use-case test binaries; returns (ok, output)."""
    proc = subprocess.run(
        ["cmake", "--build", BUILD, "-j" + str(os.cpu_count() or 2), "--target", *TARGETS],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode == 0, proc.stdout


def binaries():
    found = {}
    for dirpath, _, files in os.walk(BUILD):
        for t in TARGETS:
            if t in files and t not in found:
                found[t] = os.path.join(dirpath, t)
    missing = [t for t in TARGETS if t not in found]
    if missing:
        sys.exit("mutation_check: not built: " + ", ".join(missing))
    return [found[t] for t in TARGETS]


def failing_tests():
    """Runs the binaries; returns the names of the tests that failed (or crashed)."""
    failed = []
    for binary in binaries():
        proc = subprocess.run([binary, "--gtest_brief=1"], cwd=ROOT, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=300)
        names = re.findall(r"^\[  FAILED  \] ([\w/.]+)", proc.stdout, re.M)
        names = sorted(set(n for n in names if "." in n))
        if proc.returncode != 0 and not names:
            names = [os.path.basename(binary) + " (exit " + str(proc.returncode) + ")"]
        failed += names
    return failed


def main(argv):
    rules = RULES
    words = [a for a in argv if not a.startswith("--")]
    if words:
        rules = [r for r in RULES if any(w in r[0] for w in words)]
    if "--list" in argv:
        for rule_id, what, path, _, _ in rules:
            print(f"{rule_id:34} {path:26} {what}")
        return 0
    if not os.path.isfile(os.path.join(BUILD, "CMakeCache.txt")):
        subprocess.run(["cmake", "-S", ROOT, "-B", BUILD, "-DCMAKE_BUILD_TYPE=Release",
                        "-DONBOARD_BUILD_TESTS=ON", "-DONBOARD_MUTATION_CHECK=ON"],
                       check=True, stdout=subprocess.DEVNULL)

    # Check every rule's text before touching anything.
    for rule_id, _, path, original, mutant in rules:
        text = open(os.path.join(ROOT, "services/api/usecases", path), encoding="utf-8").read()
        if text.count(original) != 1:
            sys.exit(f"mutation_check: {rule_id}: the rule's text occurs {text.count(original)} "
                     f"times in {path} (must be once): update the table")
    ok, out = build()
    if not ok:
        sys.exit("mutation_check: the unmutated build fails:\n" + out[-4000:])
    if failing_tests():
        sys.exit("mutation_check: tests fail without any mutant: fix them first")

    results = []
    started = time.time()
    try:
        for rule_id, what, path, original, mutant in rules:
            source = os.path.join(ROOT, "services/api/usecases", path)
            text = open(source, encoding="utf-8").read()
            try:
                with open(source, "w", encoding="utf-8") as f:
                    f.write(text.replace(original, mutant, 1))
                ok, out = build()
                killed_by = failing_tests() if ok else None
            finally:
                with open(source, "w", encoding="utf-8") as f:
                    f.write(text)
            results.append((rule_id, what, path, ok, killed_by))
            state = ("did not build" if not ok else
                     f"killed by {len(killed_by)}" if killed_by else "SURVIVED")
            print(f"[{time.time() - started:5.0f}s] {rule_id}: {state}", file=sys.stderr,
                  flush=True)
    finally:
        build()  # the binaries again from the restored sources

    print("| rule | file | mutant | failing tests |")
    print("|---|---|---|---|")
    bad = 0
    for rule_id, what, path, ok, killed_by in results:
        if not ok:
            verdict, tests = "did not build", ""
            bad += 1
        elif killed_by:
            verdict = "killed"
            tests = ", ".join(killed_by[:3]) + (f" (+{len(killed_by) - 3})"
                                                 if len(killed_by) > 3 else "")
        else:
            verdict, tests = "**survived**", "none: add a test"
            bad += 1
        print(f"| {what} (`{rule_id}`) | {path} | {verdict} | {tests} |")
    print(f"\n{len(results) - bad} of {len(results)} rules covered "
          f"({time.time() - started:.0f} s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
