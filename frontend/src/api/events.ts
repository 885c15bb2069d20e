// Event names: the contract with app/events.go. Change both together.
export const Events = {
  TrafficBatch: 'traffic:batch',
  TrafficCleared: 'traffic:cleared',
  MockState: 'mock:state',
  ContractProgress: 'contract:progress',
  ContractDone: 'contract:done',
  RecordState: 'record:state',
  SessionsChanged: 'sessions:changed',
  OpenPath: 'connector:open-path',
} as const;

export type EventName = (typeof Events)[keyof typeof Events];
