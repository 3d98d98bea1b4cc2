import type { Dim, OnnxModelSpec } from '../../formats/index.js';
import { badExportOption, unsupportedModel } from './export-errors.js';
import type { ImageLayout, OnnxExportOptions } from './export-options.js';
import { type Flow, imageDims, inLayout } from './flow.js';
import { GraphDraft } from './graph-draft.js';
import { LayerContext } from './layer-context.js';
import { convertLayer, refuseUnknownLayers } from './layer-converters.js';
import { HEAD_NAMES, type Head, writeHead } from './model-head.js';
import type { ModelView, TfDim } from './model-view.js';
import { writePreprocessing } from './preprocessing-nodes.js';

/** Opset 17 and IR 8: what onnxruntime-node 1.30 loads, and the builder's defaults. */
export const EXPORT_OPSET = 17;
export const EXPORT_IR_VERSION = 8;

export type ExportInput =
  | { kind: 'table'; name: string; features: number }
  | { kind: 'image'; name: string; layout: ImageLayout; height: number; width: number; channels: number };

/** The graph to encode, and what a serving config needs to know about it. */
export interface ExportPlan {
  spec: OnnxModelSpec;
  input: ExportInput;
  head: Head;
}

export function planExport(view: ModelView, options: OnnxExportOptions): ExportPlan {
  refuseUnknownLayers(view.layers);
  const draft = new GraphDraft();
  const input = describeInput(view.inputShape, options);
  draft.reserve(input.name);
  // Layer names become value names: the output's possible names are kept from them up front.
  for (const name of options.outputName === undefined ? HEAD_NAMES : [options.outputName]) {
    if (name === input.name) throw badExportOption('outputName', `the input is called ${name} too`);
    draft.reserve(name);
  }
  const layout = input.kind === 'table' ? 'flat' : input.layout;
  let flow: Flow = { value: input.name, shape: view.inputShape, layout, activation: 'linear' };
  flow = writePreprocessing(draft, flow, options.preprocessing);
  view.layers.forEach((layer, index) => {
    flow = convertLayer(new LayerContext(draft, layer, index), flow);
  });
  // tfjs answers channels-last: a model ending on an image map answers NHWC here too.
  if (flow.layout === 'NCHW') flow = inLayout(draft, flow, 'NHWC');
  const head = writeHead(draft, flow, options);
  draft.nodes.push({
    opType: 'Identity',
    name: draft.fresh('output/Identity'),
    inputs: [head.value],
    outputs: [head.name],
  });
  return {
    spec: {
      inputs: [{ name: input.name, elemType: 'FP32', shape: inputShape(input) }],
      outputs: [{ name: head.name, elemType: 'FP32', shape: ['batch', ...head.shape.map(dim)] }],
      initializers: draft.initializers,
      nodes: draft.nodes,
      opset: EXPORT_OPSET,
      irVersion: EXPORT_IR_VERSION,
      graphName: options.graphName ?? 'tfjs_sequential',
      ...(options.docString === undefined ? {} : { docString: options.docString }),
      metadataProps: metadata(input, head, options),
    },
    input,
    head,
  };
}

function describeInput(shape: readonly TfDim[], options: OnnxExportOptions): ExportInput {
  const [first] = shape;
  if (shape.length === 1 && first) {
    if (options.features && options.features.length !== first)
      throw badExportOption('features', `${options.features.length} names for ${first} input features`);
    return { kind: 'table', name: options.inputName ?? 'features', features: first };
  }
  const image = imageDims(shape);
  if (!image)
    throw unsupportedModel(
      `a model whose input is [${shape}]; it must be [features] or [height, width, channels]`,
    );
  return {
    kind: 'image',
    name: options.inputName ?? 'image',
    layout: options.imageLayout ?? 'NCHW',
    ...image,
  };
}

function inputShape(input: ExportInput): Dim[] {
  if (input.kind === 'table') return ['batch', input.features];
  const { height, width, channels } = input;
  return input.layout === 'NCHW' ? ['batch', channels, height, width] : ['batch', height, width, channels];
}

function dim(value: TfDim): Dim {
  return value ?? -1;
}

/** Written beside the graph so a reader of the file alone can name classes and knows what to feed. */
function metadata(input: ExportInput, head: Head, options: OnnxExportOptions): Record<string, string> {
  const own: Record<string, string> = { 'modelport.output_kind': head.kind };
  if (options.labels) own['modelport.labels'] = JSON.stringify(options.labels);
  if (options.features) own['modelport.features'] = JSON.stringify(options.features);
  if (input.kind === 'image') own['modelport.input_layout'] = input.layout;
  if (options.preprocessing) own['modelport.preprocessing'] = JSON.stringify(options.preprocessing);
  return { ...options.metadata, ...own };
}
