import type { TrainingJob, TrainingJobState } from '@modelport/contracts';
import type { Modelport } from '@modelport/sdk';
import { Presets, SingleBar } from 'cli-progress';
import type { CommandContext } from './command-context.js';
import { epochLine } from './render-training-job.js';

/**
 * Follows a job's events: a progress bar over the epochs on a terminal (stderr), and one line per
 * epoch with its loss and metric, each log line, and state changes. Answers the job as it ended.
 */
export async function followTraining(
  ctx: CommandContext,
  client: Modelport,
  job: TrainingJob,
): Promise<TrainingJob> {
  const bar = ctx.io.tty ? startBar(ctx.io.tty, job.progress.epochs) : undefined;
  const say = (line: string) => {
    if (bar) {
      // Lines go above the bar: clear it, write, draw it again.
      ctx.io.tty?.write('\r\u001b[2K');
      ctx.note(line);
      bar.render();
    } else ctx.note(line);
  };
  let metric = job.progress.metric;
  let epochs = job.progress.epochs;
  let state: TrainingJobState = job.state;
  try {
    for await (const event of client.training.jobs.events(job.id)) {
      switch (event.type) {
        case 'progress':
          metric = event.progress.metric ?? metric;
          epochs = event.progress.epochs;
          bar?.setTotal(epochs);
          bar?.update(event.progress.epoch, { phase: event.progress.phase });
          break;
        case 'epoch':
          say(epochLine(event.epoch, epochs, metric));
          break;
        case 'log':
          if (event.level !== 'debug')
            say(`${event.level === 'info' ? '' : `${event.level}: `}${event.message}`);
          break;
        case 'state':
          if (event.state !== state) say(`state: ${event.state}`);
          state = event.state;
          break;
        default:
          break;
      }
    }
  } finally {
    bar?.stop();
  }
  return client.training.jobs.get(job.id);
}

function startBar(stream: NodeJS.WriteStream, epochs: number): SingleBar {
  const bar = new SingleBar(
    {
      stream,
      format: 'training [{bar}] {value}/{total} epochs  {phase}',
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(epochs, 0, { phase: 'queued' });
  return bar;
}
