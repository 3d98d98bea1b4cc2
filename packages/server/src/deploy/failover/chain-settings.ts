import type { DeploymentSettings } from '@modelport/contracts';
import type { DeploymentWithModel } from '../repo.js';

// Rows found by name are cached by the repo (SQLite), so each spec is parsed once, not per request.
const parsed = new WeakMap<DeploymentWithModel, DeploymentSettings>();

/** A found deployment's stored settings (fallbacks, failover policy). */
export function settingsOf(row: DeploymentWithModel): DeploymentSettings {
  let settings = parsed.get(row);
  if (!settings) {
    settings = JSON.parse(row.spec) as DeploymentSettings;
    parsed.set(row, settings);
  }
  return settings;
}
