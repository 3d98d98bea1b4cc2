import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, call } from '../api/client.js';
import type { Deployment } from '../api/types.js';
import { ErrorNotice } from '../components/notice.js';

/** The two everyday changes, in plain sight: how many instances, and which version. */
export function ScaleAndSwap({ deployment }: { deployment: Deployment }) {
  const queryClient = useQueryClient();
  const current = deployment.variants.find((v) => v.role === 'production')?.instances ?? 1;
  const [instances, setInstances] = useState(current);
  const [version, setVersion] = useState(deployment.version);
  useEffect(() => setVersion(deployment.version), [deployment.version]);
  useEffect(() => setInstances(current), [current]);
  const versions = useQuery({
    queryKey: ['models', deployment.model, 'versions'],
    queryFn: () =>
      call(api.GET('/api/v1/models/{name}/versions', { params: { path: { name: deployment.model } } })),
  });
  const change = useMutation({
    mutationFn: (body: { instances: number } | { version: number }) =>
      call(api.PATCH('/api/v1/deployments/{name}', { params: { path: { name: deployment.name } }, body })),
    onSuccess: (d) => queryClient.setQueryData(['deployments', d.name], d),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['deployments'] }),
  });
  const scale = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ instances });
  };
  const swap = (event: FormEvent) => {
    event.preventDefault();
    change.mutate({ version });
  };
  const busy = change.isPending || deployment.rollout !== null;
  return (
    <section className="card" aria-labelledby="change-title">
      <h2 id="change-title">Scale and swap</h2>
      {deployment.rollout ? <p className="muted">A rollout is in progress: steer it below instead.</p> : null}
      {deployment.settings.autoscaling ? (
        <p className="muted">
          Autoscaling keeps each variant between {deployment.settings.autoscaling.minInstances} and{' '}
          {deployment.settings.autoscaling.maxInstances} instances.
        </p>
      ) : null}
      {change.error ? <ErrorNotice error={change.error} action="change deployments" /> : null}
      <div className="grid two">
        <form className="form-row" onSubmit={scale}>
          <div className="field">
            <label htmlFor="scale-instances">Instances</label>
            <input
              id="scale-instances"
              type="number"
              min={1}
              max={64}
              value={instances}
              onChange={(e) => setInstances(Number(e.target.value))}
            />
          </div>
          <button type="submit" disabled={busy || instances === current}>
            {change.isPending && change.variables && 'instances' in change.variables ? 'Scaling…' : 'Scale'}
          </button>
        </form>
        <form className="form-row" onSubmit={swap}>
          <div className="field">
            <label htmlFor="swap-version">Version</label>
            <select id="swap-version" value={version} onChange={(e) => setVersion(Number(e.target.value))}>
              {(versions.data?.data ?? [{ version: deployment.version, aliases: [] as string[] }])
                .slice()
                .sort((a, b) => b.version - a.version)
                .map((v) => (
                  <option key={v.version} value={v.version}>
                    {v.version}
                    {v.aliases.length > 0 ? ` (${v.aliases.join(', ')})` : ''}
                  </option>
                ))}
            </select>
          </div>
          <button type="submit" disabled={busy || version === deployment.version}>
            {change.isPending && change.variables && 'version' in change.variables
              ? 'Swapping…'
              : 'Swap version'}
          </button>
        </form>
      </div>
    </section>
  );
}
