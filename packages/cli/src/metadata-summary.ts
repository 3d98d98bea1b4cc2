import type { GgufMetadata, ModelVersion, OnnxMetadata, TensorInfo } from '@modelport/sdk';
import { formatCount } from './format-values.js';

const MAX_TENSORS = 4;

/** One line on what is inside a version: tensors for ONNX, the model card facts for GGUF. */
export function metadataSummary(version: ModelVersion): string {
  const { onnx, gguf, folder } = version.metadata;
  if (onnx) return onnxSummary(onnx);
  if (gguf) return ggufSummary(gguf);
  if (folder) {
    const parts = [`${folder.files.length} files`];
    if (folder.modelType) parts.push(`model type ${folder.modelType}`);
    const graphs = Object.keys(folder.onnx);
    if (graphs.length > 0) parts.push(`onnx: ${graphs.join(', ')}`);
    return parts.join(', ');
  }
  return '';
}

export function onnxSummary(meta: OnnxMetadata): string {
  return `inputs ${tensors(meta.inputs)}; outputs ${tensors(meta.outputs)}`;
}

export function ggufSummary(meta: GgufMetadata): string {
  const parts = [
    meta.architecture ?? 'unknown architecture',
    meta.contextLength === null ? undefined : `context ${meta.contextLength}`,
    `${formatCount(meta.parameterCount)} params`,
    meta.quantization ?? undefined,
  ];
  return parts.filter((p) => p !== undefined).join(', ');
}

function tensors(list: readonly TensorInfo[]): string {
  if (list.length === 0) return '(none)';
  const shown = list.slice(0, MAX_TENSORS).map((t) => `${t.name} ${t.datatype}[${t.shape.join(',')}]`);
  if (list.length > MAX_TENSORS) shown.push(`+${list.length - MAX_TENSORS} more`);
  return shown.join(', ');
}
