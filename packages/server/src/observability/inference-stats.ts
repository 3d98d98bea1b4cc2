/** A count and the time it took in total, as Triton's statistics report each step. */
export interface Duration {
  count: number;
  ns: number;
}

/** Runs of one batch size: how many, and their compute time. */
export interface BatchSizeStats {
  batchSize: number;
  executions: number;
  computeNs: number;
}

export interface VersionStats {
  deployment: string;
  version: string;
  /** Epoch milliseconds of the last request answered; 0 before the first. */
  lastInferenceMs: number;
  /** Rows inferred (a request of 4 rows counts 4). */
  inferences: number;
  /** Model runs: a batch of merged requests is one. */
  executions: number;
  success: Duration;
  fail: Duration;
  queue: Duration;
  /** In the API process: parsing and sending the inputs on. */
  computeInput: Duration;
  /** In the runner: the run of the batch the request joined. */
  computeInfer: Duration;
  /** In the API process: rendering the outputs. */
  computeOutput: Duration;
  batches: BatchSizeStats[];
}

export interface SuccessRecord {
  rows: number;
  /** Rows and requests in the run the request joined. */
  batchSize: number;
  batchRequests: number;
  totalMs: number;
  queueMs: number;
  inputMs: number;
  computeMs: number;
  outputMs: number;
}

const ns = (ms: number) => Math.round(ms * 1e6);
const zero = (): Duration => ({ count: 0, ns: 0 });

interface Entry extends Omit<VersionStats, 'batches' | 'executions'> {
  /** Each request adds 1/requests of its run, so a run of several requests counts once. */
  executions: number;
  batches: Map<number, { executions: number; computeNs: number }>;
}

/**
 * Cumulative inference statistics per deployment and version since the process started (Triton's
 * statistics extension), kept in memory: each replica reports what it served.
 */
export class InferenceStats {
  private readonly entries = new Map<string, Entry>();

  success(deployment: string, version: string, r: SuccessRecord): void {
    const e = this.entry(deployment, version);
    e.lastInferenceMs = Date.now();
    e.inferences += r.rows;
    const share = 1 / Math.max(1, r.batchRequests);
    e.executions += share;
    add(e.success, r.totalMs);
    add(e.queue, r.queueMs);
    add(e.computeInput, r.inputMs);
    add(e.computeInfer, r.computeMs);
    add(e.computeOutput, r.outputMs);
    const batch = e.batches.get(r.batchSize) ?? { executions: 0, computeNs: 0 };
    batch.executions += share;
    batch.computeNs += ns(r.computeMs) * share;
    e.batches.set(r.batchSize, batch);
  }

  failure(deployment: string, version: string, totalMs: number): void {
    const e = this.entry(deployment, version);
    e.lastInferenceMs = Date.now();
    add(e.fail, totalMs);
  }

  /** The deployment's versions with statistics, each version once; `version` narrows to one. */
  of(deployment: string, version?: string): VersionStats[] {
    const found: VersionStats[] = [];
    for (const e of this.entries.values()) {
      if (e.deployment !== deployment || (version !== undefined && e.version !== version)) continue;
      found.push(snapshot(e));
    }
    return found;
  }

  /** Zero statistics, for a version served that has not answered a request yet. */
  static empty(deployment: string, version: string): VersionStats {
    return snapshot(newEntry(deployment, version));
  }

  private entry(deployment: string, version: string): Entry {
    const key = `${deployment}\u0000${version}`;
    let e = this.entries.get(key);
    if (!e) {
      e = newEntry(deployment, version);
      this.entries.set(key, e);
    }
    return e;
  }
}

function add(d: Duration, ms: number): void {
  d.count += 1;
  d.ns += ns(ms);
}

function newEntry(deployment: string, version: string): Entry {
  return {
    deployment,
    version,
    lastInferenceMs: 0,
    inferences: 0,
    executions: 0,
    success: zero(),
    fail: zero(),
    queue: zero(),
    computeInput: zero(),
    computeInfer: zero(),
    computeOutput: zero(),
    batches: new Map(),
  };
}

function snapshot(e: Entry): VersionStats {
  return {
    ...e,
    success: { ...e.success },
    fail: { ...e.fail },
    queue: { ...e.queue },
    computeInput: { ...e.computeInput },
    computeInfer: { ...e.computeInfer },
    computeOutput: { ...e.computeOutput },
    executions: Math.round(e.executions),
    batches: [...e.batches]
      .sort(([a], [b]) => a - b)
      .map(([batchSize, b]) => ({
        batchSize,
        executions: Math.round(b.executions),
        computeNs: Math.round(b.computeNs),
      })),
  };
}
