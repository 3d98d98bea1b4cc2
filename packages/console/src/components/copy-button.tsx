import { useState } from 'react';

/** Copies `text` to the clipboard and says so (to screen readers too). */
export function CopyButton({ text, label = 'Copy', name }: { text: string; label?: string; name?: string }) {
  const [done, setDone] = useState<'copied' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setDone('copied');
    } catch {
      setDone('failed');
    }
    setTimeout(() => setDone(null), 2000);
  };
  return (
    <>
      <button type="button" className="secondary copy" onClick={copy} aria-label={name}>
        {done === 'copied' ? 'Copied' : label}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {done === 'copied'
          ? 'Copied to the clipboard'
          : done === 'failed'
            ? 'Copying failed; select the text'
            : ''}
      </span>
    </>
  );
}
