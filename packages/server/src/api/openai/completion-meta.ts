import { createHash } from 'node:crypto';
import type { LlmTarget } from '../../deploy/index.js';
import { randomBase62 } from '../../platform/index.js';

/** What every object (or chunk) of one response shares. */
export interface CompletionMeta {
  id: string;
  created: number;
  /** The request's `model` string, echoed as OpenAI does. */
  model: string;
  systemFingerprint: string;
}

export function newCompletionMeta(
  prefix: 'chatcmpl' | 'cmpl',
  model: string,
  target: LlmTarget,
): CompletionMeta {
  return {
    id: `${prefix}-${randomBase62(24)}`,
    created: Math.floor(Date.now() / 1000),
    model,
    systemFingerprint: fingerprintOf(target),
  };
}

/** Stable per deployed version, so clients can tell when the serving configuration changed. */
function fingerprintOf(target: LlmTarget): string {
  const digest = createHash('sha256').update(`${target.name}:${target.version}`).digest('hex');
  return `fp_${digest.slice(0, 10)}`;
}
