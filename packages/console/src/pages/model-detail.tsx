import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { useSignedIn } from '../access/signed-in.js';
import { api, call } from '../api/client.js';
import { CopyButton } from '../components/copy-button.js';
import { ErrorNotice, NeedsScope } from '../components/notice.js';
import { Page } from '../components/page.js';
import { ScrollTable } from '../components/scroll-table.js';
import { formatBytes } from '../format/numbers.js';
import { formatTime } from '../format/time.js';
import { IoSignature } from './io-signature.js';
import { UploadForm } from './upload-form.js';
import { VersionCompare } from './version-compare.js';
import { AliasForm, DeployForm } from './version-forms.js';

/** A model: its versions (format, sha256, inputs and outputs, aliases), uploads, aliases and deploying. */
export function ModelDetail({ name }: { name: string }) {
  const { can } = useSignedIn();
  const model = useQuery({
    queryKey: ['models', name],
    queryFn: () => call(api.GET('/api/v1/models/{name}', { params: { path: { name } } })),
  });
  const versions = useQuery({
    queryKey: ['models', name, 'versions'],
    queryFn: () => call(api.GET('/api/v1/models/{name}/versions', { params: { path: { name } } })),
  });
  const list = [...(versions.data?.data ?? [])].sort((a, b) => b.version - a.version);
  return (
    <Page title={`Model ${name}`}>
      {model.error ? <ErrorNotice error={model.error} action="read this model" /> : null}
      {model.data ? (
        <p>
          <strong>{model.data.task}</strong>
          {model.data.description ? ` · ${model.data.description}` : ''}
        </p>
      ) : null}
      {versions.error ? <ErrorNotice error={versions.error} action="list versions" /> : null}
      <div className="card">
        <ScrollTable label="Versions">
          <caption>Versions</caption>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Format</th>
              <th scope="col">Inputs and outputs</th>
              <th scope="col">sha256</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Aliases</th>
              <th scope="col">Uploaded</th>
              <th scope="col">Lineage</th>
            </tr>
          </thead>
          <tbody>
            {versions.data && list.length === 0 ? (
              <tr>
                <td colSpan={8} className="muted">
                  No versions yet: upload one.
                </td>
              </tr>
            ) : null}
            {list.map((v) => (
              <tr key={v.version}>
                <td>{v.version}</td>
                <td>{v.format}</td>
                <td>
                  <IoSignature version={v} />
                </td>
                <td>
                  <span className="mono" title={v.sha256}>
                    {v.sha256.slice(0, 12)}…
                  </span>{' '}
                  <CopyButton text={v.sha256} name={`Copy sha256 of version ${v.version}`} />
                </td>
                <td className="num">{formatBytes(v.sizeBytes)}</td>
                <td>{v.aliases.join(', ') || '—'}</td>
                <td>{formatTime(v.createdAt)}</td>
                <td>
                  <Lineage config={v.config} />
                </td>
              </tr>
            ))}
          </tbody>
        </ScrollTable>
      </div>
      {list.length > 1 ? <VersionCompare versions={list} /> : null}
      {can.manage ? (
        <div className="grid two">
          <UploadForm model={name} />
          <div className="stack">
            {list.length > 0 ? (
              <>
                <DeployForm model={name} versions={list} />
                <AliasForm model={name} versions={list} />
              </>
            ) : null}
          </div>
        </div>
      ) : (
        <NeedsScope scope="manage">Uploading, aliases and deploying are hidden:</NeedsScope>
      )}
    </Page>
  );
}

/** The training job that made a version, from the lineage the job wrote into its config. */
function Lineage({ config }: { config: unknown }) {
  const lineage = (config as { lineage?: { jobId?: unknown; datasetId?: unknown } } | null)?.lineage;
  if (typeof lineage?.jobId !== 'string') return <>uploaded</>;
  return (
    <>
      trained by{' '}
      <Link href={`/training/${encodeURIComponent(lineage.jobId)}`} className="mono">
        {lineage.jobId}
      </Link>
    </>
  );
}
