import { z } from 'zod';

/** Model and alias names: short, lower-case; `:` and `@` stay free to address versions (`name:3`, `name@production`). */
export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
export const NAME_MAX_LENGTH = 64;

export const nameSchema = z
  .string()
  .min(1)
  .max(NAME_MAX_LENGTH)
  .regex(NAME_PATTERN, 'must match [a-z0-9][a-z0-9._-]*')
  .refine((s) => !s.includes('..'), 'must not contain ".."');

export function isValidName(s: string): boolean {
  return nameSchema.safeParse(s).success;
}
