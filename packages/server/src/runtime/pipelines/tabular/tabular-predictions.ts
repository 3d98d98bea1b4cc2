import { AppError } from '../../../platform/errors/index.js';
import { type TabularTaskConfig, untransformTarget } from '../../../wire/task-config/index.js';
import { softmax } from '../scores/softmax.js';

export type TabularPrediction = Record<string, number | string>;

type OutputSettings = Pick<
  TabularTaskConfig,
  'labels' | 'targets' | 'outputKind' | 'output' | 'targetTransform'
>;

/** One record per row from the output values (row-major, `rows` rows). */
export function tabularPredictions(
  values: Float64Array,
  rows: number,
  settings: OutputSettings,
): TabularPrediction[] {
  const width = values.length / rows;
  if (!Number.isInteger(width) || width === 0)
    throw new AppError(
      'internal_error',
      `Output '${settings.output}' has ${values.length} values for ${rows} rows.`,
    );
  const rowValues = (r: number) => values.subarray(r * width, (r + 1) * width);
  return Array.from({ length: rows }, (_, r) =>
    settings.outputKind === 'values'
      ? regression(rowValues(r), settings)
      : classification(rowValues(r), settings),
  );
}

/** `{label, score, p_<label>…}`: the best class, its probability, then every class's. */
function classification(row: Float64Array, settings: OutputSettings): TabularPrediction {
  const probabilities = settings.outputKind === 'logits' ? softmax(row) : row;
  let best = 0;
  for (let i = 1; i < probabilities.length; i++)
    if ((probabilities[i] ?? 0) > (probabilities[best] ?? 0)) best = i;
  const labelOf = (i: number) => settings.labels[i] ?? String(i);
  const out: TabularPrediction = { label: labelOf(best), score: probabilities[best] ?? 0 };
  probabilities.forEach((p, i) => {
    out[`p_${labelOf(i)}`] = p;
  });
  return out;
}

/** `{<target>: value}`, named by `targets`, else by the output (suffixed `_<i>` when it has several columns). */
function regression(row: Float64Array, settings: OutputSettings): TabularPrediction {
  const out: TabularPrediction = {};
  const { targetTransform } = settings;
  row.forEach((value, i) => {
    out[settings.targets[i] ?? (row.length === 1 ? settings.output : `${settings.output}_${i}`)] =
      targetTransform ? untransformTarget(value, targetTransform) : value;
  });
  return out;
}
