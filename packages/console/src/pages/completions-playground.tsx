import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CodeSamples } from '../components/code-samples.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { useDeployedModels } from '../playground/deployed-models.js';
import { ModelSelect } from '../playground/model-select.js';
import { postJson } from '../playground/post-json.js';
import { SamplingFields } from '../playground/sampling-fields.js';
import { completionSamples } from '../playground/snippets.js';

interface Completion {
  choices: { text: string; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number };
}

/** A prompt continued by a language model over `/v1/completions`. */
export function CompletionsPlayground() {
  const models = useDeployedModels(['text-generation']);
  const [model, setModel] = useState('');
  const [prompt, setPrompt] = useState('Once upon a time');
  const [maxTokens, setMaxTokens] = useState(32);
  const [temperature, setTemperature] = useState(0);
  const chosen = model || models.data?.[0]?.name || '';
  const body = { model: chosen || 'MODEL', prompt, max_tokens: maxTokens, temperature };
  const run = useMutation({ mutationFn: () => postJson<Completion>('/v1/completions', body) });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) run.mutate();
  };
  const choice = run.data?.choices[0];
  return (
    <Page title="Completions playground">
      {models.error ? <ErrorNotice error={models.error} action="list deployments" /> : null}
      <section className="card stack" aria-label="Complete a prompt">
        <form className="stack" onSubmit={submit}>
          <div className="form-row">
            <ModelSelect
              id="completion-model"
              models={models.data}
              value={chosen}
              onChange={setModel}
              none="No language model is deployed"
            />
            <SamplingFields
              idPrefix="completion"
              maxTokens={maxTokens}
              setMaxTokens={setMaxTokens}
              temperature={temperature}
              setTemperature={setTemperature}
            />
          </div>
          <div className="field">
            <label htmlFor="completion-prompt">Prompt</label>
            <textarea
              id="completion-prompt"
              rows={4}
              value={prompt}
              onChange={(e) => setPrompt(e.target.value)}
            />
          </div>
          <div className="actions">
            <button type="submit" disabled={!chosen || run.isPending}>
              {run.isPending ? 'Completing…' : 'Complete'}
            </button>
          </div>
        </form>
        {run.error ? <ErrorNotice error={run.error} action="call this model" /> : null}
        {choice ? (
          <div className="message assistant" data-testid="completion">
            <span className="muted">{prompt}</span>
            <strong>{choice.text}</strong>
            <p className="muted">
              finish: {choice.finish_reason ?? '—'}
              {run.data?.usage
                ? ` · ${run.data.usage.prompt_tokens} prompt + ${run.data.usage.completion_tokens} generated tokens`
                : ''}
            </p>
          </div>
        ) : null}
      </section>
      <CodeSamples title="The same request" samples={completionSamples(window.location.origin, body)} />
    </Page>
  );
}
