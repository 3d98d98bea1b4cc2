import { Worker } from 'node:worker_threads';
import type { Logger } from '../platform/index.js';
import type { RunnerSpec } from '../wire/runner/index.js';
import { portTransport } from './port-transport.js';
import { runnerThreadEntryPath } from './runner-entry.js';
import { runnerStartError } from './runner-error.js';
import type { RunnerLaunch } from './runner-host.js';
import { defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';
import type { SharedMemorySlots } from './shared-memory-slots.js';
import { type InstanceEvents, SupervisedRunnerHost } from './supervised-runner-host.js';

type ThreadMessage = { type?: string; info?: unknown; message?: string; code?: string; param?: string };

/**
 * One model instance on a worker thread of this API process (`isolation: "thread"`; what it risks
 * is in docs/runner-protocol.md): tensor frames over the thread's port, with transferred buffers;
 * health, info and the other capabilities over HTTP on the thread's Unix socket, as for a process.
 * A thread that exits or stops answering is started again with backoff. Its memory is the API
 * process's, so it counts the estimate from the artifact.
 */
export class ThreadRunnerHost extends SupervisedRunnerHost {
  readonly pid = undefined;
  private worker: Worker | undefined;

  constructor(
    launch: RunnerLaunch,
    log: Logger,
    timing: RunnerTiming = defaultRunnerTiming,
    slots?: SharedMemorySlots,
  ) {
    super(launch, log, timing, 'runner thread', slots);
  }

  memoryBytes(estimateBytes: number): number {
    return this.state === 'stopped' ? 0 : estimateBytes;
  }

  protected spawnInstance(events: InstanceEvents): void {
    const spec: RunnerSpec = { ...this.launch, listen: { socketPath: this.socketPath } };
    // Plain Node options, as a runner process gets: a host's loader flags (a test runner's) would not resolve the compiled code.
    const worker = new Worker(runnerThreadEntryPath(), { workerData: spec, execArgv: [] });
    this.worker = worker;
    worker.on('message', (msg: ThreadMessage) => {
      if (msg instanceof ArrayBuffer) return;
      if (msg.type === 'ready' && this.worker === worker) events.ready(msg.info, { thread: worker.threadId });
      else if (msg.type === 'failed') {
        events.failed(runnerStartError(msg));
        void worker.terminate();
      }
    });
    worker.on('error', (err) =>
      this.log.error({ model: this.launch.modelName, err }, 'runner thread failed'),
    );
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      events.exited(`code ${code}`, { code });
    });
  }

  protected frameTransport() {
    const worker = this.worker;
    if (!worker) throw new Error('the runner thread is gone');
    return portTransport(worker);
  }

  protected kill(): void {
    void this.worker?.terminate();
  }

  /** The thread drains its batcher on `stop`; it is ended after `graceMs` in any case. */
  protected async end(graceMs: number): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const stopped = new Promise<void>((resolve) => {
      worker.on('message', (msg: ThreadMessage) => {
        if (msg.type === 'stopped') resolve();
      });
      worker.once('exit', () => resolve());
    });
    worker.postMessage({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([stopped, new Promise<void>((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    await worker.terminate();
  }
}
