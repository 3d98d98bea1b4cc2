import * as ort from 'onnxruntime-node';
import { AppError } from '../../platform/errors/index.js';

type SessionOptions = ort.InferenceSession.SessionOptions;
type ExecutionProvider = ort.InferenceSession.ExecutionProviderConfig;

/**
 * Session config entries (onnxruntime_session_options_config_keys.h). The Node binding flattens
 * nested `extra` keys with dots, so this sets `session.intra_op.allow_spinning = 0` and the inter-op
 * twin. Spinning workers busy-wait between requests and would eat the CPU budget of idle runners.
 */
export const noSpinning = {
  session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } },
} as const;

function invalidOption(message: string): AppError {
  return new AppError('validation_failed', message, { param: 'options.executionProviders' });
}

function providerName(entry: unknown, index: number): string {
  if (typeof entry === 'string') return entry;
  if (typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string') {
    return (entry as { name: string }).name;
  }
  throw invalidOption(`options.executionProviders[${index}] must be a name or an object with a name`);
}

/** `options.executionProviders` (default cpu), refused early when this onnxruntime build lacks one. */
function executionProvidersFrom(options: Record<string, unknown>): ExecutionProvider[] {
  const value = options.executionProviders;
  if (value === undefined) return ['cpu'];
  if (!Array.isArray(value) || value.length === 0) {
    throw invalidOption('options.executionProviders must be a non-empty array');
  }
  const available = ort.listSupportedBackends().map((b) => b.name);
  value.forEach((entry, i) => {
    const name = providerName(entry, i);
    if (!available.includes(name)) {
      throw invalidOption(
        `execution provider '${name}' is not in this onnxruntime build (available: ${available.join(', ')})`,
      );
    }
  });
  return value as ExecutionProvider[];
}

/**
 * Session options for one model instance. `threads` is the instance's share of the CPU budget;
 * inter-op stays at 1 because sequential execution never uses the inter-op pool.
 */
export function sessionOptionsFor(threads: number, options: Record<string, unknown>): SessionOptions {
  if (!Number.isSafeInteger(threads) || threads < 1) {
    // 0 would mean "one thread per core" to onnxruntime, overrunning the budget.
    throw new AppError('validation_failed', `threads must be a positive integer, got ${threads}`, {
      param: 'threads',
    });
  }
  return {
    executionProviders: executionProvidersFrom(options),
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
    extra: noSpinning,
  };
}
