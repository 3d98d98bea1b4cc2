import { badExportOption } from './export-errors.js';
import type { OnnxExportOptions } from './export-options.js';
import type { Flow } from './flow.js';
import type { GraphDraft } from './graph-draft.js';
import type { TfDim } from './model-view.js';

/** What the output holds, in the words of the task configs' `outputKind`. */
export type OnnxOutputKind = 'probabilities' | 'logits' | 'values';

const HEAD_NAME: Readonly<Record<OnnxOutputKind, string>> = {
  probabilities: 'probabilities',
  logits: 'logits',
  values: 'value',
};
export const HEAD_NAMES: readonly string[] = Object.values(HEAD_NAME);

export interface Head {
  value: string;
  /** The graph output's name. */
  name: string;
  kind: OnnxOutputKind;
  shape: readonly TfDim[];
}

/**
 * Names the output after what the last activation makes of it: softmax or sigmoid give
 * probabilities; without them a classifier (it has labels) gives logits, anything else values.
 */
export function writeHead(draft: GraphDraft, flow: Flow, options: OnnxExportOptions): Head {
  const { labels } = options;
  const kind: OnnxOutputKind =
    flow.activation === 'softmax' || flow.activation === 'sigmoid'
      ? 'probabilities'
      : labels
        ? 'logits'
        : 'values';
  const { value, shape } = options.binaryOutput === 'both' ? bothClasses(draft, flow) : flow;
  const columns = shape.length === 1 ? shape[0] : undefined;
  if (labels && columns !== labels.length) {
    const hint = flow.activation === 'sigmoid' && columns === 1 ? "; binaryOutput: 'both' gives two" : '';
    throw badExportOption('labels', `${labels.length} labels for an output of [${shape}]${hint}`);
  }
  const name = options.outputName ?? HEAD_NAME[kind];
  return { value, name, kind, shape };
}

/** [batch, 1] = p → [batch, 2] = [1 − p, p]. */
function bothClasses(draft: GraphDraft, flow: Flow): Pick<Flow, 'value' | 'shape'> {
  if (flow.activation !== 'sigmoid' || flow.shape.length !== 1 || flow.shape[0] !== 1)
    throw badExportOption(
      'binaryOutput',
      `'both' needs a one-unit sigmoid head; the model ends in ${flow.activation} [${flow.shape}]`,
    );
  const negative = draft.node('Sub', [draft.floats('head/one', [], [1]), flow.value], 'head/negative');
  return { value: draft.node('Concat', [negative, flow.value], 'head/both', { axis: 1 }), shape: [2] };
}
