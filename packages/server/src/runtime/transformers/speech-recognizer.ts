import type { PredictResponse } from '../../wire/index.js';
import { audioFromBase64, type DecodedAudio, decodeAudio, inspectAudio } from '../pipelines/audio/index.js';
import { type Segment, transcribeLongForm, transcriptText } from './long-form-transcription.js';
import { modelConfig, type PipelineParts } from './pipeline-parts.js';
import { requestFor, type TaskModel } from './task-model.js';
import { type WhisperGenerationConfig, whisperLanguage } from './whisper-language.js';
import { type ExtractorConfig, whisperWindowDecoders } from './whisper-window.js';

type Transcribe = (audio: Float32Array, options: Record<string, unknown>) => Promise<unknown>;

const whisperTypes = new Set(['whisper', 'lite-whisper']);

/**
 * Whisper over mono samples at the feature extractor's rate, decoded window by window with
 * timestamps whether or not the caller asked for them: the timestamps say where the decoder
 * stopped, so an early stop can be caught, and the text is the same with or without chunks.
 */
export async function createSpeechRecognizer(parts: PipelineParts): Promise<TaskModel> {
  const modelType = modelConfig(parts).model_type ?? 'unknown';
  if (!whisperTypes.has(modelType))
    throw new Error(`speech recognition serves whisper models; this folder holds a '${modelType}' model`);
  const extractor = extractorConfig(parts);
  const generation = (parts.model.generation_config ?? {}) as WhisperGenerationConfig;
  const decoderFor = await whisperWindowDecoders(parts, extractor);
  // onnxruntime's first runs allocate and plan (about 1.5 s here); pay that before reporting ready.
  await (parts as unknown as Transcribe)(new Float32Array(extractor.sampling_rate), { max_new_tokens: 2 });
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
        const segments = await transcribeLongForm(
          decoded.samples,
          decoded.sampleRate,
          extractor.chunk_length,
          decoderFor(language, signal),
          signal,
        );
        signal.throwIfAborted();
        return transcript(segments, decoded, language ?? 'en', timestamps);
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
  segments: Segment[],
  audio: DecodedAudio,
  language: string,
  timestamps: boolean,
): PredictResponse {
  return {
    task: 'automatic-speech-recognition',
    text: transcriptText(segments),
    durationS: Math.round(audio.durationS * 1000) / 1000,
    language,
    ...(timestamps
      ? { chunks: segments.map((s) => ({ text: s.text.trim(), start: s.startS, end: s.endS })) }
      : {}),
  };
}
