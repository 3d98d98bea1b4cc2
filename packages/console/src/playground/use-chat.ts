import { useRef, useState } from 'react';
import { authHeader } from '../access/key-store.js';
import { apiErrorOf } from '../api/api-error.js';
import { sseData } from './sse.js';

export interface Message {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface Chunk {
  choices?: { delta?: { content?: string | null } }[];
  error?: { message?: string; code?: string };
}

export interface ChatSettings {
  model: string;
  maxTokens: number;
  temperature: number;
}

/** The body `/v1/chat/completions` gets for this history. */
export function chatRequest(settings: ChatSettings, history: Message[]) {
  return {
    model: settings.model,
    messages: history,
    stream: true,
    max_tokens: settings.maxTokens,
    temperature: settings.temperature,
  };
}

/** One conversation with one model: its history, and the answer streaming into it. */
export function useChat() {
  const [messages, setMessages] = useState<Message[]>([]);
  const [streaming, setStreaming] = useState(false);
  const [chunks, setChunks] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  const send = async (settings: ChatSettings, text: string): Promise<void> => {
    const history: Message[] = [...messages, { role: 'user', content: text }];
    setMessages([...history, { role: 'assistant', content: '' }]);
    setError(null);
    setChunks(0);
    setStreaming(true);
    const controller = new AbortController();
    abort.current = controller;
    try {
      const res = await fetch('/v1/chat/completions', {
        method: 'POST',
        headers: { ...authHeader(), 'content-type': 'application/json' },
        body: JSON.stringify(chatRequest(settings, history)),
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
      if (!(err instanceof DOMException && err.name === 'AbortError')) {
        setError(err);
        throw err;
      }
    } finally {
      setStreaming(false);
      abort.current = null;
    }
  };

  return {
    messages,
    streaming,
    chunks,
    error,
    send,
    stop: () => abort.current?.abort(),
    clear: () => setMessages([]),
  };
}

export type Chat = ReturnType<typeof useChat>;
