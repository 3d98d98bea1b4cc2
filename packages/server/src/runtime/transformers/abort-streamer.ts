/** The shape of transformers.js's `BaseStreamer`, which `generate()` calls before its first step and after each token. */
export interface TokenStreamer {
  put(tokens: bigint[][]): void;
  end(): void;
}

/**
 * Makes generation throw at its next step once `signal` aborts. onnxruntime cannot interrupt a run,
 * but whisper decodes token by token and window by window, so a caller gone or a deadline passed
 * frees the runner within one decoder step. A streamer, because whisper's `generate()` in
 * transformers.js 4.3.1 drops `stopping_criteria`, while it passes the streamer through.
 */
export function abortStreamer(signal: AbortSignal): TokenStreamer {
  return {
    put: () => signal.throwIfAborted(),
    end: () => {},
  };
}
