import type { TrainingProgress } from '@modelport/contracts';
import type { Clock, Logger } from '../../platform/index.js';
import type { JobJournal } from './job-journal.js';
import type { JobRepo, JobRow } from './job-repo.js';
import type { WorkerReport } from './worker-port.js';

interface ProgressDeps {
  repo: JobRepo;
  journal: JobJournal;
  clock: Clock;
  log: Logger;
  owner: string;
}

/**
 * The job's progress as reports come in: each written to the row and the journal in the order the
 * worker sent them (writes are chained), so a stream never sees epoch 3 before epoch 2.
 */
export class ProgressWriter {
  private progress: TrainingProgress;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: ProgressDeps,
    private readonly row: JobRow,
  ) {
    this.progress = JSON.parse(row.progress) as TrainingProgress;
  }

  report(report: WorkerReport): void {
    this.chain = this.chain
      .then(() => this.write(report))
      .catch((err: unknown) => this.deps.log.warn({ err, job: this.row.id }, 'could not record a report'));
  }

  phase(phase: TrainingProgress['phase']): Promise<void> {
    this.report({ type: 'phase', phase });
    return this.flushed();
  }

  flushed(): Promise<void> {
    return this.chain;
  }

  /** The progress a job ends with; a succeeded job's says its metric, now known. */
  final(state: 'succeeded' | 'failed' | 'cancelled', metric?: TrainingProgress['metric']): TrainingProgress {
    if (state !== 'succeeded') return this.progress;
    return { ...this.progress, phase: 'done', fraction: 1, metric: metric ?? this.progress.metric };
  }

  requeued(): TrainingProgress {
    return { ...this.progress, phase: 'queued' };
  }

  private async write(report: WorkerReport): Promise<void> {
    const { journal } = this.deps;
    const id = this.row.id;
    switch (report.type) {
      case 'log':
        return journal.log(id, report.level, report.message);
      case 'epoch': {
        const { epoch, epochs, metric } = report;
        await journal.append(id, { type: 'epoch', epoch: report.epoch });
        return this.update({
          ...this.progress,
          phase: 'training',
          metric: metric ?? this.progress.metric,
          epoch: epoch.epoch,
          epochs,
          fraction: epochs > 0 ? Math.min(1, epoch.epoch / epochs) : 0,
        });
      }
      case 'phase':
        return this.update({ ...this.progress, phase: report.phase });
    }
  }

  private async update(progress: TrainingProgress): Promise<void> {
    this.progress = progress;
    const { repo, journal, clock, owner } = this.deps;
    await repo.updateOwned(this.row.id, owner, {
      progress: JSON.stringify(progress),
      updated_at: clock.now().toISOString(),
    });
    await journal.append(this.row.id, { type: 'progress', progress });
  }
}
