import { useQuery } from '@tanstack/react-query';
import { type DragEvent, type FormEvent, useEffect, useState } from 'react';
import { authHeader } from '../access/key-store.js';
import { useSignedIn } from '../access/signed-in.js';
import { ApiError, apiErrorOf } from '../api/api-error.js';
import { api, call } from '../api/client.js';
import { CodeSamples } from '../components/code-samples.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { imageSamples } from '../playground/snippets.js';

interface Prediction {
  label: string;
  score: number;
}

/** Deployments whose model classifies images. */
function useImageModels() {
  return useQuery({
    queryKey: ['image-deployments'],
    queryFn: async () => {
      const [models, deployments] = await Promise.all([
        call(api.GET('/api/v1/models')),
        call(api.GET('/api/v1/deployments')),
      ]);
      const image = new Set(models.data.filter((m) => m.task === 'image-classification').map((m) => m.name));
      return deployments.data.filter((d) => image.has(d.model)).map((d) => d.name);
    },
  });
}

/** Drop an image, get the model's top classes from `/api/v1/predict/{model}`. */
export function ImagePlayground() {
  const { signOut } = useSignedIn();
  const models = useImageModels();
  const [model, setModel] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [over, setOver] = useState(false);
  const [topK, setTopK] = useState(5);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Prediction[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const chosen = model || models.data?.[0] || '';

  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const choose = (f: File | undefined) => {
    if (!f) return;
    setFile(f);
    setResult(null);
    setError(null);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    choose(event.dataTransfer.files[0]);
  };
  const classify = async (event: FormEvent) => {
    event.preventDefault();
    if (!file || !chosen) return;
    setBusy(true);
    setError(null);
    try {
      const form = new FormData();
      form.append('file', file, file.name);
      form.append('topK', String(topK));
      const res = await fetch(`/api/v1/predict/${encodeURIComponent(chosen)}`, {
        method: 'POST',
        headers: authHeader(),
        body: form,
      });
      if (!res.ok) throw await apiErrorOf(res);
      setResult(((await res.json()) as { predictions: Prediction[] }).predictions);
    } catch (err) {
      if (err instanceof ApiError && err.unauthenticated)
        signOut(`The server refused the key: ${err.message}`);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="Image playground">
      {models.error ? <ErrorNotice error={models.error} action="list deployments" /> : null}
      <section className="card stack" aria-label="Classify an image">
        <form className="stack" onSubmit={classify}>
          <div className="form-row">
            <div className="field">
              <label htmlFor="image-model">Model</label>
              <select id="image-model" value={chosen} onChange={(e) => setModel(e.target.value)}>
                {models.data?.length === 0 ? <option value="">No image classifier is deployed</option> : null}
                {models.data?.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="image-top-k">Top classes</label>
              <input
                id="image-top-k"
                type="number"
                min={1}
                max={100}
                value={topK}
                onChange={(e) => setTopK(Number(e.target.value))}
              />
            </div>
          </div>
          <section
            className={`dropzone${over ? ' over' : ''}`}
            aria-label="Image drop zone"
            onDragOver={(e) => {
              e.preventDefault();
              setOver(true);
            }}
            onDragLeave={() => setOver(false)}
            onDrop={drop}
          >
            <label htmlFor="image-file">Drop an image here, or choose one </label>
            <input
              id="image-file"
              type="file"
              accept="image/*"
              onChange={(e) => choose(e.target.files?.[0])}
            />
            {preview ? <img src={preview} alt={`The chosen file, ${file?.name ?? ''}`} /> : null}
          </section>
          <div className="actions">
            <button type="submit" disabled={!file || !chosen || busy}>
              {busy ? 'Classifying…' : 'Classify'}
            </button>
          </div>
        </form>
        {error ? <ErrorNotice error={error} action="call this model" /> : null}
        {result ? (
          <ol
            className="stack"
            aria-label="Top classes"
            data-testid="predictions"
            style={{ paddingLeft: 20 }}
          >
            {result.map((p) => (
              <li key={p.label}>
                <div className="actions" style={{ justifyContent: 'space-between' }}>
                  <span>{p.label}</span>
                  <span className="mono">{(p.score * 100).toFixed(1)} %</span>
                </div>
                <div className="bar-track">
                  <div className="bar" style={{ width: `${Math.max(1, p.score * 100)}%` }} />
                </div>
              </li>
            ))}
          </ol>
        ) : null}
      </section>
      <CodeSamples
        title="The same request"
        samples={imageSamples(window.location.origin, chosen || 'MODEL', file?.name ?? 'image.png', topK)}
      />
    </Page>
  );
}
