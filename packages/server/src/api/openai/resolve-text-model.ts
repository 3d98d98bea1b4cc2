import type { Principal } from '../../auth/index.js';
import type { LlmGateway, LlmTarget, RequestRouting } from '../../deploy/index.js';
import { AppError } from '../../platform/errors/index.js';

/** Chat and legacy completions need a text-generation (llama) deployment. */
export async function resolveTextModel(
  gateway: LlmGateway,
  principal: Principal,
  model: string,
  routing: RequestRouting,
): Promise<LlmTarget> {
  const target = await gateway.resolve(principal, model, routing);
  if (target.backend !== 'llama')
    throw new AppError('validation_failed', `Model '${model}' is not a text-generation model.`, {
      param: 'model',
    });
  return target;
}
