import {
  type CreateTrainingJobRequest,
  type ModelVersion,
  modelVersionSchema,
  type RegisterTrainingJobRequest,
  type TrainingEvent,
  type TrainingJob,
  type TrainingJobListQuery,
  type TrainingLogLine,
  trainingEventSchema,
  trainingJobListSchema,
  trainingJobSchema,
  trainingLogListSchema,
} from '@modelport/contracts';
import { ConnectionError, InvalidResponseError } from '../errors.js';
import { paths } from '../paths.js';
import { parseSse } from '../sse-parser.js';
import type { Transport } from '../transport.js';

export interface TrainingEventsOptions {
  /** Only events after this sequence number (default: every event since the job was created). */
  after?: number;
  signal?: AbortSignal;
}

/** A job's state is one of these once it has ended. */
export const FINAL_TRAINING_STATES = ['succeeded', 'failed', 'cancelled'] as const;

/** Training jobs: a dataset in, a trained, exported, registered (and deployed) model version out. */
export class TrainingJobs {
  constructor(private readonly transport: Transport) {}

  /** Queues a job (201); it trains in a worker on the server, so this resolves before it ends. */
  create(request: CreateTrainingJobRequest): Promise<TrainingJob> {
    return this.transport.json(
      { method: 'POST', path: paths.trainingJobs(), json: request, maxRetries: 0 },
      trainingJobSchema,
    );
  }

  get(id: string): Promise<TrainingJob> {
    return this.transport.json({ method: 'GET', path: paths.trainingJob(id) }, trainingJobSchema);
  }

  /** Newest first. */
  async list(query: TrainingJobListQuery = {}): Promise<TrainingJob[]> {
    const search = new URLSearchParams();
    if (query.state) search.set('state', query.state);
    if (query.limit !== undefined) search.set('limit', String(query.limit));
    const suffix = search.size > 0 ? `?${search}` : '';
    const list = await this.transport.json(
      { method: 'GET', path: `${paths.trainingJobs()}${suffix}` },
      trainingJobListSchema,
    );
    return list.data;
  }

  cancel(id: string): Promise<TrainingJob> {
    return this.transport.json(
      { method: 'POST', path: `${paths.trainingJob(id)}/cancel`, json: {} },
      trainingJobSchema,
    );
  }

  /**
   * Registers the model a job that succeeded with `register: false` kept, as the next version of
   * its model (or of `request.model`); 409 `training_job_already_registered` once it is one.
   */
  register(id: string, request: NonNullable<RegisterTrainingJobRequest> = {}): Promise<ModelVersion> {
    return this.transport.json(
      { method: 'POST', path: `${paths.trainingJob(id)}/register`, json: request, maxRetries: 0 },
      modelVersionSchema,
    );
  }

  async logs(id: string): Promise<TrainingLogLine[]> {
    return (
      await this.transport.json(
        { method: 'GET', path: `${paths.trainingJob(id)}/logs` },
        trainingLogListSchema,
      )
    ).data;
  }

  /**
   * The job's events as they happen (what happened so far first): states, progress, each epoch's
   * metrics, logs, the result, and last an `end` event once the job has ended. A dropped
   * connection is picked up again after the last event received, as the client's retries allow.
   */
  async *events(id: string, options: TrainingEventsOptions = {}): AsyncGenerator<TrainingEvent> {
    let after = options.after ?? 0;
    for (let failures = 0; ; ) {
      try {
        for await (const event of this.stream(id, after, options.signal)) {
          failures = 0;
          after = event.seq;
          yield event;
          if (event.type === 'end') return;
        }
        throw new ConnectionError({
          code: 'connection_error',
          message: `The event stream of training job ${id} ended before the job did.`,
        });
      } catch (err) {
        options.signal?.throwIfAborted();
        if (!(err instanceof ConnectionError) || ++failures > this.transport.maxRetries) throw err;
      }
    }
  }

  /** Follows the events until the job ends, then answers the job as it ended. */
  async wait(id: string, options: { signal?: AbortSignal } = {}): Promise<TrainingJob> {
    for await (const event of this.events(id, options)) if (event.type === 'end') break;
    return this.get(id);
  }

  private async *stream(id: string, after: number, signal: AbortSignal | undefined) {
    const idle = this.transport.newIdleTimeout();
    try {
      const res = await this.transport.send(
        { method: 'GET', path: `${paths.trainingJob(id)}/events?after=${after}`, signal },
        idle,
      );
      if (!res.body) return;
      for await (const message of parseSse(res.body, () => idle.touch())) {
        const parsed = trainingEventSchema.safeParse({ ...JSON.parse(message.data), type: message.event });
        if (!parsed.success)
          throw new InvalidResponseError({
            status: res.status,
            code: 'invalid_response',
            message: `Event '${message.event}' of training job ${id} does not match the API contract.`,
            details: parsed.error,
          });
        yield parsed.data;
      }
    } catch (err) {
      if (idle.fired || (err instanceof TypeError && !signal?.aborted))
        throw new ConnectionError({ code: 'connection_error', message: String(err), cause: err });
      throw err;
    } finally {
      idle.clear();
    }
  }
}

/** `client.training.jobs`. */
export class Training {
  readonly jobs: TrainingJobs;

  constructor(transport: Transport) {
    this.jobs = new TrainingJobs(transport);
  }
}
