import type { TensorInfo } from '@modelport/contracts';
import onnxProto from 'onnx-proto';
import type { FileReader } from './file-reader.js';
import { type ExternalRef, type ScannedTensor, scanSparseTensor, scanTensor } from './onnx-tensor-scan.js';
import { toTensorInfo } from './onnx-types.js';
import { badProto, expectWire, readPayload, scanMessage, type Tag, Wire } from './proto-wire.js';

const { onnx } = onnxProto;

const GraphField = { node: 1, initializer: 5, input: 11, output: 12, sparseInitializer: 15 } as const;
const NodeField = { attribute: 5 } as const;
const AttributeField = { t: 5, g: 6, tensors: 10, graphs: 11, sparseTensor: 22, sparseTensors: 23 } as const;
const MAX_NESTING = 64;
const MAX_VALUE_INFO_BYTES = 16 * 1024 * 1024;

/** What the walk collects: the main graph's interface, and every external-data reference anywhere. */
export interface GraphSummary {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  initializerNames: Set<string>;
  initializerCount: number;
  externalRefs: ExternalRef[];
}

export function emptySummary(): GraphSummary {
  return { inputs: [], outputs: [], initializerNames: new Set(), initializerCount: 0, externalRefs: [] };
}

function noteTensor(summary: GraphSummary, tensor: ScannedTensor): void {
  if (tensor.external) summary.externalRefs.push(tensor.external);
}

function checkDepth(depth: number): void {
  if (depth > MAX_NESTING) throw badProto(`graphs nested deeper than ${MAX_NESTING}`);
}

async function readValueInfo(r: FileReader, end: number): Promise<TensorInfo> {
  const bytes = await readPayload(r, end, MAX_VALUE_INFO_BYTES, 'ValueInfoProto');
  try {
    return toTensorInfo(onnx.ValueInfoProto.decode(bytes));
  } catch (err) {
    throw badProto(`bad graph input/output (${(err as Error).message})`);
  }
}

/** Attributes hold Constant values and control-flow subgraphs, which may reference external data too. */
async function visitAttribute(r: FileReader, tag: Tag, end: number, s: GraphSummary, depth: number) {
  switch (tag.field) {
    case AttributeField.t:
    case AttributeField.tensors:
      expectWire(tag, Wire.Len, 'AttributeProto tensor');
      noteTensor(s, await scanTensor(r, end));
      return true;
    case AttributeField.sparseTensor:
    case AttributeField.sparseTensors:
      expectWire(tag, Wire.Len, 'AttributeProto sparse tensor');
      for (const part of (await scanSparseTensor(r, end)).parts) noteTensor(s, part);
      return true;
    case AttributeField.g:
    case AttributeField.graphs:
      expectWire(tag, Wire.Len, 'AttributeProto graph');
      await scanGraph(r, end, s, depth + 1, false);
      return true;
    default:
      return false;
  }
}

export async function scanNode(r: FileReader, end: number, s: GraphSummary, depth: number): Promise<void> {
  checkDepth(depth);
  await scanMessage(r, end, async (tag, fieldEnd) => {
    if (tag.field !== NodeField.attribute) return false;
    expectWire(tag, Wire.Len, 'NodeProto.attribute');
    await scanMessage(r, fieldEnd, (attrTag, attrEnd) => visitAttribute(r, attrTag, attrEnd, s, depth));
    return true;
  });
}

async function visitInitializer(r: FileReader, tag: Tag, end: number, s: GraphSummary, main: boolean) {
  expectWire(tag, Wire.Len, 'GraphProto initializer');
  const sparse = tag.field === GraphField.sparseInitializer;
  const scanned = sparse ? await scanSparseTensor(r, end) : { name: '', parts: [await scanTensor(r, end)] };
  for (const part of scanned.parts) noteTensor(s, part);
  if (!main) return;
  s.initializerCount++;
  s.initializerNames.add(sparse ? scanned.name : (scanned.parts[0]?.name ?? ''));
}

/**
 * Walks a GraphProto field by field. Only the main graph (`main`) contributes inputs, outputs and
 * initializers; nested graphs are walked for their external-data references alone.
 */
export async function scanGraph(r: FileReader, end: number, s: GraphSummary, depth: number, main: boolean) {
  checkDepth(depth);
  await scanMessage(r, end, async (tag, fieldEnd) => {
    switch (tag.field) {
      case GraphField.node:
        expectWire(tag, Wire.Len, 'GraphProto.node');
        await scanNode(r, fieldEnd, s, depth);
        return true;
      case GraphField.initializer:
      case GraphField.sparseInitializer:
        await visitInitializer(r, tag, fieldEnd, s, main);
        return true;
      case GraphField.input:
      case GraphField.output:
        if (!main) return false;
        expectWire(tag, Wire.Len, 'GraphProto input/output');
        (tag.field === GraphField.input ? s.inputs : s.outputs).push(await readValueInfo(r, fieldEnd));
        return true;
      default:
        return false;
    }
  });
}
