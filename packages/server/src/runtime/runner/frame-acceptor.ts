import type { Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { maxFrameBytesOf, type RunnerSpec } from '../../wire/runner/index.js';
import { type FrameSink, serveFrameSocket } from './frame-connection.js';
import { framedInfer } from './framed-infer.js';
import type { FrameAcceptor } from './listen-on.js';
import type { ServedModel } from './served-model.js';
import { SharedMemoryRegions } from './shared-memory-regions.js';

/**
 * Framed connections of a tensor model (undefined for other models: they speak HTTP only), with
 * shared-memory regions of the process `regionOwner` (the parent API process).
 */
export function frameAcceptor(
  spec: RunnerSpec,
  model: ServedModel,
  regionOwner: number,
): FrameAcceptor | undefined {
  if (!model.capabilities.has('tensors')) return undefined;
  const infer = framedInfer(spec, model, new SharedMemoryRegions(regionOwner));
  const maxFrameBytes = maxFrameBytesOf(spec);
  const open = new Map<Socket, FrameSink>();
  return {
    accept(socket, first) {
      open.set(socket, serveFrameSocket(socket, infer, maxFrameBytes, first));
      socket.once('close', () => open.delete(socket));
    },
    async close() {
      // As an HTTP server does: requests in flight are answered, then the connections end.
      while ([...open.values()].some((sink) => sink.inFlight() > 0)) await delay(10);
      for (const socket of open.keys()) socket.end();
    },
  };
}
