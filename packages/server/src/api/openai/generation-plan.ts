import type { Principal } from '../../auth/index.js';
import type { LlmTarget } from '../../deploy/index.js';
import type { GenerationRequest } from '../../wire/index.js';
import type { GenerationResult } from './collect-generation.js';
import type { ChunkRenderer } from './stream-generations.js';
import type { TokenCounts } from './token-usage.js';

/** What one deployment runs of a request: its generation requests and how its answer is rendered. */
export interface PreparedGenerations {
  /** One per choice, in choice order. */
  requests: GenerationRequest[];
  renderer(): ChunkRenderer;
  render(results: GenerationResult[], counts: TokenCounts): unknown;
}

/** One chat or legacy-completion request, translated and ready to run. */
export interface GenerationPlan {
  principal: Principal;
  target: LlmTarget;
  endpoint: 'chat' | 'completions';
  choicesPerPrompt: number;
  stream: boolean;
  includeUsage: boolean;
  /** The requests for a deployment (a fallback may have another context size, or fingerprint). */
  prepare(target: LlmTarget): PreparedGenerations;
}
