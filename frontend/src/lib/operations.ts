import type { OperationGroup } from '../api';

// filterGroups keeps the operations whose id, summary or path contain q
// (case-insensitive), dropping groups left empty.
export function filterGroups(groups: OperationGroup[], q: string): OperationGroup[] {
  const needle = q.trim().toLowerCase();
  if (!needle) return groups;
  return groups
    .map((g) => ({
      ...g,
      operations: g.operations.filter((o) =>
        [o.id, o.summary ?? '', o.path, o.method].some((s) => s.toLowerCase().includes(needle)),
      ),
    }))
    .filter((g) => g.operations.length > 0) as OperationGroup[];
}

// OPS_PAGE is how many operations a list renders at first and adds each
// time its end scrolls into view. Every rendered operation costs the
// webview its DOM, styles and React state (about 30 kB each in WebKitGTK:
// HubSpot CRM V2's 188 operations, in the two lists that show them, were
// ~10 MB of the web process; docs/PERFORMANCE.md), and a screen shows
// fewer than 20 at once.
export const OPS_PAGE = 40;

// limitGroups keeps the first limit operations across groups, in order,
// dropping groups left empty; hidden is how many were left out. Groups keep
// their full operation count in total so headers can show it.
export function limitGroups(groups: OperationGroup[], limit: number): { groups: (OperationGroup & { total: number })[]; hidden: number } {
  let left = limit;
  let hidden = 0;
  const out: (OperationGroup & { total: number })[] = [];
  for (const g of groups) {
    const n = g.operations.length;
    const keep = Math.max(0, Math.min(left, n));
    left -= keep;
    hidden += n - keep;
    if (keep > 0) out.push({ ...g, operations: keep === n ? g.operations : g.operations.slice(0, keep), total: n } as OperationGroup & { total: number });
  }
  return { groups: out, hidden };
}
