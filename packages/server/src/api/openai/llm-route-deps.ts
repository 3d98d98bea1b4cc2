import type { LlmGateway } from '../../deploy/index.js';
import type { LlmMetrics } from './llm-metrics.js';

/** What every OpenAI route handler needs. */
export interface LlmRouteDeps {
  gateway: LlmGateway;
  metrics: LlmMetrics;
  /** Between SSE comments of a stream held while its model starts. */
  keepAliveMs: number;
}
