/** The token ids of a whisper model that timestamped decoding relies on. */
export interface WhisperTokenIds {
  /** `<|endoftext|>`. Ids from it up to `timestampBegin` are special: prompt, language, task. */
  eos: number;
  /** `<|0.00|>`; each later id is one `secondsPerStep` later. */
  timestampBegin: number;
  secondsPerStep: number;
}

/** One segment of a window's transcript, times in seconds from the window's start. */
export interface TokenSegment {
  startS: number;
  endS: number;
  /** Text tokens, without timestamps. */
  tokens: number[];
}

export interface ParsedWindow {
  segments: TokenSegment[];
  /**
   * Where the next window should start, in seconds from this one's start: the end of the last
   * complete segment when the decoder stopped inside one (the window cut it, or the token budget
   * ran out). `null` when the decoder closed its last segment and so consumed the window.
   */
  resumeS: number | null;
}

/**
 * Splits a window's generated tokens into segments the way whisper's own long-form transcription
 * does (openai/whisper `transcribe.py`): two consecutive timestamps end one segment and start the
 * next; a single timestamp before the end closes the last one.
 */
export function parseWindowTokens(
  generated: readonly (bigint | number)[],
  ids: WhisperTokenIds,
  windowS: number,
): ParsedWindow {
  const tokens = generated.map(Number).filter((t) => t < ids.eos || t >= ids.timestampBegin);
  const isTime = (i: number) => (tokens[i] ?? -1) >= ids.timestampBegin;
  // To the millisecond: 190 steps of 0.02 s are 3.8 s, not 3.8000000000000003.
  const timeAt = (i: number) =>
    Math.round(((tokens[i] as number) - ids.timestampBegin) * ids.secondsPerStep * 1000) / 1000;
  const n = tokens.length;
  const closed = n >= 2 && isTime(n - 1) && !isTime(n - 2);
  // Index of the second timestamp of each pair: where a new segment starts.
  const starts = tokens.flatMap((_, i) => (i > 0 && isTime(i - 1) && isTime(i) ? [i] : []));
  if (starts.length === 0) return { segments: wholeWindow(tokens, isTime, timeAt, windowS), resumeS: null };
  const ends = closed ? [...starts, n] : starts;
  const segments: TokenSegment[] = [];
  let from = 0;
  for (const to of ends) {
    const text = tokens.slice(from + 1, to - 1).filter((_, i) => !isTime(from + 1 + i));
    if (text.length > 0) segments.push({ startS: timeAt(from), endS: timeAt(to - 1), tokens: text });
    from = to;
  }
  return { segments, resumeS: closed ? null : timeAt(from - 1) };
}

/** No pair: one segment from the first timestamp to the last, or to the window's end if it stays open. */
function wholeWindow(
  tokens: number[],
  isTime: (i: number) => boolean,
  timeAt: (i: number) => number,
  windowS: number,
): TokenSegment[] {
  const times = tokens.flatMap((_, i) => (isTime(i) ? [timeAt(i)] : []));
  const text = tokens.filter((_, i) => !isTime(i));
  if (text.length === 0) return [];
  const closedAt = times.length > 1 ? times[times.length - 1] : undefined;
  return [{ startS: times[0] ?? 0, endS: closedAt ?? windowS, tokens: text }];
}
