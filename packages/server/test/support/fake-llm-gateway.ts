import type { Principal } from '../../src/auth/principal.js';
import type { ListedModel, LlmGateway, LlmTarget } from '../../src/deploy/llm-gateway.js';
import { AppError } from '../../src/platform/errors/index.js';
import type {
  EmbedRequest,
  EmbedResponse,
  GenerationEvent,
  GenerationRequest,
  TokenLogprob,
} from '../../src/wire/generation.js';

export const PROMPT_TOKENS = 11;
export const REPLY_PIECES = ['Hel', 'lo', ', wor', 'ld!'];
export const CONTEXT_SIZE = 4096;
export const EMBEDDING = [0.5, -1.25, 3];

export interface GenerateCall {
  model: string;
  request: GenerationRequest;
  signal: AbortSignal;
}

type Script = (request: GenerationRequest, signal: AbortSignal) => AsyncIterable<GenerationEvent>;

const llmInfo = {
  architecture: 'llama',
  contextSize: CONTEXT_SIZE,
  trainContextSize: CONTEXT_SIZE,
  parallel: 4,
  hasChatTemplate: true,
  chatWrapper: 'Llama3ChatWrapper',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function logprobsFor(piece: string, top: number | undefined): TokenLogprob[] | undefined {
  if (top === undefined) return undefined;
  const alternatives = [piece, 'x', 'y'].slice(0, top).map((token, i) => ({ token, logprob: -0.25 - i }));
  return [{ token: piece, logprob: -0.25, top: alternatives }];
}

/** Replies "Hello, world!" in pieces, or calls the first tool when tools are offered (unless `none`). */
async function* reply(request: GenerationRequest): AsyncGenerator<GenerationEvent> {
  yield { type: 'start', promptTokens: PROMPT_TOKENS };
  if (request.kind === 'chat' && request.tools?.length && request.toolChoice !== 'none') {
    const name = typeof request.toolChoice === 'object' ? request.toolChoice.name : request.tools[0]?.name;
    await sleep(1);
    yield { type: 'tool_calls', calls: [{ id: 'call_1', name: name ?? '', arguments: '{"city":"Paris"}' }] };
    yield { type: 'end', finishReason: 'tool_calls', promptTokens: PROMPT_TOKENS, completionTokens: 9 };
    return;
  }
  for (const piece of REPLY_PIECES) {
    await sleep(1);
    const logprobs = logprobsFor(piece, request.topLogprobs);
    yield { type: 'text', text: piece, ...(logprobs ? { logprobs } : {}) };
  }
  yield {
    type: 'end',
    finishReason: 'stop',
    promptTokens: PROMPT_TOKENS,
    completionTokens: REPLY_PIECES.length,
  };
}

/** Ticks until aborted, like a long generation whose client goes away. */
async function* endless(_request: GenerationRequest, signal: AbortSignal): AsyncGenerator<GenerationEvent> {
  yield { type: 'start', promptTokens: PROMPT_TOKENS };
  while (!signal.aborted) {
    yield { type: 'text', text: 'tick ' };
    await sleep(10);
  }
}

/** Refuses on the first pull, as a runner with a full queue does. */
function busy(): AsyncIterable<GenerationEvent> {
  const refuse = () => Promise.reject(new AppError('queue_full', 'The model is busy.', { retryAfterS: 2 }));
  return { [Symbol.asyncIterator]: () => ({ next: refuse }) };
}

async function* failsMidway(): AsyncGenerator<GenerationEvent> {
  yield { type: 'start', promptTokens: PROMPT_TOKENS };
  yield { type: 'text', text: 'partial' };
  await sleep(1);
  yield { type: 'error', code: 'runner_failed', message: 'The runner crashed.' };
}

/** Every other call is refused: with n = 2, one choice starts and its sibling does not. */
function crowdedScript(): Script {
  let calls = 0;
  return (request, signal) => (calls++ % 2 === 0 ? endless(request, signal) : busy());
}

const scripts: Record<string, Script> = {
  'tiny-llm': reply,
  slow: endless,
  busy,
  flaky: failsMidway,
  crowded: crowdedScript(),
};

/** Scripted stand-in for the real gateway: the wire format and routing are what these tests exercise. */
export class FakeGateway implements LlmGateway {
  readonly calls: GenerateCall[] = [];
  readonly embedCalls: EmbedRequest[] = [];

  async resolve(_principal: Principal, model: string): Promise<LlmTarget> {
    if (model === 'embedder')
      return {
        requested: model,
        name: model,
        modelName: model,
        version: 1,
        backend: 'onnx',
        info: undefined,
      };
    if (!(model in scripts)) throw new AppError('model_not_found', `Model '${model}' does not exist.`);
    return { requested: model, name: model, modelName: model, version: 3, backend: 'llama', info: llmInfo };
  }

  /** No failover chains here: one attempt on the target. */
  withFallbacks<T>(
    _principal: Principal,
    target: LlmTarget,
    attempt: (target: LlmTarget) => Promise<T>,
  ): Promise<T> {
    return attempt(target);
  }

  async list(): Promise<ListedModel[]> {
    return [
      { id: 'tiny-llm', created: 1_700_000_000, ownedBy: 'acme' },
      { id: 'embedder', created: 1_700_000_100, ownedBy: 'acme' },
    ];
  }

  generate(
    _principal: Principal,
    target: LlmTarget,
    request: GenerationRequest,
    signal: AbortSignal,
  ): AsyncIterable<GenerationEvent> {
    this.calls.push({ model: target.name, request, signal });
    const script = scripts[target.name];
    if (!script) throw new Error(`no script for ${target.name}`);
    return script(request, signal);
  }

  async embed(_principal: Principal, _target: LlmTarget, request: EmbedRequest): Promise<EmbedResponse> {
    this.embedCalls.push(request);
    return {
      embeddings: request.input.map((_, i) => EMBEDDING.map((v) => v + i)),
      promptTokens: request.input.length * 2,
    };
  }

  lastCall(): GenerateCall {
    const call = this.calls.at(-1);
    if (!call) throw new Error('the gateway was not called');
    return call;
  }
}
