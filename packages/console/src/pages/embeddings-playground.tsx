import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CodeSamples } from '../components/code-samples.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { cosineSimilarity } from '../playground/cosine.js';
import { useDeployedModels } from '../playground/deployed-models.js';
import { ModelSelect } from '../playground/model-select.js';
import { postJson } from '../playground/post-json.js';
import { embeddingSamples } from '../playground/snippets.js';

interface Embeddings {
  data: { index: number; embedding: number[] }[];
}

/** Two texts embedded over `/v1/embeddings`, and how alike they are (cosine similarity). */
export function EmbeddingsPlayground() {
  const models = useDeployedModels(['feature-extraction']);
  const [model, setModel] = useState('');
  const [a, setA] = useState('A cat sleeps on the sofa.');
  const [b, setB] = useState('A kitten naps on the couch.');
  const chosen = model || models.data?.[0]?.name || '';
  const body = { model: chosen || 'MODEL', input: [a, b], encoding_format: 'float' };
  const run = useMutation({
    mutationFn: async () => {
      const answer = await postJson<Embeddings>('/v1/embeddings', body);
      const [x, y] = [...answer.data].sort((p, q) => p.index - q.index).map((d) => d.embedding);
      if (!x || !y) throw new Error('The answer holds fewer than two embeddings.');
      return { similarity: cosineSimilarity(x, y), dimensions: x.length };
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen) run.mutate();
  };
  return (
    <Page title="Embeddings playground">
      {models.error ? <ErrorNotice error={models.error} action="list deployments" /> : null}
      <section className="card stack" aria-label="Compare two texts">
        <form className="stack" onSubmit={submit}>
          <ModelSelect
            id="embedding-model"
            models={models.data}
            value={chosen}
            onChange={setModel}
            none="No embedding model is deployed"
          />
          <div className="grid two">
            <div className="field">
              <label htmlFor="embedding-a">First text</label>
              <textarea id="embedding-a" rows={3} value={a} onChange={(e) => setA(e.target.value)} />
            </div>
            <div className="field">
              <label htmlFor="embedding-b">Second text</label>
              <textarea id="embedding-b" rows={3} value={b} onChange={(e) => setB(e.target.value)} />
            </div>
          </div>
          <div className="actions">
            <button type="submit" disabled={!chosen || run.isPending}>
              {run.isPending ? 'Embedding…' : 'Compare'}
            </button>
          </div>
        </form>
        {run.error ? <ErrorNotice error={run.error} action="call this model" /> : null}
        {run.data ? (
          <div data-testid="similarity" data-value={run.data.similarity}>
            <p>
              Cosine similarity <strong className="mono">{run.data.similarity.toFixed(4)}</strong>{' '}
              <span className="muted">
                ({run.data.dimensions} dimensions; 1 is the same direction, 0 unrelated)
              </span>
            </p>
            <div className="bar-track">
              <div
                className="bar"
                style={{ width: `${Math.max(1, Math.abs(run.data.similarity) * 100)}%` }}
              />
            </div>
          </div>
        ) : null}
      </section>
      <CodeSamples title="The same request" samples={embeddingSamples(window.location.origin, body)} />
    </Page>
  );
}
