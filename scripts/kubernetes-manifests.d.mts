export interface KubernetesValues {
  namespace: string;
  image: string;
  replicas: { min: number; max: number; targetCpuPercent: number };
  resources: { cpu: string; memory: string; memoryLimit: string };
  memoryBudgetBytes: number;
  sharedMemory: string;
  dataVolume: string;
  artifactsUrl: string;
  awsRegion: string;
  secretName: string;
  port: number;
  drainSeconds: number;
}
export const defaultValues: KubernetesValues;
/** Every object of the installation as plain JSON, validated against the Kubernetes schemas. */
export function kubernetesManifests(values?: KubernetesValues): Record<string, unknown>[];
export function renderKubernetesYaml(values?: KubernetesValues): string;
