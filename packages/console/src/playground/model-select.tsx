import type { DeployedModel } from './deployed-models.js';

/** The deployment a playground calls; says so when none fits. */
export function ModelSelect({
  id,
  label = 'Model',
  models,
  value,
  onChange,
  none,
}: {
  id: string;
  label?: string;
  models: DeployedModel[] | undefined;
  value: string;
  onChange: (name: string) => void;
  none: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {models?.length === 0 ? <option value="">{none}</option> : null}
        {models?.map((m) => (
          <option key={m.name} value={m.name}>
            {m.name}
          </option>
        ))}
      </select>
    </div>
  );
}
