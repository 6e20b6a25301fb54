// node tests/browser/run.mjs SCENARIO: runs one browser scenario of the console against
// the onboard-api in ONBOARD_BROWSER_BASE_URL; exits 0 when it passed, 1 with the reason
// when it failed (tests/e2e/console/browser_test.cpp checks the exit code).
import { launch } from './lib.mjs';
import * as basics from './basics.mjs';
import * as orders from './orders.mjs';
import * as pages from './pages.mjs';
import * as records from './records.mjs';

const scenarios = { ...basics.scenarios, ...orders.scenarios, ...pages.scenarios, ...records.scenarios };
const name = process.argv[2];
if (!scenarios[name]) {
  console.error(`unknown scenario '${name}'; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
let browser;
let status = 0;
const started = Date.now();
try {
  browser = await launch();
  await scenarios[name](browser);
  console.log(`scenario ${name} passed in ${Date.now() - started} ms`);
} catch (e) {
  console.error(`scenario ${name} FAILED: ${e.stack || e}`);
  status = 1;
} finally {
  if (browser) await browser.close().catch(() => {});
}
process.exit(status);
