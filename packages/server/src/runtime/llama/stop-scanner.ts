import type { Token } from 'node-llama-cpp';
import type { ReplyText } from './reply.js';

interface Pending {
  text: string;
  tokens: readonly Token[];
}

/**
 * OpenAI stop strings: the reply ends just before the first occurrence and the stop text never
 * shows, also when it starts inside a token (" Lily" for stop "Lily" keeps the space). Chunks are
 * held back until no stop can still begin in them.
 */
export class StopScanner {
  private readonly pending: Pending[] = [];
  private readonly holdChars: number;
  stopped = false;

  constructor(
    private readonly stops: readonly string[],
    private readonly emit: ReplyText,
    private readonly onStop: () => void,
  ) {
    this.holdChars = Math.max(0, ...stops.map((s) => s.length - 1));
  }

  readonly feed: ReplyText = (text, tokens) => {
    if (this.stopped) return;
    this.pending.push({ text, tokens });
    const joined = this.pending.map((p) => p.text).join('');
    const at = this.firstStop(joined);
    if (at >= 0) {
      this.stopped = true;
      const tokens = this.pending.flatMap((p) => p.tokens);
      this.pending.length = 0;
      if (at > 0) this.emit(joined.slice(0, at), tokens);
      this.onStop();
      return;
    }
    let held = joined.length;
    while (this.pending.length > 0) {
      const head = this.pending[0] as Pending;
      if (held - head.text.length < this.holdChars) break;
      this.pending.shift();
      held -= head.text.length;
      this.emit(head.text, head.tokens);
    }
  };

  /** The reply ended without a stop string: what was held back is part of it. */
  flush(): void {
    for (const p of this.pending.splice(0)) this.emit(p.text, p.tokens);
  }

  private firstStop(text: string): number {
    let first = -1;
    for (const stop of this.stops) {
      const i = text.indexOf(stop);
      if (i >= 0 && (first < 0 || i < first)) first = i;
    }
    return first;
  }
}
