import { useState } from 'react';
import type { ModelVersion } from '../api/types.js';
import { ScrollTable } from '../components/scroll-table.js';
import { flatten } from '../format/flatten.js';

function described(v: ModelVersion): Map<string, string> {
  const { format, sha256, sizeBytes, createdAt, aliases, metadata, config } = v;
  return new Map(flatten({ format, sha256, sizeBytes, createdAt, aliases, metadata, config }));
}

/** Two versions' metadata and config side by side, the fields that differ marked. */
export function VersionCompare({ versions }: { versions: ModelVersion[] }) {
  const [a, setA] = useState(versions[1]?.version ?? versions[0]?.version ?? 0);
  const [b, setB] = useState(versions[0]?.version ?? 0);
  const va = versions.find((v) => v.version === a);
  const vb = versions.find((v) => v.version === b);
  const left = va ? described(va) : new Map<string, string>();
  const right = vb ? described(vb) : new Map<string, string>();
  const fields = [...new Set([...left.keys(), ...right.keys()])];
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const shown = fields.filter((f) => !onlyDiffering || left.get(f) !== right.get(f));
  const select = (id: string, label: string, value: number, set: (n: number) => void) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => set(Number(e.target.value))}>
        {versions.map((v) => (
          <option key={v.version} value={v.version}>
            {v.version}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <section className="card stack" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare two versions</h2>
      <div className="form-row">
        {select('compare-a', 'Version A', a, setA)}
        {select('compare-b', 'Version B', b, setB)}
        <label>
          <input
            type="checkbox"
            checked={onlyDiffering}
            onChange={(e) => setOnlyDiffering(e.target.checked)}
          />{' '}
          only what differs
        </label>
      </div>
      <ScrollTable label="Version comparison">
        <caption>
          Version {a} against version {b}
        </caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Version {a}</th>
            <th scope="col">Version {b}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => {
            const differs = left.get(f) !== right.get(f);
            return (
              <tr key={f} data-testid="compare-row" data-differs={differs}>
                <th scope="row" className="mono">
                  {f}
                  {differs ? <strong> ≠</strong> : null}
                </th>
                <td className="mono">{left.get(f) ?? '—'}</td>
                <td className="mono">{right.get(f) ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </ScrollTable>
    </section>
  );
}
