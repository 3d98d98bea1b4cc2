export function renderErrorsDoc(
  catalog: Record<string, { status: number; retryable: boolean; description: string }>,
): string;
