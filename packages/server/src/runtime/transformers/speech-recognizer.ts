import { audioFromBase64, type DecodedAudio, decodeAudio, inspectAudio } from '../../tasks/audio/index.js';
import type { PredictResponse } from '../../tasks/spec.js';
import { abortStreamer } from './abort-streamer.js';
import { modelConfig, type PipelineParts } from './pipeline-parts.js';
import { requestFor, type TaskModel } from './task-model.js';
import { type WhisperGenerationConfig, whisperLanguage } from './whisper-language.js';

interface AsrOutput {
  text: string;
  chunks?: { timestamp: [number, number | null]; text: string }[];
}
type Transcribe = (audio: Float32Array, options: Record<string, unknown>) => Promise<AsrOutput>;

interface ExtractorConfig {
  sampling_rate: number;
  /** Seconds of audio per window; longer audio is cut into overlapping windows. */
  chunk_length: number;
}

const whisperTypes = new Set(['whisper', 'lite-whisper']);

/** Whisper through the transformers.js pipeline, fed mono samples at the feature extractor's rate. */
export async function createSpeechRecognizer(parts: PipelineParts): Promise<TaskModel> {
  const modelType = modelConfig(parts).model_type ?? 'unknown';
  if (!whisperTypes.has(modelType))
    throw new Error(`speech recognition serves whisper models; this folder holds a '${modelType}' model`);
  const extractor = extractorConfig(parts);
  const generation = (parts.model.generation_config ?? {}) as WhisperGenerationConfig;
  const transcribe = parts as unknown as Transcribe;
  // onnxruntime's first runs allocate and plan (about 1.5 s here); pay that before reporting ready.
  await transcribe(new Float32Array(extractor.sampling_rate), { max_new_tokens: 2 });
  return {
    info: { task: 'automatic-speech-recognition', modelType },
    prepare(input) {
      const request = requestFor(input, 'automatic-speech-recognition');
      const audio = inspectAudio(audioFromBase64(request.audio));
      const language = whisperLanguage(request.language, generation);
      const timestamps = request.timestamps ?? false;
      return async (signal) => {
        signal.throwIfAborted();
        const decoded = await decodeAudio(audio, extractor.sampling_rate, signal);
        const output = await transcribe(decoded.samples, {
          // English-only models refuse a language or task token.
          ...(language ? { language, task: 'transcribe' } : {}),
          return_timestamps: timestamps,
          ...(decoded.durationS > extractor.chunk_length ? { chunk_length_s: extractor.chunk_length } : {}),
          streamer: abortStreamer(signal),
        });
        signal.throwIfAborted();
        return transcript(output, decoded, language ?? 'en', timestamps);
      };
    },
    dispose: () => parts.dispose(),
  };
}

function extractorConfig(parts: PipelineParts): ExtractorConfig {
  const config = parts.processor?.feature_extractor?.config as Partial<ExtractorConfig> | undefined;
  if (typeof config?.sampling_rate !== 'number')
    throw new Error('the model folder has no preprocessor_config.json with a sampling_rate');
  return { sampling_rate: config.sampling_rate, chunk_length: config.chunk_length ?? 30 };
}

function transcript(
  output: AsrOutput,
  audio: DecodedAudio,
  language: string,
  timestamps: boolean,
): PredictResponse {
  return {
    task: 'automatic-speech-recognition',
    text: output.text.trim(),
    durationS: Math.round(audio.durationS * 1000) / 1000,
    language,
    ...(timestamps
      ? {
          chunks: (output.chunks ?? []).map((c) => ({
            text: c.text.trim(),
            start: c.timestamp[0],
            end: c.timestamp[1] ?? null,
          })),
        }
      : {}),
  };
}
