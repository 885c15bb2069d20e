import { useMemo } from 'react';
import { Activity } from 'lucide-react';
import type { ConnectorView, MockStatus, TrafficRow } from '../api';
import { TrafficPane, type Replayer } from '../components/TrafficPane';
import { allTraffic, useTrafficWindow } from '../lib/useTrafficWindow';
import { streamLabels } from '../lib/mocks';
import { EmptyState } from '../components/EmptyState';

// TrafficScreen is all traffic of every mock and recording in one view,
// filterable by mock, with the exchange detail beside the list.
export function TrafficScreen({
  open,
  mocks,
  onError,
  onNotify,
}: {
  open: ConnectorView[];
  mocks: MockStatus[];
  onError: (e: unknown) => void;
  onNotify: (msg: string) => void;
}) {
  const traffic = useTrafficWindow(allTraffic, onError);
  const streams = useMemo(() => {
    const labels = streamLabels(mocks);
    for (const s of traffic.streams) {
      if (!labels[s]) labels[s] = s.startsWith('session:') ? `recording session ${s.slice(8)}` : s;
    }
    return labels;
  }, [mocks, traffic.streams]);
  const replayer: Replayer = (row: TrafficRow) => {
    const m = mocks.find((x) => x.stream === row.stream) ?? mocks.find((x) => row.stream.startsWith(`mock:${x.path}`));
    const c = m && open.find((x) => x.path === m.path);
    if (!m || !c || !mocks.some((x) => x.path === m.path && x.running)) return null;
    return { path: c.path, ops: c.groups.flatMap((g) => g.operations) };
  };
  return (
    <section className="screen traffic-screen" data-testid="screen-traffic">
      <div className="screen-head">
        <h1>
          Traffic <span className="muted">· every mock and recording</span>
        </h1>
        <span className="muted small">
          {Object.keys(streams).length} {Object.keys(streams).length === 1 ? 'source' : 'sources'}
        </span>
      </div>
      {traffic.total === 0 && mocks.length === 0 ? (
        <EmptyState icon={<Activity size={28} aria-hidden />} title="No traffic yet">
          Start a mock on the Mock screen (Ctrl+2) or a recording on the Record screen (Ctrl+5); every exchange of every mock lands here, filterable by mock, status and operation.
        </EmptyState>
      ) : (
        <div className="card traffic-card fill">
          <TrafficPane traffic={traffic} onClear={() => void traffic.clear()} onError={onError} onNotify={onNotify} replayer={replayer} streams={streams} layout="side" />
        </div>
      )}
    </section>
  );
}
