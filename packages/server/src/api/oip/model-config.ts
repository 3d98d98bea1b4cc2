import type { ServingPlan } from '../../engine/index.js';
import type { Datatype, ModelInfo, TensorSpec } from '../../wire/index.js';

/** Triton's `DataType` names (model_config.proto) for the OIP datatypes. */
const tritonTypes: Record<Datatype, string> = {
  BOOL: 'TYPE_BOOL',
  UINT8: 'TYPE_UINT8',
  UINT16: 'TYPE_UINT16',
  UINT32: 'TYPE_UINT32',
  UINT64: 'TYPE_UINT64',
  INT8: 'TYPE_INT8',
  INT16: 'TYPE_INT16',
  INT32: 'TYPE_INT32',
  INT64: 'TYPE_INT64',
  FP16: 'TYPE_FP16',
  FP32: 'TYPE_FP32',
  FP64: 'TYPE_FP64',
  BYTES: 'TYPE_STRING',
};

interface TritonTensorConfig {
  name: string;
  data_type: string;
  dims: number[];
}

/**
 * A tensor of the configuration. With `max_batch_size` > 0, Triton leaves the batch dimension out
 * of `dims`; a batchable model's leading -1 is that dimension.
 */
function tensorConfig(spec: TensorSpec, batched: boolean): TritonTensorConfig {
  return {
    name: spec.name,
    data_type: tritonTypes[spec.datatype],
    dims: batched ? spec.shape.slice(1) : spec.shape,
  };
}

/**
 * Triton's model configuration extension (`GET /v2/models/{m}/config`), so Triton tools
 * (tritonclient's `get_model_config`, perf_analyzer) can read what a deployment serves: its
 * tensors, batching, queue policy and instances, in Triton's names and units (microseconds).
 */
export function renderModelConfig(name: string, plan: ServingPlan, info: ModelInfo) {
  const { batching, instances, maxQueueSize, timeoutMs } = plan.settings;
  const batched = info.batchable;
  const merging = batched && batching.maxBatchSize > 1;
  const onnx = plan.backend === 'onnx';
  return {
    name,
    platform: onnx ? 'onnxruntime_onnx' : info.platform,
    backend: onnx ? 'onnxruntime' : plan.backend,
    version_policy: { specific: { versions: [plan.version] } },
    // A batchable model runs one larger request alone too; merging stops at maxBatchSize rows.
    max_batch_size: batched ? batching.maxBatchSize : 0,
    input: info.inputs.map((s) => tensorConfig(s, batched)),
    output: info.outputs.map((s) => tensorConfig(s, batched)),
    ...(merging
      ? {
          dynamic_batching: {
            preferred_batch_size: batching.preferredBatchSizes ?? [],
            max_queue_delay_microseconds: Math.round(batching.maxQueueDelayMs * 1000),
            default_queue_policy: {
              timeout_action: 'REJECT',
              default_timeout_microseconds: timeoutMs * 1000,
              max_queue_size: maxQueueSize,
            },
          },
        }
      : {}),
    instance_group: [{ name: `${name}_0`, kind: 'KIND_CPU', count: instances }],
    parameters: { intra_op_thread_count: { string_value: String(plan.threads) } },
  };
}
