import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { api, call } from '../api/client.js';
import { ErrorNotice } from '../components/notice.js';

const presets = ['mlp-64-64-10', 'mlp-64-32-1', 'lenet'] as const;
type Preset = (typeof presets)[number];

/**
 * A training job from the browser: a dataset of the project, its target column (tables), a preset
 * and the main hyperparameters; the rest takes the API's defaults (docs/training.md). The server
 * checks everything again and answers what it refuses.
 */
export function NewTrainingJob() {
  const [, navigate] = useLocation();
  const datasets = useQuery({ queryKey: ['datasets'], queryFn: () => call(api.GET('/api/v1/datasets')) });
  const [datasetId, setDatasetId] = useState('');
  const chosen = datasetId || datasets.data?.data[0]?.id || '';
  const dataset = useQuery({
    queryKey: ['datasets', chosen],
    enabled: chosen !== '',
    queryFn: () => call(api.GET('/api/v1/datasets/{id}', { params: { path: { id: chosen } } })),
  });
  const schema = dataset.data?.schema;
  const columns = schema?.kind === 'table' ? schema.columns.map((c) => c.name) : [];
  const [target, setTarget] = useState('');
  const targetColumn = columns.includes(target) ? target : (columns[columns.length - 1] ?? '');
  const [name, setName] = useState('');
  const [preset, setPreset] = useState<Preset>('mlp-64-64-10');
  const [epochs, setEpochs] = useState(20);
  const [learningRate, setLearningRate] = useState(0.01);
  const start = useMutation({
    mutationFn: () =>
      call(
        api.POST('/api/v1/training/jobs', {
          body: {
            datasetId: chosen,
            ...(schema?.kind === 'table' ? { target: targetColumn } : {}),
            name: name || dataset.data?.name || 'trained',
            model: { preset },
            optimizer: { type: 'adam', learningRate },
            epochs,
          },
        }),
      ),
    onSuccess: (job) => navigate(`/training/${encodeURIComponent(job.id)}`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) start.mutate();
  };
  return (
    <section className="card stack" aria-labelledby="new-job-title">
      <h2 id="new-job-title">New training job</h2>
      {datasets.error ? <ErrorNotice error={datasets.error} action="list datasets" /> : null}
      {datasets.data?.data.length === 0 ? (
        <p className="muted">
          No dataset yet: upload one with <code>POST /api/v1/datasets?name=…</code> (CSV, JSON Lines, or a tar
          of class folders).
        </p>
      ) : null}
      <form className="form-row" onSubmit={submit}>
        <div className="field">
          <label htmlFor="job-dataset">Dataset</label>
          <select id="job-dataset" value={chosen} onChange={(e) => setDatasetId(e.target.value)}>
            {datasets.data?.data.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} (
                {d.summary.kind === 'table' ? `${d.summary.rows} rows` : `${d.summary.images} images`})
              </option>
            ))}
          </select>
        </div>
        {schema?.kind === 'table' ? (
          <div className="field">
            <label htmlFor="job-target">Target column</label>
            <select id="job-target" value={targetColumn} onChange={(e) => setTarget(e.target.value)}>
              {columns.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor="job-name">Model name</label>
          <input
            id="job-name"
            value={name}
            placeholder={dataset.data?.name ?? ''}
            onChange={(e) => setName(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="job-preset">Preset</label>
          <select id="job-preset" value={preset} onChange={(e) => setPreset(e.target.value as Preset)}>
            {presets.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="job-epochs">Epochs</label>
          <input
            id="job-epochs"
            type="number"
            min={1}
            max={1000}
            value={epochs}
            onChange={(e) => setEpochs(Number(e.target.value))}
          />
        </div>
        <div className="field">
          <label htmlFor="job-lr">Learning rate</label>
          <input
            id="job-lr"
            type="number"
            min={0}
            max={10}
            step="any"
            value={learningRate}
            onChange={(e) => setLearningRate(Number(e.target.value))}
          />
        </div>
        <button type="submit" disabled={!chosen || start.isPending}>
          {start.isPending ? 'Starting…' : 'Start training'}
        </button>
      </form>
      {start.error ? <ErrorNotice error={start.error} action="start training jobs" /> : null}
    </section>
  );
}
