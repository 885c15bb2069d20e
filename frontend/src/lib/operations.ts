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
