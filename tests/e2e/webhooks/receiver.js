// A webhook receiver for the e2e tests (issue #18): verifies every delivery with the
// Standard Webhooks reference library (npm `standardwebhooks`, pinned in ops/node) and
// appends one JSON line per request to LOG_FILE: {webhook_id, method, path, at_ms, verified,
// error, type, id, organisation, client_id, body, status}. Runs on Debian 12's Node.js 18 (no fetch, no newer syntax).
//
// Usage: node receiver.js PORT SECRET LOG_FILE [MODE]
//   MODE "ok" (default): 204 for every verified delivery, 400 for a bad signature;
//   "fail:N": 500 to the first N requests, then as "ok"; "gone": 410 to everything;
//   "slow:MS": answers as "ok" after MS milliseconds; "redirect": 307 to /followed on this
//   receiver (a sender that follows it shows up as a second request); "endless": 200 and a
//   body that never ends (16 KiB every 5 ms until the sender hangs up).
'use strict';
const http = require('http');
const fs = require('fs');
const { Webhook } = require('standardwebhooks');

const [port, secret, logFile, mode = 'ok'] = process.argv.slice(2);
if (!port || !secret || !logFile) {
  console.error('usage: receiver.js PORT SECRET LOG_FILE [MODE]');
  process.exit(64);
}
const wh = new Webhook(secret.replace(/^whsec_/, ''));
let failures = mode.startsWith('fail:') ? parseInt(mode.slice(5), 10) : 0;

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const line = {
      webhook_id: req.headers['webhook-id'] || null,
      method: req.method,
      path: req.url,
      at_ms: Date.now(),
    };
    let status = 204;
    try {
      const event = wh.verify(body, {
        'webhook-id': req.headers['webhook-id'],
        'webhook-timestamp': req.headers['webhook-timestamp'],
        'webhook-signature': req.headers['webhook-signature'],
      });
      line.verified = true;
      line.id = event.id;
      line.type = event.type;
      line.organisation = event.organisation;
      line.client_id = event.client_id || null;
      line.body = body;
    } catch (e) {
      line.verified = false;
      line.error = String(e && e.message);
      status = 400;
    }
    if (mode === 'gone') status = 410;
    else if (failures > 0) {
      failures -= 1;
      status = 500;
    }
    if (mode === 'redirect' && status === 204) status = 307;
    if (mode === 'endless' && status === 204) status = 200;
    line.status = status;
    fs.appendFileSync(logFile, JSON.stringify(line) + '\n');
    if (mode === 'endless' && status === 200) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      const chunk = 'y'.repeat(16384);
      const timer = setInterval(() => res.write(chunk), 5);
      res.on('close', () => clearInterval(timer));
      return;
    }
    const answer = () => {
      const headers = { 'Content-Type': 'text/plain' };
      if (status === 307) headers.Location = 'http://127.0.0.1:' + port + '/followed';
      res.writeHead(status, headers);
      res.end(status === 204 ? '' : 'x'.repeat(10000));  // a long body: the sender reads 4 KiB
    };
    if (mode.startsWith('slow:')) setTimeout(answer, parseInt(mode.slice(5), 10));
    else answer();
  });
});
server.listen(Number(port), '127.0.0.1', () => {
  console.log('receiver listening on ' + port);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
