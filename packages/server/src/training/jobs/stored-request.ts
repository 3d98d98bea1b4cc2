import type { TrainingDeploy } from '@modelport/contracts';

/** The job request as stored in `training_jobs.spec`: the training spec plus the job's own fields. */
export type StoredJobRequest = Record<string, unknown> & {
  name: string;
  register: boolean;
  deploy?: TrainingDeploy | undefined;
};

/** The training spec the worker gets: the request without the job's own fields. */
export function trainingSpecOf(request: StoredJobRequest): Record<string, unknown> {
  const { name: _name, register: _register, deploy: _deploy, ...spec } = request;
  return spec;
}
