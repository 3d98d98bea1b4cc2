import type { HandoffServing } from '../../wire/handoff/index.js';
import type { PreprocessingState } from '../../wire/training/index.js';
import type { ServingConfig } from '../export/index.js';

/**
 * The version config under which `/api/v1/predict` takes what the dataset held: table rows by
 * their column names (serving fills missing values and one-hot encodes categories as training
 * did; the graph does the rest), or image files (resized by stretching, as training did).
 */
export function servingConfigOf(state: PreprocessingState, exported: ServingConfig): HandoffServing {
  // Images: stretched to the model's size, as training did (`resize: 'fill'`).
  if (exported.task === 'image-classification')
    return { task: exported.task, config: { ...exported.config } };
  if (state.kind !== 'table') throw new Error('a table model needs a table preprocessing state');
  const { labels, input, output, outputKind } = exported.config;
  const columns = state.features.map((f) =>
    f.kind === 'number'
      ? {
          name: f.column,
          kind: 'number',
          fill: f.fill,
          // The graph takes log(1 + x) itself; serving only refuses what it cannot take.
          ...(f.log1p ? { greaterThan: -1 } : {}),
        }
      : { name: f.column, kind: 'category', categories: [...f.categories], fill: f.fill, unknown: 'zeros' },
  );
  return {
    task: 'tabular',
    config: {
      preprocessing: { columns },
      ...(labels ? { labels } : { targets: [state.target] }),
      input,
      output,
      outputKind,
    },
  };
}
