import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** `npm run dev -w packages/console` serves the console on :5173 against a server on :8080. */
const api = 'http://127.0.0.1:8080';

export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The server checks what it serves against nothing else: no source maps shipped.
    sourcemap: false,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/v1', '/v2', '/health'].map((p) => [p, api])),
  },
});
