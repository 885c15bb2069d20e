// The only module that touches the generated Wails bindings. Components
// import from here, so tests can replace the backend with a fake (setBackend).
import * as ConnectorService from './wailsjs/go/app/ConnectorService';
import * as TrafficService from './wailsjs/go/app/TrafficService';
import * as SystemService from './wailsjs/go/app/SystemService';
import * as MockService from './wailsjs/go/app/MockService';
import * as DiffService from './wailsjs/go/app/DiffService';
import * as RecordService from './wailsjs/go/app/RecordService';
import * as ContractService from './wailsjs/go/app/ContractService';
import * as NewConnectorService from './wailsjs/go/app/NewConnectorService';
import { ClipboardSetText, EventsOn } from './wailsjs/runtime/runtime';
import { app, customcode, override, scripthost, traffic } from './wailsjs/go/models';
import { call } from './errors';
import { Events, type EventName } from './events';

export type ConnectorView = app.ConnectorView;
export type OperationView = app.OperationView;
export type OperationGroup = app.OperationGroup;
export type ParamView = app.ParamView;
export type FindingView = app.FindingView;
export type RecentEntry = app.RecentEntry;
export type TrafficRow = traffic.Row;
export type TrafficFilter = traffic.Filter;
export type TrafficPage = Omit<traffic.Page, 'convertValues'>;
// TrafficBatch is what a traffic:batch event carries (workflow/traffic
// Batch): counts and the streams that got rows, never the rows.
export interface TrafficBatch {
  new: number;
  total: number;
  latest: number;
  streams: string[];
}
export type ExchangeView = traffic.ExchangeView;
export type MessageView = traffic.MessageView;
export type Info = app.Info;
export type MockConfig = Omit<app.MockConfig, 'convertValues'>;
export type FaultConfig = app.FaultConfig;
export type MockStatus = app.MockStatus;
export type TryRequest = Omit<app.TryRequest, 'convertValues'>;
export type TryResult = app.TryResult;
export type LookupRequest = Omit<app.LookupRequest, 'convertValues'>;
export type LookupOption = app.LookupOption;
export type DynamicRefView = app.DynamicRefView;
export type HeaderView = traffic.HeaderView;
export type DiffView = app.DiffView;
export type ContractFinding = app.ContractFinding;
export type RecordConfig = Omit<app.RecordConfig, 'convertValues'>;
export type RecordStatus = app.RecordStatus;
export type SessionView = app.SessionView;
export type ImportResult = app.ImportResult;
export type ContractConfig = Omit<app.ContractConfig, 'convertValues'>;
export type ContractRunView = app.ContractRunView;
// Mirrors app.ContractProgress (an event payload, so Wails generates no model).
export interface ContractProgress {
  key: string;
  done: number;
  total: number;
  what?: string;
}
export type OperationResult = app.OperationResult;
export type CaseView = app.CaseView;
export type RunSummary = app.RunSummary;
export type TriggersView = app.TriggersView;
export type ConditionView = app.ConditionView;
export type RuleView = Omit<app.RuleView, 'convertValues' | 'when'> & { when: ConditionView[] };
export type AnswerView = app.AnswerView;
export type OperationOverride = Omit<app.OperationOverride, 'convertValues' | 'rules' | 'answers'> & { rules: RuleView[]; answers: AnswerView[] };
export type BodyProblem = override.BodyProblem;
// override.Outline without the generated class's methods and any-typed enum.
export type SchemaOutline = Omit<override.Outline, 'convertValues' | 'properties' | 'items' | 'enum'> & {
  properties?: Record<string, SchemaOutline>;
  items?: SchemaOutline;
  enum?: unknown[];
};
export type BodyCheck = Omit<app.BodyCheck, 'convertValues' | 'schema'> & { schema?: SchemaOutline };
export type Diagnostic = scripthost.Diagnostic;
export type CompileReport = Omit<customcode.CompileReport, 'convertValues'>;
export type ScriptView = Omit<app.ScriptView, 'convertValues' | 'compile'> & { compile: CompileReport };
export type ScriptRunRequest = app.ScriptRunRequest;
export type ScriptMessage = Omit<app.ScriptMessage, 'convertValues'>;
export type ScriptRunView = app.ScriptRunView;
export type SavedCaseView = app.SavedCaseView;
export type OverridesView = app.OverridesView;
export type FireView = app.FireView;
export type NewConnectorRequest = app.NewConnectorRequest;
export type NewConnectorPreview = Omit<app.NewConnectorPreview, 'convertValues'>;
export type NewConnectorFinding = app.NewConnectorFinding;
export type NewConnectorOperation = app.NewConnectorOperation;
export type OperationEditForm = app.OperationEditForm;
export type MockoonExportView = Omit<app.MockoonExportView, 'convertValues'>;

export { ApiError, toApiError } from './errors';
export { Events } from './events';
export type { EventName } from './events';

