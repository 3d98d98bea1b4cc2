import { type KeyboardEvent, useId, useState } from 'react';
import { CopyButton } from './copy-button.js';

export interface CodeSample {
  label: string;
  code: string;
}

/** The same request in several languages, as tabs; each ready to copy. */
export function CodeSamples({ title, samples }: { title: string; samples: CodeSample[] }) {
  const [selected, setSelected] = useState(0);
  const id = useId();
  const current = samples[selected] ?? samples[0];
  const onKey = (event: KeyboardEvent) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const next = (selected + step + samples.length) % samples.length;
    setSelected(next);
    document.getElementById(`${id}-tab-${next}`)?.focus();
  };
  if (!current) return null;
  return (
    <section className="card code-samples" aria-label={title}>
      <h2>{title}</h2>
      <div className="tabs">
        <div role="tablist" aria-label={title} className="actions">
          {samples.map((s, i) => (
            <button
              key={s.label}
              id={`${id}-tab-${i}`}
              type="button"
              role="tab"
              aria-selected={i === selected}
              aria-controls={`${id}-panel`}
              tabIndex={i === selected ? 0 : -1}
              onClick={() => setSelected(i)}
              onKeyDown={onKey}
            >
              {s.label}
            </button>
          ))}
        </div>
        <CopyButton text={current.code} label={`Copy ${current.label}`} />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a tab panel that scrolls sideways takes focus */}
      <pre id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${selected}`} tabIndex={0}>
        <code>{current.code}</code>
      </pre>
    </section>
  );
}
