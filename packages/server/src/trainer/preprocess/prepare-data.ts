import type { TrainingSpec } from '@modelport/contracts';
import type { DatasetFrame } from '../../formats/index.js';
import { prepareImages } from './prepare-images.js';
import { prepareTable } from './prepare-table.js';
import type { PreparedData } from './prepared-data.js';

/** Any dataset frame → preprocessed model inputs, targets and split. */
export function prepareData(spec: TrainingSpec, frame: DatasetFrame, threads: number): Promise<PreparedData> {
  return frame.kind === 'table'
    ? Promise.resolve().then(() => prepareTable(spec, frame))
    : prepareImages(spec, frame, threads);
}
