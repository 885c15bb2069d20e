// A small e2e harness: starts Xvfb and the dev-tagged desktop binary (which
// serves the built frontend plus the Go bindings on a local port, as
// `wails dev` does), drives Debian's Chromium with playwright-core, and
// stops everything it started. No browser download, no wails CLI.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

function freeDisplay() {
  for (let n = 90; n < 140; n++) {
    if (!existsSync(`/tmp/.X11-unix/X${n}`) && !existsSync(`/tmp/.X${n}-lock`)) return n;
  }
  throw new Error('no free X display between :90 and :139');
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitFor(fn, what, timeoutMs) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      if (await fn()) return;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last.message}` : ''}`);
}

// startApp starts Xvfb and the app; returns {url, stop, configDir, log}.
export async function startApp({ binary, env = {} } = {}) {
  const bin = binary || process.env.APP_DEV_BIN || join(repo, 'build/bin/connectorlab-desktop-dev');
  if (!existsSync(bin)) throw new Error(`${bin} not found: run "make e2e" (it builds it with go build -tags dev,webkit2_41)`);
  if (!existsSync(join(repo, 'frontend/dist/index.html'))) throw new Error('frontend/dist is missing: run "npm run build" in frontend/');
  const display = freeDisplay();
  const xvfb = spawn('Xvfb', [`:${display}`, '-screen', '0', '1280x820x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  await waitFor(() => existsSync(`/tmp/.X11-unix/X${display}`), 'Xvfb', 10000);
  const port = await freePort();
  const configDir = mkdtempSync(join(tmpdir(), 'cl-e2e-config-'));
  let log = '';
  const t0 = Date.now();
  const proc = spawn(bin, [], {
    cwd: repo,
    env: {
      ...process.env,
      DISPLAY: `:${display}`,
      devserver: `127.0.0.1:${port}`,
      assetdir: join(repo, 'frontend/dist'),
      loglevel: 'Warning',
      XDG_CONFIG_HOME: configDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout.on('data', (d) => (log += d));
  proc.stderr.on('data', (d) => (log += d));
  let exited = null;
  proc.on('exit', (code, sig) => (exited = { code, sig }));
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(async () => {
    if (exited) throw new Error(`app exited ${JSON.stringify(exited)}:\n${log}`);
    const r = await fetch(url);
    return r.ok;
  }, `the app at ${url}`, 60000);
  const readyMs = Date.now() - t0;
  const stop = async () => {
    if (!exited) {
      proc.kill('SIGTERM');
      await waitFor(() => exited, 'the app to exit', 10000).catch(() => proc.kill('SIGKILL'));
    }
    xvfb.kill('SIGTERM');
    rmSync(configDir, { recursive: true, force: true });
  };
  return { url, port, stop, configDir, pid: proc.pid, readyMs, log: () => log, display };
}

export async function launchBrowser() {
  const dir = mkdtempSync(join(tmpdir(), 'cl-e2e-chromium-'));
  const ctx = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 820 },
  });
  return {
    ctx,
    close: async () => {
      await ctx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// run executes the tests one after another and prints the closing line
// CI reads ("N passed, N failed"). A failing test does not stop the rest.
export async function run(tests, { before, after } = {}) {
  let passed = 0;
  let failed = 0;
  const state = before ? await before() : {};
  try {
    for (const [name, fn] of tests) {
      const t0 = Date.now();
      try {
        await fn(state);
        passed++;
        console.log(`ok   ${name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        if (state.page) {
          const shot = join(repo, 'build', `e2e-fail-${failed}.png`);
          await state.page.screenshot({ path: shot }).catch(() => undefined);
          const banner = await state.page.textContent('.error-banner').catch(() => null);
          console.log(`     screenshot: ${shot}${banner ? `; error banner: ${banner}` : ''}`);
        }
        console.log(`FAIL ${name} (${Date.now() - t0} ms)\n     ${String(e && e.stack ? e.stack : e).split('\n').slice(0, 6).join('\n     ')}`);
      }
    }
  } finally {
    if (after) await after(state).catch((e) => console.log('cleanup failed:', e));
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0;
}

export function ensureDir(p) {
  mkdirSync(p, { recursive: true });
  return p;
}

export function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}
