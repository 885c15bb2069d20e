import type { ContractFinding } from '../api';

export interface FindingGroup {
  level: string;
  title: string;
  findings: ContractFinding[];
}

const titles: Record<string, string> = {
  error: 'Breaking changes',
  warning: 'May break',
  info: 'Compatible changes',
};

// groupByLevel orders findings error → warning → info, each group sorted
// by operation, and drops empty groups.
export function groupByLevel(fs: ContractFinding[], t = titles): FindingGroup[] {
  return ['error', 'warning', 'info']
    .map((level) => ({
      level,
      title: t[level] ?? level,
      findings: fs.filter((f) => f.level === level).sort((a, b) => (a.operation ?? '').localeCompare(b.operation ?? '')),
    }))
    .filter((g) => g.findings.length > 0);
}
