import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  defaultValues,
  kubernetesManifests,
  renderKubernetesYaml,
} from '../../../scripts/kubernetes-manifests.mjs';
import { configEnvVars } from '../src/config/index.js';

const committed = readFileSync(new URL('../../../kubernetes/modelport.yaml', import.meta.url), 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: manifests are deep JSON, read here by path.
type Manifest = Record<string, any>;
const objects = kubernetesManifests() as Manifest[];
const byKind = (kind: string): Manifest | undefined => objects.find((o) => o.kind === kind);

describe('Kubernetes manifests (kubernetes/)', () => {
  it('are what the renderer writes from its values (npm run k8s:render)', () => {
    expect(committed).toBe(renderKubernetesYaml());
    const parsed = parseAllDocuments(committed).map((d) => d.toJSON() as { kind: string });
    expect(parsed.map((o) => o.kind)).toEqual([
      'ServiceAccount',
      'ConfigMap',
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'HorizontalPodAutoscaler',
    ]);
  });

  it('refuse what the Kubernetes schemas refuse', () => {
    const bad = (values: object) => () =>
      kubernetesManifests({ ...defaultValues, ...values } as typeof defaultValues);
    expect(bad({ replicas: { ...defaultValues.replicas, min: 'three' } })).toThrow(
      /spec\/replicas must be integer/,
    );
    expect(bad({ port: 'eighty' })).toThrow(/containerPort/);
  });

  it('probe the health routes, drain before the kill, and give runners room in /dev/shm', () => {
    const pod = byKind('Deployment')?.spec.template.spec;
    const [container] = pod.containers;
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(container.startupProbe.httpGet.path).toBe('/health/live');
    expect(container.ports).toEqual([{ name: 'http', containerPort: defaultValues.port }]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(defaultValues.drainSeconds + 5);
    expect(container.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    const shm = pod.volumes.find((v: { name: string }) => v.name === 'shm');
    expect(shm.emptyDir).toMatchObject({ medium: 'Memory' });
    expect(container.volumeMounts).toContainEqual({ name: 'shm', mountPath: '/dev/shm' });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
    });
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'modelport' } },
      { secretRef: { name: defaultValues.secretName } },
    ]);
  });

  it('set only settings the server reads, within the pod’s memory', () => {
    const data = byKind('ConfigMap')?.data as Record<string, string>;
    const known = new Set([...configEnvVars, 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED']);
    for (const name of Object.keys(data)) expect(known, name).toContain(name);
    const request = Number.parseInt(defaultValues.resources.memory, 10) * 1024 ** 3;
    expect(Number(data.MODELPORT_MEMORY_BUDGET_BYTES)).toBeLessThan(request);
    expect(data.MODELPORT_PORT).toBe(String(defaultValues.port));
  });

  it('keep replicas through disruptions and scale them on CPU', () => {
    const selector = byKind('Deployment')?.spec.selector.matchLabels;
    expect(byKind('PodDisruptionBudget')?.spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: selector },
    });
    const hpa = byKind('HorizontalPodAutoscaler')?.spec;
    expect(hpa.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'modelport' });
    expect([hpa.minReplicas, hpa.maxReplicas]).toEqual([
      defaultValues.replicas.min,
      defaultValues.replicas.max,
    ]);
    expect(byKind('Service')?.spec.selector).toEqual(selector);
  });
});
