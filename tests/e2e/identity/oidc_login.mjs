// Drives oidc-provider's development login over HTTP, as a browser would, without one
// (issue #17 tests): follows the authorization request's redirects with a cookie jar,
// submits the login form (any password) and the consent form, and stops at the redirect
// that leaves the provider (the relying party's callback), printing that URL.
// Usage: node oidc_login.mjs AUTHORIZATION_URL LOGIN
const [start, login] = process.argv.slice(2);
const origin = new URL(start).origin;
const jar = new Map();

// Every Set-Cookie of an answer. Headers.getSetCookie() needs Node.js 19.7 or 20; Debian 12's
// Node.js 18 joins them with ", " in get('set-cookie'), so split there (a comma followed by
// the next cookie's name=, never the one inside an Expires date).
function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  return joined ? joined.split(/,(?=\s*[^;,\s]+=)/).map((c) => c.trim()) : [];
}

function remember(res) {
  for (const c of setCookies(res.headers)) {
    const [pair] = c.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(c)) jar.delete(name);
    else jar.set(name, value);
  }
}

function cookieHeader() {
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
}

let url = start;
let init = { method: 'GET' };
for (let step = 0; step < 20; step += 1) {
  const res = await fetch(url, {
    ...init, redirect: 'manual', headers: { ...(init.headers || {}), cookie: cookieHeader() },
  });
  remember(res);
  if (res.status >= 300 && res.status < 400) {
    const next = new URL(res.headers.get('location'), url);
    if (next.origin !== origin) {
      process.stdout.write(next.href + '\n');
      process.exit(0);
    }
    url = next.href;
    init = { method: 'GET' };
    continue;
  }
  const html = await res.text();
  if (res.status !== 200) {
    console.error(`HTTP ${res.status} at ${url}: ${html.slice(0, 500)}`);
    process.exit(1);
  }
  const action = /<form[^>]*action="([^"]+)"/.exec(html);
  const prompt = /name="prompt" value="([a-z]+)"/.exec(html);
  if (!action || !prompt) {
    console.error(`no interaction form at ${url}: ${html.slice(0, 500)}`);
    process.exit(1);
  }
  const form = new URLSearchParams({ prompt: prompt[1] });
  if (prompt[1] === 'login') {
    form.set('login', login);
    form.set('password', 'any-password');
  }
  url = new URL(action[1].replace(/&amp;/g, '&'), url).href;
  init = {
    method: 'POST',
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}
console.error('the provider never redirected back');
process.exit(1);
