// Bundles the console: src/main.tsx (and the CSS it imports) into content-hashed files in
// <out>/assets, a gzip copy of each (onboard-api sends it to browsers that accept gzip),
// index.html naming them, and manifest.json with their sizes (the browser test checks the
// first-load budget against what is actually transferred). Run by the onboard_console
// CMake target: node build.mjs --node-modules var/node/node_modules --out build/console/dist
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  if (i < 0 || i + 1 >= args.length) throw new Error(`usage: build.mjs --node-modules DIR --out DIR (missing ${name})`);
  return path.resolve(args[i + 1]);
};
const nodeModules = opt('--node-modules');
const out = opt('--out');
const here = path.dirname(fileURLToPath(import.meta.url));
let esbuild;
try {
  esbuild = createRequire(path.join(nodeModules, 'noop.js'))('esbuild');
} catch (e) {
  console.error(`esbuild is not installed in ${nodeModules}: run ops/install-deps (${e.message})`);
  process.exit(1);
}

const tmp = `${out}.tmp`;
fs.rmSync(tmp, { recursive: true, force: true });
fs.mkdirSync(path.join(tmp, 'assets'), { recursive: true });
const result = await esbuild.build({
  entryPoints: { app: path.join(here, 'src/main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2020'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  nodePaths: [nodeModules],
  outdir: path.join(tmp, 'assets'),
  entryNames: '[name]-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
const outputs = Object.keys(result.metafile.outputs).map((p) => path.basename(p));
const js = outputs.find((f) => f.endsWith('.js'));
const css = outputs.find((f) => f.endsWith('.css'));
if (!js || !css) throw new Error(`esbuild wrote no JS or no CSS: ${outputs.join(', ')}`);

const manifest = { js: `assets/${js}`, css: `assets/${css}`, files: {} };
for (const f of outputs) {
  const file = path.join(tmp, 'assets', f);
  const body = fs.readFileSync(file);
  const gz = zlib.gzipSync(body, { level: 9 });
  fs.writeFileSync(`${file}.gz`, gz);
  manifest.files[`assets/${f}`] = { bytes: body.length, gzip_bytes: gz.length };
}
const html = fs
  .readFileSync(path.join(here, 'index.html'), 'utf8')
  .replace('%CSS%', `/console/assets/${css}`)
  .replace('%JS%', `/console/assets/${js}`);
fs.writeFileSync(path.join(tmp, 'index.html'), html);
for (const f of fs.readdirSync(path.join(here, 'public'))) fs.copyFileSync(path.join(here, 'public', f), path.join(tmp, f));
fs.writeFileSync(path.join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
fs.rmSync(out, { recursive: true, force: true });
fs.renameSync(tmp, out);
const total = Object.values(manifest.files).reduce((n, f) => n + f.gzip_bytes, 0);
console.log(`console: ${js} + ${css}, ${total} bytes gzip`);
