import type { DatasetFormat } from '@modelport/contracts';
import { type DatasetFrame, readDatasetFrame } from '../../formats/index.js';
import type { DatasetSource, PreprocessingState } from '../../wire/training/index.js';
import {
  applyImagePreprocessing,
  applyPreprocessing,
  type RawRow,
} from '../preprocess/apply-preprocessing.js';
import { decodeImage } from '../preprocess/decode-image.js';

export interface ParityInputs {
  /** What the exported model takes for these rows: filled and one-hot rows, or raw NCHW pixels. */
  serving: Float32Array;
  servingShape: number[];
  /** What the trained model took for them (every preprocessing step applied). */
  trained: Float32Array;
  trainedShape: number[];
}

/** The rows (frame indices) fed to both models, as serving and as training prepared them. */
export async function parityInputs(
  state: PreprocessingState,
  source: DatasetSource,
  rows: readonly number[],
): Promise<ParityInputs> {
  const frame =
    source.kind === 'frame'
      ? source.frame
      : await readDatasetFrame(source.format as DatasetFormat, source.path);
  return state.kind === 'table' ? tableInputs(state, frame, rows) : imageInputs(state, frame, rows);
}

function tableInputs(
  state: PreprocessingState & { kind: 'table' },
  frame: DatasetFrame,
  rows: readonly number[],
): ParityInputs {
  if (frame.kind !== 'table') throw new Error('the dataset is no longer a table');
  const raw: RawRow[] = rows.map((r) =>
    Object.fromEntries(frame.columns.map((c) => [c.name, c.values[r] ?? null])),
  );
  // The same state without the arithmetic the exported graph does itself.
  const unfolded = {
    ...state,
    features: state.features.map((f) => (f.kind === 'number' ? { ...f, log1p: false, mean: 0, std: 1 } : f)),
  };
  const shape = [rows.length, state.inputWidth];
  return {
    serving: applyPreprocessing(unfolded, raw),
    servingShape: shape,
    trained: applyPreprocessing(state, raw),
    trainedShape: shape,
  };
}

async function imageInputs(
  state: PreprocessingState & { kind: 'image' },
  frame: DatasetFrame,
  rows: readonly number[],
): Promise<ParityInputs> {
  if (frame.kind !== 'images') throw new Error('the dataset is no longer an image folder');
  const { width, height, channels } = state;
  const size = width * height * channels;
  const raw = { ...state, scale: 1, mean: state.mean.map(() => 0), std: state.std.map(() => 1) };
  const serving = new Float32Array(rows.length * size);
  const trained = new Float32Array(rows.length * size);
  const hwc = new Float32Array(size);
  for (const [i, r] of rows.entries()) {
    const item = frame.items[r];
    if (!item) throw new Error(`the dataset has no image ${r}`);
    const pixels = await decodeImage(item, { width, height, channels });
    applyImagePreprocessing(state, pixels, trained, i * size);
    applyImagePreprocessing(raw, pixels, hwc, 0);
    // HWC → CHW: the image task feeds NCHW.
    for (let p = 0; p < width * height; p++)
      for (let c = 0; c < channels; c++)
        serving[i * size + c * width * height + p] = hwc[p * channels + c] as number;
  }
  return {
    serving,
    servingShape: [rows.length, channels, height, width],
    trained,
    trainedShape: [rows.length, height, width, channels],
  };
}
