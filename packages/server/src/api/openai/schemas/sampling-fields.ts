import { z } from 'zod';

/** Our cap on `n` (OpenAI allows 128): each choice is a concurrent generation on the model's runner. */
export const MAX_CHOICES = 16;

/** Used when the request names no `max_completion_tokens` / `max_tokens` (OpenAI's default is the context). */
export const DEFAULT_MAX_TOKENS = 256;

/** OpenAI's limit on stop sequences. */
export const MAX_STOP_SEQUENCES = 4;

const penalty = z.number().min(-2).max(2);

const stop = z.union([
  z.string(),
  z.array(z.string()).max(MAX_STOP_SEQUENCES, `at most ${MAX_STOP_SEQUENCES} stop sequences`),
]);

/**
 * Fields shared by chat and legacy completions. OpenAI clients send `null` for unset fields, so every
 * optional field is nullish; unknown fields are ignored as OpenAI does.
 */
export const samplingFields = {
  model: z.string().min(1),
  max_tokens: z.int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.int().min(1).max(MAX_CHOICES).nullish(),
  stop: stop.nullish(),
  seed: z.int().nullish(),
  presence_penalty: penalty.nullish(),
  frequency_penalty: penalty.nullish(),
  // Ignoring a bias would silently change the output, so a non-empty one is refused.
  logit_bias: z
    .record(z.string(), z.number())
    .refine((bias) => Object.keys(bias).length === 0, 'logit_bias is not supported')
    .nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  user: z.string().nullish(),
};

/** A value the API also accepts as token ids, which we refuse: we only take text. */
export function refuseTokenArrays<T extends z.ZodType>(text: T, what: string) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (Array.isArray(value) && value.some((item) => typeof item === 'number' || Array.isArray(item)))
        ctx.addIssue({ code: 'custom', message: `token ${what} are not supported; send text` });
    })
    .pipe(text);
}