// EventPayloads is what each event carries (app/events.go documents the Go
// side). Subscribers get the payload type from the event name, never any.
export interface EventPayloads {
  [Events.TrafficBatch]: TrafficBatch;
  [Events.TrafficCleared]: string;
  [Events.MockState]: MockStatus;
  [Events.ContractProgress]: ContractProgress;
  [Events.ContractDone]: ContractRunView;
  [Events.RecordState]: RecordStatus;
  [Events.SessionsChanged]: SessionView;
  [Events.OpenPath]: string;
}

// Backend is everything the screens may ask of Go.
export interface Backend {
  info(): Promise<Info>;
  ready(navigationMs: number): Promise<void>;
  openConnector(path: string): Promise<ConnectorView>;
  recent(): Promise<RecentEntry[]>;
  forgetRecent(path: string): Promise<void>;
  chooseFolder(): Promise<string>;
  chooseFile(): Promise<string>;
  // trafficRows is a window of a list's rows, newest first (at most 1,000).
  trafficRows(filter: TrafficFilter, from: number, count: number): Promise<TrafficPage>;
  trafficDetail(seq: number): Promise<ExchangeView>;
  trafficClear(stream: string): Promise<void>;
  mockStart(cfg: MockConfig): Promise<MockStatus>;
  mockUpdate(cfg: MockConfig): Promise<MockStatus>;
  mockStop(path: string): Promise<MockStatus>;
  mockList(): Promise<MockStatus[]>;
  // Several mocks at once, by id (MockStatus.id); also of one connector.
  mockStartMock(cfg: MockConfig): Promise<MockStatus>;
  mockStopMock(id: string): Promise<MockStatus>;
  mockUpdateMock(id: string, cfg: MockConfig): Promise<MockStatus>;
  mockListMocks(): Promise<MockStatus[]>;
  // Per-operation overrides (.connectorlab/overrides.json beside the connector).
  overrides(path: string): Promise<OverridesView>;
  saveOverrides(path: string, rows: OperationOverride[]): Promise<OverridesView>;
  // checkBody checks a custom body against the operation's response schema.
  checkBody(path: string, operationId: string, status: number, body: string): Promise<BodyCheck>;
  // The custom-code panel: script.csx, save (recompile), run once.
  script(path: string): Promise<ScriptView>;
  saveScript(path: string, source: string): Promise<ScriptView>;
  runScript(req: ScriptRunRequest): Promise<ScriptRunView>;
  // saveTestCase saves a live exchange into the named recording session.
  saveTestCase(seq: number, session: string): Promise<SavedCaseView>;
  mockTry(req: TryRequest): Promise<TryResult>;
  mockLookup(req: LookupRequest): Promise<LookupOption[]>;
  triggers(path: string): Promise<TriggersView>;
  fire(path: string, operationId: string, count: number, payload: string): Promise<FireView>;
  resetTriggers(path: string): Promise<void>;
  diffCompare(oldPath: string, newPath: string): Promise<DiffView>;
  diffExport(format: string, path: string): Promise<string>;
  recordDatabase(): Promise<string>;
  recordUseDatabase(path: string): Promise<string>;
  recordStart(cfg: RecordConfig): Promise<RecordStatus>;
  recordStop(path: string): Promise<RecordStatus>;
  recordStatus(): Promise<RecordStatus[]>;
  sessions(connector: string): Promise<SessionView[]>;
  openSession(id: number): Promise<string>;
  deleteSession(id: number): Promise<void>;
  exportHAR(id: number, path: string): Promise<string>;
  // exportSession writes a session as 'har' or 'json' (a save dialog when path is '').
  exportSession(id: number, format: string, path: string): Promise<string>;
  renameSession(id: number, name: string): Promise<SessionView>;
  // importSession reads a HAR or JSON export (an open dialog when path is '').
  importSession(path: string, name: string, connector: string): Promise<ImportResult>;
  contractRun(cfg: ContractConfig): Promise<ContractRunView>;
  contractResult(key: string): Promise<ContractRunView>;
  contractCancel(key: string): Promise<void>;
  contractExport(key: string, format: string, path: string): Promise<string>;
  contractHistory(connector: string): Promise<RunSummary[]>;
  // New connector flow (NewConnectorService) and connector editing.
  newConnectorAuthKinds(): Promise<string[]>;
  newConnectorChooseSource(): Promise<string>;
  newConnectorPreview(req: NewConnectorRequest): Promise<NewConnectorPreview>;
  // newConnectorSave writes the last preview into dir (a folder dialog when dir is '').
  newConnectorSave(dir: string, overwrite: boolean): Promise<string>;
  editOperation(path: string, form: OperationEditForm): Promise<ConnectorView>;
  // exportMockoon writes a Mockoon environment (a save dialog when out is '').
  exportMockoon(path: string, out: string): Promise<MockoonExportView>;
  // clipboard puts text on the system clipboard ("copy as curl").
  clipboard(text: string): Promise<void>;
  on<E extends EventName>(event: E, fn: (data: EventPayloads[E]) => void): () => void;
}

