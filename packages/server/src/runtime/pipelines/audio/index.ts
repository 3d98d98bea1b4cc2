export { audioTooLong, invalidAudio, unsupportedAudio } from './audio-errors.js';
export { MAX_AUDIO_SECONDS, SUPPORTED_AUDIO_FORMATS } from './audio-limits.js';
export { audioFromBase64 } from './base64-audio.js';
export { type DecodedAudio, decodeAudio, type InspectedAudio, inspectAudio } from './decode-audio.js';
export { resample } from './resample.js';
export {
  type AudioLevels,
  audioLevels,
  firstAudibleS,
  type StretchSpeech,
  stretchSpeech,
} from './speech-activity.js';
export { parseWavHeader, type WavHeader } from './wav-header.js';
