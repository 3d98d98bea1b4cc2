export { defaultRunnerThreads } from './cpu-budget.js';
export { Engine } from './engine.js';
export { estimateInstanceBytes } from './instance-memory.js';
export { InstancePool, type RunnerBackend, type ServingPlan } from './instance-pool.js';
export { registerMemoryMetrics } from './memory-metrics.js';
export { runnerError } from './runner-error.js';
export { registerSequenceMetrics } from './sequence-metrics.js';
export { registerSharedMemoryMetrics } from './shared-memory-metrics.js';
export { SharedMemorySlots } from './shared-memory-slots.js';
