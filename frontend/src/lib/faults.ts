import type { FaultConfig } from '../api';

// faultSummary is the one line the collapsed Faults section shows.
export function faultSummary(f: FaultConfig): string {
  const parts: string[] = [];
  if (f.latencyMs || f.latencyMaxMs) parts.push(f.latencyMaxMs && f.latencyMaxMs > (f.latencyMs ?? 0) ? `latency ${f.latencyMs ?? 0}–${f.latencyMaxMs} ms` : `latency ${f.latencyMs} ms`);
  if (f.errorRate) parts.push(`${Math.round(f.errorRate * 100)}% errors (${f.errorStatus || 500})`);
  if (f.resetRate) parts.push(`${Math.round(f.resetRate * 100)}% resets`);
  if (f.throttle) parts.push(`429 after ${f.throttle} per ${f.windowSec || 60} s`);
  return parts.length ? parts.join(' · ') : 'none';
}
