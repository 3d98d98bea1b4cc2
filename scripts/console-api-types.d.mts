export function renderConsoleApiTypes(openapiDocument: object): Promise<string>;
