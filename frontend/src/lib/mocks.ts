import type { MockStatus } from '../api';

// upsertMock applies one mock:state event (or a listed mock) to the
// sidebar's list: a mock is keyed by its id; one that stopped stays, marked
// stopped (or failed, with its error), so it can be started again.
export function upsertMock(list: MockStatus[], st: MockStatus): MockStatus[] {
  if (!st.id) return list;
  const i = list.findIndex((m) => m.id === st.id);
  if (i < 0) return st.running || st.error ? [...list, st] : list;
  const next = list.slice();
  next[i] = Object.assign({}, list[i], st, { name: st.name || list[i].name, path: st.path || list[i].path });
  return next;
}

export function mockLabel(m: MockStatus): string {
  return `${m.name || m.path} :${m.port ?? '?'}`;
}

// streamLabels names each mock's traffic stream for the traffic filter.
export function streamLabels(mocks: MockStatus[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of mocks) if (m.stream) out[m.stream] = `${mockLabel(m)}${m.running ? '' : ' (stopped)'}`;
  return out;
}
