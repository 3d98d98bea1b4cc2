import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { compiledPath } from '../../platform/index.js';
import { isHandedOver } from '../handed-over.js';
import type { PlainTensor, RunMessage, SessionThreadData, ThreadReply } from './session-thread-protocol.js';

interface Waiter {
  resolve: (outputs: Record<string, ort.Tensor>) => void;
  reject: (err: Error) => void;
}

/**
 * An onnxruntime session that runs on its own thread (`session-thread.ts`), with the calls of
 * `InferenceSession` the model needs. Inputs are copied once into buffers handed to the thread;
 * outputs come back without a copy.
 */
export class ThreadedSession {
  private nextId = 0;
  private readonly waiting = new Map<number, Waiter>();
  private released: (() => void) | undefined;
  /** Why the thread is gone, once it is: later runs fail at once instead of waiting forever. */
  private lost: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    readonly inputMetadata: readonly ort.InferenceSession.ValueMetadata[],
    readonly outputMetadata: readonly ort.InferenceSession.ValueMetadata[],
    onLost: (err: Error) => void,
  ) {
    worker.on('message', (msg: ThreadReply) => this.onReply(msg));
    const lose = (err: Error) => {
      if (this.lost) return;
      this.lost = err;
      this.failAll(err);
      if (!this.released) onLost(err);
    };
    worker.on('error', lose);
    worker.on('exit', (code) => lose(new Error(`the session thread exited with code ${code}`)));
  }

  /**
   * Loads the model on a new thread; rejects with onnxruntime's message when it cannot. `onLost`
   * is called if the thread ends by itself later (not after `release`).
   */
  static create(
    modelFile: string,
    options: ort.InferenceSession.SessionOptions,
    onLost: (err: Error) => void,
  ): Promise<ThreadedSession> {
    const workerData: SessionThreadData = { modelFile, options };
    const worker = new Worker(compiledPath(import.meta.url, './session-thread.js'), { workerData });
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      worker.once('error', onError);
      worker.once('message', (msg: ThreadReply) => {
        worker.off('error', onError);
        if (msg.type === 'loaded') {
          resolve(new ThreadedSession(worker, msg.inputMetadata, msg.outputMetadata, onLost));
        } else {
          void worker.terminate();
          reject(new Error(msg.type === 'load-failed' ? msg.message : `unexpected ${msg.type} at load`));
        }
      });
    });
  }

  run(
    feeds: Record<string, ort.Tensor>,
    outputNames: readonly string[],
  ): Promise<Record<string, ort.Tensor>> {
    if (this.lost) return Promise.reject(this.lost);
    const id = this.nextId++;
    const plain: Record<string, PlainTensor> = {};
    const transfer = new Set<ArrayBuffer>();
    for (const [name, tensor] of Object.entries(feeds)) {
      const data = ownCopy(tensor.data);
      if (ArrayBuffer.isView(data)) transfer.add(data.buffer as ArrayBuffer);
      plain[name] = { type: tensor.type, data, dims: [...tensor.dims] };
    }
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, feeds: plain, outputNames: [...outputNames] } satisfies RunMessage, [
        ...transfer,
      ]);
    });
  }

  /** Frees the native session (after runs already sent), then ends the thread. */
  async release(): Promise<void> {
    if (this.lost) return;
    await new Promise<void>((resolve) => {
      this.released = resolve;
      this.worker.postMessage('release');
    });
    await this.worker.terminate();
  }

  private onReply(msg: ThreadReply): void {
    if (msg.type === 'released') {
      this.released?.();
      return;
    }
    if (msg.type !== 'ran' && msg.type !== 'failed') return;
    const waiter = this.waiting.get(msg.id);
    this.waiting.delete(msg.id);
    if (!waiter) return;
    if (msg.type === 'failed') {
      waiter.reject(new Error(msg.message));
      return;
    }
    const outputs: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(msg.outputs)) {
      outputs[name] = new ort.Tensor(t.type as ort.Tensor.Type, t.data as ort.Tensor.DataType, t.dims);
    }
    waiter.resolve(outputs);
  }

  private failAll(err: Error): void {
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
    this.released?.();
  }
}

/**
 * Typed-array data in a buffer the thread can take over: a handed-over buffer as it is (see
 * handed-over.ts), any other copied, since the caller's array may be a view into a larger body
 * that must stay intact. Strings are cloned as they are.
 */
function ownCopy(data: ort.Tensor['data']): unknown {
  if (!ArrayBuffer.isView(data)) return data;
  if (isHandedOver(data.buffer) && !(data.buffer instanceof SharedArrayBuffer)) return data;
  return (data as Uint8Array).slice();
}
