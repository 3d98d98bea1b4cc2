import { Link } from 'wouter';
import { Page } from '../components/page.js';

export const playgrounds: { href: string; title: string; what: string }[] = [
  {
    href: '/playground/chat',
    title: 'Chat',
    what: 'a conversation streamed from a language model, or two side by side',
  },
  { href: '/playground/completions', title: 'Completions', what: 'a prompt continued (/v1/completions)' },
  {
    href: '/playground/embeddings',
    title: 'Embeddings',
    what: 'how alike two texts are (cosine similarity)',
  },
  {
    href: '/playground/transcription',
    title: 'Transcription',
    what: 'a WAV file to text (/v1/audio/transcriptions)',
  },
  { href: '/playground/image', title: 'Image classification', what: 'drop an image, see the top classes' },
  { href: '/playground/tabular', title: 'Tabular', what: "a form built from the model's features" },
  {
    href: '/playground/tensor',
    title: 'Tensors (OIP)',
    what: 'raw tensors in, raw tensors out (/v2/models/…/infer)',
  },
];

/** Every playground; each shows its request as curl, JavaScript and Python. */
export function Playgrounds() {
  return (
    <Page title="Playgrounds">
      <ul className="grid two plain-list">
        {playgrounds.map((p) => (
          <li key={p.href} className="card">
            <h2>
              <Link href={p.href}>{p.title}</Link>
            </h2>
            <p className="muted">{p.what}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}
