import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useSignedIn } from '../access/signed-in.js';
import { api, call } from '../api/client.js';
import type { ModelTask } from '../api/types.js';
import { ErrorNotice, NeedsScope } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { formatTime } from '../format/time.js';

const tasks: ModelTask[] = [
  'tensor',
  'text-generation',
  'feature-extraction',
  'image-classification',
  'automatic-speech-recognition',
  'text-classification',
  'tabular',
];

function CreateModel() {
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [task, setTask] = useState<ModelTask>('tensor');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => call(api.POST('/api/v1/models', { body: { name, task, description } })),
    onSuccess: async (model) => {
      await queryClient.invalidateQueries({ queryKey: ['models'] });
      navigate(`/models/${encodeURIComponent(model.name)}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="new-model">
      <h2 id="new-model">New model</h2>
      {create.error ? <ErrorNotice error={create.error} action="create models" /> : null}
      <form className="form-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="model-name">Name</label>
          <input
            id="model-name"
            required
            maxLength={64}
            pattern="[a-z0-9][a-z0-9._\-]*"
            title="lower-case letters, digits, dots, dashes and underscores"
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="model-task">Task</label>
          <select id="model-task" value={task} onChange={(e) => setTask(e.target.value as ModelTask)}>
            {tasks.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="field" style={{ flex: '1 1 220px' }}>
          <label htmlFor="model-description">Description</label>
          <input
            id="model-description"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create model'}
        </button>
      </form>
    </section>
  );
}

/** Every model of the project, and a form to register a new one. */
export function Models() {
  const { can } = useSignedIn();
  const models = useQuery({ queryKey: ['models'], queryFn: () => call(api.GET('/api/v1/models')) });
  return (
    <Page title="Models">
      {can.manage ? <CreateModel /> : <NeedsScope scope="manage">Creating models is hidden:</NeedsScope>}
      {models.error ? <ErrorNotice error={models.error} action="list models" /> : null}
      <div className="card">
        <ScrollTable label="Models">
          <caption>Models</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Task</th>
              <th scope="col" className="num">
                Latest version
              </th>
              <th scope="col">Aliases</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {models.isPending ? (
              <tr>
                <td colSpan={5}>Loading…</td>
              </tr>
            ) : null}
            {models.data?.data.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No models yet.
                </td>
              </tr>
            ) : null}
            {models.data?.data.map((m) => (
              <tr key={m.name}>
                <td>
                  <Link href={`/models/${encodeURIComponent(m.name)}`}>{m.name}</Link>
                  {m.description ? <div className="muted">{m.description}</div> : null}
                </td>
                <td>{m.task}</td>
                <td className="num">{m.latestVersion ?? '—'}</td>
                <td>
                  {Object.entries(m.aliases)
                    .map(([alias, v]) => `${alias} → ${v}`)
                    .join(', ') || '—'}
                </td>
                <td>{formatTime(m.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </div>
    </Page>
  );
}
