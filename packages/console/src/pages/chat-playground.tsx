import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { authHeader } from '../access/key-store.js';
import { useSignedIn } from '../access/signed-in.js';
import { ApiError, apiErrorOf } from '../api/api-error.js';
import { CodeSamples } from '../components/code-samples.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { chatSamples } from '../playground/snippets.js';
import { sseData } from '../playground/sse.js';

interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface Chunk {
  choices?: { delta?: { content?: string | null } }[];
  error?: { message?: string; code?: string };
}

/** The models `GET /v1/models` lists for this key (the OpenAI routes' own list). */
function useTextModels() {
  return useQuery({
    queryKey: ['v1-models'],
    queryFn: async () => {
      const res = await fetch('/v1/models', { headers: authHeader() });
      if (!res.ok) throw await apiErrorOf(res);
      return ((await res.json()) as { data: { id: string }[] }).data.map((m) => m.id);
    },
  });
}

/** Chat with a language model over `/v1/chat/completions`, the answer streamed as it is generated. */
export function ChatPlayground() {
  const { signOut } = useSignedIn();
  const models = useTextModels();
  const [model, setModel] = useState('');
  const [input, setInput] = useState('Once upon a time');
  const [maxTokens, setMaxTokens] = useState(48);
  const [temperature, setTemperature] = useState(0.8);
  const [messages, setMessages] = useState<Message[]>([]);
  const [streaming, setStreaming] = useState(false);
  const [chunks, setChunks] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const chosen = model || models.data?.[0] || '';
  const request = (history: Message[]) => ({
    model: chosen,
    messages: history,
    stream: true,
    max_tokens: maxTokens,
    temperature,
  });
  const nextHistory = [...messages, { role: 'user' as const, content: input }];

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen || input.trim() === '') return;
    const history = nextHistory;
    setMessages([...history, { role: 'assistant', content: '' }]);
    setInput('');
    setError(null);
    setChunks(0);
    setStreaming(true);
    const controller = new AbortController();
    abort.current = controller;
    try {
      const res = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { ...authHeader(), 'content-type': 'application/json' },
        body: JSON.stringify(request(history)),
        signal: controller.signal,
      });
      if (!res.ok || !res.body) throw await apiErrorOf(res);
      for await (const data of sseData(res.body)) {
        if (data === '[DONE]') break;
        const chunk = JSON.parse(data) as Chunk;
        if (chunk.error) throw new Error(chunk.error.message ?? 'The stream ended with an error.');
        const piece = chunk.choices?.[0]?.delta?.content ?? '';
        setChunks((n) => n + 1);
        if (piece) {
          setMessages((all) => {
            const copy = [...all];
            const last = copy[copy.length - 1];
            if (last) copy[copy.length - 1] = { ...last, content: last.content + piece };
            return copy;
          });
        }
      }
    } catch (err) {
      if (err instanceof ApiError && err.unauthenticated)
        signOut(`The server refused the key: ${err.message}`);
      if (!(err instanceof DOMException && err.name === 'AbortError')) setError(err);
    } finally {
      setStreaming(false);
      abort.current = null;
    }
  };

  return (
    <Page title="Chat playground">
      {models.error ? <ErrorNotice error={models.error} action="list language models" /> : null}
      <section className="card stack" aria-label="Chat">
        <form className="form-row" onSubmit={(e) => e.preventDefault()}>
          <div className="field">
            <label htmlFor="chat-model">Model</label>
            <select id="chat-model" value={chosen} onChange={(e) => setModel(e.target.value)}>
              {models.data?.length === 0 ? <option value="">No language model is deployed</option> : null}
              {models.data?.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="chat-max-tokens">Max tokens</label>
            <input
              id="chat-max-tokens"
              type="number"
              min={1}
              max={4096}
              value={maxTokens}
              onChange={(e) => setMaxTokens(Number(e.target.value))}
            />
          </div>
          <div className="field">
            <label htmlFor="chat-temperature">Temperature</label>
            <input
              id="chat-temperature"
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={temperature}
              onChange={(e) => setTemperature(Number(e.target.value))}
            />
          </div>
          <button type="button" className="secondary" onClick={() => setMessages([])} disabled={streaming}>
            Clear
          </button>
        </form>
        <div className="chat-log" aria-live="polite" aria-busy={streaming}>
          {messages.length === 0 ? <p className="muted">No messages yet.</p> : null}
          {messages.map((m, i) => {
            const last = i === messages.length - 1 && m.role === 'assistant';
            return (
              <div
                // biome-ignore lint/suspicious/noArrayIndexKey: messages are only appended
                key={i}
                className={`message ${m.role}`}
                data-testid={last ? 'answer' : undefined}
                data-chunks={last ? chunks : undefined}
                data-streaming={last ? String(streaming) : undefined}
              >
                <span className="role">{m.role}</span>
                {m.content || (last && streaming ? '…' : '')}
              </div>
            );
          })}
        </div>
        {error ? <ErrorNotice error={error} action="call this model" /> : null}
        <form className="form-row" onSubmit={send}>
          <div className="field" style={{ flex: '1 1 260px' }}>
            <label htmlFor="chat-input">Message</label>
            <input id="chat-input" value={input} onChange={(e) => setInput(e.target.value)} />
          </div>
          {streaming ? (
            <button type="button" className="danger" onClick={() => abort.current?.abort()}>
              Stop
            </button>
          ) : (
            <button type="submit" disabled={!chosen || input.trim() === ''}>
              Send
            </button>
          )}
        </form>
      </section>
      <CodeSamples
        title="The same request"
        samples={chatSamples(window.location.origin, request(nextHistory))}
      />
    </Page>
  );
}
