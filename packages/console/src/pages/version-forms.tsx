import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useLocation } from 'wouter';
import { api, call } from '../api/client.js';
import type { ModelVersion } from '../api/types.js';
import { ErrorNotice } from '../components/notice.js';

function VersionSelect({
  id,
  versions,
  value,
  onChange,
}: {
  id: string;
  versions: ModelVersion[];
  value: number;
  onChange: (v: number) => void;
}) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(Number(e.target.value))}>
      {versions.map((v) => (
        <option key={v.version} value={v.version}>
          {v.version}
          {v.aliases.length > 0 ? ` (${v.aliases.join(', ')})` : ''}
        </option>
      ))}
    </select>
  );
}

/** Point an alias (e.g. `production`) at a version. */
export function AliasForm({ model, versions }: { model: string; versions: ModelVersion[] }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [alias, setAlias] = useState('production');
  const [version, setVersion] = useState(versions[0]?.version ?? 1);
  const set = useMutation({
    mutationFn: () =>
      call(
        api.PUT('/api/v1/models/{name}/aliases/{alias}', {
          params: { path: { name: model, alias } },
          body: { version },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['models'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    set.mutate();
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Set an alias</h2>
      {set.error ? <ErrorNotice error={set.error} action="set aliases" /> : null}
      {set.isSuccess ? (
        <p className="notice success" role="status">
          {set.data.alias} → version {set.data.version}
        </p>
      ) : null}
      <form className="form-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-alias`}>Alias</label>
          <input id={`${id}-alias`} required value={alias} onChange={(e) => setAlias(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-version`}>Version</label>
          <VersionSelect id={`${id}-version`} versions={versions} value={version} onChange={setVersion} />
        </div>
        <button type="submit" disabled={set.isPending}>
          Set alias
        </button>
      </form>
    </section>
  );
}

/** Serve a version: starts its runners and answers once they are ready. */
export function DeployForm({ model, versions }: { model: string; versions: ModelVersion[] }) {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const id = useId();
  const [name, setName] = useState(model);
  const [version, setVersion] = useState(versions[0]?.version ?? 1);
  const [instances, setInstances] = useState(1);
  const deploy = useMutation({
    mutationFn: () => call(api.POST('/api/v1/deployments', { body: { name, model, version, instances } })),
    onSuccess: async (d) => {
      await queryClient.invalidateQueries({ queryKey: ['deployments'] });
      navigate(`/deployments/${encodeURIComponent(d.name)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    deploy.mutate();
  };
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Deploy</h2>
      {deploy.error ? <ErrorNotice error={deploy.error} action="deploy models" /> : null}
      <form className="form-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-name`}>Deployment name</label>
          <input id={`${id}-name`} required value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-version`}>Version</label>
          <VersionSelect id={`${id}-version`} versions={versions} value={version} onChange={setVersion} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-instances`}>Instances</label>
          <input
            id={`${id}-instances`}
            type="number"
            min={1}
            max={64}
            value={instances}
            onChange={(e) => setInstances(Number(e.target.value))}
          />
        </div>
        <button type="submit" disabled={deploy.isPending}>
          {deploy.isPending ? 'Starting runners…' : 'Deploy'}
        </button>
      </form>
    </section>
  );
}
