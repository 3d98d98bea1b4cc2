import type { PredictResponse } from '../../tasks/index.js';

type Transcript = Extract<PredictResponse, { task: 'automatic-speech-recognition' }>;

export type TranscriptionFormat = 'json' | 'text' | 'verbose_json' | 'srt' | 'vtt';

/** The transcript in the response format OpenAI's `/v1/audio/transcriptions` offers. */
export function renderTranscript(
  t: Transcript,
  format: TranscriptionFormat,
): { body: unknown; type: string } {
  const segments = (t.chunks ?? [{ text: t.text, start: 0, end: t.durationS }]).map((c, id) => ({
    id,
    start: c.start,
    end: c.end ?? t.durationS,
    text: c.text,
  }));
  switch (format) {
    case 'text':
      return { body: `${t.text}\n`, type: 'text/plain; charset=utf-8' };
    case 'verbose_json':
      return {
        body: {
          task: 'transcribe',
          language: t.language ?? null,
          duration: t.durationS,
          text: t.text,
          segments,
        },
        type: 'application/json',
      };
    case 'srt':
      return {
        body: segments
          .map((s, i) => `${i + 1}\n${clock(s.start, ',')} --> ${clock(s.end, ',')}\n${s.text.trim()}\n`)
          .join('\n'),
        type: 'application/x-subrip',
      };
    case 'vtt':
      return {
        body: `WEBVTT\n\n${segments.map((s) => `${clock(s.start, '.')} --> ${clock(s.end, '.')}\n${s.text.trim()}\n`).join('\n')}`,
        type: 'text/vtt',
      };
    default:
      return { body: { text: t.text }, type: 'application/json' };
  }
}

function clock(seconds: number, separator: string): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}
