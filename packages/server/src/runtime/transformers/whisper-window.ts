import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Tensor } from '@huggingface/transformers';
import { abortStreamer } from './abort-streamer.js';
import { endOfSpeechGuard, logitsProcessors } from './end-of-speech-guard.js';
import type { DecodeWindow } from './long-form-transcription.js';
import type { PipelineParts } from './pipeline-parts.js';
import { parseWindowTokens, type WhisperTokenIds } from './whisper-tokens.js';

/** The `config.json` and `generation_config.json` fields of a whisper model read here. */
interface WhisperConfigs {
  max_source_positions?: number;
  max_target_positions?: number;
  eos_token_id?: number | number[];
  no_timestamps_token_id?: number;
}

/** The feature extractor's fields read here. */
export interface ExtractorConfig {
  sampling_rate: number;
  /** Seconds of audio per window; the encoder always sees this much (shorter input is padded). */
  chunk_length: number;
}

/** A window decoder for one request: its language (none for English-only models) and abort signal. */
export type WindowDecoderFor = (language: string | undefined, signal: AbortSignal) => DecodeWindow;

/**
 * Window decoders over the model's own parts: log-mel features, then `generate()` with
 * timestamps, the end-of-speech guard and a token budget, then the tokens split into segments.
 * The pipeline's whisper call is not used: its seeking inside a window and its merging of
 * overlapping windows would hide where the decoder stopped.
 */
export async function whisperWindowDecoders(
  parts: PipelineParts,
  extractor: ExtractorConfig,
): Promise<WindowDecoderFor> {
  const lib = await import('@huggingface/transformers');
  const ids = whisperTokenIds(parts, extractor.chunk_length);
  const processor = parts.processor;
  if (!processor) throw new Error('the model folder has no whisper processor');
  const maxNewTokens = tokenBudget(parts);
  return (language, signal) => async (window, speechAfterS) => {
    const { input_features } = (await processor(window)) as { input_features: Tensor };
    // The encoder cannot be interrupted; a caller gone during feature extraction is seen before it.
    await nextTurn();
    signal.throwIfAborted();
    const generation: Record<string, unknown> = {
      inputs: input_features,
      ...(language ? { language, task: 'transcribe' } : {}),
      return_timestamps: true,
      max_new_tokens: maxNewTokens,
      logits_processor: logitsProcessors(lib, [endOfSpeechGuard(ids, speechAfterS)]),
      // transformers.js types the streamer as its TextStreamer; generate() only calls put() and end().
      streamer: abortStreamer(signal),
    };
    const output = (await parts.model.generate(generation)) as Tensor;
    const tokens = (output.tolist() as bigint[][])[0] ?? [];
    const parsed = parseWindowTokens(tokens, ids, window.length / extractor.sampling_rate);
    return {
      segments: parsed.segments.map((s) => ({
        text: parts.tokenizer.decode(s.tokens, { skip_special_tokens: true }),
        startS: s.startS,
        endS: s.endS,
      })),
      resumeS: parsed.resumeS,
    };
  };
}

/** A field from generation_config.json, else from config.json. */
function field<K extends keyof WhisperConfigs>(parts: PipelineParts, key: K): WhisperConfigs[K] {
  const generation = (parts.model.generation_config ?? {}) as WhisperConfigs;
  return generation[key] ?? (parts.model.config as WhisperConfigs)[key];
}

function whisperTokenIds(parts: PipelineParts, windowS: number): WhisperTokenIds {
  const eosIds = field(parts, 'eos_token_id');
  const eos = Array.isArray(eosIds) ? eosIds[0] : eosIds;
  const noTimestamps = field(parts, 'no_timestamps_token_id');
  if (typeof eos !== 'number' || typeof noTimestamps !== 'number')
    throw new Error(
      'the model has no eos_token_id or no_timestamps_token_id in generation_config.json; timestamped decoding needs both',
    );
  // As transformers.js computes it: 30 s over the encoder's 1500 positions, 0.02 s.
  const positions = field(parts, 'max_source_positions') ?? 1500;
  return { eos, timestampBegin: noTimestamps + 1, secondsPerStep: windowS / positions };
}

/**
 * Half the decoder's context, as openai/whisper allows per window: 30 seconds of speech take well
 * under 200 tokens, so a window that needs more is looping, and is cut there.
 */
function tokenBudget(parts: PipelineParts): number {
  return Math.floor((field(parts, 'max_target_positions') ?? 448) / 2);
}
