import type { AttributeValue, NodeSpec, TensorSpec } from '../../formats/index.js';

/**
 * The nodes and weights of a graph being written, with a fresh value name for every output, so
 * layer converters never have to agree on names.
 */
export class GraphDraft {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  private readonly used = new Set<string>();

  /** A value name not taken yet, from a readable stem (`dense_1/kernel`, `conv2d/out`). */
  fresh(stem: string): string {
    const base = stem.replace(/[^A-Za-z0-9_./-]/g, '_') || 'value';
    let name = base;
    for (let n = 1; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }

  /** Reserves a name that must stay as given (graph inputs and outputs). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`value name ${JSON.stringify(name)} is taken`);
    this.used.add(name);
    return name;
  }

  floats(stem: string, dims: readonly number[], values: Float32Array | readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    const name = this.fresh(stem);
    this.initializers.push({ name, elemType: 'FP32', dims: [...dims], data });
    return name;
  }

  bools(stem: string, dims: readonly number[], values: readonly boolean[]): string {
    const name = this.fresh(stem);
    this.initializers.push({ name, elemType: 'BOOL', dims: [...dims], data: values });
    return name;
  }

  /** Adds one node and returns the (fresh) name of its output. */
  node(
    opType: string,
    inputs: readonly string[],
    stem: string,
    attributes?: Readonly<Record<string, AttributeValue>>,
  ): string {
    const out = this.fresh(stem);
    this.nodes.push({
      opType,
      name: this.fresh(`${stem}/${opType}`),
      inputs,
      outputs: [out],
      ...(attributes === undefined ? {} : { attributes }),
    });
    return out;
  }
}
