import type { InferenceSession } from 'onnxruntime-node';
import { AppError } from '../../platform/errors/index.js';
import { type Datatype, datatypes, type ModelInfo, type TensorSpec } from '../../wire/index.js';
import { datatypeOfOrtType } from './ort-datatypes.js';

export const ONNX_PLATFORM = 'onnx_onnxv1';

/** A graph input or output as read from the session or the file; `datatype` undefined when unservable. */
interface DeclaredValue {
  name: string;
  kind: string;
  datatype: Datatype | undefined;
  shape: number[];
}

function fromMetadata(m: InferenceSession.ValueMetadata): DeclaredValue {
  if (!m.isTensor) return { name: m.name, kind: 'non-tensor value', datatype: undefined, shape: [] };
  // Symbolic dims arrive as their names ('' when unnamed); a size of any value is -1 to us.
  const shape = m.shape.map((d) => (typeof d === 'number' ? d : -1));
  return { name: m.name, kind: m.type, datatype: datatypeOfOrtType(m.type), shape };
}

function fromInspected(v: { name: string; datatype: string; shape: number[] }): DeclaredValue {
  const datatype = (datatypes as readonly string[]).includes(v.datatype)
    ? (v.datatype as Datatype)
    : undefined;
  return { name: v.name, kind: v.datatype, datatype, shape: v.shape };
}

/** What the model's interface is read from: a session's metadata (older bindings may lack it). */
export type SessionMetadata = Partial<Pick<InferenceSession, 'inputMetadata' | 'outputMetadata'>>;

/** Older bindings may lack input/output metadata; the file itself then says what the graph declares. */
async function declaredValues(session: SessionMetadata, modelFile: string) {
  const { inputMetadata, outputMetadata } = session;
  if (Array.isArray(inputMetadata) && Array.isArray(outputMetadata)) {
    return { inputs: inputMetadata.map(fromMetadata), outputs: outputMetadata.map(fromMetadata) };
  }
  // Loaded on demand: the registry's format code is not needed on the normal path.
  const { inspectOnnx } = await import('../../formats/index.js');
  const inspected = await inspectOnnx(modelFile, {});
  return { inputs: inspected.inputs.map(fromInspected), outputs: inspected.outputs.map(fromInspected) };
}

function toSpec(v: DeclaredValue, role: 'input' | 'output'): TensorSpec {
  if (v.datatype === undefined) {
    throw new AppError(
      'unsupported_runtime',
      `the model's ${role} '${v.name}' is a ${v.kind}, which cannot be served`,
    );
  }
  return { name: v.name, datatype: v.datatype, shape: v.shape };
}

const leadingDynamic = (s: TensorSpec) => s.shape[0] === -1;

/**
 * The served interface of a loaded model. Every input must be a servable tensor; outputs that are
 * not (sequences and maps, e.g. a ZipMap) are left out and never fetched, so the tensor outputs of
 * such models still work.
 */
export async function readModelInfo(session: SessionMetadata, modelFile: string): Promise<ModelInfo> {
  const declared = await declaredValues(session, modelFile);
  const inputs = declared.inputs.map((v) => toSpec(v, 'input'));
  const outputs = declared.outputs.filter((v) => v.datatype !== undefined).map((v) => toSpec(v, 'output'));
  if (outputs.length === 0) {
    throw new AppError('unsupported_runtime', 'the model has no tensor output that can be served');
  }
  const batchable = inputs.length > 0 && [...inputs, ...outputs].every(leadingDynamic);
  return { platform: ONNX_PLATFORM, inputs, outputs, batchable };
}
