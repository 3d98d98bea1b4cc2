import type { TrainingResult as JobResult } from '@modelport/contracts';
import type { TrainingResult } from '../../wire/training/index.js';
import type { TrainedScores } from './worker-port.js';

/** The trainer's evaluation as a job's result shows it: scalar scores beside the baseline's. */
export function scoresOf(result: TrainingResult): TrainedScores {
  const { evaluation } = result;
  const common: Pick<
    JobResult,
    'metric' | 'evaluatedOn' | 'labels' | 'epochsRun' | 'bestEpoch' | 'stoppedBy'
  > = {
    metric: result.metric,
    evaluatedOn: { split: evaluation.split, rows: evaluation.rows },
    labels: result.preprocessing.classes ? [...result.preprocessing.classes] : null,
    epochsRun: result.history.length === 0 ? 0 : (result.history[result.history.length - 1]?.epoch ?? 0),
    bestEpoch: result.bestEpoch,
    stoppedBy: result.stoppedBy,
  };
  if (evaluation.task === 'regression') {
    const { mae, rmse, r2 } = evaluation.model;
    const b = evaluation.baseline;
    return {
      ...common,
      metrics: { mae, rmse, r2 },
      baseline: { mae: b.mae, rmse: b.rmse, r2: b.r2, predicts: b.predicts },
    };
  }
  const m = evaluation.model;
  const b = evaluation.baseline;
  return {
    ...common,
    metrics: {
      accuracy: m.accuracy,
      macroPrecision: m.macroPrecision,
      macroRecall: m.macroRecall,
      macroF1: m.macroF1,
    },
    baseline: {
      accuracy: b.accuracy,
      macroPrecision: b.macroPrecision,
      macroRecall: b.macroRecall,
      macroF1: b.macroF1,
      predicts: b.predicts,
    },
    perClass: m.perClass.map((c) => ({ ...c })),
    confusion: m.confusion.map((row) => [...row]),
  };
}
