import { type CreateModelRequest, type Model, modelListSchema, modelSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

export class Models {
  constructor(private readonly transport: Transport) {}

  create(input: CreateModelRequest): Promise<Model> {
    return this.transport.json({ method: 'POST', path: paths.models(), json: input }, modelSchema);
  }

  async list(): Promise<Model[]> {
    return (await this.transport.json({ method: 'GET', path: paths.models() }, modelListSchema)).data;
  }

  get(name: string): Promise<Model> {
    return this.transport.json({ method: 'GET', path: paths.model(name) }, modelSchema);
  }

  /** Deletes the model with all its versions and aliases. */
  delete(name: string): Promise<void> {
    return this.transport.empty({ method: 'DELETE', path: paths.model(name) });
  }
}
