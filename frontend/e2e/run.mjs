// End-to-end tests of the desktop app in a real browser engine. Run with
// `make e2e` (builds what it needs) or `npm run e2e` after building
// frontend/dist and build/bin/connectorlab-desktop-dev.
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { assert, launchBrowser, repo, run, sleep, startApp } from './harness.mjs';
import { screenshotMismatches, shoot, update } from './shots.mjs';
import { createTests } from './create.mjs';
import { deskopsCases } from './deskops.mjs';

const sample = join(repo, 'examples/contoso-orders');
const metrics = {};

// blast sends n GET requests to url(i) with bounded concurrency.
async function blast(n, url, headers = {}, concurrency = 32) {
  let next = 0;
  let failed = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      try {
        const r = await fetch(url(i), { headers });
        await r.arrayBuffer();
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return failed;
}

// S scopes a selector to the screen on show: every screen stays mounted
// (hidden when inactive), so unscoped selectors may match a hidden one.
const S = (sel) => `.screen-host:not([hidden]) ${sel}`;

async function trafficCount(page) {
  const t = (await page.textContent(S('[data-testid="traffic-count"]'))) || '';
  return Number((/^(\d+)/.exec(t) || [])[1] || 0);
}

async function screenshot(page, name) {
  await shoot(page, name);
}

async function goto(page, screen) {
  await page.click(`nav [data-screen="${screen}"]`);
  await page.waitForSelector(`[data-testid="screen-${screen === 'contract' ? 'contract-tests' : screen}"]`);
}

async function openConnector(page, path) {
  await goto(page, 'connectors');
  await page.fill('input[aria-label="Connector path"]', path);
  await page.click('[data-testid="screen-connectors"] form button[type="submit"]');
}

const tests = [
  [
    'the shell loads with the content security policy and no console errors',
    async ({ page, app, consoleErrors }) => {
      const r = await fetch(app.url);
      const csp = r.headers.get('content-security-policy') || '';
      assert(csp.includes("script-src 'self'"), `CSP header missing or weak: "${csp}"`);
      await page.waitForSelector('nav [data-screen="connectors"]');
      assert((await page.title()) === 'Connector Lab', 'title');
      assert(consoleErrors.length === 0, `console errors: ${consoleErrors.join('\n')}`);
    },
  ],
  [
    'open the sample connector by path: operations grouped as in the maker portal',
    async ({ page }) => {
      await openConnector(page, sample);
      await page.waitForSelector('[data-testid="connector-detail"] h2:has-text("Contoso Orders")');
      const groups = await page.$$eval('.op-group h3', (hs) => hs.map((h) => h.textContent));
      assert(groups.some((g) => g.startsWith('Actions')), `groups: ${groups}`);
      assert(groups.some((g) => g.startsWith('Triggers')), `groups: ${groups}`);
      assert(await page.isVisible('[data-operation="ListOrders"] .badge.vis-important'), 'visibility badge');
      assert(await page.isVisible('.dyn-ref'), 'a dynamic reference is shown');
      await screenshot(page, 'connectors');
    },
  ],
  [
    'auth, policies and validation findings with locations',
    async ({ page }) => {
      await page.click('[role="tab"]:has-text("Auth & policies")');
      await page.waitForSelector('.auth-panel h3:has-text("Authentication")');
      await screenshot(page, 'connectors-auth');
      await page.click('[role="tab"]:has-text("Validation")');
      const rows = await page.$$('table.findings tbody tr');
      if (rows.length > 0) {
        const loc = await page.textContent('table.findings tbody tr td:nth-child(3)');
        assert(/\.json/.test(loc || ''), `finding location: ${loc}`);
      } else {
        assert(await page.isVisible('text=No findings'), 'no findings message');
      }
    },
  ],
  [
    'a bad path shows a readable error with the fix',
    async ({ page }) => {
      await openConnector(page, '/definitely/not/here');
      await page.waitForSelector('.error-banner');
      const text = await page.textContent('.error-banner');
      assert(text.includes('does not exist') && text.includes('Fix:'), `error text: ${text}`);
      assert(!/goroutine|panic|\.go:\d+/.test(text), 'no Go internals in the error');
      await page.click('.error-banner button');
    },
  ],
  [
    'the recent list remembers the connector across a reload',
    async ({ page }) => {
      await page.reload();
      await page.waitForSelector('.recent button.link:has-text("Contoso Orders")');
      await page.click('.recent button.link:has-text("Contoso Orders")');
      await page.waitForSelector('[data-testid="connector-detail"] h2:has-text("Contoso Orders")');
    },
  ],
  [
    'start the mock, try an operation and see it in the traffic list',
    async ({ page, state }) => {
      await goto(page, 'mock');
      // The trigger test subscribes a receiver on 127.0.0.1: callbacks to
      // this machine need the explicit switch (issue 11).
      await page.check('input[aria-label="Allow local callbacks"]');
      await page.click('button:has-text("Start mock")');
      const url = await (await page.waitForSelector('[data-testid="mock-url"]')).textContent();
      assert(/^http:\/\/127\.0\.0\.1:\d+\/v1$/.test(url), `mock url ${url}`);
      state.mockURL = url;
      await page.click('.mock-ops [data-operation="GetOrder"]');
      await page.fill('[data-testid="tryit"] .form-grid input >> nth=0', 'ord-42');
      await page.click('[data-testid="tryit"] button:has-text("Send")');
      await page.waitForSelector('[data-testid="try-status"]:has-text("200")');
      await page.waitForSelector(S('[role="option"]:has-text("GetOrder")'));
      await page.click(S('[role="option"]:has-text("GetOrder")'));
      const detail = await (await page.waitForSelector(S('[data-testid="exchange-detail"]'))).textContent();
      assert(detail.includes('/v1/orders/ord-42') && detail.includes('GetOrder'), `detail: ${detail.slice(0, 200)}`);
      await screenshot(page, 'mock');
    },
  ],
  [
    'a dynamic dropdown is filled from the mock\'s own lookup operation',
    async ({ page }) => {
      await page.click('.mock-ops [data-operation="ListOrders"]');
      const sel = 'select[data-dynamic="ListCustomers"]';
      await page.waitForFunction((s) => document.querySelector(s)?.options.length > 1, sel);
      const n = await page.$eval(sel, (e) => e.options.length - 1);
      assert(n >= 1, `options: ${n}`);
      await page.selectOption(sel, { index: 1 });
      await page.click('[data-testid="tryit"] button:has-text("Send")');
      await page.waitForSelector('[data-testid="try-status"]:has-text("200")');
    },
  ],
  [
    'trigger controls: subscribe a webhook with Try it, fire an event (generated, then a typed payload), see the delivery',
    async ({ page }) => {
      const got = [];
      const recv = createServer((req, res) => {
        let b = '';
        req.on('data', (d) => (b += d));
        req.on('end', () => {
          got.push(b);
          res.end('ok');
        });
      });
      await new Promise((r) => recv.listen(0, '127.0.0.1', r));
      const cb = `http://127.0.0.1:${recv.address().port}/callback`;
      try {
        await page.click('.mock-ops [data-operation="OnOrderShipped"]');
        // The form is this operation's before anything is typed into it.
        await page.waitForSelector('[data-testid="tryit"] .mono:has-text("/hooks")');
        await page.fill('textarea[aria-label="Request body"]', JSON.stringify({ callbackUrl: cb }));
        await page.click('[data-testid="tryit"] button:has-text("Send")');
        await page.waitForSelector('[data-testid="try-status"]:has-text("201")');
        await page.click('[role="tab"]:has-text("Triggers")');
        await page.waitForSelector('[data-trigger="OnOrderShipped"]:has-text("1 subscriptions")');
        await page.click('[data-trigger="OnOrderShipped"] button:has-text("Fire")');
        await page.waitForSelector('[data-testid="fire-result"] .badge.ok');
        assert(got.length === 1 && got[0].startsWith('{'), `callback got ${JSON.stringify(got)}`);
        await page.fill('input[aria-label="Event payload"]', '{"orderId":"e2e-payload"}');
        await page.click('[data-trigger="OnOrderShipped"] button:has-text("Fire")');
        for (let i = 0; i < 100 && got.length < 2; i++) await sleep(50);
        assert(got.length === 2 && got[1].includes('e2e-payload'), `custom payload: ${JSON.stringify(got)}`);
        await page.fill('input[aria-label="Event payload"]', '');
        await page.waitForSelector(S('[role="option"]:has-text("event")'));
        await screenshot(page, 'mock-triggers');
      } finally {
        recv.close();
      }
    },
  ],
  [
    'scenario and fault controls change answers without a new port',
    async ({ page, state }) => {
      await page.selectOption('select[aria-label="Scenario"]', 'code=404');
      await page.click('button:has-text("Apply changes")');
      await sleep(100);
      assert((await page.textContent('[data-testid="mock-url"]')) === state.mockURL, 'port changed');
      await page.click('.mock-ops [data-operation="GetOrder"]');
      await page.fill('[data-testid="tryit"] .form-grid input >> nth=0', 'x');
      await page.click('[data-testid="tryit"] button:has-text("Send")');
      await page.waitForSelector('[data-testid="try-status"]:has-text("404")');
      await page.selectOption('select[aria-label="Scenario"]', '');
      await page.click('button:has-text("Apply changes")');
      await sleep(100);
    },
  ],
  [
    'a recorded <script> body is shown as text and never runs',
    async ({ page }) => {
      await page.click('.mock-ops [data-operation="CreateOrder"]');
      const evil = '{"customerId":"<script>window.__pwned=1</script>","lines":[],"notes":"<img src=x onerror=window.__pwned=2>"}';
      await page.fill('textarea[aria-label="Request body"]', evil);
      await page.click('[data-testid="tryit"] button:has-text("Send")');
      await page.waitForSelector('[data-testid="try-status"]');
      await page.click(S('[role="option"]:has-text("CreateOrder")'));
      await page.waitForSelector(S('[data-testid="exchange-detail"] pre.body:has-text("<script>")'));
      const r = await page.evaluate(() => ({
        pwned: window.__pwned,
        scripts: document.querySelectorAll('[data-testid="exchange-detail"] script, [data-testid="exchange-detail"] img').length,
      }));
      assert(r.pwned === undefined && r.scripts === 0, `markup ran or was parsed: ${JSON.stringify(r)}`);
    },
  ],
  [
    '10,000 exchanges reach the virtualised list and it stays smooth',
    async ({ page, state }) => {
      await page.uncheck('text=enforce auth');
      await page.click('button:has-text("Apply changes")');
      await sleep(100);
      const before = await trafficCount(page);
      const t0 = Date.now();
      const failed = await blast(10000, (i) => `${state.mockURL}/orders/o-${i}`);
      const sentMs = Date.now() - t0;
      assert(failed === 0, `${failed} requests failed`);
      await page.waitForFunction((n) => Number((/^(\d+)/.exec(document.querySelector('.screen-host:not([hidden]) [data-testid="traffic-count"]')?.textContent || '') || [])[1]) >= n, before + 10000, { timeout: 60000 });
      const shownMs = Date.now() - t0;
      const domRows = await page.$$eval(S('.traffic-scroll [role="option"]'), (e) => e.length);
      assert(domRows < 80, `${domRows} rows in the DOM: the list is not virtualised`);
      // Scroll through the list and time the frames.
      const frames = await page.evaluate(async () => {
        const el = document.querySelector('.screen-host:not([hidden]) .traffic-scroll');
        const times = [];
        let last = performance.now();
        for (let i = 0; i < 120; i++) {
          el.scrollTop = (el.scrollHeight * i) / 120;
          await new Promise((r) => requestAnimationFrame(r));
          const now = performance.now();
          times.push(now - last);
          last = now;
        }
        times.sort((a, b) => a - b);
        const heap = performance.memory ? Math.round(performance.memory.usedJSHeapSize / 1048576) : null;
        return { p50: times[60], p95: times[Math.floor(times.length * 0.95)], max: times[times.length - 1], heapMB: heap };
      });
      metrics.traffic10k = { sentMs, shownMs, domRows, ...frames };
      console.log(`     10,000 exchanges: sent in ${sentMs} ms, all listed after ${shownMs} ms; scroll frames p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms; JS heap ${frames.heapMB} MB`);
      // The DOM bound above is the deterministic check; the frame times are
      // recorded for docs/PERFORMANCE.md. A list that re-rendered every row
      // would take seconds per frame, far past this generous median bound.
      assert(frames.p50 < 200, `scrolling is not smooth: median frame ${frames.p50} ms`);
      await page.fill(S('input[aria-label="Filter traffic"]'), 'o-9999');
      await page.waitForSelector(S('[data-testid="traffic-count"]:has-text("1 of")'));
      await page.fill(S('input[aria-label="Filter traffic"]'), '');
      // The screenshot shows an ordinary exchange and form, not the XSS probe above.
      await page.click('.mock-ops [data-operation="GetOrder"]');
      await page.evaluate(() => (document.querySelector('.screen-host:not([hidden]) .traffic-scroll').scrollTop = 0));
      await page.click(S('.traffic-scroll [role="option"] >> nth=0'));
      await page.waitForSelector(S('[data-testid="exchange-detail"]:has-text("GetOrder")'));
      assert(!(await page.isVisible(S('[data-testid="exchange-detail"] pre.body:has-text("<script>")'))), 'the screenshot would show the XSS payload');
      await screenshot(page, 'mock-traffic-10k');
    },
  ],
  [
    'the Traffic screen: every mock in one view, filters by status and operation, detail with pretty bodies, copy as curl, replay this',
    async ({ page, browser }) => {
      await browser.ctx.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => undefined);
      await page.keyboard.press('Control+3');
      await page.waitForSelector('[data-testid="screen-traffic"]');
      await page.waitForFunction(() => Number((/^(\d+)/.exec(document.querySelector('.screen-host:not([hidden]) [data-testid="traffic-count"]')?.textContent || '') || [])[1]) >= 10000);
      await page.selectOption(S('select[aria-label="Status class"]'), '4xx');
      await page.waitForSelector(S('[data-testid="traffic-count"]:has-text(" of ")'));
      const only4xx = await page.$$eval(S('.traffic-scroll [role="option"] span:nth-child(5)'), (e) => e.map((x) => x.textContent));
      assert(only4xx.length > 0 && only4xx.every((t) => /^4\d\d$/.test(t)), `4xx filter shows ${only4xx}`);
      await page.selectOption(S('select[aria-label="Status class"]'), '');
      await page.selectOption(S('select[aria-label="Operation"]'), 'GetOrder');
      // The newest of the 10,000: the live list keeps the details of the
      // newest 2,000 exchanges only (o-42 and its namesakes are older).
      await page.fill(S('input[aria-label="Filter traffic"]'), '/orders/o-9999');
      await page.click(S('.traffic-scroll [role="option"] >> nth=0'));
      const detail = await (await page.waitForSelector(S('[data-testid="exchange-detail"]:has-text("GetOrder")'))).textContent();
      assert(detail.includes('/orders/o-9999'), detail.slice(0, 200));
      const body = await page.textContent(S('[data-testid="exchange-detail"] pre.body[data-kind="json"]'));
      assert(/\n  "/.test(body), `the JSON body is not indented: ${body.slice(0, 80)}`);
      await page.click(S('button:has-text("Copy as curl")'));
      await page.waitForSelector('.toast:has-text("Copied the request as a curl command")');
      await page.click(S('button:has-text("Replay this")'));
      await page.waitForSelector('.toast:has-text("Replayed: GET answered 200")');
      await page.fill(S('input[aria-label="Filter traffic"]'), '');
      await page.selectOption(S('select[aria-label="Operation"]'), '');
      await screenshot(page, 'traffic');
    },
  ],
  [
    'several mocks at once: the sidebar shows connector, port and state, each starts and stops, traffic filters by mock',
    async ({ page, state }) => {
      await page.keyboard.press('Control+2');
      await page.waitForSelector('[data-testid="screen-mock"]');
      await page.click(S('button:has-text("Another")'));
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="mocks-sidebar"] [data-state="running"]').length === 2);
      const items = await page.$$eval('[data-testid="mocks-sidebar"] [data-mock]', (els) => els.map((e) => ({ state: e.getAttribute('data-state'), port: e.querySelector('.port').textContent.replace(':', '') })));
      const first = new URL(state.mockURL).port;
      const second = items.find((i) => i.port !== first)?.port;
      assert(second && items.length === 2, `sidebar: ${JSON.stringify(items)}`);
      const r = await fetch(`http://127.0.0.1:${second}/v1/orders/second-mock-1`);
      assert(r.status === 200, `second mock answered ${r.status}`);
      await page.keyboard.press('Control+3');
      await page.waitForSelector('[data-testid="screen-traffic"]');
      if (await page.isVisible(S('button:has-text("Show all")'))) await page.click(S('button:has-text("Show all")'));
      const value = await page.$eval(S('select[aria-label="Mock"]'), (sel, port) => [...sel.options].find((o) => o.textContent.includes(`:${port}`))?.value, second);
      assert(value, 'no traffic filter for the second mock');
      await page.selectOption(S('select[aria-label="Mock"]'), value);
      await page.waitForSelector(S('[data-testid="traffic-count"]:has-text("1 of")'));
      await page.selectOption(S('select[aria-label="Mock"]'), '');
      await page.click(`[data-testid="mocks-sidebar"] button[aria-label="Stop Contoso Orders on port ${second}"]`);
      await page.waitForSelector(`[data-testid="mocks-sidebar"] [data-state="stopped"]`);
      const gone = await fetch(`http://127.0.0.1:${second}/v1/orders/x`).then(() => false, () => true);
      assert(gone, 'the stopped mock still answers');
      assert((await fetch(`${state.mockURL}/orders/x`)).status === 200, 'the first mock stopped too');
      await page.click(`[data-testid="mocks-sidebar"] button[aria-label="Forget Contoso Orders"]`);
    },
  ],
  [
    'operations panel: disable an operation and give another a custom body; saved beside the connector and applied live',
    async ({ page }) => {
      // A copy of the sample, so the sidecar is written outside the repository.
      const copy = mkdtempSync(join(tmpdir(), 'cl-e2e-ovr-'));
      for (const f of ['apiDefinition.swagger.json', 'apiProperties.json']) copyFileSync(join(sample, f), join(copy, f));
      try {
        await openConnector(page, copy);
        await page.waitForSelector(`.open-list button[title="${copy}"].active`);
        await page.keyboard.press('Control+2');
        await page.waitForSelector('[data-testid="screen-mock"]');
        await page.uncheck(S('label:has-text("enforce auth") input'));
        await page.click(S('button:has-text("Start mock")'));
        const url = await (await page.waitForSelector(S('[data-testid="mock-url"]'))).textContent();
        await page.click(S('[role="tab"]:has-text("Operations")'));
        await page.uncheck(S('input[aria-label="Enable DeleteOrder"]'));
        await page.selectOption(S('select[aria-label="Answer of GetOrder"]'), 'custom');
        // The body editor is CodeMirror: select all and type.
        const body = S('.cm-content[aria-label="Custom body of GetOrder"]');
        await page.click(body);
        await page.keyboard.press('Control+A');
        await page.keyboard.insertText('{"id": "from-the-panel"');
        await page.waitForSelector(S('.error-text:has-text("Not JSON yet")'));
        await page.keyboard.press('Control+A');
        await page.keyboard.insertText('{"id": "from-the-panel"}');
        await page.click(S('[data-testid="operations-panel"] button:has-text("Save")'));
        await page.waitForSelector('.toast:has-text("Saved 2 overrides")');
        const file = JSON.parse(readFileSync(join(copy, '.connectorlab', 'overrides.json'), 'utf8'));
        assert(file.operations.DeleteOrder.disabled === true && file.operations.GetOrder.response.body.id === 'from-the-panel', JSON.stringify(file));
        const got = await (await fetch(`${url}/orders/x`)).json();
        assert(got.id === 'from-the-panel', `GetOrder answered ${JSON.stringify(got)}`);
        assert((await fetch(`${url}/orders/x`, { method: 'DELETE' })).status === 501, 'DeleteOrder is not switched off');
        await screenshot(page, 'mock-operations');
        await page.click(S('button:has-text("Stop")'));
        await page.waitForSelector(S('button:has-text("Start mock")'));
      } finally {
        // Back to the sample for the tests that follow, even after a failure.
        await page.click(`.open-list button[title="${sample}"]`).catch(() => undefined);
        await page.waitForSelector(`.open-list button[title="${sample}"].active`, { timeout: 5000 }).catch(() => undefined);
        rmSync(copy, { recursive: true, force: true });
      }
    },
  ],
  [
    'diff two definitions: breaking changes first, side by side, export HTML',
    async ({ page }) => {
      const pair = join(repo, '..', 'shared', 'corpus', 'pairs', '05-SignatureAPI');
      await goto(page, 'diff');
      await page.fill('input[aria-label="Old definition"]', join(pair, 'old.swagger.json'));
      await page.fill('input[aria-label="New definition"]', join(pair, 'new.swagger.json'));
      await page.click('button:has-text("Compare")');
      await page.waitForSelector('[data-testid="diff-result"]');
      const first = await page.textContent('.diff-group h3');
      assert(first.startsWith('Breaking changes'), `first group: ${first}`);
      const verdict = await page.textContent('[data-testid="diff-verdict"]');
      assert(/breaking/.test(verdict), verdict);
      await screenshot(page, 'diff');
      const out = join(repo, 'build', 'e2e-diff-report.html');
      const written = await page.evaluate((p) => window.go.app.DiffService.Export('html', p), out);
      assert(written === out, `export wrote ${written}`);
    },
  ],
  [
    'record through the proxy into SQLite: live list, redaction visible, sessions, HAR export',
    async ({ page, state }) => {
      const canary = 'CANARY-e2e-7c1d';
      await goto(page, 'record');
      await page.fill('input[aria-label="Upstream URL"]', state.mockURL);
      await page.fill('input[aria-label="Session name"]', 'e2e-session');
      for (const input of await page.$$(S('input[aria-label^="Connection parameter"]'))) await input.fill(canary + '-param');
      await page.click('button:has-text("Start recording")');
      const proxy = await (await page.waitForSelector('[data-testid="proxy-url"]')).textContent();
      for (let i = 0; i < 5; i++) {
        const r = await fetch(`${proxy}/orders/r-${i}`, { headers: { Authorization: `Bearer ${canary}-client` } });
        assert(r.status === 200, `GET through the proxy: ${r.status}`);
        await r.arrayBuffer();
      }
      await (await fetch(`${proxy}/customers`)).arrayBuffer();
      await page.waitForFunction(() => /^6 exchanges/.test(document.querySelector('.screen-host:not([hidden]) [data-testid="traffic"] [data-testid="traffic-count"]')?.textContent || ''));
      await page.click(S('[role="option"]:has-text("/orders/r-0")'));
      await page.waitForSelector(S('[data-testid="exchange-detail"] .badge.redacted'));
      const text = await page.evaluate(() => document.body.innerText);
      assert(!text.includes(canary), 'a secret is visible in the window');
      await screenshot(page, 'record');
      await page.click('button:has-text("Stop recording")');
      const summary = await (await page.waitForSelector('[data-testid="record-summary"]')).textContent();
      assert(/6 stored/.test(summary), summary);
      await page.waitForSelector('[data-testid="sessions"] td:has-text("e2e-session")');
      const sessions = await page.evaluate(() => window.go.app.RecordService.Sessions('Contoso Orders'));
      const s = sessions.find((x) => x.name === 'e2e-session');
      assert(s && s.exchanges === 6 && s.status === 'complete', JSON.stringify(s));
      state.sessionID = s.id;
      const har = join(repo, 'build', 'e2e-session.har');
      await page.evaluate(([id, p]) => window.go.app.RecordService.ExportHAR(id, p), [s.id, har]);
      const body = readFileSync(har, 'utf8');
      assert(body.includes('"entries"') && !body.includes(canary), 'HAR missing or leaking the secret');
    },
  ],
  [
    'run a contract test of the recorded session against the mock: progress, results by operation, JUnit export, history',
    async ({ page, state }) => {
      await goto(page, 'contract');
      await page.waitForFunction(() => document.querySelector('input[aria-label="Target URL"]')?.value);
      const target = await page.inputValue('input[aria-label="Target URL"]');
      assert(target === state.mockURL, `target ${target}`);
      await page.selectOption('select[aria-label="Session"]', String(state.sessionID));
      // A required connection parameter is asked for, as test asks for CONNECTORLAB_PARAM_<NAME>.
      await page.click('button:has-text("Run contract test")');
      await page.waitForSelector('text=CONNECTORLAB_PARAM_API_KEY');
      for (const input of await page.$$(S('input[aria-label^="Connection parameter"]'))) await input.fill('e2e-contract-key');
      await page.click('button:has-text("Run contract test")');
      await page.waitForSelector('[data-testid="contract-result"]', { timeout: 60000 });
      await page.waitForSelector('[data-testid="contract-progress"]:has-text("done in")');
      const ops = await page.$$eval('.op-result', (e) => e.map((x) => x.getAttribute('data-operation')));
      assert(ops.includes('GetOrder') && ops.includes('ListCustomers'), `operations: ${ops}`);
      const total = await page.textContent('[data-testid="contract-result"] .row .small');
      assert(/^6 cases/.test(total), total);
      await page.waitForSelector('svg.trend rect');
      await screenshot(page, 'contract');
      // State is kept across screens: the result is still there after a visit elsewhere.
      await page.keyboard.press('Control+4');
      await page.waitForSelector('[data-testid="screen-diff"]');
      await page.keyboard.press('Control+6');
      assert(await page.isVisible('[data-testid="contract-result"]'), 'the contract result was lost when switching screens');
      const out = join(repo, 'build', 'e2e-contract.junit.xml');
      await page.evaluate((p) => window.go.app.ContractService.Export('run-1', 'junit', p), out);
      assert(existsSync(out) && readFileSync(out, 'utf8').includes('<testsuite'), 'JUnit report');
    },
  ],
  [
    'replay the recorded session on the Mock screen: recorded answers, a miss is a 404 naming the closest recording',
    async ({ page, state }) => {
      await goto(page, 'mock');
      // The contract test's expected "parameter missing" banner is not this test's.
      if (await page.isVisible('.error-banner')) await page.click('.error-banner button');
      await page.click('.mock-controls button.danger:has-text("Stop")');
      await page.waitForSelector('button:has-text("Start mock")');
      await page.focus('select[aria-label="Replay session"]');
      await page.waitForFunction((id) => [...(document.querySelector('select[aria-label="Replay session"]')?.options ?? [])].some((o) => o.value === String(id)), state.sessionID);
      await page.selectOption('select[aria-label="Replay session"]', String(state.sessionID));
      await page.click('button:has-text("Start mock")');
      await page.waitForSelector('[data-testid="mock-modes-status"]:has-text("Replaying session e2e-session (6 exchanges)")');
      const url = await page.textContent('[data-testid="mock-url"]');
      const hit = await fetch(`${url}/orders/r-3`, { headers: { 'X-API-Key': 'k' } });
      const body = await hit.text();
      assert(hit.status === 200 && hit.headers.get('x-connectorlab-exchange'), `replayed GET: ${hit.status} ${body.slice(0, 200)}`);
      const miss = await fetch(`${url}/orders/never-recorded`, { headers: { 'X-API-Key': 'k' } });
      const missBody = await miss.text();
      assert(miss.status === 404 && /recorded|exchange/i.test(missBody), `replay miss: ${miss.status} ${missBody.slice(0, 300)}`);
      await page.waitForSelector('[role="option"]:has-text("/orders/r-3")');
      await screenshot(page, 'mock-replay');
      await page.click('.mock-controls button.danger:has-text("Stop")');
      await page.waitForSelector('button:has-text("Start mock")');
    },
  ],
  [
    'watch a definition: an edit of the file is served by the running mock, a broken edit keeps the last good version',
    async ({ page }) => {
      const dir = join(repo, 'build', 'e2e-watch');
      rmSync(dir, { recursive: true, force: true });
      cpSync(sample, dir, { recursive: true });
      await openConnector(page, dir);
      await page.waitForSelector('[data-testid="connector-detail"] h2:has-text("Contoso Orders")');
      await goto(page, 'mock');
      await page.check('input[aria-label="Watch definition files"]');
      await page.click('button:has-text("Start mock")');
      await page.waitForSelector('[data-testid="mock-reloads"]:has-text("no change yet")');
      const url = await page.textContent('[data-testid="mock-url"]');
      const before = await fetch(`${url}/widgets`, { headers: { 'X-API-Key': 'k' } });
      await before.arrayBuffer();
      assert(before.status === 404, `widgets before the edit: ${before.status}`);
      const def = join(dir, 'apiDefinition.swagger.json');
      const orig = readFileSync(def, 'utf8');
      const widgets = '"paths": {"/widgets": {"get": {"operationId": "ListWidgets", "summary": "List widgets", "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"type": "string"}}}}}},';
      writeFileSync(def, orig.replace('"paths": {', widgets));
      await page.waitForSelector('[data-testid="mock-reloads"]:has-text("reloaded 1×")', { timeout: 15000 });
      const after = await fetch(`${url}/widgets`, { headers: { 'X-API-Key': 'k' } });
      const list = await after.text();
      assert(after.status === 200 && list.startsWith('['), `widgets after the edit: ${after.status} ${list.slice(0, 200)}`);
      await screenshot(page, 'mock-watch');
      writeFileSync(def, '{"swagger": "2.0", "paths": {');
      await page.waitForSelector('.mock-modes .error-text:has-text("still serving the last good version")', { timeout: 15000 });
      const still = await fetch(`${url}/widgets`, { headers: { 'X-API-Key': 'k' } });
      await still.arrayBuffer();
      assert(still.status === 200, `after a broken edit: ${still.status}`);
      await page.click('.mock-controls button.danger:has-text("Stop")');
      await page.waitForSelector('button:has-text("Start mock")');
    },
  ],
  [
    'recordings: rename a session, export it as JSON and import HAR and JSON back on the Record screen',
    async ({ page, state }) => {
      await goto(page, 'record');
      await page.click('button[aria-label="Rename session e2e-session"]');
      await page.fill('input[aria-label="New name for e2e-session"]', 'e2e-golden');
      await page.click('[data-testid="sessions"] button:has-text("Save")');
      await page.waitForSelector('[data-testid="sessions"] td:has-text("e2e-golden")');
      const json = join(repo, 'build', 'e2e-session.json');
      const written = await page.evaluate(([id, p]) => window.go.app.RecordService.ExportSession(id, 'json', p), [state.sessionID, json]);
      assert(written === json && readFileSync(json, 'utf8').includes('"schemaVersion"'), `JSON export wrote ${written}`);
      for (const [file, name] of [[join(repo, 'build', 'e2e-session.har'), 'e2e-from-har'], [json, 'e2e-from-json']]) {
        await page.fill('input[aria-label="Import file"]', file);
        await page.fill('input[aria-label="Imported session name"]', name);
        await page.click('[data-testid="import-session"] button:has-text("Import")');
        await page.waitForSelector(`text=Imported 6 exchanges into ${name}`);
        await page.waitForSelector(`[data-testid="sessions"] td:has-text("${name}")`);
      }
      await page.click('button[aria-label="Delete session e2e-from-har"]');
      await page.waitForFunction(() => !document.querySelector('[data-session="e2e-from-har"]'));
      await screenshot(page, 'recordings');
    },
  ],
  ...createTests,
  ...deskopsCases,
  [
    update ? 'screenshots written to docs/screenshots (make screenshots)' : 'screenshots match docs/screenshots within the pixel tolerance',
    async () => {
      const bad = screenshotMismatches();
      assert(bad.length === 0, `${bad.length} screenshots differ:\n${bad.join('\n')}`);
    },
  ],
];

const ok = await run(tests, {
  before: async () => {
    const app = await startApp();
    console.log(`app ready on ${app.url} in ${app.readyMs} ms`);
    const browser = await launchBrowser();
    const page = browser.ctx.pages()[0] ?? (await browser.ctx.newPage());
    const consoleErrors = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) consoleErrors.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(app.url, { waitUntil: 'load' });
    return { app, browser, page, consoleErrors, state: {} };
  },
  after: async ({ app, browser }) => {
    await browser?.close();
    await app?.stop();
    metrics.appReadyMs = app?.readyMs;
    writeFileSync(join(repo, 'build', 'e2e-metrics.json'), JSON.stringify(metrics, null, 2));
  },
});
process.exit(ok ? 0 : 1);
