import type { AppError } from '../../platform/errors/index.js';
import { unsupportedLayer } from './export-errors.js';
import type { Flow } from './flow.js';
import type { GraphDraft } from './graph-draft.js';
import type { LayerView, WeightView } from './model-view.js';

/** One layer being converted: where it sits, and typed reads of its config and weights. */
export class LayerContext {
  constructor(
    readonly draft: GraphDraft,
    readonly layer: LayerView,
    readonly index: number,
  ) {}

  refuse(why: string): AppError {
    return unsupportedLayer(this.layer, this.index, why);
  }

  text(key: string, fallback?: string): string {
    const value = this.layer.config[key] ?? fallback;
    if (typeof value !== 'string') throw this.refuse(`its config has no ${key}`);
    return value;
  }

  flag(key: string): boolean {
    return this.layer.config[key] === true;
  }

  /** A config entry given as one number or a pair (kernel size, strides, dilation). */
  pair(key: string): [number, number] {
    const value = this.layer.config[key];
    const list = typeof value === 'number' ? [value, value] : value;
    if (!Array.isArray(list) || list.length !== 2 || !list.every((v) => Number.isInteger(v) && v > 0))
      throw this.refuse(`its ${key} is ${JSON.stringify(value)}, not one or two positive integers`);
    return [list[0], list[1]];
  }

  /** The layer's padding, of the two kinds ONNX window ops can reproduce. */
  padding(): 'same' | 'valid' {
    const padding = this.text('padding', 'valid');
    if (padding !== 'same' && padding !== 'valid') throw this.refuse(`padding '${padding}' is not supported`);
    return padding;
  }

  /** tfjs keeps images channels-last unless told otherwise; the exporter reads only that layout. */
  requireChannelsLast(): void {
    const format = this.text('dataFormat', 'channelsLast');
    if (format !== 'channelsLast') throw this.refuse(`dataFormat '${format}' is not supported`);
  }

  weight(index: number, shape: readonly number[]): WeightView {
    const weight = this.layer.weights[index];
    if (!weight || weight.shape.join() !== shape.join())
      throw this.refuse(`weight ${index} is [${weight?.shape ?? 'missing'}], expected [${shape}]`);
    return weight;
  }

  /** Our window arithmetic against what tfjs built: a mismatch is an exporter bug, said before ONNX runs. */
  expectOutput(height: number, width: number): void {
    const [h, w] = this.layer.outputShape;
    if (h !== height || w !== width)
      throw new Error(`layer '${this.layer.name}': padding gives ${height}×${width}, tfjs says ${h}×${w}`);
  }

  /** The flow after this layer: its value, with the shape tfjs says the layer outputs. */
  next(flow: Flow, value: string, changes: Partial<Pick<Flow, 'layout' | 'activation'>> = {}): Flow {
    return { ...flow, ...changes, value, shape: this.layer.outputShape };
  }

  stem(suffix?: string): string {
    return suffix === undefined ? this.layer.name : `${this.layer.name}/${suffix}`;
  }
}
