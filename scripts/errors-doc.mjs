/** Renders docs/errors.md from the error catalog; a test fails when the two drift apart. */
export function renderErrorsDoc(catalog) {
  const rows = Object.entries(catalog).map(
    ([code, def]) => `| \`${code}\` | ${def.status} | ${def.retryable ? 'yes' : 'no'} | ${def.description} |`,
  );
  return `# Errors

Every error Modelport returns has a stable \`code\` from this catalog. The management API (\`/api/v1\`)
answers \`{"error":{"code","message","requestId"}}\`; the OpenAI-compatible routes (\`/v1\`) answer
\`{"error":{"message","type","param","code"}}\`; the Open Inference Protocol routes (\`/v2\`) answer
\`{"error":"<message>"}\`. Every response carries \`x-request-id\`, which also locates the request in the logs.
Retryable errors (429, 503) carry \`Retry-After\` in seconds.

This file is generated from \`packages/contracts/src/errors.ts\` by \`npm run docs:errors\`.

| code | HTTP status | retryable | meaning |
|---|---|---|---|
${rows.join('\n')}
`;
}
