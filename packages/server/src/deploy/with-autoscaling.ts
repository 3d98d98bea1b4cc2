import type { Autoscaling, DeploymentSettings } from '@modelport/contracts';
import type { DeploymentWithModel } from './repo.js';

/** The row with its autoscaling settings replaced (`null` removes them: fixed instances again). */
export function withAutoscaling(
  row: DeploymentWithModel,
  autoscaling: Autoscaling | null,
): DeploymentWithModel {
  const { autoscaling: _old, ...settings } = JSON.parse(row.spec) as DeploymentSettings;
  const next: DeploymentSettings = autoscaling === null ? settings : { ...settings, autoscaling };
  return { ...row, spec: JSON.stringify(next) };
}
