import createClient from 'openapi-fetch';
import { storedKey } from '../access/key-store.js';
import { ApiError } from './api-error.js';
import type { paths } from './schema.js';

/** The typed client of the server's OpenAPI document; every call carries the signed-in key. */
export const api = createClient<paths>({ baseUrl: window.location.origin });

api.use({
  onRequest({ request }) {
    const key = storedKey();
    // A key being tried at sign-in comes with its own header.
    if (key && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${key}`);
    return request;
  },
});

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer; anything else throws an `ApiError` (403s included, as the server said). */
export async function call<T>(pending: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw ApiError.from(response, error);
  return data as T;
}
