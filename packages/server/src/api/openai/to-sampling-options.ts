import type { LlmTarget } from '../../deploy/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { SamplingOptions } from '../../wire/index.js';
import { DEFAULT_MAX_TOKENS } from './schemas/sampling-fields.js';

interface SamplingBody {
  max_tokens?: number | null | undefined;
  max_completion_tokens?: number | null | undefined;
  temperature?: number | null | undefined;
  top_p?: number | null | undefined;
  stop?: string | string[] | null | undefined;
  seed?: number | null | undefined;
  presence_penalty?: number | null | undefined;
  frequency_penalty?: number | null | undefined;
}

/** OpenAI's defaults where the body is silent; `topLogprobs` undefined means no log-probabilities. */
export function toSamplingOptions(
  body: SamplingBody,
  target: LlmTarget,
  topLogprobs: number | undefined,
): SamplingOptions {
  const stop = body.stop == null ? [] : typeof body.stop === 'string' ? [body.stop] : body.stop;
  return {
    maxTokens: maxTokensOf(body, target),
    temperature: body.temperature ?? 1,
    topP: body.top_p ?? 1,
    ...(body.seed == null ? {} : { seed: body.seed }),
    // An empty stop sequence would match at once; it cannot mean anything, so it is dropped.
    stop: stop.filter((s) => s.length > 0),
    presencePenalty: body.presence_penalty ?? 0,
    frequencyPenalty: body.frequency_penalty ?? 0,
    ...(topLogprobs === undefined ? {} : { topLogprobs }),
  };
}

/** `max_completion_tokens` wins over the deprecated `max_tokens`; neither may exceed the context. */
function maxTokensOf(body: SamplingBody, target: LlmTarget): number {
  const param = body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const requested = body.max_completion_tokens ?? body.max_tokens;
  const contextSize = target.info?.contextSize;
  if (requested != null && contextSize !== undefined && requested > contextSize)
    throw new AppError(
      'validation_failed',
      `Invalid '${param}': ${requested} is more than the model's context of ${contextSize} tokens.`,
      { param },
    );
  if (requested != null) return requested;
  return contextSize === undefined ? DEFAULT_MAX_TOKENS : Math.min(DEFAULT_MAX_TOKENS, contextSize);
}
