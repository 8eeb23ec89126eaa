// Runs before `npm start` and `npm test`: on a fresh clone, installs the locked dependencies first,
// so the README's two commands work without a separate install step. A no-op once installed, except
// that a Prisma client generated from an older prisma/schema.prisma is generated again.
const { existsSync, statSync } = require('node:fs');
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { createNpmWarningDigest } = require('./npm-warning-digest');
const { isGeneratedClientCurrent } = require('./prisma-schema-record');

const root = path.resolve(__dirname, '..');
const installedLock = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');

/**
 * `npm ci`, preferring npm's cache: this project's lock file records no download addresses, so npm
 * asks the registry about every one of its 1,400 packages again, even when it has them all (on a
 * machine that installed before: 56 s instead of 87 s here). A cache older than the lock file can lack
 * a locked version (ETARGET, npm/cli#6367); then the install runs again, asking the registry.
 */
async function install() {
  console.error('Installing dependencies (npm ci: about two minutes on a first run)…');
  let run = await runNpmCi(['--prefer-offline']);
  if (run.isCacheStale) {
    console.error("npm's cache is older than package-lock.json: installing again, asking the registry…");
    run = await runNpmCi([]);
  }
  for (const line of run.summary) console.error(line);
  return run.code;
}

/** Passes npm's output through as it comes, with its two known kinds of warning digested (npm-warning-digest.js). */
function runNpmCi(options) {
  const digest = createNpmWarningDigest();
  let isCacheStale = false;
  const child = spawn('npm', ['ci', '--no-audit', '--no-fund', ...options], { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] });
  const passThrough = (from, to) =>
    readline.createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => {
      if (/^npm error code ETARGET\b/.test(line)) isCacheStale = true;
      const shown = digest.take(line);
      if (shown !== null) to.write(`${shown}\n`);
    });
  passThrough(child.stdout, process.stdout);
  passThrough(child.stderr, process.stderr);
  return new Promise((resolve) => {
    child.on('close', (code) => resolve({ code: code ?? 1, isCacheStale: code !== 0 && isCacheStale, summary: digest.summary() }));
  });
}

async function ensureInstalled() {
  const isInstalled = existsSync(installedLock) && statSync(installedLock).mtimeMs >= statSync(lock).mtimeMs;
  if (!isInstalled) {
    const code = await install();
    if (code !== 0) process.exit(code);
  } else if (!isGeneratedClientCurrent()) {
    console.error('Generating the Prisma client (prisma/schema.prisma is new or changed)…');
    const result = spawnSync(process.execPath, [path.join(__dirname, 'prisma-generate.js')], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
}

// `npm test` also drives a browser (the React client, GraphQL Playground): Debian's Chromium, never a
// downloaded one. Installed here when it is missing and this is a root shell with apt (CI, containers);
// anywhere else, say exactly what is missing instead of failing halfway through the suite.
function ensureBrowser() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    // Only Debian's own path can be fixed by installing Debian's package.
    const canInstall = !process.env.CHROMIUM_PATH && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
    if (canInstall) {
      console.error('Installing Chromium for the browser tests (apt-get install chromium)…');
      const environment = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
        const result = spawnSync('apt-get', args, { stdio: 'inherit', env: environment });
        if (result.status !== 0) process.exit(result.status ?? 1);
      }
    } else {
      console.error(`The browser tests need Chromium at ${chromium}: install it (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH.`);
      process.exit(1);
    }
  }
}

ensureInstalled().then(() => {
  if (process.argv.includes('--browser')) ensureBrowser();
});
