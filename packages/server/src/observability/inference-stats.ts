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

  /**
   * The recorder of one deployment version, to look up once and keep: recording through it
   * allocates nothing per request.
   */
  series(deployment: string, version: string): StatsSeries {
    const key = `${deployment}\u0000${version}`;
    let e = this.entries.get(key);
    if (!e) {
      e = newEntry(deployment, version);
      this.entries.set(key, e);
    }
    return new StatsSeries(e);
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
}

/** One deployment version's statistics; times in ms, as the API measured them. */
export class StatsSeries {
  constructor(private readonly e: Entry) {}

  /**
   * One answered request of `rows` rows that joined a run of `batchSize` rows from
   * `batchRequests` requests. Positional, so the hot path builds no record object.
   */
  success(
    rows: number,
    batchSize: number,
    batchRequests: number,
    totalMs: number,
    queueMs: number,
    inputMs: number,
    computeMs: number,
    outputMs: number,
  ): void {
    const { e } = this;
    e.lastInferenceMs = Date.now();
    e.inferences += rows;
    const share = 1 / Math.max(1, batchRequests);
    e.executions += share;
    add(e.success, totalMs);
    add(e.queue, queueMs);
    add(e.computeInput, inputMs);
    add(e.computeInfer, computeMs);
    add(e.computeOutput, outputMs);
    let batch = e.batches.get(batchSize);
    if (!batch) {
      batch = { executions: 0, computeNs: 0 };
      e.batches.set(batchSize, batch);
    }
    batch.executions += share;
    batch.computeNs += ns(computeMs) * share;
  }

  failure(totalMs: number): void {
    this.e.lastInferenceMs = Date.now();
    add(this.e.fail, totalMs);
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
