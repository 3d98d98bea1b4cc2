import type { ChatWrapper, Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import type { SequencePool } from './sequence-pool.js';

/** What one loaded model instance holds: the binding, the weights, one context and its sequences. */
export interface LlamaRuntime {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  chatWrapper: ChatWrapper;
  pool: SequencePool;
  threads: number;
}
