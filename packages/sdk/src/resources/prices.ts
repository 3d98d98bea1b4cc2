import { type Price, type PriceRequest, priceListSchema, priceSchema } from '@modelport/contracts';
import { paths } from '../paths.js';
import type { Transport } from '../transport.js';

/** Prices per model, in units of the operator's currency (setting needs `admin`). */
export class Prices {
  constructor(private readonly transport: Transport) {}

  set(model: string, price: PriceRequest): Promise<Price> {
    return this.transport.json({ method: 'PUT', path: paths.price(model), json: price }, priceSchema);
  }

  get(model: string): Promise<Price> {
    return this.transport.json({ method: 'GET', path: paths.price(model) }, priceSchema);
  }

  async list(): Promise<Price[]> {
    return (await this.transport.json({ method: 'GET', path: paths.prices() }, priceListSchema)).data;
  }

  remove(model: string): Promise<void> {
    return this.transport.empty({ method: 'DELETE', path: paths.price(model) });
  }
}
