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
  predict: (model: string) => `/api/v1/predict/${seg(model)}`,
  keys: () => '/api/v1/keys',
  key: (id: string) => `/api/v1/keys/${seg(id)}`,
};
