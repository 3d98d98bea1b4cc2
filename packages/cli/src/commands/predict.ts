import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { PredictBody, PredictResult } from '@modelport/contracts';
import type { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { action, type CommandContext } from '../command-context.js';

interface PredictOptions {
  topK?: string;
  language?: string;
}

/** `modelport predict <model> <file|json>`: an image or audio file, or a JSON body (text, rows). */
export function registerPredict(program: Command, io: CliIo): void {
  program
    .command('predict <model> <input>')
    .description(
      'run a deployed model’s task: an image or WAV file, or JSON like {"text":"…"} or {"rows":[…]}',
    )
    .option('--top-k <k>', 'how many labels to return')
    .option('--language <code>', 'spoken language for speech recognition (e.g. en)')
    .action(action(io, predict));
}

async function predict(
  ctx: CommandContext,
  model: string,
  input: string,
  opts: PredictOptions,
): Promise<void> {
  const options: PredictBody = {
    ...(opts.topK ? { topK: Number(opts.topK) } : {}),
    ...(opts.language ? { language: opts.language } : {}),
  };
  const client = ctx.client();
  const result = existsSync(input)
    ? await client.predict.file(model, await readFile(input), options)
    : await client.predict.run(model, { ...(JSON.parse(input) as PredictBody), ...options });
  ctx.print(result, () => human(result));
}

function human(result: PredictResult): string {
  switch (result.task) {
    case 'image-classification':
      return result.predictions.map((p) => `${p.score.toFixed(4)}  ${p.label}`).join('\n');
    case 'text-classification':
      return result.predictions
        .map((row) => row.map((p) => `${p.label} ${p.score.toFixed(4)}`).join(', '))
        .join('\n');
    case 'automatic-speech-recognition':
      return result.text;
    case 'feature-extraction':
      return result.embeddings
        .map(
          (e) =>
            `[${e.length} dims] ${e
              .slice(0, 4)
              .map((v) => v.toFixed(4))
              .join(', ')} …`,
        )
        .join('\n');
    case 'tabular':
      return result.predictions.map((row) => JSON.stringify(row)).join('\n');
  }
}
