// End-to-end cases of the New connector flow, the Connectors screen's
// operation editor and the Mockoon import/export (issues 15 and 16).
// run.mjs imports createTests and runs them after the recording cases (one
// of them learns a connector from the recorded session).
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assert, repo } from './harness.mjs';
import { shoot } from './shots.mjs';

const S = (sel) => `.screen-host:not([hidden]) ${sel}`;
const work = join(repo, 'build', 'e2e-create');
const corpusRoot = process.env.CONNECTORLAB_CORPUS || join(repo, '..', 'shared', 'corpus', 'connectors');
const sample = join(repo, 'examples/contoso-orders');

let cli = '';
// connectorlab runs the CLI (built once) and returns its stdout.
function connectorlab(...args) {
  if (!cli) {
    cli = join(repo, 'build', 'e2e-connectorlab');
    execFileSync('go', ['build', '-o', cli, './cmd/connectorlab'], { cwd: repo, stdio: 'inherit' });
  }
  return execFileSync(cli, args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// validateClean checks that `connectorlab validate` finds 0 errors in dir.
function validateClean(dir) {
  let out = '';
  try {
    out = connectorlab('validate', dir);
  } catch (e) {
    out = String(e.stdout || '') + String(e.stderr || '');
    throw new Error(`connectorlab validate ${dir} failed:\n${out}`);
  }
  assert(/\b0 errors\b/.test(out), `validate ${dir}: ${out}`);
}

async function gotoConnectors(page) {
  await page.click('nav [data-screen="connectors"]');
  await page.waitForSelector('[data-testid="screen-connectors"]');
}

async function openNewConnector(page) {
  await gotoConnectors(page);
  if (!(await page.isVisible(S('[data-testid="new-connector"]')))) await page.click(S('button:has-text("New connector…")'));
  await page.waitForSelector(S('[data-testid="new-connector"]'));
}

// createFrom runs the flow for a file and saves into dir; returns the
// preview's finding IDs.
async function createFrom(page, { file, session, auth = '', dir, shot }) {
  await openNewConnector(page);
  if (session) {
    await page.check(S('input[name="nc-kind"][value="session"]'));
    const sel = S('select[aria-label="Recording session"]');
    await page.waitForSelector(`${sel} option:has-text("${session}")`, { state: 'attached' });
    const value = await page.$eval(`${sel}`, (el, name) => [...el.options].find((o) => o.textContent.startsWith(name))?.value, session);
    assert(value, `no session ${session} offered`);
    await page.selectOption(sel, value);
  } else {
    await page.check(S('input[name="nc-kind"][value="file"]'));
    await page.fill(S('input[aria-label="Source file"]'), file);
  }
  await page.selectOption(S('select[aria-label="Authentication"]'), auth);
  await page.click(S('[data-testid="new-connector"] button:has-text("Preview")'));
  await page.waitForSelector(S('[data-testid="new-connector-preview"]'));
  const ids = await page.$$eval(S('[data-testid="new-connector-preview"] [data-finding]'), (rows) => rows.map((r) => r.getAttribute('data-finding')));
  const ops = await page.$$eval(S('.nc-ops tr'), (rows) => rows.length);
  assert(ops > 0, 'the preview lists no operation');
  const heading = await page.textContent(S('[data-testid="new-connector-preview"] h3'));
  if (shot) await shoot(page, shot);
  rmSync(dir, { recursive: true, force: true });
  await page.fill(S('input[aria-label="Save in folder"]'), dir);
  await page.click(S('button:has-text("Save connector")'));
  // Saved: the flow closes and the connector opens on the Connectors screen.
  await page.waitForSelector(S('[data-testid="new-connector"]'), { state: 'detached', timeout: 20000 });
  await page.waitForSelector(S('[data-testid="connector-detail"]'));
  const defFile = await page.textContent(S('[data-testid="connector-detail"] .mono.small.muted'));
  assert(defFile.startsWith(dir), `opened ${defFile}, want the saved ${dir}`);
  const errors = await page.textContent(S('[data-testid="connector-detail"] .counts .badge:has-text("errors")'));
  assert(errors.trim() === '0 errors', `the saved connector has ${errors}`);
  validateClean(dir);
  ids.heading = heading;
  return ids;
}

export const createTests = [
  [
    'New connector from a corpus connector exported to OpenAPI 3, and from the OpenAPI 3.1 losses fixture: findings with IDs and locations before saving',
    async ({ page }) => {
      mkdirSync(work, { recursive: true });
      const src = join(corpusRoot, 'independent-publisher-connectors', 'EmojiHub');
      assert(existsSync(src), `corpus connector ${src} not found (set CONNECTORLAB_CORPUS)`);
      const oa3 = join(work, 'emojihub.openapi3.json');
      connectorlab('export', src, '--to', 'openapi3', '--output', oa3);
      assert(readFileSync(oa3, 'utf8').includes('"openapi": "3'), 'the export is not OpenAPI 3');
      await createFrom(page, { file: oa3, dir: join(work, 'emojihub') });
      await page.waitForSelector(S('[data-testid="connector-detail"] h2:has-text("EmojiHub")'));
      // The 3.1 fixture shows the losses; checked and shot before saving.
      const ids = await createFrom(page, { file: join(repo, 'authoring/testdata/losses.openapi3.json'), auth: 'apikey', dir: join(work, 'losses'), shot: 'new-connector' });
      for (const id of ['create-oneof-approximated', 'create-cookie-parameter', 'create-callback-dropped']) assert(ids.includes(id), `preview findings ${ids} lack ${id}`);
    },
  ],
  [
    'New connector from a Postman v2 collection and from a Mockoon environment',
    async ({ page }) => {
      await createFrom(page, { file: join(repo, 'workflow/create/testdata/orders.postman_v2.json'), dir: join(work, 'postman') });
      const ids = await createFrom(page, { file: join(repo, 'workflow/create/testdata/mockoon-environment.json'), dir: join(work, 'mockoon') });
      assert(ids.includes('create-mockoon-rules') && ids.includes('create-mockoon-templating'), `Mockoon import findings: ${ids}`);
      await page.waitForSelector(S('[data-testid="connector-detail"] h2:has-text("Contoso Shop mock")'));
    },
  ],
  [
    'New connector learnt from a recorded session',
    async ({ page }) => {
      const ids = await createFrom(page, { session: 'e2e-golden', dir: join(work, 'learnt') });
      assert(ids.heading.includes('from session'), `preview heading: ${ids.heading}`);
      const ops = await page.$$eval(S('[data-testid="connector-detail"] .op'), (els) => els.length);
      assert(ops > 0, 'the learnt connector has no operation');
    },
  ],
  [
    'Connectors screen: edit an operation with a live preview; saved with a small diff; findings refresh',
    async ({ page }) => {
      const dir = join(work, 'edit');
      rmSync(dir, { recursive: true, force: true });
      cpSync(sample, dir, { recursive: true });
      const def = join(dir, 'apiDefinition.swagger.json');
      const before = readFileSync(def, 'utf8');
      await gotoConnectors(page);
      await page.fill('input[aria-label="Connector path"]', dir);
      await page.click(S('form button[type="submit"]'));
      await page.waitForSelector(S(`[data-testid="connector-detail"] .mono.small.muted:has-text("${def}")`));
      const findingsBefore = Number(/\((\d+)\)/.exec(await page.textContent(S('[role="tab"]:has-text("Validation")')))[1]);
      await page.click(S('[data-operation="GetOrder"]'));
      await page.waitForSelector(S('[data-testid="operation-editor"]'));
      await page.fill(S('input[aria-label="Operation summary"]'), 'Get one order');
      await page.fill(S('textarea[aria-label="Operation description"]'), '');
      await page.selectOption(S('select[aria-label="Operation visibility"]'), 'advanced');
      assert((await page.textContent(S('[data-testid="preview-name"]'))) === 'Get one order', 'live preview name');
      assert((await page.textContent(S('[data-testid="preview-placement"]'))).includes('See more'), 'live preview placement');
      await shoot(page, 'connectors-edit');
      await page.click(S('button:has-text("Save to apiDefinition.swagger.json")'));
      await page.waitForSelector(S('[data-operation="GetOrder"] .op-summary:has-text("Get one order")'));
      await page.waitForSelector(S('[data-operation="GetOrder"] .badge.vis-advanced'));
      const after = readFileSync(def, 'utf8');
      // Lines only one side has (a multiset diff): the edited members.
      const count = new Map();
      for (const l of before.split('\n')) count.set(l, (count.get(l) || 0) + 1);
      for (const l of after.split('\n')) count.set(l, (count.get(l) || 0) - 1);
      const changed = [...count.values()].reduce((n, c) => n + Math.abs(c), 0);
      assert(changed <= 6, `the edit changed ${changed} lines; want the summary, description and visibility lines only`);
      assert(after.includes('"summary": "Get one order"'), 'summary not written');
      const findingsAfter = Number(/\((\d+)\)/.exec(await page.textContent(S('[role="tab"]:has-text("Validation")')))[1]);
      assert(findingsAfter > findingsBefore, `validation findings did not refresh after removing a description: ${findingsBefore} → ${findingsAfter}`);
    },
  ],
  [
    'Export as Mockoon from the Connectors screen, and the environment imports back through New connector',
    async ({ page }) => {
      const out = join(work, 'contoso.mockoon.json');
      rmSync(out, { force: true });
      // The connector opened by the edit case gets a rule in its overrides
      // sidecar: the export carries it as a Mockoon response rule.
      mkdirSync(join(work, 'edit', '.connectorlab'), { recursive: true });
      writeFileSync(join(work, 'edit', '.connectorlab', 'overrides.json'), JSON.stringify({ version: 1, operations: { GetOrder: { rules: [{ name: 'Tenant t1', when: { header: { 'X-Tenant': 't1' } }, then: { status: 404, body: { error: 'no such order' } } }] } } }));
      await gotoConnectors(page);
      await page.click(S('button:has-text("Export as Mockoon…")'));
      await page.fill(S('input[aria-label="Mockoon file"]'), out);
      await page.click(S('[data-testid="mockoon-export"] button:has-text("Export")'));
      await page.waitForSelector(S('[data-testid="mockoon-export-result"]'));
      const env = JSON.parse(readFileSync(out, 'utf8'));
      assert(env.lastMigration >= 32 && env.routes.length > 5, `not a Mockoon environment: ${Object.keys(env)}`);
      const rule = env.routes.flatMap((r) => r.responses).find((r) => r.label === 'Tenant t1');
      assert(rule && rule.statusCode === 404 && rule.rules[0].modifier === 'X-Tenant', `the overrides rule is not a Mockoon rule: ${JSON.stringify(rule)}`);
      const ids = await page.$$eval(S('[data-testid="mockoon-export-findings"] [data-finding]'), (rows) => rows.map((r) => r.getAttribute('data-finding')));
      assert(ids.includes('export-mockoon-operation-id') && ids.includes('export-mockoon-auth'), `export findings: ${ids}`);
      await shoot(page, 'connectors-mockoon-export');
      await createFrom(page, { file: out, dir: join(work, 'from-mockoon') });
      const ops = await page.$$eval(S('[data-testid="connector-detail"] .op'), (els) => els.length);
      assert(ops === env.routes.length, `${ops} operations back from ${env.routes.length} routes`);
    },
  ],
];
