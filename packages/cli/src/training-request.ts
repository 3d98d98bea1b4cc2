import type {
  CreateTrainingJobRequest,
  ModelPreset,
  TrainingDeploy,
  trainingTasks,
} from '@modelport/contracts';
import { InvalidArgumentError } from 'commander';
import { parseJsonObject } from './parse-json-option.js';

export interface TrainOptions {
  spec?: string;
  dataset?: string;
  target?: string;
  preset?: ModelPreset;
  task?: (typeof trainingTasks)[number];
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  name?: string;
  /** `--deploy` alone: true (a deployment named like the model); `--deploy <name>`: that deployment. */
  deploy?: string | true;
  canary?: number;
  bake?: number;
}

/**
 * The job request from `--spec file.json` (or inline JSON), with each flag given on the command
 * line replacing its field. The server validates the result; this only assembles it.
 */
export function trainingRequestFrom(
  opts: TrainOptions,
  defaultName: string | undefined,
): CreateTrainingJobRequest {
  const base =
    opts.spec === undefined
      ? {}
      : parseJsonObject(opts.spec.startsWith('{') ? opts.spec : `@${opts.spec}`, 'the spec');
  const request: Record<string, unknown> = { ...base };
  const set = (key: string, value: unknown) => {
    if (value !== undefined) request[key] = value;
  };
  set('datasetId', opts.dataset);
  set('target', opts.target);
  set('task', opts.task);
  set('epochs', opts.epochs);
  set('batchSize', opts.batchSize);
  set('seed', opts.seed);
  if (opts.preset !== undefined) request.model = { preset: opts.preset };
  if (opts.learningRate !== undefined) {
    const optimizer = (request.optimizer ?? { type: 'adam' }) as Record<string, unknown>;
    request.optimizer = { ...optimizer, learningRate: opts.learningRate };
  }
  set('name', opts.name ?? request.name ?? defaultName);
  const deploy = deployFrom(opts);
  if (deploy) request.deploy = deploy;
  if (request.datasetId === undefined)
    throw new InvalidArgumentError('give --dataset <id> (or a spec file holding datasetId).');
  if (request.name === undefined) throw new InvalidArgumentError('give --name <model>.');
  return request as CreateTrainingJobRequest;
}

function deployFrom(opts: TrainOptions): TrainingDeploy | undefined {
  if (opts.deploy === undefined) {
    if (opts.canary !== undefined || opts.bake !== undefined)
      throw new InvalidArgumentError('--canary and --bake need --deploy.');
    return undefined;
  }
  const named = opts.deploy === true ? {} : { deployment: opts.deploy };
  if (opts.canary === undefined) return { ...named, mode: 'replace' };
  return {
    ...named,
    mode: 'canary',
    canary: { percent: opts.canary, ...(opts.bake === undefined ? {} : { bakeSeconds: opts.bake }) },
  } as TrainingDeploy;
}
