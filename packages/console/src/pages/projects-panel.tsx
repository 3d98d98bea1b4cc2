import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client.js';
import { ErrorNotice } from '../components/notice.js';
import { ScrollTable } from '../components/scroll-table.js';
import { formatTime } from '../format/time.js';

/** The organization's projects (an `org_admin` key's view), and a new one. */
export function ProjectsPanel({ current }: { current: string }) {
  const queryClient = useQueryClient();
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => call(api.GET('/api/v1/projects')) });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => call(api.POST('/api/v1/projects', { body: { name } })),
    onSuccess: () => {
      setName('');
      return queryClient.invalidateQueries({ queryKey: ['projects'] });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <section className="card stack" aria-labelledby="projects-title">
      <h2 id="projects-title">Projects</h2>
      {projects.error ? <ErrorNotice error={projects.error} action="list projects" /> : null}
      {create.error ? <ErrorNotice error={create.error} action="create projects" /> : null}
      <form className="form-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="project-name">New project</label>
          <input
            id="project-name"
            required
            maxLength={64}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <button type="submit" disabled={create.isPending}>
          Create project
        </button>
      </form>
      <ScrollTable label="Projects">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Id</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {projects.data?.data.map((p) => (
            <tr key={p.id}>
              <td>
                {p.name}
                {p.id === current ? <span className="muted"> (this key's)</span> : null}
              </td>
              <td className="mono">{p.id}</td>
              <td>{formatTime(p.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </ScrollTable>
    </section>
  );
}
