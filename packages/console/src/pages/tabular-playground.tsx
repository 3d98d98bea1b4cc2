import { useMutation, useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, call } from '../api/client.js';
import { CodeSamples } from '../components/code-samples.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { useDeployedModels } from '../playground/deployed-models.js';
import { ModelSelect } from '../playground/model-select.js';
import { postJson } from '../playground/post-json.js';
import { jsonPostSamples } from '../playground/snippets.js';
import { rowOf, type TabularField, tabularFields } from '../playground/tabular-fields.js';

type Prediction = Record<string, string | number>;

/** A form built from the deployed version's features; one row sent to `/api/v1/predict/{model}`. */
export function TabularPlayground() {
  const models = useDeployedModels(['tabular']);
  const [model, setModel] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const chosen = models.data?.find((m) => m.name === model) ?? models.data?.[0];
  const version = useQuery({
    queryKey: ['models', chosen?.model, 'versions', chosen?.version],
    enabled: chosen !== undefined,
    queryFn: () =>
      call(
        api.GET('/api/v1/models/{name}/versions/{version}', {
          params: { path: { name: chosen?.model ?? '', version: String(chosen?.version ?? '') } },
        }),
      ),
  });
  const fields = tabularFields(version.data?.config);
  const body = { rows: [rowOf(fields, values)] };
  const url = `/api/v1/predict/${encodeURIComponent(chosen?.name ?? 'MODEL')}`;
  const run = useMutation({
    mutationFn: () => postJson<{ predictions: Prediction[] }>(url, body),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) run.mutate();
  };
  const prediction = run.data?.predictions[0];
  return (
    <Page title="Tabular playground">
      {models.error ? <ErrorNotice error={models.error} action="list deployments" /> : null}
      {version.error ? <ErrorNotice error={version.error} action="read the version" /> : null}
      <section className="card stack" aria-label="Predict one row">
        <form className="stack" onSubmit={submit}>
          <ModelSelect
            id="tabular-model"
            models={models.data}
            value={chosen?.name ?? ''}
            onChange={(name) => {
              setModel(name);
              setValues({});
              run.reset();
            }}
            none="No tabular model is deployed"
          />
          {chosen && version.data && fields.length === 0 ? (
            <p className="muted">This version's config names no features.</p>
          ) : null}
          <fieldset className="form-row">
            <legend>
              Features{chosen ? ` of ${chosen.model}:${chosen.version}` : ''} (an empty number is a missing
              value)
            </legend>
            {fields.map((f) => (
              <FieldInput
                key={f.name}
                field={f}
                value={values[f.name] ?? ''}
                onChange={(v) => setValues((all) => ({ ...all, [f.name]: v }))}
              />
            ))}
          </fieldset>
          <div className="actions">
            <button type="submit" disabled={!chosen || fields.length === 0 || run.isPending}>
              {run.isPending ? 'Predicting…' : 'Predict'}
            </button>
          </div>
        </form>
        {run.error ? <ErrorNotice error={run.error} action="call this model" /> : null}
        {prediction ? (
          <ScrollTable label="Prediction">
            <caption>Prediction</caption>
            <tbody>
              {Object.entries(prediction).map(([k, v]) => (
                <tr key={k} data-testid="prediction-row">
                  <th scope="row">{k}</th>
                  <td className="mono">{typeof v === 'number' ? v.toPrecision(4) : v}</td>
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
          body,
          "{ task: 'tabular', predictions: [...] }",
        )}
      />
    </Page>
  );
}

function FieldInput({
  field,
  value,
  onChange,
}: {
  field: TabularField;
  value: string;
  onChange: (v: string) => void;
}) {
  const id = `tabular-field-${field.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <div className="field">
      <label htmlFor={id}>{field.name}</label>
      {field.kind === 'number' ? (
        <input id={id} type="number" step="any" value={value} onChange={(e) => onChange(e.target.value)} />
      ) : (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">(choose)</option>
          {field.categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
