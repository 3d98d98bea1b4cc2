import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { authHeader } from '../access/key-store.js';
import { apiErrorOf } from '../api/api-error.js';
import { CodeSamples } from '../components/code-samples.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { useDeployedModels } from '../playground/deployed-models.js';
import { ModelSelect } from '../playground/model-select.js';
import { type OipMetadata, PREFILL_LIMIT, starterRequest } from '../playground/oip-request.js';
import { postJson } from '../playground/post-json.js';
import { jsonPostSamples } from '../playground/snippets.js';

interface OipOutput {
  name: string;
  datatype: string;
  shape: number[];
  data: unknown[];
}

/** Values of an output shown; the rest is counted. */
const SHOWN = 20;

/** Any deployment called with raw tensors over the Open Inference Protocol (`/v2/models/{name}/infer`). */
export function TensorPlayground() {
  const models = useDeployedModels(null);
  const [model, setModel] = useState('');
  const chosen = model || models.data?.[0]?.name || '';
  const meta = useQuery({
    queryKey: ['oip-metadata', chosen],
    enabled: chosen !== '',
    queryFn: async () => {
      const res = await fetch(`/v2/models/${encodeURIComponent(chosen)}`, { headers: authHeader() });
      if (!res.ok) throw await apiErrorOf(res);
      return (await res.json()) as OipMetadata;
    },
  });
  const [text, setText] = useState('');
  useEffect(() => {
    if (meta.data) setText(JSON.stringify(starterRequest(meta.data), null, 2));
  }, [meta.data]);
  let parsed: unknown = null;
  let parseError: string | null = null;
  try {
    parsed = text.trim() === '' ? null : JSON.parse(text);
  } catch (err) {
    parseError = err instanceof Error ? err.message : String(err);
  }
  const url = `/v2/models/${encodeURIComponent(chosen || 'MODEL')}/infer`;
  const run = useMutation({ mutationFn: () => postJson<{ outputs: OipOutput[] }>(url, parsed) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen && parsed !== null) run.mutate();
  };
  return (
    <Page title="Tensor playground (OIP)">
      {models.error ? <ErrorNotice error={models.error} action="list deployments" /> : null}
      {meta.error ? <ErrorNotice error={meta.error} action="read the model's metadata" /> : null}
      <section className="card stack" aria-label="Infer with raw tensors">
        <form className="stack" onSubmit={submit}>
          <ModelSelect
            id="tensor-model"
            models={models.data}
            value={chosen}
            onChange={(name) => {
              setModel(name);
              run.reset();
            }}
            none="No model is deployed"
          />
          {meta.data ? (
            <p className="muted">
              Inputs:{' '}
              {meta.data.inputs.map((t) => `${t.name} ${t.datatype} [${t.shape.join(', ')}]`).join('; ')}.
              Outputs:{' '}
              {meta.data.outputs.map((t) => `${t.name} ${t.datatype} [${t.shape.join(', ')}]`).join('; ')}.
              Inputs over {PREFILL_LIMIT} values start with empty data.
            </p>
          ) : null}
          <div className="field">
            <label htmlFor="tensor-request">Request (JSON)</label>
            <textarea
              id="tensor-request"
              className="mono"
              rows={12}
              spellCheck={false}
              value={text}
              onChange={(e) => setText(e.target.value)}
              aria-invalid={parseError !== null}
              aria-describedby={parseError ? 'tensor-request-error' : undefined}
            />
            {parseError ? (
              <p id="tensor-request-error" className="error-text">
                Not JSON: {parseError}
              </p>
            ) : null}
          </div>
          <div className="actions">
            <button type="submit" disabled={!chosen || parsed === null || run.isPending}>
              {run.isPending ? 'Running…' : 'Infer'}
            </button>
          </div>
        </form>
        {run.error ? <ErrorNotice error={run.error} action="call this model" /> : null}
        {run.data ? (
          <ScrollTable label="Outputs">
            <caption>Outputs</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Shape</th>
                <th scope="col">Data</th>
              </tr>
            </thead>
            <tbody>
              {run.data.outputs.map((o) => (
                <tr key={o.name} data-testid="output-row">
                  <td>{o.name}</td>
                  <td>{o.datatype}</td>
                  <td className="mono">[{o.shape.join(', ')}]</td>
                  <td className="mono">
                    {o.data
                      .slice(0, SHOWN)
                      .map((v) => (typeof v === 'number' ? Number(v.toPrecision(4)) : JSON.stringify(v)))
                      .join(', ')}
                    {o.data.length > SHOWN ? ` … (${o.data.length} values)` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        ) : null}
      </section>
      <CodeSamples
        title="The same request"
        samples={jsonPostSamples(
          `${window.location.origin}${url}`,
          parsed ?? { inputs: [] },
          '{ model_name, outputs: [{ name, shape, datatype, data }] }',
        )}
      />
    </Page>
  );
}
