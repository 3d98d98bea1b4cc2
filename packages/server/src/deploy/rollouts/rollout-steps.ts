import type { RolloutStrategy } from '@modelport/contracts';
import { AppError } from '../../platform/errors/index.js';

const maxSteps = 100;

/**
 * The share of traffic (percent) the new revision takes at each step, ending at 100. Refuses with
 * `invalid_rollout` what the schema alone cannot: a linear strategy with both or neither of
 * `percent` and `steps`, steps that do not increase strictly to exactly 100, more than 100 steps.
 */
export function rolloutSteps(strategy: RolloutStrategy): number[] {
  switch (strategy.type) {
    case 'all_at_once':
    case 'rolling':
      return [100];
    case 'canary':
      return checked([strategy.percent, 100]);
    case 'linear': {
      const { percent, steps } = strategy;
      if (percent !== undefined && steps !== undefined) {
        throw invalid('a linear rollout takes `percent` or `steps`, not both');
      }
      if (steps !== undefined) return checked(steps);
      if (percent !== undefined) return checked(linearSteps(percent));
      throw invalid('a linear rollout needs `percent` or `steps`');
    }
  }
}

/** p, 2p, … below 100, then 100 (30 → 30, 60, 90, 100). */
function linearSteps(percent: number): number[] {
  // Counted before building, so a tiny percent is refused without building a huge list.
  if (!(percent > 0) || Math.ceil(100 / percent) > maxSteps) {
    throw invalid(`a linear step of ${percent}% takes more than ${maxSteps} steps`);
  }
  const steps: number[] = [];
  // Rounded so 3 × 33.3 reads 99.9, not 99.89999999999999.
  for (let k = 1, p = round(percent); p < 100; k++, p = round(k * percent)) steps.push(p);
  steps.push(100);
  return steps;
}

function checked(steps: number[]): number[] {
  if (steps.length > maxSteps) throw invalid(`${steps.length} steps; at most ${maxSteps}`);
  let previous = 0;
  for (const step of steps) {
    if (!(step > previous)) {
      throw invalid(`steps must increase strictly from above 0: ${steps.join(', ')}`);
    }
    previous = step;
  }
  if (previous !== 100) throw invalid(`steps must end at 100: ${steps.join(', ')}`);
  return steps;
}

const round = (percent: number) => Math.round(percent * 1e6) / 1e6;

const invalid = (message: string) => new AppError('invalid_rollout', message);
