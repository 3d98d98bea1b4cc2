/** A version addressed by number or by alias name. */
export type VersionRef = number | string;

const seg = encodeURIComponent;

export const paths = {
  models: () => '/api/v1/models',
  model: (name: string) => `/api/v1/models/${seg(name)}`,
  versions: (name: string) => `/api/v1/models/${seg(name)}/versions`,
  version: (name: string, ref: VersionRef) => `/api/v1/models/${seg(name)}/versions/${seg(String(ref))}`,
  artifact: (name: string, ref: VersionRef) => `${paths.version(name, ref)}/artifact`,
  alias: (name: string, alias: string) => `/api/v1/models/${seg(name)}/aliases/${seg(alias)}`,
  datasets: () => '/api/v1/datasets',
  dataset: (id: string) => `/api/v1/datasets/${seg(id)}`,
  deployments: () => '/api/v1/deployments',
  deployment: (name: string) => `/api/v1/deployments/${seg(name)}`,
  variants: (name: string) => `/api/v1/deployments/${seg(name)}/variants`,
  revisions: (name: string) => `/api/v1/deployments/${seg(name)}/revisions`,
  shadows: (name: string) => `/api/v1/deployments/${seg(name)}/shadows`,
  rollouts: (name: string) => `/api/v1/deployments/${seg(name)}/rollouts`,
  rollout: (name: string, id: string) => `/api/v1/deployments/${seg(name)}/rollouts/${seg(id)}`,
  rolloutAction: (name: string, id: string, action: 'pause' | 'resume' | 'abort' | 'promote') =>
    `${paths.rollout(name, id)}/${action}`,
  predict: (model: string) => `/api/v1/predict/${seg(model)}`,
  trainingJobs: () => '/api/v1/training/jobs',
  trainingJob: (id: string) => `/api/v1/training/jobs/${seg(id)}`,
  keys: () => '/api/v1/keys',
  key: (id: string) => `/api/v1/keys/${seg(id)}`,
  rotateKey: (id: string) => `/api/v1/keys/${seg(id)}/rotate`,
  projects: () => '/api/v1/projects',
  project: (id: string) => `/api/v1/projects/${seg(id)}`,
  projectKeys: (id: string) => `/api/v1/projects/${seg(id)}/keys`,
  audit: () => '/api/v1/audit',
  usage: () => '/api/v1/usage',
  usageExport: () => '/api/v1/usage/export',
  prices: () => '/api/v1/prices',
  price: (model: string) => `/api/v1/models/${seg(model)}/price`,
  budgets: () => '/api/v1/budgets',
  budget: (id: string) => `/api/v1/budgets/${seg(id)}`,
  projectBudget: () => '/api/v1/budgets/project',
  keyBudget: (keyId: string) => `/api/v1/budgets/keys/${seg(keyId)}`,
};
