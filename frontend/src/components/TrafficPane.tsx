import { useCallback, useState } from 'react';
import { backend, type ExchangeView, type OperationView, type TrafficRow } from '../api';
import type { TrafficWindow } from '../lib/useTrafficWindow';
import { curlCommand, replayRequest } from '../lib/traffic';
import { ExchangeDetail } from './ExchangeDetail';
import { TrafficList } from './TrafficList';

// Replayer says which connector (its path and operations) answers a row
// again, or null when none does.
export type Replayer = (row: TrafficRow) => { path: string; ops: OperationView[] } | null;

// TrafficPane is the traffic list with the detail of the selected exchange
// beside it (wide panes) or under it, and the detail's actions.
export function TrafficPane({
  traffic,
  onClear,
  onError,
  onNotify,
  replayer,
  streams,
  layout = 'side',
  height,
  empty,
}: {
  traffic: TrafficWindow;
  onClear?: () => void;
  onError: (e: unknown) => void;
  onNotify: (msg: string) => void;
  replayer?: Replayer;
  streams?: Record<string, string>;
  layout?: 'side' | 'below';
  height?: number;
  empty?: string;
}) {
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState<ExchangeView | null>(null);
  const select = useCallback(
    (seq: number) => {
      setSelected(seq);
      backend().trafficDetail(seq).then(setDetail).catch(onError);
    },
    [onError],
  );
  const copyCurl = (x: ExchangeView) =>
    void backend()
      .clipboard(curlCommand(x))
      .then(() => onNotify('Copied the request as a curl command'))
      .catch(onError);
  const target = detail && replayer ? replayer(detail.row) : null;
  const replay = target
    ? (x: ExchangeView) => {
        const req = replayRequest(x, target.path, target.ops);
        if (!req) {
          onError({ message: 'this exchange cannot be replayed: it matched no operation of the connector', fix: 'replay an exchange whose operation column names an operation' });
          return;
        }
        backend()
          .mockTry(req)
          .then((r) => onNotify(`Replayed: ${r.method} answered ${r.status} in ${r.millis} ms`))
          .catch(onError);
      }
    : undefined;
  const saveCase = (x: ExchangeView, session: string) =>
    backend()
      .saveTestCase(x.row.seq, session)
      .then((r) =>
        onNotify(
          `Saved as a test case in session “${r.session.name}”${r.created ? ' (new)' : ''}, ${r.session.exchanges} case${r.session.exchanges === 1 ? '' : 's'}: run it on the Contract screen or with connectorlab test --recordings`,
        ),
      )
      .catch(onError);
  return (
    <div className={`traffic-pane ${layout}` + (detail ? ' with-detail' : '')}>
      <TrafficList traffic={traffic} selected={selected} onSelect={select} onClear={onClear} streams={streams} height={height} empty={empty} />
      {detail && (
        <div className="detail-pane">
          <ExchangeDetail x={detail} onCopyCurl={copyCurl} onReplay={replay} onSaveCase={saveCase} />
        </div>
      )}
    </div>
  );
}
