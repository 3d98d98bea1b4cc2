import { z } from 'zod';
import { nameSchema } from './names.js';

export const createProjectRequest = z.strictObject({
  /** Unique within the organization; same rules as model names. */
  name: nameSchema,
});
export type CreateProjectRequest = z.input<typeof createProjectRequest>;

export const projectSchema = z.object({
  id: z.string(),
  name: z.string(),
  organization: z.string(),
  createdAt: z.string(),
});
export type Project = z.infer<typeof projectSchema>;

export const projectListSchema = z.object({ data: z.array(projectSchema) });
