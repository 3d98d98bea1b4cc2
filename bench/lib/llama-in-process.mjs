import { performance } from 'node:perf_hooks';
import { getLlama, LlamaCompletion, LlamaLogLevel } from 'node-llama-cpp';

/**
 * The baseline: node-llama-cpp in this process, configured as a llama runner configures it (CPU,
 * explicit threads, one context whose sequences decode together) and sampling as the server does
 * for `temperature: 0` with no penalties.
 */
export async function loadInProcessLlm({ path, threads, contextSize, sequences }) {
  const llama = await getLlama({
    build: 'never',
    gpu: false,
    maxThreads: threads,
    logLevel: LlamaLogLevel.error,
  });
  try {
    const model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
    const context = await model.createContext({ contextSize, sequences, threads });
    const slots = Array.from({ length: sequences }, () => context.getSequence());
    return {
      /** One greedy completion on sequence `slot`, timed like a streaming client times one. */
      async complete(slot, prompt, maxTokens) {
        const sequence = slots[slot];
        // The server clears a sequence between requests, so no run may reuse an earlier prompt's cache.
        await sequence.clearHistory();
        const completion = new LlamaCompletion({ contextSequence: sequence, autoDisposeSequence: false });
        const timing = streamTiming();
        let tokens = 0;
        try {
          // Tokenized as the server tokenizes a completion prompt; LlamaCompletion adds the BOS.
          const { response } = await completion.generateCompletionWithMeta(model.tokenize(prompt), {
            maxTokens,
            temperature: 0,
            topP: 1,
            repeatPenalty: false,
            onToken: (t) => {
              tokens += t.length;
            },
            onTextChunk: (text) => timing.text(text),
          });
          return timing.end(tokens, response);
        } finally {
          completion.dispose({ disposeSequence: false });
        }
      },
      dispose: () => llama.dispose(),
    };
  } catch (err) {
    await llama.dispose();
    throw err;
  }
}

/**
 * Times one stream from its start: the first and last text received. Decode rate leaves out the
 * first token, whose time is prompt processing (and, through a server, the request's way in).
 */
export function streamTiming() {
  const start = performance.now();
  let first;
  let last;
  let text = '';
  return {
    text(chunk) {
      if (chunk === '') return;
      const now = performance.now();
      first ??= now;
      last = now;
      text += chunk;
    },
    end(tokens, fullText = text) {
      const decodeMs = last - first;
      return {
        tokens,
        text: fullText,
        ttftMs: first - start,
        totalMs: last - start,
        decodeMs,
        decodeTokPerS: tokens > 1 && decodeMs > 0 ? ((tokens - 1) * 1000) / decodeMs : Number.NaN,
        startMs: start,
        lastMs: last,
      };
    },
  };
}
