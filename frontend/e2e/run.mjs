// End-to-end tests of the desktop app in a real browser engine. Run with
// `make e2e` (builds what it needs) or `npm run e2e` after building
// frontend/dist and build/bin/connectorlab-desktop-dev.
import { join } from 'node:path';
import { assert, ensureDir, launchBrowser, repo, run, startApp } from './harness.mjs';

const shots = ensureDir(process.env.SCREENSHOT_DIR || join(repo, 'docs/screenshots'));
const sample = join(repo, 'examples/contoso-orders');

async function screenshot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`) });
}

async function goto(page, screen) {
  await page.click(`nav [data-screen="${screen}"]`);
  await page.waitForSelector(`[data-testid="screen-${screen === 'contract' ? 'contract-tests' : screen}"]`);
}

async function openConnector(page, path) {
  await goto(page, 'connectors');
  await page.fill('input[aria-label="Connector path"]', path);
  await page.click('form button[type="submit"]');
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
    'screens whose engine has not landed say what they wait for',
    async ({ page }) => {
      for (const s of ['mock', 'diff', 'record', 'contract']) {
        await goto(page, s);
        await screenshot(page, s);
      }
      await goto(page, 'connectors');
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
    return { app, browser, page, consoleErrors };
  },
  after: async ({ app, browser }) => {
    await browser?.close();
    await app?.stop();
  },
});
process.exit(ok ? 0 : 1);
