import type { ArtifactMetadata, DeploymentSettings } from '@modelport/contracts';
import type { RunnerBackend, ServingPlan } from '../engine/index.js';
import { estimateInstanceBytes } from '../engine/index.js';
import { AppError } from '../platform/errors/index.js';
import { checkVersionConfig, type ResolvedVersion } from '../registry/index.js';
import { isTaskIn, onnxPipelineTasks, transformersTasks } from '../wire/index.js';

export interface PlanInput {
  id: string;
  name: string;
  resolved: ResolvedVersion;
  settings: DeploymentSettings;
  artifactPath: string;
  threads: number;
  maxBodyBytes: number;
  gpu: 'auto' | 'off';
  /** The variant this plan's pool serves. */
  variant: string;
  /** Set when the variant is a shadow: the share of production requests copied to it. */
  shadow?: { samplingPercent: number } | undefined;
}

/** Which runner serves a version, and what it reads from its options (task, pipeline config, LLM sizes). */
export function servingPlan(input: PlanInput): ServingPlan {
  const { resolved } = input;
  // Failover chains are routing: changing them must not look like new runner settings (a restart).
  const { fallbacks: _, failover: __, ...settings } = input.settings;
  const task = resolved.model.task;
  const backend = backendFor(resolved.version.format, task);
  const taskConfig = JSON.parse(resolved.version.config) as Record<string, unknown>;
  // A stored config the runner would refuse is named now, before any runner starts.
  const metadata = JSON.parse(resolved.version.metadata) as ArtifactMetadata;
  checkVersionConfig({ task, format: resolved.version.format, metadata }, taskConfig);
  const extra: Record<string, unknown> =
    backend === 'llama'
      ? llmOptions(settings, input.gpu)
      : backend === 'transformers' || isTaskIn(onnxPipelineTasks, task)
        ? { task, taskConfig }
        : {};
  return {
    deploymentId: input.id,
    name: input.name,
    variant: input.variant,
    ...(input.shadow ? { shadow: { samplingPercent: input.shadow.samplingPercent } } : {}),
    modelName: resolved.model.name,
    task,
    version: resolved.version.version,
    backend,
    artifactPath: input.artifactPath,
    settings: { ...settings, options: { ...settings.options, ...extra } },
    threads: input.threads,
    maxBodyBytes: input.maxBodyBytes,
    instanceBytes: estimateInstanceBytes(Number(resolved.version.size_bytes)),
  };
}

function backendFor(format: string, task: string): RunnerBackend {
  if (format === 'onnx') return 'onnx';
  if (format === 'gguf') return 'llama';
  if (format === 'folder' && isTaskIn(transformersTasks, task)) return 'transformers';
  throw new AppError(
    'unsupported_runtime',
    `No runtime serves a ${format} model with task ${task}: ONNX files, GGUF files, and folders for ` +
      'speech recognition, text classification or feature extraction are served.',
  );
}

/** What the llama runner reads from its options: context, sequences, batch and GPU use. */
function llmOptions(settings: DeploymentSettings, gpu: 'auto' | 'off'): Record<string, unknown> {
  return {
    parallel: settings.llm.parallel,
    ...(settings.llm.contextSize ? { contextSize: settings.llm.contextSize } : {}),
    ...(settings.llm.batchSize ? { batchSize: settings.llm.batchSize } : {}),
    gpu: gpu === 'off' ? false : 'auto',
  };
}
