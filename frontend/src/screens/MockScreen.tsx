import type { ConnectorView } from '../api';
import { PendingScreen } from './PendingScreen';

export function MockScreen(_: { current: ConnectorView | null; onError: (e: unknown) => void }) {
  return <PendingScreen title="Mock" needs="the mock server (issue #3)" />;
}
