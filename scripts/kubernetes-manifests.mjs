// The Kubernetes manifests of a Modelport installation, from one set of values: kubernetes/*.yaml is
// written from here (`npm run k8s:render`) and the tests check the two agree and that each object
// validates against the Kubernetes schemas (kubernetes-models).
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { stringify } from 'yaml';

export const defaultValues = {
  namespace: 'modelport',
  image: 'modelport/modelport:0.1.0',
  replicas: { min: 3, max: 10, targetCpuPercent: 70 },
  /** One replica: the API process and the runners it starts share these. */
  resources: { cpu: '2', memory: '8Gi', memoryLimit: '12Gi' },
  /** What runner instances of one replica may hold (below the pod's memory request). */
  memoryBudgetBytes: 6 * 1024 ** 3,
  /** Runner tensors travel through /dev/shm: the container default (64 MiB) is too small. */
  sharedMemory: '1Gi',
  /** Local copies of bucket artifacts runners load from, and upload temporaries. */
  dataVolume: '50Gi',
  artifactsUrl: 's3://modelport-artifacts/',
  awsRegion: 'us-east-1',
  /** Created by the operator (docs/kubernetes.md): DATABASE_URL, REDIS_URL, MODELPORT_ADMIN_KEY… */
  secretName: 'modelport-secrets',
  port: 8080,
  /** In-flight requests and streams finish within this after SIGTERM. */
  drainSeconds: 45,
};

const labels = { 'app.kubernetes.io/name': 'modelport', 'app.kubernetes.io/component': 'api' };
const GIB = 1024 ** 3;

/** Every object of the installation, validated, in apply order. */
export function kubernetesManifests(values = defaultValues) {
  const v = values;
  const meta = (name) => ({ name, namespace: v.namespace, labels });
  const objects = [
    new ServiceAccount({ metadata: meta('modelport'), automountServiceAccountToken: false }),
    new ConfigMap({
      metadata: meta('modelport'),
      data: {
        MODELPORT_HOST: '0.0.0.0',
        MODELPORT_PORT: String(v.port),
        MODELPORT_DATA_DIR: '/var/lib/modelport',
        MODELPORT_DEMO: 'false',
        MODELPORT_MEMORY_BUDGET_BYTES: String(v.memoryBudgetBytes),
        MODELPORT_ARTIFACTS_URL: v.artifactsUrl,
        MODELPORT_ARTIFACT_CACHE_BYTES: String(Math.floor(parseGi(v.dataVolume) * 0.8)),
        AWS_REGION: v.awsRegion,
        // The SDK's notice about Node 22 is not for operators of this image.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    }),
    new Deployment({
      metadata: meta('modelport'),
      spec: {
        replicas: v.replicas.min,
        selector: { matchLabels: labels },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: 'modelport',
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: v.drainSeconds + 15,
            securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
            topologySpreadConstraints: [
              {
                maxSkew: 1,
                topologyKey: 'kubernetes.io/hostname',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: { matchLabels: labels },
              },
            ],
            containers: [
              {
                name: 'modelport',
                image: v.image,
                args: ['serve'],
                ports: [{ name: 'http', containerPort: v.port }],
                envFrom: [{ configMapRef: { name: 'modelport' } }, { secretRef: { name: v.secretName } }],
                resources: {
                  requests: { cpu: v.resources.cpu, memory: v.resources.memory },
                  limits: { memory: v.resources.memoryLimit },
                },
                startupProbe: {
                  httpGet: { path: '/health/live', port: 'http' },
                  periodSeconds: 2,
                  failureThreshold: 90,
                },
                livenessProbe: {
                  httpGet: { path: '/health/live', port: 'http' },
                  periodSeconds: 10,
                  failureThreshold: 3,
                },
                readinessProbe: {
                  httpGet: { path: '/health/ready', port: 'http' },
                  periodSeconds: 5,
                  failureThreshold: 2,
                },
                // Endpoints drop the pod before SIGTERM reaches it, so no new request arrives mid-drain.
                lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'data', mountPath: '/var/lib/modelport' },
                  { name: 'tmp', mountPath: '/tmp' },
                  { name: 'shm', mountPath: '/dev/shm' },
                ],
              },
            ],
            volumes: [
              { name: 'data', emptyDir: { sizeLimit: v.dataVolume } },
              { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
              { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: v.sharedMemory } },
            ],
          },
        },
      },
    }),
    new Service({
      metadata: meta('modelport'),
      spec: {
        selector: labels,
        ports: [{ name: 'http', port: 80, targetPort: 'http' }],
      },
    }),
    new PodDisruptionBudget({
      metadata: meta('modelport'),
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    }),
    new HorizontalPodAutoscaler({
      metadata: meta('modelport'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'modelport' },
        minReplicas: v.replicas.min,
        maxReplicas: v.replicas.max,
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'cpu',
              target: { type: 'Utilization', averageUtilization: v.replicas.targetCpuPercent },
            },
          },
        ],
        // A new replica loads models on first use: scale down slowly, so that work is not thrown away.
        behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
      },
    }),
  ];
  for (const object of objects) object.validate();
  return objects.map((o) => o.toJSON());
}

/** `50Gi` → bytes. */
function parseGi(quantity) {
  const match = /^(\d+)Gi$/.exec(quantity);
  if (!match) throw new Error(`expected a quantity in Gi, got ${quantity}`);
  return Number(match[1]) * GIB;
}

/** The manifests as one multi-document YAML file (what kubernetes/modelport.yaml holds). */
export function renderKubernetesYaml(values = defaultValues) {
  const header =
    '# Written by `npm run k8s:render` from scripts/kubernetes-manifests.mjs: edit that, not this.\n';
  return (
    header +
    kubernetesManifests(values)
      .map((o) => `---\n${stringify(o)}`)
      .join('')
  );
}
