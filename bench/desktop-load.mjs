// Sends N GET requests (32 in flight) to the mocked connector at BASE, to
// the first GET operations of DEFINITION that need no parameter. Used by
// bench/desktop.sh to put 10,000 exchanges into the app's traffic list.
import { readFileSync } from 'node:fs';

const [base, definition, nArg, authHeader] = process.argv.slice(2);
const n = Number(nArg || 10000);
const doc = JSON.parse(readFileSync(definition, 'utf8'));
const paths = [];
for (const [p, item] of Object.entries(doc.paths || {})) {
  const get = item && item.get;
  if (!get || p.includes('{')) continue;
  const required = [...(item.parameters || []), ...(get.parameters || [])].some((x) => x && x.required);
  if (!required) paths.push(p);
}
if (paths.length === 0) paths.push('/');
const headers = authHeader ? { Authorization: authHeader } : {};
let next = 0;
let failed = 0;
const statuses = {};
const t0 = Date.now();
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < n) {
      const i = next++;
      try {
        const r = await fetch(base + paths[i % paths.length], { headers });
        await r.arrayBuffer();
        statuses[r.status] = (statuses[r.status] || 0) + 1;
      } catch {
        failed++;
      }
    }
  }),
);
console.log(JSON.stringify({ sent: n, failed, ms: Date.now() - t0, statuses, paths: paths.length }));
