import type { ArtifactMetadata, OnnxMetadata, VersionConfig } from '@modelport/contracts';
import {
  type Datatype,
  datatypes,
  isTaskIn,
  type ModelInfo,
  onnxPipelineTasks,
  type TensorSpec,
  transformersTasks,
} from '../wire/index.js';
import {
  checkDtypeFiles,
  resolveImageConfig,
  resolveTabularConfig,
  resolveTransformersConfig,
} from '../wire/task-config/index.js';

/** What a version's config is checked against: its model's task and what the upload held. */
export interface ConfigTarget {
  task: string;
  format: string;
  metadata: ArtifactMetadata;
}

/**
 * Refuses (400 `invalid_config`, naming the field) a config the version's runner would refuse at
 * load, with the same schemas and checks the runner applies; the model's inputs and outputs come
 * from the uploaded file. Formats and tasks whose runner reads no config accept any.
 */
export function checkVersionConfig(target: ConfigTarget, config: VersionConfig): void {
  const { task, format, metadata } = target;
  if (format === 'onnx' && metadata.onnx && isTaskIn(onnxPipelineTasks, task)) {
    const info = modelInfoOf(metadata.onnx);
    if (task === 'image-classification') resolveImageConfig(config, info);
    else resolveTabularConfig(config, info);
  } else if (format === 'folder' && isTaskIn(transformersTasks, task)) {
    const { dtype } = resolveTransformersConfig(config, task);
    const onnxFiles = (metadata.folder?.files ?? [])
      .map((f) => f.path)
      .filter((p) => p.startsWith('onnx/') && p.endsWith('.onnx'))
      .map((p) => p.slice('onnx/'.length));
    checkDtypeFiles(task, dtype, onnxFiles);
  }
}

/** The interface a runner would report: tensors only (a ZipMap output is never served). */
function modelInfoOf(onnx: OnnxMetadata): ModelInfo {
  const servable = (values: OnnxMetadata['inputs']): TensorSpec[] =>
    values.flatMap((v) => (isDatatype(v.datatype) ? [{ ...v, datatype: v.datatype }] : []));
  const inputs = servable(onnx.inputs);
  const outputs = servable(onnx.outputs);
  const batchable = [...inputs, ...outputs].every((s) => s.shape[0] === -1);
  return { platform: 'onnx_onnxv1', inputs, outputs, batchable };
}

function isDatatype(value: string): value is Datatype {
  return (datatypes as readonly string[]).includes(value);
}
