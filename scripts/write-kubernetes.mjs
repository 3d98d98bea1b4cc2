import { writeFileSync } from 'node:fs';
import { renderKubernetesYaml } from './kubernetes-manifests.mjs';

writeFileSync(new URL('../kubernetes/modelport.yaml', import.meta.url), renderKubernetesYaml());
