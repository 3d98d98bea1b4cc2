import type { paths } from './schema.js';

/** The JSON body of a path's answer with a given status, straight from the OpenAPI types. */
type Answer<
  P extends keyof paths,
  M extends 'get' | 'post' | 'put' | 'patch' | 'delete',
  S extends number = 200,
> = paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } } ? T : never;

export type ApiKey = Answer<'/api/v1/keys/self', 'get'>;
export type Scope = ApiKey['scopes'][number];
export type CreatedKey = Answer<'/api/v1/keys', 'post', 201>;
export type Model = Answer<'/api/v1/models/{name}', 'get'>;
export type ModelTask = Model['task'];
export type ModelVersion = Answer<'/api/v1/models/{name}/versions/{version}', 'get'>;
export type Deployment = Answer<'/api/v1/deployments/{name}', 'get'>;
export type Rollout = Answer<'/api/v1/deployments/{name}/rollouts/{id}', 'get'>;
export type UsageBucket = Answer<'/api/v1/usage', 'get'>['data'][number];
export type AuditEntry = Answer<'/api/v1/audit', 'get'>['data'][number];
export type Budget = Answer<'/api/v1/budgets', 'get'>['data'][number];
export type Project = Answer<'/api/v1/projects/{id}', 'get'>;
export type AuditAction = NonNullable<
  NonNullable<paths['/api/v1/audit']['get']['parameters']['query']>['action']
>;
export type TrainingJob = Answer<'/api/v1/training/jobs/{id}', 'get'>;
export type TrainingEpoch = TrainingJob['epochs'][number];
export type TrainingResult = NonNullable<TrainingJob['result']>;
