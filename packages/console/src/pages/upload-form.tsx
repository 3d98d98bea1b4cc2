import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../components/notice.js';
import { formatBytes } from '../format/numbers.js';
import { type UploadProgress, uploadVersion } from '../upload/upload-with-progress.js';

function parseConfig(text: string): Record<string, unknown> | null {
  if (text.trim() === '') return null;
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('The config must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** A new version of the model: the file, its pipeline config, and a progress bar while it goes up. */
export function UploadForm({ model }: { model: string }) {
  const queryClient = useQueryClient();
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [configText, setConfigText] = useState('');
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const cancel = useRef<AbortController | null>(null);
  const upload = useMutation({
    mutationFn: async () => {
      if (!file) throw new Error('Choose a file first.');
      const config = parseConfig(configText);
      setProgress({ sentBytes: 0, totalBytes: file.size });
      cancel.current = new AbortController();
      return uploadVersion(model, file, config, setProgress, cancel.current.signal);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['models'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    upload.mutate();
  };
  const percent =
    progress && progress.totalBytes > 0 ? Math.round((progress.sentBytes / progress.totalBytes) * 100) : 0;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Upload a version</h2>
      <form className="stack" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-file`}>
            Artifact{' '}
            <span className="hint">
              ONNX, GGUF, or a tar of a model folder; the format is read from the bytes
            </span>
          </label>
          <input
            id={`${id}-file`}
            type="file"
            required
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-config`}>
            Config <span className="hint">optional JSON: pipeline settings, labels (see docs/tasks.md)</span>
          </label>
          <textarea
            id={`${id}-config`}
            rows={3}
            value={configText}
            onChange={(e) => setConfigText(e.target.value)}
          />
        </div>
        <div className="actions">
          <button type="submit" disabled={upload.isPending || !file}>
            {upload.isPending ? 'Uploading…' : 'Upload'}
          </button>
          {upload.isPending ? (
            <button type="button" className="secondary" onClick={() => cancel.current?.abort()}>
              Cancel
            </button>
          ) : null}
          {file ? <span className="muted">{formatBytes(file.size)}</span> : null}
        </div>
        {progress ? (
          <div className="field">
            <label htmlFor={`${id}-progress`}>
              {upload.isSuccess ? 'Uploaded' : upload.isError ? 'Upload stopped' : 'Uploading'}{' '}
              <span className="hint">
                {formatBytes(Math.min(progress.sentBytes, file?.size ?? progress.sentBytes))} of{' '}
                {formatBytes(file?.size ?? progress.totalBytes)} ({percent} %)
              </span>
            </label>
            <progress id={`${id}-progress`} max={100} value={percent} />
          </div>
        ) : null}
        {upload.isSuccess ? (
          <div className="notice success" role="status">
            <p>
              Version {upload.data.version} stored ({upload.data.format}, sha256{' '}
              <span className="mono">{upload.data.sha256.slice(0, 12)}…</span>).
            </p>
          </div>
        ) : null}
        {upload.error ? <ErrorNotice error={upload.error} action="upload versions" /> : null}
      </form>
    </section>
  );
}
