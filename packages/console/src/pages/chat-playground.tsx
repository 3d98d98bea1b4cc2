import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { authHeader } from '../access/key-store.js';
import { useSignedIn } from '../access/signed-in.js';
import { ApiError, apiErrorOf } from '../api/api-error.js';
import { CodeSamples } from '../components/code-samples.js';
import { ErrorNotice } from '../components/notice.js';
import { Page } from '../components/page.js';
import { SamplingFields } from '../playground/sampling-fields.js';
import { chatSamples } from '../playground/snippets.js';
import { type Chat, chatRequest, useChat } from '../playground/use-chat.js';

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

/**
 * Chat with a language model over `/v1/chat/completions`, the answer streamed as it is generated;
 * with a second model chosen, the same messages go to both, side by side.
 */
export function ChatPlayground() {
  const { signOut } = useSignedIn();
  const models = useTextModels();
  const [model, setModel] = useState('');
  const [compare, setCompare] = useState('');
  const [input, setInput] = useState('Once upon a time');
  const [maxTokens, setMaxTokens] = useState(48);
  const [temperature, setTemperature] = useState(0.8);
  const first = useChat();
  const second = useChat();
  const chosen = model || models.data?.[0] || '';
  const settings = { model: chosen, maxTokens, temperature };
  const streaming = first.streaming || second.streaming;

  const send = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen || input.trim() === '') return;
    const text = input;
    setInput('');
    const sends = [first.send(settings, text)];
    if (compare) sends.push(second.send({ ...settings, model: compare }, text));
    for (const result of await Promise.allSettled(sends)) {
      if (result.status === 'rejected' && result.reason instanceof ApiError && result.reason.unauthenticated)
        signOut(`The server refused the key: ${result.reason.message}`);
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
            <label htmlFor="chat-compare">Side by side with</label>
            <select
              id="chat-compare"
              value={compare}
              onChange={(e) => {
                setCompare(e.target.value);
                second.clear();
              }}
            >
              <option value="">(no second model)</option>
              {models.data?.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </div>
          <SamplingFields
            idPrefix="chat"
            maxTokens={maxTokens}
            setMaxTokens={setMaxTokens}
            temperature={temperature}
            setTemperature={setTemperature}
          />
          <button
            type="button"
            className="secondary"
            onClick={() => {
              first.clear();
              second.clear();
            }}
            disabled={streaming}
          >
            Clear
          </button>
        </form>
        <div className={compare ? 'grid two' : ''}>
          <ChatLog chat={first} model={chosen} testId="answer" named={compare !== ''} />
          {compare ? <ChatLog chat={second} model={compare} testId="answer-b" named /> : null}
        </div>
        <form className="form-row" onSubmit={send}>
          <div className="field" style={{ flex: '1 1 260px' }}>
            <label htmlFor="chat-input">Message</label>
            <input id="chat-input" value={input} onChange={(e) => setInput(e.target.value)} />
          </div>
          {streaming ? (
            <button
              type="button"
              className="danger"
              onClick={() => {
                first.stop();
                second.stop();
              }}
            >
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
        samples={chatSamples(
          window.location.origin,
          chatRequest(settings, [...first.messages, { role: 'user', content: input }]),
        )}
      />
    </Page>
  );
}

function ChatLog({
  chat,
  model,
  testId,
  named,
}: {
  chat: Chat;
  model: string;
  testId: string;
  named: boolean;
}) {
  const { messages, streaming, chunks, error } = chat;
  return (
    <section className="stack" aria-label={`Conversation with ${model || 'no model'}`}>
      {named ? <h2>{model}</h2> : null}
      <div className="chat-log" aria-live="polite" aria-busy={streaming}>
        {messages.length === 0 ? <p className="muted">No messages yet.</p> : null}
        {messages.map((m, i) => {
          const last = i === messages.length - 1 && m.role === 'assistant';
          return (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: messages are only appended
              key={i}
              className={`message ${m.role}`}
              data-testid={last ? testId : undefined}
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
    </section>
  );
}
