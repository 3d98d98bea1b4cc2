import { Counter, Histogram, type Registry } from 'prom-client';

type Label = 'model' | 'endpoint';

/** Per-model text-generation metrics; `endpoint` is `chat`, `completions` or `embeddings`. */
export interface LlmMetrics {
  timeToFirstTokenSeconds: Histogram<Label>;
  interTokenLatencySeconds: Histogram<Label>;
  promptTokens: Counter<Label>;
  completionTokens: Counter<Label>;
  requestPromptTokens: Histogram<Label>;
  requestCompletionTokens: Histogram<Label>;
}

export interface LlmLabels {
  model: string;
  endpoint: 'chat' | 'completions' | 'embeddings';
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const tokenBuckets = [1, 8, 32, 128, 512, 1024, 2048, 4096, 8192, 16384, 32768];

export function createLlmMetrics(registry: Registry): LlmMetrics {
  const labelNames = ['model', 'endpoint'] as const;
  const registers = [registry];
  return {
    timeToFirstTokenSeconds: new Histogram({
      name: 'modelport_llm_time_to_first_token_seconds',
      help: 'Time from the request to the first generated text or tool call, per choice',
      labelNames,
      buckets: latencyBuckets,
      registers,
    }),
    interTokenLatencySeconds: new Histogram({
      name: 'modelport_llm_inter_token_latency_seconds',
      help: 'Time between successive pieces of generated text',
      labelNames,
      buckets: latencyBuckets,
      registers,
    }),
    promptTokens: new Counter({
      name: 'modelport_llm_prompt_tokens_total',
      help: 'Prompt tokens billed (counted once per prompt, whatever n)',
      labelNames,
      registers,
    }),
    completionTokens: new Counter({
      name: 'modelport_llm_completion_tokens_total',
      help: 'Generated tokens, summed over choices',
      labelNames,
      registers,
    }),
    requestPromptTokens: new Histogram({
      name: 'modelport_llm_request_prompt_tokens',
      help: 'Prompt tokens per request',
      labelNames,
      buckets: tokenBuckets,
      registers,
    }),
    requestCompletionTokens: new Histogram({
      name: 'modelport_llm_request_completion_tokens',
      help: 'Generated tokens per request',
      labelNames,
      buckets: tokenBuckets,
      registers,
    }),
  };
}

export function recordTokens(
  metrics: LlmMetrics,
  labels: LlmLabels,
  promptTokens: number,
  completionTokens: number,
): void {
  metrics.promptTokens.inc(labels, promptTokens);
  metrics.requestPromptTokens.observe(labels, promptTokens);
  if (labels.endpoint === 'embeddings') return;
  metrics.completionTokens.inc(labels, completionTokens);
  metrics.requestCompletionTokens.observe(labels, completionTokens);
}
