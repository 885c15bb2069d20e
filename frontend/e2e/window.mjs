// Smoke test of the production window: the desktop,production-tagged
// binary under Xvfb, in the real WebKitGTK webview (not Chromium). It
// opens the sample connector with --mock; the window must become
// interactive (the page rendered under the app's CSP and called the Ready
// binding), the mock it started must answer, and the app must stop cleanly.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, freePort, repo, run, sleep } from './harness.mjs';

const bin = process.env.APP_BIN || join(repo, 'build/bin/connectorlab-desktop');

async function until(fn, what, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

function children(pid) {
  return new Promise((res) => {
    const p = spawn('pgrep', ['-P', String(pid)]);
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', () => res(out.split(/\s+/).filter(Boolean)));
  });
}

const tests = [
  [
    'the production WebKitGTK window becomes interactive and starts the mock it was asked for',
    async (s) => {
      const t0 = Date.now();
      const port = await freePort();
      s.app = spawn(bin, [join(repo, 'examples/contoso-orders'), '--mock', '--mock-port', String(port)], {
        env: { ...process.env, DISPLAY: `:${s.display}`, XDG_CONFIG_HOME: s.dir, CONNECTORLAB_READY_FILE: join(s.dir, 'ready.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let log = '';
      s.app.stdout.on('data', (d) => (log += d));
      s.app.stderr.on('data', (d) => (log += d));
      s.app.on('exit', (code) => (s.exit = code));
      await until(async () => existsSync(join(s.dir, 'ready.json')), `the window to call Ready (log: ${log})`, 30000);
      const ready = JSON.parse(readFileSync(join(s.dir, 'ready.json'), 'utf8'));
      console.log(`     interactive ${ready.readyUnixMs - t0} ms after launch (page ${Math.round(ready.navigationMs)} ms)`);
      await until(async () => (await fetch(`http://127.0.0.1:${port}/v1/orders/x`)).status === 401, 'the mock to answer 401 without credentials', 15000);
      const r = await fetch(`http://127.0.0.1:${port}/v1/orders/x`, { headers: { 'X-API-Key': 'k' } });
      assert(r.status === 200, `mock answered ${r.status}`);
      assert(!/panic|goroutine/.test(log), `app log: ${log}`);
      s.children = await children(s.app.pid);
      assert(s.children.length >= 1, 'no WebKit child process found');
    },
  ],
  [
    'the app exits cleanly on SIGTERM and takes its WebKit processes with it',
    async (s) => {
      s.app.kill('SIGTERM');
      await until(async () => s.exit !== undefined, 'the app to exit', 10000);
      await until(async () => s.children.every((pid) => !existsSync(`/proc/${pid}`)), `WebKit processes ${s.children} to exit`, 10000);
      assert(s.exit === 0, `exit status ${s.exit}`);
    },
  ],
];

if (!existsSync(bin)) {
  console.error(`${bin} not found: run "make e2e" (it builds it with go build -tags desktop,production,webkit2_41)`);
  process.exit(2);
}
const ok = await run(tests, {
  before: async () => {
    let display = 140;
    while (existsSync(`/tmp/.X11-unix/X${display}`)) display++;
    const xvfb = spawn('Xvfb', [`:${display}`, '-screen', '0', '1280x820x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
    await until(async () => existsSync(`/tmp/.X11-unix/X${display}`), 'Xvfb', 10000);
    return { display, xvfb, dir: mkdtempSync(join(tmpdir(), 'cl-window-')) };
  },
  after: async (s) => {
    if (s.app && s.exit === undefined) s.app.kill('SIGKILL');
    s.xvfb.kill('SIGTERM');
    rmSync(s.dir, { recursive: true, force: true });
  },
});
process.exit(ok ? 0 : 1);
