#!/usr/bin/python3
"""The final secrets scan (ctest label secrets-scan; ops/test runs it after the whole suite).

Looks through everything the suite left in ONBOARD_TEST_EVIDENCE_DIR (see
tests/support/evidence.hpp): the output of every onboard-api process and every row of every
test database, for
  - every client secret, zip password and API token a test saw (the `secrets` file), as
    text and hex-encoded (how bytea columns print), and
  - anything shaped like an onboard API token (onb_ + 43 base64url characters) or a webhook
    signing secret (whsec_ + base64 of 32 bytes).
Fails when it finds one (naming the file and the first characters only), and when there is
nothing to scan (the suite did not run with the evidence directory, so the scan would prove
nothing).
"""
import os
import re
import sys

TOKEN = re.compile(r"onb_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
WEBHOOK_SECRET = re.compile(r"whsec_[A-Za-z0-9+/]{43}=")


def main():
    root = os.environ.get("ONBOARD_TEST_EVIDENCE_DIR", "")
    if not root or not os.path.isdir(root):
        print("FAIL: ONBOARD_TEST_EVIDENCE_DIR is not set or missing; run the whole suite through ops/test")
        return 1
    secrets_path = os.path.join(root, "secrets")
    secrets = set()
    if os.path.exists(secrets_path):
        with open(secrets_path, encoding="utf-8", errors="replace") as f:
            secrets = {line.rstrip("\n") for line in f if len(line.strip()) >= 8}
    files = []
    for sub in ("logs", "tables"):
        d = os.path.join(root, sub)
        if os.path.isdir(d):
            files += [os.path.join(d, n) for n in sorted(os.listdir(d))]
    logs = sum(1 for p in files if "/logs/" in p)
    tables = sum(1 for p in files if "/tables/" in p)
    if not secrets or logs == 0 or tables == 0:
        print(f"FAIL: nothing to scan (secrets {len(secrets)}, logs {logs}, table dumps {tables}): "
              "the suite must run first with ONBOARD_TEST_EVIDENCE_DIR set")
        return 1
    needles = []
    for s in secrets:
        needles.append((s, s))
        needles.append((s, s.encode("utf-8").hex()))  # bytea prints as \x<hex>
    findings = []
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        for secret, needle in needles:
            if needle in text:
                findings.append((path, secret[:4] + "...", "hex" if needle != secret else "text"))
        for m in TOKEN.finditer(text):
            findings.append((path, m.group(0)[:8] + "...", "token-shaped"))
        for m in WEBHOOK_SECRET.finditer(text):
            findings.append((path, m.group(0)[:8] + "...", "webhook-secret-shaped"))
    print(f"scanned {logs} logs and {tables} table dumps for {len(secrets)} secrets and token-shaped strings")
    if findings:
        for path, prefix, how in sorted(set(findings)):
            print(f"LEAK: {how} {prefix} in {path}")
        return 1
    print("PASS: no plaintext secret, zip password or token found")
    return 0


if __name__ == "__main__":
    sys.exit(main())
