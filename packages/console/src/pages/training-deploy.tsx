import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useSignedIn } from '../access/signed-in.js';
import { api, call } from '../api/client.js';
import type { ModelVersion, TrainingJob, TrainingResult } from '../api/types.js';
import { ErrorNotice, NeedsScope } from '../components/notice.js';

/**
 * What became of the trained model: the version it registered (the job registers it itself, unless
 * its spec said `register: false`; then "register as version" registers the model it kept), where it went, and "deploy as canary" for a version not yet
 * serving: a guarded rollout of an existing deployment of the model, or a new deployment.
 */
export function TrainingDeploy({ job, result: asRun }: { job: TrainingJob; result: TrainingResult }) {
  const { can } = useSignedIn();
  const queryClient = useQueryClient();
  const deploy = job.spec.deploy as { mode?: string; deployment?: string } | undefined;
  const register = useMutation({
    mutationFn: () =>
      call(api.POST('/api/v1/training/jobs/{id}/register', { params: { path: { id: job.id } }, body: {} })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['training-jobs'] }),
  });
  // The job's live result predates a registration made here; the version answered says it.
  const result = register.data ? registeredResult(asRun, register.data) : asRun;
  return (
    <section className="card stack" aria-labelledby="register-title">
      <h2 id="register-title">Version and deployment</h2>
      {result.version === null ? (
        <>
          <p>
            Not registered: the job ran with <code>register: false</code> and kept its exported model.
          </p>
          {job.state !== 'succeeded' ? null : can.manage ? (
            <div className="actions">
              <button type="button" disabled={register.isPending} onClick={() => register.mutate()}>
                {register.isPending ? 'Registering…' : 'Register as version'}
              </button>
            </div>
          ) : (
            <NeedsScope scope="manage">Registering</NeedsScope>
          )}
          {register.error ? <ErrorNotice error={register.error} action="register this job's model" /> : null}
        </>
      ) : (
        <p>
          Registered as{' '}
          <Link href={`/models/${encodeURIComponent(result.model)}`} data-testid="registered-version">
            {result.model}:{result.version}
          </Link>{' '}
          <span className="muted mono">sha256 {result.sha256?.slice(0, 12)}…</span>
        </p>
      )}
      {result.deployment ? (
        <p>
          Deployed by the job ({result.deployment.mode}) as{' '}
          <Link href={`/deployments/${encodeURIComponent(result.deployment.name)}`}>
            {result.deployment.name}
          </Link>
          {result.deployment.rolloutId ? `, rollout ${result.deployment.rolloutId}` : ''}.
        </p>
      ) : (
        <p className="muted">
          {deploy ? `The job's deploy setting: ${JSON.stringify(deploy)}.` : 'The job deployed nothing.'}
        </p>
      )}
      {result.version !== null && !result.deployment ? (
        can.manage ? (
          <DeployAsCanary model={result.model} version={result.version} />
        ) : (
          <NeedsScope scope="manage">Deploying</NeedsScope>
        )
      ) : null}
    </section>
  );
}

function DeployAsCanary({ model, version }: { model: string; version: number }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const deployments = useQuery({
    queryKey: ['deployments'],
    queryFn: () => call(api.GET('/api/v1/deployments')),
  });
  const ofModel = deployments.data?.data.filter((d) => d.model === model) ?? [];
  const [chosen, setChosen] = useState('');
  const [percent, setPercent] = useState(10);
  const [bake, setBake] = useState(300);
  const target = ofModel.find((d) => d.name === chosen) ?? ofModel[0];
  const start = useMutation({
    mutationFn: async () => {
      if (!target) {
        const d = await call(api.POST('/api/v1/deployments', { body: { model, version } }));
        return d.name;
      }
      const production = target.variants.find((v) => v.role === 'production');
      await call(
        api.POST('/api/v1/deployments/{name}/rollouts', {
          params: { path: { name: target.name } },
          body: {
            variants: [
              {
                variantName: production?.variantName ?? 'default',
                modelVersion: version,
                instances: production?.instances ?? 1,
                weight: 100,
              },
            ],
            strategy: { type: 'canary', percent, bakeSeconds: bake },
          },
        }),
      );
      return target.name;
    },
    onSuccess: (name) => {
      void queryClient.invalidateQueries({ queryKey: ['deployments'] });
      navigate(`/deployments/${encodeURIComponent(name)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate();
  };
  if (deployments.error) return <ErrorNotice error={deployments.error} action="list deployments" />;
  if (!deployments.data) return null;
  return (
    <form className="form-row" onSubmit={submit} aria-label="Deploy the trained version">
      {target ? (
        <>
          <div className="field">
            <label htmlFor="canary-deployment">Deployment</label>
            <select id="canary-deployment" value={target.name} onChange={(e) => setChosen(e.target.value)}>
              {ofModel.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name} (serves version {d.version})
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="canary-percent">Canary %</label>
            <input
              id="canary-percent"
              type="number"
              min={1}
              max={99}
              value={percent}
              onChange={(e) => setPercent(Number(e.target.value))}
            />
          </div>
          <div className="field">
            <label htmlFor="canary-bake">Bake (s)</label>
            <input
              id="canary-bake"
              type="number"
              min={0}
              max={86400}
              value={bake}
              onChange={(e) => setBake(Number(e.target.value))}
            />
          </div>
          <button
            type="submit"
            disabled={start.isPending || target.version === version || target.rollout !== null}
          >
            {start.isPending ? 'Starting…' : 'Deploy as canary'}
          </button>
        </>
      ) : (
        <>
          <p className="muted">No deployment serves {model} yet.</p>
          <button type="submit" disabled={start.isPending}>
            {start.isPending ? 'Deploying…' : `Deploy ${model}:${version}`}
          </button>
        </>
      )}
      {start.error ? <ErrorNotice error={start.error} action="deploy" /> : null}
    </form>
  );
}

function registeredResult(result: TrainingResult, version: ModelVersion): TrainingResult {
  return { ...result, model: version.model, version: version.version, sha256: version.sha256 };
}
