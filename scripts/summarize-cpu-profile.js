#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof) by where the time went: self time per package (or
// source folder of ours) and per function, and the inclusive time of each top-level layer.
// `node scripts/summarize-cpu-profile.js <file.cpuprofile> [--top N] [--last seconds | --window from to] [--layers] [--match text]...`
// --last keeps only the profile's final seconds (the load, not the start-up before it); each --match
// prints the inclusive time of frames whose function name or URL contains its text.
// docs/performance.md explains how the profiles it reads were taken.
const { readFileSync } = require('node:fs');

const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: summarize-cpu-profile.js <file.cpuprofile> [--top N] [--match text]');
  process.exit(2);
}
const option = (name, fallback) => (rest.includes(name) ? rest[rest.indexOf(name) + 1] : fallback);
const top = Number(option('--top', 25));
const lastSeconds = Number(option('--last', Infinity));
// Or a window of the profile, in seconds from the end: --window 30 24 keeps what ran from 30 s to 24 s before the end.
const [windowStart, windowEnd] = rest.includes('--window') ? [Number(option('--window')), Number(rest[rest.indexOf('--window') + 2])] : [lastSeconds, 0];
const matches = rest.flatMap((value, index) => (rest[index - 1] === '--match' ? [value] : []));

const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);

// Self time per node, from the sample timeline (its last --last seconds).
const sampledAt = [];
let clock = profile.startTime;
for (const delta of profile.timeDeltas) sampledAt.push((clock += delta));
const from = profile.endTime - windowStart * 1e6;
const to = profile.endTime - windowEnd * 1e6;
const selfMicros = new Map();
for (let index = 0; index < profile.samples.length; index++) {
  if (sampledAt[index] < from || sampledAt[index] > to) continue;
  const id = profile.samples[index];
  selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
}
const total = [...selfMicros.values()].reduce((sum, value) => sum + value, 0);

/** node_modules package, our src/ folder, node: internals, or the V8 pseudo-frames ((garbage collector), (idle)…). */
function areaOf(frame) {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  const ours = /\/(src|bench)\/(?:([^/]+)\/)?[^/]+$/.exec(url);
  if (ours) return `${ours[1]}/${ours[2] ?? ''}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

const byArea = new Map();
const byFunction = new Map();
for (const [id, micros] of selfMicros) {
  const frame = nodes.get(id).callFrame;
  const area = areaOf(frame);
  byArea.set(area, (byArea.get(area) ?? 0) + micros);
  const key = `${frame.functionName || '(anonymous)'}  ${area}:${frame.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
}

/** Areas grouped into the layers a GraphQL request crosses (docs/performance.md, "One `me` request, layer by layer"). */
const LAYERS = [
  ['kernel: socket writes', (area, name) => area === '(native)' && /^writev?|^writeBuffer|^writeString|^writeUtf8String/.test(name)],
  ['HTTP server (Node)', (area) => /^node:(_http|net|stream|internal|events|buffer|timers)/.test(area) || area === 'node:internal'],
  ['Express, body parsing, headers', (area) => /^(express|router|body-parser|raw-body|type-is|iconv-lite|helmet|cors|parseurl|negotiator|content-type|media-typer|whatwg-mimetype|finalhandler|on-finished|ipaddr\.js|proxy-addr|qs|depd|vary)$/.test(area) || area === 'src/http'],
  ['Apollo Server', (area) => area.startsWith('@apollo/') || area === '@as-integrations/express5'],
  ['graphql-js', (area) => area === 'graphql'],
  ['type-graphql and resolvers', (area) => area === 'type-graphql' || /^src\/(users|accounts|members|auth|graphql|identity)$/.test(area) || area === 'dataloader'],
  ['authorization (shield, rules)', (area) => /^(graphql-shield|graphql-middleware)$/.test(area) || area === 'src/permissions'],
  ['access token (JWT)', (area, name) => /^(jsonwebtoken|jws|jwa|jose|zod|safe-buffer|semver)$/.test(area) || area === 'src/tokens' || (area === 'node:internal' && /^(Hmac|Hash|update|digest)$/.test(name))],
  ['session read (node-postgres)', (area) => /^(pg|pg-protocol|pg-pool|pg-types|postgres-date|postgres-array|pgpass)$/.test(area) || area === 'src/database' || area === 'src/sessions'],
  ['request ids (AsyncLocalStorage)', (area, name) => area === 'node:async_hooks' || /^(promiseInitHook|promiseBeforeHook|promiseAfterHook|lookupPublicResource|emitInitNative)$/.test(name)],
  ['logging (pino)', (area) => /^(pino|@pinojs\/.*|sonic-boom|fast-redact)$/.test(area) || area === 'src/'],
  ['garbage collection', (area) => area === '(garbage collector)'],
  ['promise machinery', (area, name) => area === '(native)' && name === 'runMicrotasks'],
  ['idle', (area) => area === '(idle)'],
];

const percent = (micros) => `${((100 * micros) / total).toFixed(1).padStart(5)} %`;
const print = (title, entries) => {
  console.log(`\n${title}`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${percent(micros)}  ${name}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
const idle = byArea.get('(idle)') ?? 0;
console.log(`busy ${(((total - idle) / total) * 100).toFixed(1)} % of the time`);
print('self time by package or folder', byArea);
if (rest.includes('--layers')) {
  const byLayer = new Map();
  for (const [id, micros] of selfMicros) {
    const frame = nodes.get(id).callFrame;
    const area = areaOf(frame);
    // Checked in order: the first layer that claims a frame has it (Hmac before the HTTP server's node:internal).
    const ordered = [LAYERS[0], LAYERS[7], LAYERS[9], ...LAYERS.filter((_, index) => ![0, 7, 9].includes(index))];
    const layer = ordered.find(([, claims]) => claims(area, frame.functionName))?.[0] ?? 'other';
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + micros);
  }
  print('self time by layer (--layers)', byLayer);
}
print('self time by function', byFunction);

console.log('');
for (const match of matches) {
  // Inclusive time of every frame whose function or URL contains the text (each sample counted once).
  let inclusive = 0;
  for (const [id, micros] of selfMicros) {
    for (let current = id; current !== undefined; current = parentOf.get(current)) {
      const frame = nodes.get(current).callFrame;
      if (`${frame.functionName} ${frame.url}`.includes(match)) {
        inclusive += micros;
        break;
      }
    }
  }
  console.log(`${percent(inclusive)}  inclusive under frames matching "${match}"`);
}
