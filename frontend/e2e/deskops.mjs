// e2e cases of the Mock screen's custom-code panel, operations rules,
// answer sequences and schema-checked bodies, the CORS setting, and the
// Traffic screen's "save as test case" replayed by the Contract screen.
// run.mjs imports them.
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, repo } from './harness.mjs';
import { shoot } from './shots.mjs';

const sample = join(repo, 'examples/contoso-orders');
const htmlToText = join(repo, '..', 'shared', 'corpus', 'connectors', 'custom-connectors', 'HtmlToText');
const S = (sel) => `.screen-host:not([hidden]) ${sel}`;

async function openConnector(page, path) {
  await page.click('nav [data-screen="connectors"]');
  await page.waitForSelector('[data-testid="screen-connectors"]');
  await page.fill('input[aria-label="Connector path"]', path);
  await page.click('[data-testid="screen-connectors"] form button[type="submit"]');
  await page.waitForSelector(`.open-list button[title="${path}"].active`);
}

async function backToSample(page) {
  await page.click(`.open-list button[title="${sample}"]`).catch(() => undefined);
  await page.waitForSelector(`.open-list button[title="${sample}"].active`, { timeout: 5000 }).catch(() => undefined);
}

// setEditor replaces a CodeMirror editor's text as a user would: select
// all, then type (insertText, one input event; brackets are not doubled).
async function setEditor(page, label, text) {
  const ed = S(`.cm-content[aria-label="${label}"]`);
  await page.click(ed);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function startMock(page, { auth = false } = {}) {
  await page.keyboard.press('Control+2');
  await page.waitForSelector('[data-testid="screen-mock"]');
  if (!auth) await page.uncheck(S('label:has-text("enforce auth") input'));
  await page.click(S('button:has-text("Start mock")'));
  return (await (await page.waitForSelector(S('[data-testid="mock-url"]'))).textContent()).trim();
}

async function stopMock(page) {
  if (await page.isVisible(S('.mock-controls button.danger:has-text("Stop")'))) {
    await page.click(S('.mock-controls button.danger:has-text("Stop")'));
    await page.waitForSelector(S('button:has-text("Start mock")'));
  }
}

// scrollCard brings el to the top of its Mock-screen card, scrolling only
// the card (the screen keeps its header in the shot).
const scrollCard = (el) => {
  const card = el.closest('.mock-try');
  card.scrollTop += el.getBoundingClientRect().top - card.getBoundingClientRect().top - 8;
};

export const deskopsCases = [
  [
    'custom-code panel: a real corpus script is edited, a broken save lists script.csx:line:col, a good save runs in the mock, Run once shows before/after and the log',
    async ({ page }) => {
      const dir = mkdtempSync(join(tmpdir(), 'cl-e2e-code-'));
      for (const f of ['apiDefinition.swagger.json', 'apiProperties.json', 'script.csx']) copyFileSync(join(htmlToText, f), join(dir, f));
      const original = readFileSync(join(dir, 'script.csx'), 'utf8').replace(/^\uFEFF/, '');
      try {
        await openConnector(page, dir);
        const url = await startMock(page);
        await page.click(S('[role="tab"]:has-text("Custom code")'));
        await page.waitForSelector(S('[data-testid="compile-state"]:has-text("compiles")'), { timeout: 60000 });
        // A broken edit: saved, listed at script.csx:line:col, the mock keeps the last good script.
        await setEditor(page, 'script.csx', original.replace('string outText;', 'string outText = ;'));
        await page.keyboard.press('Control+S');
        const problems = await (await page.waitForSelector(S('[data-testid="compile-problems"]'), { timeout: 60000 })).textContent();
        assert(/script\.csx:\d+:\d+/.test(problems) && problems.includes('error'), `compile problems: ${problems}`);
        await page.waitForSelector(S('.cm-lint-marker-error'), { state: 'attached' });
        const still = await fetch(`${url}/HtmlToText`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ html: '<p>a</p><p>b</p>' }) });
        assert(still.status === 200 && (await still.text()) === 'a\nb', 'the last good script stopped serving after a broken save');
        // A good edit recompiles and is what the running mock answers with.
        const edited = original.replace(
          'return await this.HandleHtmlToTextOperation().ConfigureAwait(false);',
          'this.Context.Logger.LogInformation("edited in the e2e panel"); var r = await this.HandleHtmlToTextOperation().ConfigureAwait(false); r.Headers.Add("X-Edited", "e2e"); return r;',
        );
        await setEditor(page, 'script.csx', edited);
        await page.click(S('button:has-text("Save & compile")'));
        await page.waitForSelector('.toast:has-text("running mock runs it now")', { timeout: 60000 });
        assert(readFileSync(join(dir, 'script.csx'), 'utf8') === edited, 'script.csx on disk is not the saved text');
        const res = await fetch(`${url}/HtmlToText`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ html: '<p>x</p>' }) });
        assert(res.headers.get('x-edited') === 'e2e', `the running mock does not answer with the edited script (X-Edited ${res.headers.get('x-edited')})`);
        // Run once: the `script test` loop.
        await page.click(S('details:has-text("Request (optional")> summary'));
        await setEditor(page, 'Request document', '{"body": {"html": "<p>one</p><div>two</div>"}}');
        await page.click(S('button:has-text("Run once")'));
        const run = await (await page.waitForSelector(S('[data-testid="script-run"]'), { timeout: 60000 })).textContent();
        assert(run.includes('Request before the code') && run.includes('<p>one</p>') && run.includes('HTTP 200'), `run: ${run.slice(0, 400)}`);
        const logs = await page.textContent(S('[data-testid="script-logs"]'));
        assert(logs.includes('edited in the e2e panel'), `logs: ${logs}`);
        await page.$eval(S('[data-testid="script-run"]'), scrollCard);
        await shoot(page, 'mock-code');
        await stopMock(page);
      } finally {
        await backToSample(page);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  ],
  [
    'operations panel: a rule on a path parameter changes the live answer; a custom body is checked against the response schema with JSON pointers',
    async ({ page }) =>
      onOperationsTab(page, 'cl-e2e-rules-', async (copy, url) => {
        const rules = S('[data-rules="GetOrder"]');
        await page.click(`${rules} > summary`);
        await page.click(S('button:has-text("Add a rule to GetOrder")'));
        await page.selectOption(S('select[aria-label="Where condition 1 of rule 1 of GetOrder looks"]'), 'path');
        await page.fill(S('input[aria-label="Value of condition 1 of rule 1 of GetOrder"]'), 'o-rule');
        await page.selectOption(S('select[aria-label="Answer of rule 1 of GetOrder"]'), 'status:404');
        await page.fill(S('input[aria-label="Name of rule 1 of GetOrder"]'), 'missing order');
        // The operation's own answer: a custom body that breaks the schema.
        await page.selectOption(S('select[aria-label="Answer of GetOrder"]'), 'custom');
        await setEditor(page, 'Custom body of GetOrder', '{"id": "from-the-panel", "status": "lost"}');
        const problems = await (await page.waitForSelector(S('[aria-label="Schema problems of GetOrder"]'))).textContent();
        assert(problems.includes('/status'), `schema problems: ${problems}`);
        await page.waitForSelector(S('.cm-lint-marker-warning'), { state: 'attached' });
        await page.click(S('[data-testid="operations-panel"] button:has-text("Save")'));
        await page.waitForSelector('.toast:has-text("Saved 1 override")');
        const file = JSON.parse(readFileSync(join(copy, '.connectorlab', 'overrides.json'), 'utf8'));
        assert(file.operations.GetOrder.rules[0].when.path.orderId === 'o-rule', JSON.stringify(file));
        assert((await fetch(`${url}/orders/o-rule`)).status === 404, 'the rule did not change the live answer');
        const other = await (await fetch(`${url}/orders/o-1`)).json();
        assert(other.id === 'from-the-panel', `GetOrder o-1 answered ${JSON.stringify(other)}`);
        await page.$eval(S('[data-rules="GetOrder"]'), scrollCard);
        await shoot(page, 'mock-rules');
      }),
  ],
  [
    'operations panel: a sequence of two answers is edited (keyboard included), saved, and the running mock answers A, then B, then A over HTTP',
    async ({ page }) =>
      onOperationsTab(page, 'cl-e2e-seq-', async (copy, url) => {
        const seq = S('[data-sequence="GetOrder"]');
        // Open the editor and add both answers from the keyboard.
        await page.focus(`${seq} > summary`);
        await page.keyboard.press('Enter');
        const add = S('button:has-text("Add an answer to GetOrder")');
        await page.focus(add);
        await page.keyboard.press('Enter');
        await page.keyboard.press('Enter');
        assert((await page.$$(`${seq} [data-answer]`)).length === 2, 'two answers were not added');
        for (const [i, id] of [[1, 'A'], [2, 'B']]) {
          await page.selectOption(S(`select[aria-label="Answer of answer ${i} of GetOrder"]`), 'custom');
          await setEditor(page, `Body of answer ${i} of GetOrder`, `{"id": "${id}"}`);
        }
        await page.focus(S('select[aria-label="Order of the answers of GetOrder"]'));
        assert((await page.inputValue(S('select[aria-label="Order of the answers of GetOrder"]'))) === 'sequential', 'a new sequence is not in turn');
        await page.click(S('[data-testid="operations-panel"] button:has-text("Save")'));
        await page.waitForSelector('.toast:has-text("Saved 1 override")');
        const file = JSON.parse(readFileSync(join(copy, '.connectorlab', 'overrides.json'), 'utf8'));
        const got = file.operations.GetOrder;
        assert(got.mode === 'sequential' && got.responses.length === 2 && got.responses[1].body.id === 'B', JSON.stringify(file));
        const ids = [];
        for (let i = 0; i < 3; i++) {
          const r = await fetch(`${url}/orders/o-1`);
          ids.push(`${r.status} ${(await r.json()).id}`);
        }
        assert(ids.join(',') === '200 A,200 B,200 A', `the running mock answered ${ids.join(', ')}`);
        await page.waitForSelector(S('.badge:has-text("2 answers in turn")'));
        await page.$eval(seq, scrollCard);
        await shoot(page, 'mock-sequence');
      }),
  ],
  [
    'CORS setting: off by default; an origin given on the Mock screen may write, others may not',
    async ({ page }) => {
      const copy = mkdtempSync(join(tmpdir(), 'cl-e2e-cors-'));
      for (const f of ['apiDefinition.swagger.json', 'apiProperties.json']) copyFileSync(join(sample, f), join(copy, f));
      try {
        await openConnector(page, copy);
        await page.keyboard.press('Control+2');
        await page.waitForSelector('[data-testid="screen-mock"]');
        await page.click(S('[data-testid="cors"] > summary'));
        const off = await page.textContent(S('[data-testid="cors"] summary'));
        assert(off.includes('pages on this machine only'), off);
        await page.check(S('input[aria-label="Let another web origin write"]'));
        await page.fill(S('input[aria-label="CORS origin"]'), 'https://app.example.com');
        const url = await startMock(page);
        const post = (origin) =>
          fetch(`${url}/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: origin }, body: JSON.stringify({ customerId: '3fa85f64-5717-4562-b3fc-2c963f66afa6', lines: [{ sku: 's', quantity: 1, unitPrice: 2 }] }) });
        const ok = await post('https://app.example.com');
        assert(ok.status !== 403 && ok.headers.get('access-control-allow-origin') === 'https://app.example.com', `granted origin: ${ok.status} ${ok.headers.get('access-control-allow-origin')}`);
        assert((await post('https://elsewhere.example.com')).status === 403, 'another origin could write');
        await stopMock(page);
      } finally {
        await backToSample(page);
        rmSync(copy, { recursive: true, force: true });
      }
    },
  ],
  [
    'traffic: save an exchange as a test case, then the Contract screen runs that session',
    async ({ page }) => {
      const copy = mkdtempSync(join(tmpdir(), 'cl-e2e-case-'));
      for (const f of ['apiDefinition.swagger.json', 'apiProperties.json']) copyFileSync(join(sample, f), join(copy, f));
      try {
        await openConnector(page, copy);
        const url = await startMock(page);
        const r = await fetch(`${url}/orders/o-case-1`);
        assert(r.status === 200, `GET ${r.status}`);
        await page.keyboard.press('Control+3');
        await page.waitForSelector('[data-testid="screen-traffic"]');
        if (await page.isVisible(S('button:has-text("Show all")'))) await page.click(S('button:has-text("Show all")'));
        await page.fill(S('input[aria-label="Filter traffic"]'), '/orders/o-case-1');
        await page.click(S('.traffic-scroll [role="option"] >> nth=0'));
        await page.waitForSelector(S('[data-testid="exchange-detail"]:has-text("o-case-1")'));
        await page.click(S('button:has-text("Save as test case")'));
        await page.fill(S('input[aria-label="Test-case session"]'), 'e2e test cases');
        await page.click(S('[data-testid="exchange-detail"] form button[type="submit"]'));
        await page.waitForSelector('.toast:has-text("e2e test cases")');
        await page.fill(S('input[aria-label="Filter traffic"]'), '');
        // The Contract screen offers the session and replays it against the running mock.
        await page.keyboard.press('Control+6');
        await page.waitForSelector('[data-testid="screen-contract-tests"]');
        const value = await page.waitForFunction(() => [...(document.querySelector('.screen-host:not([hidden]) select[aria-label="Session"]')?.options ?? [])].find((o) => o.textContent.includes('e2e test cases'))?.value);
        await page.selectOption(S('select[aria-label="Session"]'), await value.jsonValue());
        await page.fill(S('input[aria-label="Target URL"]'), url);
        await page.click(S('button:has-text("Run contract test")'));
        // The sample's API key is asked for, as `test` asks for CONNECTORLAB_PARAM_API_KEY.
        await page.waitForSelector(`${S('[data-testid="contract-result"]')}, ${S('input[aria-label^="Connection parameter"]')}`, { timeout: 60000 });
        if (!(await page.isVisible(S('[data-testid="contract-result"]')))) {
          for (const input of await page.$$(S('input[aria-label^="Connection parameter"]'))) await input.fill('e2e-case-key');
          if (await page.isVisible('.error-banner')) await page.click('.error-banner button');
          await page.click(S('button:has-text("Run contract test")'));
        }
        await page.waitForSelector(S('[data-testid="contract-result"]'), { timeout: 60000 });
        await page.waitForSelector(S('[data-testid="contract-progress"]:has-text("done in")'), { timeout: 60000 });
        const total = await page.textContent(S('[data-testid="contract-result"] .row .small'));
        assert(/^1 case/.test(total), `contract result: ${total}`);
        const ops = await page.$$eval(S('.op-result'), (e) => e.map((x) => x.getAttribute('data-operation')));
        assert(ops.includes('GetOrder'), `operations: ${ops}`);
        await page.keyboard.press('Control+2');
        await stopMock(page);
      } finally {
        await backToSample(page);
        rmSync(copy, { recursive: true, force: true });
      }
    },
  ],
];

// onOperationsTab runs fn on a fresh copy of the sample connector (no
// sidecar file) with its mock started and the Operations tab open, then
// stops the mock and goes back to the sample.
async function onOperationsTab(page, prefix, fn) {
  const copy = mkdtempSync(join(tmpdir(), prefix));
  cpSync(sample, copy, { recursive: true });
  rmSync(join(copy, '.connectorlab'), { recursive: true, force: true });
  try {
    await openConnector(page, copy);
    const url = await startMock(page);
    await page.click(S('[role="tab"]:has-text("Operations")'));
    await fn(copy, url);
    await stopMock(page);
  } finally {
    await backToSample(page);
    rmSync(copy, { recursive: true, force: true });
  }
}
