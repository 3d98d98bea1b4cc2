import type { Logger } from '../platform/index.js';
import type { RunnerSpec } from '../wire/runner/index.js';
import type { RunnerTiming } from './runner-timing.js';

export type RunnerState = 'starting' | 'ready' | 'down' | 'stopped';

export interface RunnerReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface TensorRequest {
  /** Binary OIP: the JSON header, then the binary section. */
  body: Buffer;
  headerLength: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The client side of the runner protocol, however the runner is reached. */
export interface RunnerConnection {
  request(
    method: 'GET' | 'POST',
    path: string,
    options?: { body?: Buffer; headers?: Record<string, string>; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<RunnerReply>;
  /** Starts a request and hands back the body unread, for streamed answers (token events). */
  open(
    path: string,
    options: { body: string; signal: AbortSignal; timeoutMs: number },
  ): Promise<{ status: number; body: AsyncIterable<Buffer> & { text(): Promise<string> } }>;
  /** A JSON request answered with JSON; a runner's error answer becomes the AppError it names. */
  postJson<T>(path: string, body: unknown, options: { signal: AbortSignal; timeoutMs: number }): Promise<T>;
  /** One binary OIP request; the host decides how the bytes travel (shared memory when local). */
  sendTensors(path: string, request: TensorRequest): Promise<RunnerReply>;
}

/**
 * Where one model instance runs and how to reach it: a child process of this API process, or a
 * runner on another host. The engine sees only this; requests go to `ready` hosts.
 */
export interface RunnerHost {
  readonly state: RunnerState;
  /** What the runner reported when ready: ModelInfo for tensor backends, LlmInfo for llama. */
  readonly info: unknown;
  /** Times the runner came back after going down. */
  readonly restarts: number;
  /** The process id when it runs on this host. */
  readonly pid: number | undefined;
  /** Set while `ready`. */
  readonly connection: RunnerConnection | undefined;
  /** Resolves at the first ready; rejects if the first start fails (bad model, bad options, no answer). */
  start(): Promise<void>;
  /** Lets queued work finish, for at most `graceMs`, then lets go of the runner. */
  stop(graceMs?: number): Promise<void>;
  /** Whether the runner answers its readiness check now. */
  healthy(): Promise<boolean>;
  /** What this instance holds: measured where the host can, else `estimateBytes`; nothing once stopped. */
  memoryBytes(estimateBytes: number): number;
}

/** What a host is asked to run: the runner spec but where it listens, which the host decides. */
export type RunnerLaunch = Omit<RunnerSpec, 'listen'>;

export interface HostRequest {
  launch: RunnerLaunch;
  /** The deployment it serves and the instance's index in its pool. */
  deploymentId: string;
  instance: number;
  log: Logger;
  timing: RunnerTiming;
  /** The deployment's `isolation`: a process of its own (default) or a thread of this one. */
  isolation?: 'process' | 'thread';
}

/** Makes the host of each instance the engine starts (default: local child processes). */
export type RunnerHostFactory = (request: HostRequest) => RunnerHost;
