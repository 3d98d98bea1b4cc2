import { z } from 'zod';
import { MAX_CHOICES, refuseTokenArrays, samplingFields } from './sampling-fields.js';

const prompt = refuseTokenArrays(
  z.union([z.string(), z.array(z.string()).min(1).max(MAX_CHOICES, `at most ${MAX_CHOICES} prompts`)]),
  'prompts',
);

/** `POST /v1/completions` (`CreateCompletionRequest`), text prompts only. */
export const completionRequestSchema = z
  .object({
    ...samplingFields,
    prompt,
    echo: z.boolean().nullish(),
    logprobs: z.int().min(0).max(5).nullish(),
    // Fill-in-the-middle needs model support we do not detect; best_of would need ranking by logprob.
    suffix: z
      .string()
      .nullish()
      .refine((s) => !s, 'suffix (fill-in-the-middle) is not supported'),
    best_of: z
      .int()
      .nullish()
      .refine((b) => b == null || b === 1, 'best_of is not supported'),
  })
  .superRefine((body, ctx) => {
    // Echo with logprobs asks for the prompt's own log-probabilities, which the runner does not report.
    if (body.echo && body.logprobs != null)
      ctx.addIssue({ code: 'custom', path: ['logprobs'], message: 'is not supported together with echo' });
    // Every prompt runs n generations at once; the cap on concurrent choices covers them all.
    const prompts = Array.isArray(body.prompt) ? body.prompt.length : 1;
    if (prompts * (body.n ?? 1) > MAX_CHOICES)
      ctx.addIssue({ code: 'custom', path: ['n'], message: `prompts × n may be at most ${MAX_CHOICES}` });
  });

export type CompletionRequestBody = z.infer<typeof completionRequestSchema>;
