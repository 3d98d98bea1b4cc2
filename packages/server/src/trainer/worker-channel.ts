import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import type { TrainerCommand, TrainerMessage, TrainerWorkerInput } from '../wire/training/index.js';

/** How a training worker talks to whoever started it, as a thread or as a child process. */
export interface WorkerChannel {
  post(message: TrainerMessage, transfer?: ArrayBuffer[]): void;
  onCommand(handle: (command: TrainerCommand) => void): void;
  /** After the final message: lets the worker end. */
  close(): Promise<void>;
}

/** In a worker_threads Worker: the input is `workerData`, messages go through `parentPort`. */
export function threadChannel(port: MessagePort = parentPort as MessagePort): {
  input: TrainerWorkerInput;
  channel: WorkerChannel;
} {
  return {
    input: workerData as TrainerWorkerInput,
    channel: {
      post: (message, transfer = []) => port.postMessage(message, transfer),
      onCommand: (handle) => port.on('message', handle),
      close: async () => port.close(),
    },
  };
}

/**
 * In a child process forked with `serialization: 'advanced'` (typed arrays cross intact): the first
 * IPC message is `{ type: 'start', input }`, later ones are commands.
 */
export function processChannel(): Promise<{ input: TrainerWorkerInput; channel: WorkerChannel }> {
  return new Promise((resolve) => {
    const send = (message: TrainerMessage) =>
      new Promise<void>((done) => process.send?.(message, undefined, undefined, () => done()));
    let pending = Promise.resolve();
    const channel: WorkerChannel = {
      post: (message) => {
        pending = pending.then(() => send(message));
      },
      onCommand: (handle) =>
        process.on('message', (m: { type?: string }) => {
          if (m.type === 'cancel') handle({ type: 'cancel' });
        }),
      close: async () => {
        await pending;
        process.disconnect?.();
      },
    };
    process.once('message', (m: { type?: string; input?: TrainerWorkerInput }) => {
      if (m.type === 'start' && m.input) resolve({ input: m.input, channel });
    });
  });
}
