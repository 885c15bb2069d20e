export namespace app {
	
	export class AnswerView {
	    response: string;
	    status?: number;
	    body?: string;
	    headers?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new AnswerView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.response = source["response"];
	        this.status = source["status"];
	        this.body = source["body"];
	        this.headers = source["headers"];
	    }
	}
	export class BodyCheck {
	    problems: override.BodyProblem[];
	    schema?: override.Outline;
	
	    static createFrom(source: any = {}) {
	        return new BodyCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.problems = this.convertValues(source["problems"], override.BodyProblem);
	        this.schema = this.convertValues(source["schema"], override.Outline);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class BodyView {
	    contentType: string;
	    required?: boolean;
	    example: string;
	
	    static createFrom(source: any = {}) {
	        return new BodyView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.contentType = source["contentType"];
	        this.required = source["required"];
	        this.example = source["example"];
	    }
	}
	export class ContractFinding {
	    id: string;
	    level: string;
	    operation?: string;
	    method?: string;
	    path?: string;
	    where?: string;
	    field?: string;
	    message: string;
	    old?: string;
	    new?: string;
	    location?: string;
	    fix?: string;
	    count?: number;
	    customCode?: boolean;
	    exchange?: number;
	
	    static createFrom(source: any = {}) {
	        return new ContractFinding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.level = source["level"];
	        this.operation = source["operation"];
	        this.method = source["method"];
	        this.path = source["path"];
	        this.where = source["where"];
	        this.field = source["field"];
	        this.message = source["message"];
	        this.old = source["old"];
	        this.new = source["new"];
	        this.location = source["location"];
	        this.fix = source["fix"];
	        this.count = source["count"];
	        this.customCode = source["customCode"];
	        this.exchange = source["exchange"];
	    }
	}
	export class CaseView {
	    name: string;
	    operation?: string;
	    method?: string;
	    url?: string;
	    exchange?: number;
	    status?: number;
	    millis: number;
	    verdict: string;
	    skipped?: string;
	    error?: string;
	    findings: ContractFinding[];
	    recorded?: string;
	    replayed?: string;
	
	    static createFrom(source: any = {}) {
	        return new CaseView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.operation = source["operation"];
	        this.method = source["method"];
	        this.url = source["url"];
	        this.exchange = source["exchange"];
	        this.status = source["status"];
	        this.millis = source["millis"];
	        this.verdict = source["verdict"];
	        this.skipped = source["skipped"];
	        this.error = source["error"];
	        this.findings = this.convertValues(source["findings"], ContractFinding);
	        this.recorded = source["recorded"];
	        this.replayed = source["replayed"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConditionView {
	    in: string;
	    key: string;
	    value: string;
	
	    static createFrom(source: any = {}) {
	        return new ConditionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.in = source["in"];
	        this.key = source["key"];
	        this.value = source["value"];
	    }
	}
	export class FindingView {
	    id: string;
	    level: string;
	    file?: string;
	    line?: number;
	    col?: number;
	    pointer?: string;
	    location: string;
	    message: string;
	    fix?: string;
	
	    static createFrom(source: any = {}) {
	        return new FindingView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.level = source["level"];
	        this.file = source["file"];
	        this.line = source["line"];
	        this.col = source["col"];
	        this.pointer = source["pointer"];
	        this.location = source["location"];
	        this.message = source["message"];
	        this.fix = source["fix"];
	    }
	}
	export class ParamView {
	    name: string;
	    in: string;
	    label?: string;
	    description?: string;
	    required?: boolean;
	    type?: string;
	    format?: string;
	    enum?: any[];
	    default?: any;
	    visibility?: string;
	    dynamic?: DynamicRefView;
	
	    static createFrom(source: any = {}) {
	        return new ParamView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.in = source["in"];
	        this.label = source["label"];
	        this.description = source["description"];
	        this.required = source["required"];
	        this.type = source["type"];
	        this.format = source["format"];
	        this.enum = source["enum"];
	        this.default = source["default"];
	        this.visibility = source["visibility"];
	        this.dynamic = this.convertValues(source["dynamic"], DynamicRefView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DynamicRefView {
	    kind: string;
	    target: string;
	    operationId?: string;
	    parameters?: Record<string, string>;
	    valueCollection?: string;
	    valuePath?: string;
	    valueTitle?: string;
	
	    static createFrom(source: any = {}) {
	        return new DynamicRefView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.target = source["target"];
	        this.operationId = source["operationId"];
	        this.parameters = source["parameters"];
	        this.valueCollection = source["valueCollection"];
	        this.valuePath = source["valuePath"];
	        this.valueTitle = source["valueTitle"];
	    }
	}
	export class TriggerView {
	    kind: string;
	    cardinality?: string;
	    callback?: string;
	
	    static createFrom(source: any = {}) {
	        return new TriggerView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.cardinality = source["cardinality"];
	        this.callback = source["callback"];
	    }
	}
	export class OperationView {
	    id: string;
	    method: string;
	    path: string;
	    summary?: string;
	    description?: string;
	    visibility?: string;
	    deprecated?: boolean;
	    trigger?: TriggerView;
	    dynamic?: DynamicRefView[];
	    pageable?: boolean;
	    customCode?: boolean;
	    parameters: ParamView[];
	    body?: BodyView;
	    referencedBy?: string[];
	
	    static createFrom(source: any = {}) {
	        return new OperationView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.method = source["method"];
	        this.path = source["path"];
	        this.summary = source["summary"];
	        this.description = source["description"];
	        this.visibility = source["visibility"];
	        this.deprecated = source["deprecated"];
	        this.trigger = this.convertValues(source["trigger"], TriggerView);
	        this.dynamic = this.convertValues(source["dynamic"], DynamicRefView);
	        this.pageable = source["pageable"];
	        this.customCode = source["customCode"];
	        this.parameters = this.convertValues(source["parameters"], ParamView);
	        this.body = this.convertValues(source["body"], BodyView);
	        this.referencedBy = source["referencedBy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OperationGroup {
	    title: string;
	    operations: OperationView[];
	
	    static createFrom(source: any = {}) {
	        return new OperationGroup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.operations = this.convertValues(source["operations"], OperationView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ConnectorView {
	    path: string;
	    name: string;
	    format: string;
	    files: connector.Files;
	    host?: string;
	    basePath?: string;
	    schemes?: string[];
	    publisher?: string;
	    auth: connector.Auth;
	    policies: connector.Policy[];
	    customCode?: connector.CustomCode;
	    groups: OperationGroup[];
	    operations: number;
	    findings: FindingView[];
	    counts: Record<string, number>;
	    loadMillis: number;
	
	    static createFrom(source: any = {}) {
	        return new ConnectorView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.format = source["format"];
	        this.files = this.convertValues(source["files"], connector.Files);
	        this.host = source["host"];
	        this.basePath = source["basePath"];
	        this.schemes = source["schemes"];
	        this.publisher = source["publisher"];
	        this.auth = this.convertValues(source["auth"], connector.Auth);
	        this.policies = this.convertValues(source["policies"], connector.Policy);
	        this.customCode = this.convertValues(source["customCode"], connector.CustomCode);
	        this.groups = this.convertValues(source["groups"], OperationGroup);
	        this.operations = source["operations"];
	        this.findings = this.convertValues(source["findings"], FindingView);
	        this.counts = source["counts"];
	        this.loadMillis = source["loadMillis"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ContractConfig {
	    path: string;
	    sessionId: number;
	    generate?: boolean;
	    target: string;
	    authSet?: string;
	    params?: Record<string, string>;
	    concurrency?: number;
	    policies?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ContractConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.sessionId = source["sessionId"];
	        this.generate = source["generate"];
	        this.target = source["target"];
	        this.authSet = source["authSet"];
	        this.params = source["params"];
	        this.concurrency = source["concurrency"];
	        this.policies = source["policies"];
	    }
	}
	
	export class OperationResult {
	    operation: string;
	    verdict: string;
	    passed: number;
	    failed: number;
	    warnings: number;
	    errors: number;
	    skipped: number;
	    summarised: number;
	    cases: CaseView[];
	
	    static createFrom(source: any = {}) {
	        return new OperationResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.operation = source["operation"];
	        this.verdict = source["verdict"];
	        this.passed = source["passed"];
	        this.failed = source["failed"];
	        this.warnings = source["warnings"];
	        this.errors = source["errors"];
	        this.skipped = source["skipped"];
	        this.summarised = source["summarised"];
	        this.cases = this.convertValues(source["cases"], CaseView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ContractRunView {
	    key: string;
	    runId?: number;
	    connector: string;
	    target: string;
	    session?: string;
	    started: number;
	    millis: number;
	    running: boolean;
	    done: number;
	    total: number;
	    counts: Record<string, number>;
	    passed: boolean;
	    customCode?: boolean;
	    operations: OperationResult[];
	    findings: ContractFinding[];
	    noise?: string[];
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new ContractRunView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.runId = source["runId"];
	        this.connector = source["connector"];
	        this.target = source["target"];
	        this.session = source["session"];
	        this.started = source["started"];
	        this.millis = source["millis"];
	        this.running = source["running"];
	        this.done = source["done"];
	        this.total = source["total"];
	        this.counts = source["counts"];
	        this.passed = source["passed"];
	        this.customCode = source["customCode"];
	        this.operations = this.convertValues(source["operations"], OperationResult);
	        this.findings = this.convertValues(source["findings"], ContractFinding);
	        this.noise = source["noise"];
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CursorView {
	    operationId: string;
	    cursor: number;
	    next: number;
	    status: number;
	    items: number;
	    at: number;
	
	    static createFrom(source: any = {}) {
	        return new CursorView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.operationId = source["operationId"];
	        this.cursor = source["cursor"];
	        this.next = source["next"];
	        this.status = source["status"];
	        this.items = source["items"];
	        this.at = source["at"];
	    }
	}
	export class SideView {
	    path: string;
	    name: string;
	    operations: number;
	    format: string;
	
	    static createFrom(source: any = {}) {
	        return new SideView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.operations = source["operations"];
	        this.format = source["format"];
	    }
	}
	export class DiffView {
	    old: SideView;
	    new: SideView;
	    findings: ContractFinding[];
	    counts: Record<string, number>;
	    passed: boolean;
	    millis: number;
	
	    static createFrom(source: any = {}) {
	        return new DiffView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.old = this.convertValues(source["old"], SideView);
	        this.new = this.convertValues(source["new"], SideView);
	        this.findings = this.convertValues(source["findings"], ContractFinding);
	        this.counts = source["counts"];
	        this.passed = source["passed"];
	        this.millis = source["millis"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class FaultConfig {
	    latencyMs?: number;
	    latencyMaxMs?: number;
	    errorRate?: number;
	    errorStatus?: number;
	    resetRate?: number;
	    throttle?: number;
	    windowSec?: number;
	
	    static createFrom(source: any = {}) {
	        return new FaultConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.latencyMs = source["latencyMs"];
	        this.latencyMaxMs = source["latencyMaxMs"];
	        this.errorRate = source["errorRate"];
	        this.errorStatus = source["errorStatus"];
	        this.resetRate = source["resetRate"];
	        this.throttle = source["throttle"];
	        this.windowSec = source["windowSec"];
	    }
	}
	
	export class FireView {
	    deliveries: trigger.Delivery[];
	    items?: Record<string, number>;
	    idle?: string[];
	
	    static createFrom(source: any = {}) {
	        return new FireView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.deliveries = this.convertValues(source["deliveries"], trigger.Delivery);
	        this.items = source["items"];
	        this.idle = source["idle"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SessionView {
	    id: number;
	    name: string;
	    connector: string;
	    upstream?: string;
	    source?: string;
	    started: number;
	    ended?: number;
	    status: string;
	    problem?: string;
	    exchanges: number;
	    tags?: string[];
	
	    static createFrom(source: any = {}) {
	        return new SessionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.connector = source["connector"];
	        this.upstream = source["upstream"];
	        this.source = source["source"];
	        this.started = source["started"];
	        this.ended = source["ended"];
	        this.status = source["status"];
	        this.problem = source["problem"];
	        this.exchanges = source["exchanges"];
	        this.tags = source["tags"];
	    }
	}
	export class ImportResult {
	    session: SessionView;
	    exchanges: number;
	    skipped?: string[];
	
	    static createFrom(source: any = {}) {
	        return new ImportResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.session = this.convertValues(source["session"], SessionView);
	        this.exchanges = source["exchanges"];
	        this.skipped = source["skipped"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Info {
	    version: string;
	    openPath?: string;
	    startMock?: boolean;
	    mockPort?: number;
	    mockNoAuth?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.openPath = source["openPath"];
	        this.startMock = source["startMock"];
	        this.mockPort = source["mockPort"];
	        this.mockNoAuth = source["mockNoAuth"];
	    }
	}
	export class LookupOption {
	    value: string;
	    title: string;
	
	    static createFrom(source: any = {}) {
	        return new LookupOption(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.title = source["title"];
	    }
	}
	export class LookupRequest {
	    path: string;
	    ref: DynamicRefView;
	    values: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new LookupRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.ref = this.convertValues(source["ref"], DynamicRefView);
	        this.values = source["values"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MockConfig {
	    path: string;
	    port: number;
	    seed: number;
	    validate: boolean;
	    auth: boolean;
	    stateful: boolean;
	    scenario?: string;
	    faults: FaultConfig;
	    watch?: boolean;
	    replaySession?: number;
	    fallback?: boolean;
	    spy?: string;
	    spyParams?: Record<string, string>;
	    record?: boolean;
	    allowPrivateCallbacks?: boolean;
	    corsOrigin?: string;
	
	    static createFrom(source: any = {}) {
	        return new MockConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.port = source["port"];
	        this.seed = source["seed"];
	        this.validate = source["validate"];
	        this.auth = source["auth"];
	        this.stateful = source["stateful"];
	        this.scenario = source["scenario"];
	        this.faults = this.convertValues(source["faults"], FaultConfig);
	        this.watch = source["watch"];
	        this.replaySession = source["replaySession"];
	        this.fallback = source["fallback"];
	        this.spy = source["spy"];
	        this.spyParams = source["spyParams"];
	        this.record = source["record"];
	        this.allowPrivateCallbacks = source["allowPrivateCallbacks"];
	        this.corsOrigin = source["corsOrigin"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MockStatus {
	    id?: string;
	    path: string;
	    name: string;
	    running: boolean;
	    url?: string;
	    port?: number;
	    stream: string;
	    config: MockConfig;
	    error?: string;
	    started?: number;
	    replaying?: string;
	    replayExchanges?: number;
	    recordingSession?: number;
	    recordingSessionName?: string;
	    reloads?: number;
	    reloadError?: string;
	    operations?: number;
	    customCode?: boolean;
	    codeWarning?: string;
	
	    static createFrom(source: any = {}) {
	        return new MockStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.path = source["path"];
	        this.name = source["name"];
	        this.running = source["running"];
	        this.url = source["url"];
	        this.port = source["port"];
	        this.stream = source["stream"];
	        this.config = this.convertValues(source["config"], MockConfig);
	        this.error = source["error"];
	        this.started = source["started"];
	        this.replaying = source["replaying"];
	        this.replayExchanges = source["replayExchanges"];
	        this.recordingSession = source["recordingSession"];
	        this.recordingSessionName = source["recordingSessionName"];
	        this.reloads = source["reloads"];
	        this.reloadError = source["reloadError"];
	        this.operations = source["operations"];
	        this.customCode = source["customCode"];
	        this.codeWarning = source["codeWarning"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NewConnectorFinding {
	    id: string;
	    level: string;
	    location?: string;
	    message: string;
	    fix?: string;
	
	    static createFrom(source: any = {}) {
	        return new NewConnectorFinding(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.level = source["level"];
	        this.location = source["location"];
	        this.message = source["message"];
	        this.fix = source["fix"];
	    }
	}
	export class MockoonExportView {
	    file: string;
	    routes: number;
	    findings: NewConnectorFinding[];
	
	    static createFrom(source: any = {}) {
	        return new MockoonExportView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.routes = source["routes"];
	        this.findings = this.convertValues(source["findings"], NewConnectorFinding);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class NewConnectorOperation {
	    method: string;
	    path: string;
	    operationId: string;
	    summary: string;
	
	    static createFrom(source: any = {}) {
	        return new NewConnectorOperation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.method = source["method"];
	        this.path = source["path"];
	        this.operationId = source["operationId"];
	        this.summary = source["summary"];
	    }
	}
	export class NewConnectorPreview {
	    name: string;
	    source: string;
	    auth: string;
	    operations: NewConnectorOperation[];
	    findings: NewConnectorFinding[];
	    counts: Record<string, number>;
	    definition: string;
	
	    static createFrom(source: any = {}) {
	        return new NewConnectorPreview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.source = source["source"];
	        this.auth = source["auth"];
	        this.operations = this.convertValues(source["operations"], NewConnectorOperation);
	        this.findings = this.convertValues(source["findings"], NewConnectorFinding);
	        this.counts = source["counts"];
	        this.definition = source["definition"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NewConnectorRequest {
	    from: string;
	    session?: string;
	    name?: string;
	    auth?: string;
	    servicePrincipal?: boolean;
	    iconBrandColor?: string;
	
	    static createFrom(source: any = {}) {
	        return new NewConnectorRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.session = source["session"];
	        this.name = source["name"];
	        this.auth = source["auth"];
	        this.servicePrincipal = source["servicePrincipal"];
	        this.iconBrandColor = source["iconBrandColor"];
	    }
	}
	export class OperationEditForm {
	    operationId: string;
	    summary: string;
	    description: string;
	    visibility: string;
	
	    static createFrom(source: any = {}) {
	        return new OperationEditForm(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.operationId = source["operationId"];
	        this.summary = source["summary"];
	        this.description = source["description"];
	        this.visibility = source["visibility"];
	    }
	}
	
	export class RuleView {
	    name?: string;
	    when: ConditionView[];
	    response: string;
	    status?: number;
	    body?: string;
	    latencyMs?: number;
	
	    static createFrom(source: any = {}) {
	        return new RuleView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.when = this.convertValues(source["when"], ConditionView);
	        this.response = source["response"];
	        this.status = source["status"];
	        this.body = source["body"];
	        this.latencyMs = source["latencyMs"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class OperationOverride {
	    operationId: string;
	    disabled?: boolean;
	    response?: string;
	    status?: number;
	    body?: string;
	    latencyMs?: number;
	    errorRate?: number;
	    errorStatus?: number;
	    rules: RuleView[];
	    answers: AnswerView[];
	    mode?: string;
	    choices: string[];
	    pathParams: string[];
	
	    static createFrom(source: any = {}) {
	        return new OperationOverride(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.operationId = source["operationId"];
	        this.disabled = source["disabled"];
	        this.response = source["response"];
	        this.status = source["status"];
	        this.body = source["body"];
	        this.latencyMs = source["latencyMs"];
	        this.errorRate = source["errorRate"];
	        this.errorStatus = source["errorStatus"];
	        this.rules = this.convertValues(source["rules"], RuleView);
	        this.answers = this.convertValues(source["answers"], AnswerView);
	        this.mode = source["mode"];
	        this.choices = source["choices"];
	        this.pathParams = source["pathParams"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class OverridesView {
	    file: string;
	    operations: OperationOverride[];
	
	    static createFrom(source: any = {}) {
	        return new OverridesView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.operations = this.convertValues(source["operations"], OperationOverride);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class RecentEntry {
	    path: string;
	    name: string;
	    openedAt: number;
	    missing?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RecentEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.openedAt = source["openedAt"];
	        this.missing = source["missing"];
	    }
	}
	export class RecordConfig {
	    path: string;
	    upstream: string;
	    port: number;
	    session?: string;
	    authSet?: string;
	    params?: Record<string, string>;
	    bestEffort?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RecordConfig(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.upstream = source["upstream"];
	        this.port = source["port"];
	        this.session = source["session"];
	        this.authSet = source["authSet"];
	        this.params = source["params"];
	        this.bestEffort = source["bestEffort"];
	    }
	}
	export class RecordStatus {
	    path: string;
	    name: string;
	    running: boolean;
	    url?: string;
	    upstream: string;
	    sessionId: number;
	    sessionName: string;
	    stream: string;
	    database: string;
	    stats: recordings.ProxyStats;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new RecordStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.name = source["name"];
	        this.running = source["running"];
	        this.url = source["url"];
	        this.upstream = source["upstream"];
	        this.sessionId = source["sessionId"];
	        this.sessionName = source["sessionName"];
	        this.stream = source["stream"];
	        this.database = source["database"];
	        this.stats = this.convertValues(source["stats"], recordings.ProxyStats);
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class RunSummary {
	    id: number;
	    sessionId?: number;
	    connector: string;
	    target?: string;
	    started: number;
	    millis: number;
	    status: string;
	    total: number;
	    passed: number;
	    failed: number;
	    errors: number;
	    warnings: number;
	    skipped: number;
	
	    static createFrom(source: any = {}) {
	        return new RunSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.sessionId = source["sessionId"];
	        this.connector = source["connector"];
	        this.target = source["target"];
	        this.started = source["started"];
	        this.millis = source["millis"];
	        this.status = source["status"];
	        this.total = source["total"];
	        this.passed = source["passed"];
	        this.failed = source["failed"];
	        this.errors = source["errors"];
	        this.warnings = source["warnings"];
	        this.skipped = source["skipped"];
	    }
	}
	export class SavedCaseView {
	    session: SessionView;
	    created: boolean;
	
	    static createFrom(source: any = {}) {
	        return new SavedCaseView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.session = this.convertValues(source["session"], SessionView);
	        this.created = source["created"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ScriptLog {
	    level: string;
	    message: string;
	    atMs: number;
	
	    static createFrom(source: any = {}) {
	        return new ScriptLog(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.level = source["level"];
	        this.message = source["message"];
	        this.atMs = source["atMs"];
	    }
	}
	export class ScriptMessage {
	    method?: string;
	    url?: string;
	    status?: number;
	    headers: traffic.HeaderView[];
	    kind: string;
	    body: string;
	
	    static createFrom(source: any = {}) {
	        return new ScriptMessage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.method = source["method"];
	        this.url = source["url"];
	        this.status = source["status"];
	        this.headers = this.convertValues(source["headers"], traffic.HeaderView);
	        this.kind = source["kind"];
	        this.body = source["body"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ScriptRunRequest {
	    path: string;
	    operationId: string;
	    request?: string;
	    target?: string;
	
	    static createFrom(source: any = {}) {
	        return new ScriptRunRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.operationId = source["operationId"];
	        this.request = source["request"];
	        this.target = source["target"];
	    }
	}
	export class ScriptSend {
	    request: ScriptMessage;
	    response: ScriptMessage;
	    error?: string;
	    millis: number;
	
	    static createFrom(source: any = {}) {
	        return new ScriptSend(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.request = this.convertValues(source["request"], ScriptMessage);
	        this.response = this.convertValues(source["response"], ScriptMessage);
	        this.error = source["error"];
	        this.millis = source["millis"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ScriptRunView {
	    operation: string;
	    scriptOperation: boolean;
	    against: string;
	    before: ScriptMessage;
	    sends: ScriptSend[];
	    after: ScriptMessage;
	    logs: ScriptLog[];
	    error?: scripthost.ScriptError;
	    warnings: string[];
	    compileMs: number;
	    cached: boolean;
	    coldStartMs: number;
	    callMs: number;
	    isolation: string;
	
	    static createFrom(source: any = {}) {
	        return new ScriptRunView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.operation = source["operation"];
	        this.scriptOperation = source["scriptOperation"];
	        this.against = source["against"];
	        this.before = this.convertValues(source["before"], ScriptMessage);
	        this.sends = this.convertValues(source["sends"], ScriptSend);
	        this.after = this.convertValues(source["after"], ScriptMessage);
	        this.logs = this.convertValues(source["logs"], ScriptLog);
	        this.error = this.convertValues(source["error"], scripthost.ScriptError);
	        this.warnings = source["warnings"];
	        this.compileMs = source["compileMs"];
	        this.cached = source["cached"];
	        this.coldStartMs = source["coldStartMs"];
	        this.callMs = source["callMs"];
	        this.isolation = source["isolation"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class ScriptView {
	    file: string;
	    source: string;
	    operations: string[];
	    compile: customcode.CompileReport;
	    reloaded?: number;
	    reloadError?: string;
	
	    static createFrom(source: any = {}) {
	        return new ScriptView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.source = source["source"];
	        this.operations = source["operations"];
	        this.compile = this.convertValues(source["compile"], customcode.CompileReport);
	        this.reloaded = source["reloaded"];
	        this.reloadError = source["reloadError"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class SubscriptionView {
	    id: string;
	    operationId: string;
	    callbackUrl: string;
	    created: number;
	    deliveries: number;
	    failures: number;
	    lastStatus?: number;
	    lastError?: string;
	    warning?: string;
	
	    static createFrom(source: any = {}) {
	        return new SubscriptionView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.operationId = source["operationId"];
	        this.callbackUrl = source["callbackUrl"];
	        this.created = source["created"];
	        this.deliveries = source["deliveries"];
	        this.failures = source["failures"];
	        this.lastStatus = source["lastStatus"];
	        this.lastError = source["lastError"];
	        this.warning = source["warning"];
	    }
	}
	
	export class TriggersView {
	    triggers: trigger.TriggerInfo[];
	    subscriptions: SubscriptionView[];
	    cursors: CursorView[];
	
	    static createFrom(source: any = {}) {
	        return new TriggersView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.triggers = this.convertValues(source["triggers"], trigger.TriggerInfo);
	        this.subscriptions = this.convertValues(source["subscriptions"], SubscriptionView);
	        this.cursors = this.convertValues(source["cursors"], CursorView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TryRequest {
	    path: string;
	    operationId: string;
	    params: Record<string, string>;
	    body?: string;
	    contentType?: string;
	    prefer?: string;
	    noAuth?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TryRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.operationId = source["operationId"];
	        this.params = source["params"];
	        this.body = source["body"];
	        this.contentType = source["contentType"];
	        this.prefer = source["prefer"];
	        this.noAuth = source["noAuth"];
	    }
	}
	export class TryResult {
	    method: string;
	    url: string;
	    status: number;
	    millis: number;
	    response: traffic.MessageView;
	
	    static createFrom(source: any = {}) {
	        return new TryResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.method = source["method"];
	        this.url = source["url"];
	        this.status = source["status"];
	        this.millis = source["millis"];
	        this.response = this.convertValues(source["response"], traffic.MessageView);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace connector {
	
	export class APIKeyAuth {
	    in: string;
	    name: string;
	    parameter?: string;
	
	    static createFrom(source: any = {}) {
	        return new APIKeyAuth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.in = source["in"];
	        this.name = source["name"];
	        this.parameter = source["parameter"];
	    }
	}
	export class ConnectionParameter {
	    name: string;
	    type: string;
	    displayName?: string;
	    description?: string;
	    required?: boolean;
	    hidden?: boolean;
	    default?: any;
	    allowedValues?: any[];
	    synthetic?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ConnectionParameter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.displayName = source["displayName"];
	        this.description = source["description"];
	        this.required = source["required"];
	        this.hidden = source["hidden"];
	        this.default = source["default"];
	        this.allowedValues = source["allowedValues"];
	        this.synthetic = source["synthetic"];
	    }
	}
	export class OAuth2Auth {
	    identityProvider?: string;
	    clientId?: string;
	    flow?: string;
	    authorizationUrl?: string;
	    tokenUrl?: string;
	    refreshUrl?: string;
	    scopes?: string[];
	    redirectMode?: string;
	    redirectUrl?: string;
	    customParameters?: Record<string, string>;
	    parameter?: string;
	
	    static createFrom(source: any = {}) {
	        return new OAuth2Auth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.identityProvider = source["identityProvider"];
	        this.clientId = source["clientId"];
	        this.flow = source["flow"];
	        this.authorizationUrl = source["authorizationUrl"];
	        this.tokenUrl = source["tokenUrl"];
	        this.refreshUrl = source["refreshUrl"];
	        this.scopes = source["scopes"];
	        this.redirectMode = source["redirectMode"];
	        this.redirectUrl = source["redirectUrl"];
	        this.customParameters = source["customParameters"];
	        this.parameter = source["parameter"];
	    }
	}
	export class BasicAuth {
	    usernameParameter?: string;
	    passwordParameter?: string;
	
	    static createFrom(source: any = {}) {
	        return new BasicAuth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.usernameParameter = source["usernameParameter"];
	        this.passwordParameter = source["passwordParameter"];
	    }
	}
	export class AuthSet {
	    name?: string;
	    displayName?: string;
	    kind: string;
	    apiKey?: APIKeyAuth;
	    basic?: BasicAuth;
	    oauth2?: OAuth2Auth;
	    parameters?: ConnectionParameter[];
	    scheme?: string;
	
	    static createFrom(source: any = {}) {
	        return new AuthSet(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.displayName = source["displayName"];
	        this.kind = source["kind"];
	        this.apiKey = this.convertValues(source["apiKey"], APIKeyAuth);
	        this.basic = this.convertValues(source["basic"], BasicAuth);
	        this.oauth2 = this.convertValues(source["oauth2"], OAuth2Auth);
	        this.parameters = this.convertValues(source["parameters"], ConnectionParameter);
	        this.scheme = source["scheme"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Auth {
	    kind: string;
	    sets: AuthSet[];
	
	    static createFrom(source: any = {}) {
	        return new Auth(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.sets = this.convertValues(source["sets"], AuthSet);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class CustomCode {
	    file: string;
	    size: number;
	    operations?: string[];
	
	    static createFrom(source: any = {}) {
	        return new CustomCode(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.size = source["size"];
	        this.operations = source["operations"];
	    }
	}
	export class Files {
	    dir?: string;
	    definition: string;
	    properties?: string;
	    script?: string;
	    settings?: string;
	
	    static createFrom(source: any = {}) {
	        return new Files(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.dir = source["dir"];
	        this.definition = source["definition"];
	        this.properties = source["properties"];
	        this.script = source["script"];
	        this.settings = source["settings"];
	    }
	}
	
	export class Policy {
	    template: string;
	    templateId: string;
	    title?: string;
	    parameters?: Record<string, any>;
	    operations?: string[];
	    section?: string;
	    pointer: string;
	
	    static createFrom(source: any = {}) {
	        return new Policy(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.template = source["template"];
	        this.templateId = source["templateId"];
	        this.title = source["title"];
	        this.parameters = source["parameters"];
	        this.operations = source["operations"];
	        this.section = source["section"];
	        this.pointer = source["pointer"];
	    }
	}

}

export namespace customcode {
	
	export class CompileReport {
	    file: string;
	    available: boolean;
	    installHint?: string;
	    ok: boolean;
	    kind?: string;
	    diagnostics: scripthost.Diagnostic[];
	    took: number;
	    cached: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CompileReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.available = source["available"];
	        this.installHint = source["installHint"];
	        this.ok = source["ok"];
	        this.kind = source["kind"];
	        this.diagnostics = this.convertValues(source["diagnostics"], scripthost.Diagnostic);
	        this.took = source["took"];
	        this.cached = source["cached"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace override {
	
	export class BodyProblem {
	    pointer: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new BodyProblem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.pointer = source["pointer"];
	        this.message = source["message"];
	    }
	}
	export class Outline {
	    type?: string;
	    description?: string;
	    properties?: Record<string, Outline>;
	    required?: string[];
	    items?: Outline;
	    enum?: any[];
	
	    static createFrom(source: any = {}) {
	        return new Outline(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.type = source["type"];
	        this.description = source["description"];
	        this.properties = this.convertValues(source["properties"], Outline, true);
	        this.required = source["required"];
	        this.items = this.convertValues(source["items"], Outline);
	        this.enum = source["enum"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace recordings {
	
	export class Note {
	    id: string;
	    level?: string;
	    pointer?: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Note(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.level = source["level"];
	        this.pointer = source["pointer"];
	        this.message = source["message"];
	    }
	}
	export class ProxyStats {
	    requests: number;
	    stored: number;
	    failed: number;
	    storeErrors: number;
	
	    static createFrom(source: any = {}) {
	        return new ProxyStats(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.requests = source["requests"];
	        this.stored = source["stored"];
	        this.failed = source["failed"];
	        this.storeErrors = source["storeErrors"];
	    }
	}
	export class Redaction {
	    where: string;
	    name: string;
	    hash: string;
	
	    static createFrom(source: any = {}) {
	        return new Redaction(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.where = source["where"];
	        this.name = source["name"];
	        this.hash = source["hash"];
	    }
	}

}

export namespace scripthost {
	
	export class Diagnostic {
	    file: string;
	    line: number;
	    col: number;
	    severity: string;
	    code?: string;
	    message: string;
	
	    static createFrom(source: any = {}) {
	        return new Diagnostic(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.file = source["file"];
	        this.line = source["line"];
	        this.col = source["col"];
	        this.severity = source["severity"];
	        this.code = source["code"];
	        this.message = source["message"];
	    }
	}
	export class ScriptError {
	    kind: string;
	    type?: string;
	    message: string;
	    stack?: string;
	
	    static createFrom(source: any = {}) {
	        return new ScriptError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.type = source["type"];
	        this.message = source["message"];
	        this.stack = source["stack"];
	    }
	}

}

export namespace traffic {
	
	export class HeaderView {
	    name: string;
	    value: string;
	    redacted?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new HeaderView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.value = source["value"];
	        this.redacted = source["redacted"];
	    }
	}
	export class MessageView {
	    headers: HeaderView[];
	    kind: string;
	    body: string;
	    size: number;
	    truncated?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new MessageView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.headers = this.convertValues(source["headers"], HeaderView);
	        this.kind = source["kind"];
	        this.body = source["body"];
	        this.size = source["size"];
	        this.truncated = source["truncated"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Row {
	    seq: number;
	    stream: string;
	    source: string;
	    at: number;
	    method: string;
	    path: string;
	    status: number;
	    millis: number;
	    operationId?: string;
	    error?: string;
	    notes?: number;
	    noteLevel?: string;
	    redactions?: number;
	
	    static createFrom(source: any = {}) {
	        return new Row(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.stream = source["stream"];
	        this.source = source["source"];
	        this.at = source["at"];
	        this.method = source["method"];
	        this.path = source["path"];
	        this.status = source["status"];
	        this.millis = source["millis"];
	        this.operationId = source["operationId"];
	        this.error = source["error"];
	        this.notes = source["notes"];
	        this.noteLevel = source["noteLevel"];
	        this.redactions = source["redactions"];
	    }
	}
	export class ExchangeView {
	    row: Row;
	    url: string;
	    request: MessageView;
	    response: MessageView;
	    notes: recordings.Note[];
	    redactions: recordings.Redaction[];
	    upstreamMillis?: number;
	
	    static createFrom(source: any = {}) {
	        return new ExchangeView(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.row = this.convertValues(source["row"], Row);
	        this.url = source["url"];
	        this.request = this.convertValues(source["request"], MessageView);
	        this.response = this.convertValues(source["response"], MessageView);
	        this.notes = this.convertValues(source["notes"], recordings.Note);
	        this.redactions = this.convertValues(source["redactions"], recordings.Redaction);
	        this.upstreamMillis = source["upstreamMillis"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Filter {
	    scope: string;
	    stream: string;
	    status: string;
	    operation: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Filter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.scope = source["scope"];
	        this.stream = source["stream"];
	        this.status = source["status"];
	        this.operation = source["operation"];
	        this.text = source["text"];
	    }
	}
	
	
	export class Page {
	    from: number;
	    rows: Row[];
	    matching: number;
	    total: number;
	    operations: string[];
	    streams: string[];
	    latest: number;
	
	    static createFrom(source: any = {}) {
	        return new Page(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.from = source["from"];
	        this.rows = this.convertValues(source["rows"], Row);
	        this.matching = source["matching"];
	        this.total = source["total"];
	        this.operations = source["operations"];
	        this.streams = source["streams"];
	        this.latest = source["latest"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace trigger {
	
	export class Delivery {
	    id?: string;
	    state?: string;
	    // Go type: time
	    queuedAt: any;
	    operationId: string;
	    subscriptionId: string;
	    callbackUrl: string;
	    attempts: number;
	    status?: number;
	    error?: string;
	    payload?: any;
	
	    static createFrom(source: any = {}) {
	        return new Delivery(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.state = source["state"];
	        this.queuedAt = this.convertValues(source["queuedAt"], null);
	        this.operationId = source["operationId"];
	        this.subscriptionId = source["subscriptionId"];
	        this.callbackUrl = source["callbackUrl"];
	        this.attempts = source["attempts"];
	        this.status = source["status"];
	        this.error = source["error"];
	        this.payload = source["payload"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class TriggerInfo {
	    operationId: string;
	    kind: string;
	    cardinality: string;
	    method: string;
	    path: string;
	    summary?: string;
	    unsubscribe?: string;
	    subscriptions?: number;
	    payload?: string;
	    items?: number;
	    dataPath?: string;
	    policy?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new TriggerInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.operationId = source["operationId"];
	        this.kind = source["kind"];
	        this.cardinality = source["cardinality"];
	        this.method = source["method"];
	        this.path = source["path"];
	        this.summary = source["summary"];
	        this.unsubscribe = source["unsubscribe"];
	        this.subscriptions = source["subscriptions"];
	        this.payload = source["payload"];
	        this.items = source["items"];
	        this.dataPath = source["dataPath"];
	        this.policy = source["policy"];
	    }
	}

}

