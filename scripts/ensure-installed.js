// Runs before `npm start` and `npm test`: on a fresh clone, installs the locked dependencies first,
// so the README's two commands work without a separate install step. A no-op once installed.
const { existsSync, statSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const installedLock = path.join(root, 'node_modules', '.package-lock.json');
const lock = path.join(root, 'package-lock.json');
const generatedClient = path.join(root, 'src', 'generated', 'prisma', 'client.ts');

const isInstalled = existsSync(installedLock) && statSync(installedLock).mtimeMs >= statSync(lock).mtimeMs;
if (!isInstalled) {
  console.error('Installing dependencies (npm ci)…');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
} else if (!existsSync(generatedClient)) {
  const result = spawnSync(process.execPath, [path.join(__dirname, 'prisma-generate.js')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// `npm test` also drives a browser (the React client, GraphQL Playground): Debian's Chromium, never a
// downloaded one. Installed here when it is missing and this is a root shell with apt (CI, containers);
// anywhere else, say exactly what is missing instead of failing halfway through the suite.
if (process.argv.includes('--browser')) {
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
