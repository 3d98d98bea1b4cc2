import type { ReactNode } from 'react';

/** One figure of the overview, with a line of context under it. */
export function Tile({
  label,
  value,
  detail,
  bad = false,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  bad?: boolean;
}) {
  return (
    <section className={`card tile${bad ? ' bad' : ''}`} aria-label={label}>
      <h2 className="label">{label}</h2>
      <p className="value">{value}</p>
      {detail ? <p className="detail">{detail}</p> : null}
    </section>
  );
}
