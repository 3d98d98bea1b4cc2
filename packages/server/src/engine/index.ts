export type { Fleet, RolloutSplit, RoutingHints } from './choose-pool.js';
export { registerColdStartMetrics } from './cold-start-metrics.js';
export { defaultRunnerThreads, trainingSlots } from './cpu-budget.js';
export { Engine, type EngineOptions } from './engine.js';
export { estimateInstanceBytes } from './instance-memory.js';
export { InstancePool, type PoolInstance } from './instance-pool.js';
export { LocalRunnerHost } from './local-runner-host.js';
export { registerMemoryMetrics } from './memory-metrics.js';
export type { PoolOutcome } from './pool-outcome.js';
export { type RemoteRunner, RemoteRunnerHost } from './remote-runner-host.js';
export { type RunnerAddress, RunnerClient } from './runner-client.js';
export { runnerError } from './runner-error.js';
export type {
  HostRequest,
  RunnerConnection,
  RunnerHost,
  RunnerHostFactory,
  RunnerLaunch,
  RunnerReply,
  RunnerState,
  TensorRequest,
} from './runner-host.js';
export { localRunnerHosts } from './runner-hosts.js';
export { RunnerSpares } from './runner-spares.js';
export { defaultRunnerTiming, type RunnerTiming } from './runner-timing.js';
export { registerSequenceMetrics } from './sequence-metrics.js';
export type { RunnerBackend, ServingPlan } from './serving-plan.js';
export { compareTensorReplies, MAX_COMPARED_ELEMENTS } from './shadow-tensors.js';
export {
  type Agreement,
  copyBound,
  MAX_SHADOW_COPIES_IN_FLIGHT,
  type Mirror,
  type ShadowEvent,
} from './shadow-traffic.js';
export { registerSharedMemoryMetrics } from './shared-memory-metrics.js';
export { SharedMemorySlots } from './shared-memory-slots.js';
export type { TrafficSplit, VariantWeight } from './traffic-split.js';
