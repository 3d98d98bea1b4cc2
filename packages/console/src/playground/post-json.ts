import { authHeader } from '../access/key-store.js';
import { apiErrorOf } from '../api/api-error.js';

/** POSTs JSON with the signed-in key; a refusal throws the server's error (`ApiError`). */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...authHeader(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await apiErrorOf(res);
  return (await res.json()) as T;
}
