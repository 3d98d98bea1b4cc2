import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { authHeader } from '../access/key-store.js';
import { apiErrorOf } from '../api/api-error.js';
import { CodeSamples } from '../components/code-samples.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { useDeployedModels } from '../playground/deployed-models.js';
import { ModelSelect } from '../playground/model-select.js';
import { transcriptionSamples } from '../playground/snippets.js';

/** A WAV file transcribed over `/v1/audio/transcriptions` (the OpenAI form upload). */
export function TranscriptionPlayground() {
  const models = useDeployedModels(['automatic-speech-recognition']);
  const [model, setModel] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [audioUrl, setAudioUrl] = useState<string | null>(null);
  const chosen = model || models.data?.[0]?.name || '';
  useEffect(() => {
    if (!file) return;
    const url = URL.createObjectURL(file);
    setAudioUrl(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);
  const run = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error('Choose a WAV file first.');
      const form = new FormData();
      form.append('model', chosen);
      form.append('file', file, file.name);
      const res = await fetch('/v1/audio/transcriptions', {
        method: 'POST',
        headers: authHeader(),
        body: form,
      });
      if (!res.ok) throw await apiErrorOf(res);
      return ((await res.json()) as { text: string }).text;
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen && file) run.mutate();
  };
  return (
    <Page title="Transcription playground">
      {models.error ? <ErrorNotice error={models.error} action="list deployments" /> : null}
      <section className="card stack" aria-label="Transcribe audio">
        <form className="stack" onSubmit={submit}>
          <div className="form-row">
            <ModelSelect
              id="transcription-model"
              models={models.data}
              value={chosen}
              onChange={setModel}
              none="No speech recognition model is deployed"
            />
            <div className="field">
              <label htmlFor="transcription-file">Audio (WAV)</label>
              <input
                id="transcription-file"
                type="file"
                accept="audio/wav,audio/x-wav,.wav"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  run.reset();
                }}
              />
            </div>
          </div>
          {audioUrl ? (
            // biome-ignore lint/a11y/useMediaCaption: the transcript below is the caption
            <audio controls src={audioUrl} aria-label={`The chosen file, ${file?.name ?? ''}`} />
          ) : null}
          <div className="actions">
            <button type="submit" disabled={!chosen || !file || run.isPending}>
              {run.isPending ? 'Transcribing…' : 'Transcribe'}
            </button>
          </div>
        </form>
        {run.error ? <ErrorNotice error={run.error} action="call this model" /> : null}
        {run.data !== undefined ? (
          <blockquote className="message assistant" data-testid="transcript">
            {run.data || <span className="muted">(no speech recognised)</span>}
          </blockquote>
        ) : null}
      </section>
      <CodeSamples
        title="The same request"
        samples={transcriptionSamples(window.location.origin, chosen || 'MODEL', file?.name ?? 'speech.wav')}
      />
    </Page>
  );
}
