import type { FastifyRequest } from 'fastify';
import { principalOf } from '../../auth/index.js';
import type { ListedModel } from '../../deploy/index.js';
import { AppError } from '../../platform/errors/index.js';
import type { LlmRouteDeps } from './llm-route-deps.js';

const renderModel = (m: ListedModel) => ({
  id: m.id,
  object: 'model',
  created: m.created,
  owned_by: m.ownedBy,
});

/** `GET /v1/models`: what the key may call. */
export function listModelsHandler(deps: LlmRouteDeps) {
  return async (request: FastifyRequest) => ({
    object: 'list',
    data: (await deps.gateway.list(principalOf(request))).map(renderModel),
  });
}

/** `GET /v1/models/{model}`, answered from the same list so hidden models stay hidden. */
export function retrieveModelHandler(deps: LlmRouteDeps) {
  return async (request: FastifyRequest<{ Params: { model: string } }>) => {
    const models = await deps.gateway.list(principalOf(request));
    const found = models.find((m) => m.id === request.params.model);
    if (!found)
      throw new AppError('model_not_found', `Model '${request.params.model}' does not exist.`, {
        param: 'model',
      });
    return renderModel(found);
  };
}
