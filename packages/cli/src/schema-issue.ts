/** What zod's `safeParse` reports, without the CLI depending on zod itself. */
export interface SchemaIssues {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

/**
 * The first issue as `where: message`; `names` renames paths (`strategy.percent` → `--percent`) so
 * the message points at what the user typed.
 */
export function firstIssue(error: SchemaIssues, names: Readonly<Record<string, string>> = {}): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = issue.path.map(String);
  // The longest named prefix: `strategy.steps.2` is still `--steps`.
  let where = path.join('.');
  for (let n = path.length; n > 0; n--) {
    const name = names[path.slice(0, n).join('.')];
    if (name !== undefined) {
      where = name;
      break;
    }
  }
  return where === '' ? issue.message : `${where}: ${issue.message}`;
}
