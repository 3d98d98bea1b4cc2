/**
 * Runs the changes of one key one after the other: a deployment's revisions are numbered by the
 * change before, so two at once would both take N+1.
 */
export function serialized() {
  const changing = new Map<string, Promise<unknown>>();
  return <T>(key: string, change: () => Promise<T>): Promise<T> => {
    const run = (changing.get(key) ?? Promise.resolve()).catch(() => undefined).then(change);
    changing.set(key, run);
    void run
      .finally(() => {
        if (changing.get(key) === run) changing.delete(key);
      })
      .catch(() => undefined);
    return run;
  };
}