const wails: Backend = {
  info: () => call(() => SystemService.Info()),
  ready: (ms) => call(() => SystemService.Ready(ms)),
  openConnector: (path) => call(() => ConnectorService.Open(path)),
  recent: () => call(() => ConnectorService.Recent()),
  forgetRecent: (path) => call(() => ConnectorService.ForgetRecent(path)),
  chooseFolder: () => call(() => ConnectorService.ChooseFolder()),
  chooseFile: () => call(() => ConnectorService.ChooseFile()),
  trafficRows: (filter, from, count) => call(() => TrafficService.Rows(filter, from, count)),
  trafficDetail: (seq) => call(() => TrafficService.Detail(seq)),
  trafficClear: (stream) => call(() => TrafficService.Clear(stream)),
  mockStart: (cfg) => call(() => MockService.Start(app.MockConfig.createFrom(cfg))),
  mockUpdate: (cfg) => call(() => MockService.Update(app.MockConfig.createFrom(cfg))),
  mockStop: (path) => call(() => MockService.Stop(path)),
  mockList: () => call(() => MockService.List()),
  mockStartMock: (cfg) => call(() => MockService.StartMock(app.MockConfig.createFrom(cfg))),
  mockStopMock: (id) => call(() => MockService.StopMock(id)),
  mockUpdateMock: (id, cfg) => call(() => MockService.UpdateMock(id, app.MockConfig.createFrom(cfg))),
  mockListMocks: () => call(() => MockService.ListMocks()),
  overrides: (p) => call(() => MockService.Overrides(p)),
  saveOverrides: (p, rows) => call(() => MockService.SaveOverrides(p, rows.map((r) => app.OperationOverride.createFrom(r)))),
  checkBody: (p, op, st, body) => call(() => MockService.CheckBody(p, op, st, body)),
  script: (p) => call(() => MockService.Script(p)),
  saveScript: (p, src) => call(() => MockService.SaveScript(p, src)),
  runScript: (req) => call(() => MockService.RunScript(app.ScriptRunRequest.createFrom(req))),
  saveTestCase: (seq, name) => call(() => RecordService.SaveTestCase(seq, name)),
  mockTry: (req) => call(() => MockService.Try(app.TryRequest.createFrom(req))),
  mockLookup: (req) => call(() => MockService.Lookup(app.LookupRequest.createFrom(req))),
  triggers: (p) => call(() => MockService.Triggers(p)),
  fire: (p, op, n, payload) => call(() => MockService.Fire(p, op, n, payload)),
  resetTriggers: (p) => call(() => MockService.ResetTriggers(p)),
  diffCompare: (o, n) => call(() => DiffService.Compare(o, n)),
  diffExport: (format, path) => call(() => DiffService.Export(format, path)),
  recordDatabase: () => call(() => RecordService.Database()),
  recordUseDatabase: (p) => call(() => RecordService.UseDatabase(p)),
  recordStart: (cfg) => call(() => RecordService.Start(app.RecordConfig.createFrom(cfg))),
  recordStop: (p) => call(() => RecordService.Stop(p)),
  recordStatus: () => call(() => RecordService.Status()),
  sessions: (c) => call(() => RecordService.Sessions(c)),
  openSession: (id) => call(() => RecordService.OpenSession(id)),
  deleteSession: (id) => call(() => RecordService.DeleteSession(id)),
  exportHAR: (id, p) => call(() => RecordService.ExportHAR(id, p)),
  exportSession: (id, f, p) => call(() => RecordService.ExportSession(id, f, p)),
  renameSession: (id, name) => call(() => RecordService.RenameSession(id, name)),
  importSession: (p, name, c) => call(() => RecordService.ImportSession(p, name, c)),
  contractRun: (cfg) => call(() => ContractService.Run(app.ContractConfig.createFrom(cfg))),
  contractResult: (k) => call(() => ContractService.Result(k)),
  contractCancel: (k) => call(() => ContractService.Cancel(k)),
  contractExport: (k, f, p) => call(() => ContractService.Export(k, f, p)),
  contractHistory: (c) => call(() => ContractService.History(c)),
  newConnectorAuthKinds: () => call(() => NewConnectorService.AuthKinds()),
  newConnectorChooseSource: () => call(() => NewConnectorService.ChooseSource()),
  newConnectorPreview: (req) => call(() => NewConnectorService.Preview(app.NewConnectorRequest.createFrom(req))),
  newConnectorSave: (dir, overwrite) => call(() => NewConnectorService.Save(dir, overwrite)),
  editOperation: (p, form) => call(() => ConnectorService.EditOperation(p, app.OperationEditForm.createFrom(form))),
  exportMockoon: (p, out) => call(() => ConnectorService.ExportMockoon(p, out)),
  clipboard: async (text) => {
    const ok = await ClipboardSetText(text).catch(() => false);
    if (!ok) await navigator.clipboard.writeText(text);
  },
  on: (event, fn) => EventsOn(event, fn as (data: unknown) => void),
};

let current: Backend = wails;

export function backend(): Backend {
  return current;
}

// setBackend swaps the backend (tests); returns the previous one.
export function setBackend(b: Backend): Backend {
  const prev = current;
  current = b;
  return prev;
}
