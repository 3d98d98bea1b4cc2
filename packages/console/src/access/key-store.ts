/**
 * The API key lives in this tab's sessionStorage only: gone when the tab closes, never in a URL,
 * a cookie or a log.
 */
const STORAGE_KEY = 'modelport.apiKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function storeKey(key: string): void {
  sessionStorage.setItem(STORAGE_KEY, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** `Authorization` for a call of the signed-in user (for fetch and XMLHttpRequest alike). */
export function authHeader(): Record<string, string> {
  const key = storedKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}
