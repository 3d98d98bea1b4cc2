import type { OnnxMetadata } from '@modelport/contracts';
import onnxProto from 'onnx-proto';
import { AppError } from '../platform/errors/index.js';
import { FileReader } from './file-reader.js';
import { checkExternalData } from './onnx-external-data.js';
import { emptySummary, type GraphSummary, scanGraph, scanNode } from './onnx-graph-scan.js';
import { int64ToNumber } from './onnx-types.js';
import { badProto, expectWire, readPayload, readVarint, scanMessage, type Tag, Wire } from './proto-wire.js';

const { onnx } = onnxProto;

const ModelField = {
  irVersion: 1,
  producerName: 2,
  graph: 7,
  opsetImport: 8,
  trainingInfo: 20,
  functions: 25,
};
/** TrainingInfoProto.initialization / .algorithm (graphs) and FunctionProto.node. */
const TRAINING_GRAPH_FIELDS: ReadonlySet<number> = new Set([1, 2]);
const FUNCTION_NODE_FIELDS: ReadonlySet<number> = new Set([7]);
const MAX_SMALL_FIELD_BYTES = 64 * 1024;
const MAX_IR_VERSION = 1000n;

interface ModelFields {
  irVersion: bigint | undefined;
  producer: string;
  opsets: OnnxMetadata['opsets'];
  graphs: number;
  summary: GraphSummary;
}

async function readOpset(r: FileReader, end: number): Promise<OnnxMetadata['opsets'][number]> {
  const bytes = await readPayload(r, end, MAX_SMALL_FIELD_BYTES, 'opset_import');
  try {
    const opset = onnx.OperatorSetIdProto.decode(bytes);
    const version = int64ToNumber(opset.version);
    if (version === undefined) throw new Error('version out of range');
    return { domain: opset.domain, version };
  } catch (err) {
    throw badProto(`bad opset_import (${(err as Error).message})`);
  }
}

/** Training graphs and functions are never served, but their tensors could still name external files. */
async function scanAuxiliary(r: FileReader, tag: Tag, end: number, summary: GraphSummary): Promise<void> {
  const training = tag.field === ModelField.trainingInfo;
  const wanted = training ? TRAINING_GRAPH_FIELDS : FUNCTION_NODE_FIELDS;
  await scanMessage(r, end, async (inner, innerEnd) => {
    if (!wanted.has(inner.field)) return false;
    expectWire(inner, Wire.Len, 'nested graph or node');
    if (training) await scanGraph(r, innerEnd, summary, 1, false);
    else await scanNode(r, innerEnd, summary, 1);
    return true;
  });
}

async function visitModelField(r: FileReader, tag: Tag, end: number, m: ModelFields): Promise<boolean> {
  switch (tag.field) {
    case ModelField.irVersion:
      expectWire(tag, Wire.Varint, 'ir_version');
      m.irVersion = await readVarint(r);
      return true;
    case ModelField.producerName:
      expectWire(tag, Wire.Len, 'producer_name');
      m.producer = (await readPayload(r, end, MAX_SMALL_FIELD_BYTES, 'producer_name')).toString('utf8');
      return true;
    case ModelField.opsetImport:
      expectWire(tag, Wire.Len, 'opset_import');
      m.opsets.push(await readOpset(r, end));
      return true;
    case ModelField.graph:
      expectWire(tag, Wire.Len, 'graph');
      m.graphs++;
      await scanGraph(r, end, m.summary, 0, true);
      return true;
    case ModelField.trainingInfo:
    case ModelField.functions:
      expectWire(tag, Wire.Len, 'training_info or functions');
      await scanAuxiliary(r, tag, end, m.summary);
      return true;
    default:
      return false;
  }
}

function checkStructure(m: ModelFields): void {
  if (m.graphs === 0) throw new AppError('invalid_artifact', 'ONNX model has no graph');
  if (m.irVersion === undefined || m.irVersion < 1n || m.irVersion > MAX_IR_VERSION) {
    throw new AppError('invalid_artifact', 'ONNX model has no valid ir_version');
  }
}

function toMetadata(m: ModelFields, externalData: string[]): OnnxMetadata {
  const { summary } = m;
  return {
    irVersion: Number(m.irVersion),
    opsets: m.opsets,
    producer: m.producer,
    // Before IR 4 every initializer was also listed as a graph input; those are weights, not inputs.
    inputs: summary.inputs.filter((input) => !summary.initializerNames.has(input.name)),
    outputs: summary.outputs,
    initializerCount: summary.initializerCount,
    externalData,
  };
}

/**
 * Validates an ONNX model and reads its interface by walking the protobuf wire format: weights
 * (raw_data and typed arrays) are skipped by seeking, so memory stays flat however large the file.
 * `folder` is the model folder of a tar upload; external data must resolve inside it.
 */
export async function inspectOnnx(filePath: string, opts: { folder?: string }): Promise<OnnxMetadata> {
  const fields = await FileReader.with(filePath, async (r) => {
    const m: ModelFields = {
      irVersion: undefined,
      producer: '',
      opsets: [],
      graphs: 0,
      summary: emptySummary(),
    };
    await scanMessage(r, r.size, (tag, end) => visitModelField(r, tag, end, m));
    return m;
  });
  checkStructure(fields);
  const externalData = await checkExternalData(fields.summary.externalRefs, filePath, opts.folder);
  return toMetadata(fields, externalData);
}
