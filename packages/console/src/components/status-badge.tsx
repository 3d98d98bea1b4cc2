const tone: Record<string, string> = {
  ready: 'ok',
  succeeded: 'ok',
  ok: 'ok',
  active: 'ok',
  loading: 'warn',
  queued: 'warn',
  running: 'warn',
  cancelled: '',
  starting: 'warn',
  provisioning: 'warn',
  shifting: 'warn',
  baking: 'warn',
  paused: 'warn',
  probation: 'warn',
  unloaded: '',
  stopped: '',
  down: 'bad',
  failed: 'bad',
  rolling_back: 'bad',
  rolled_back: 'bad',
  cooling_down: 'bad',
  revoked: 'bad',
  expired: 'bad',
};

/** A state word, coloured by how good it is; the word itself carries the meaning. */
export function StatusBadge({ state }: { state: string }) {
  return <span className={`badge ${tone[state] ?? ''}`}>{state.replace(/_/g, ' ')}</span>;
}
