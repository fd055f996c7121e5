import type { ResolvedModel } from '../models/model.registry.ts';

/** Tokens and cost of a candidate's model calls, over every model it used (cost null until one has prices). */
export class ModelUsage {
  inputTokens = 0;
  outputTokens = 0;
  costUsd: number | null = null;

  add(model: ResolvedModel, input: number | undefined, output: number | undefined): void {
    const i = input ?? 0;
    const o = output ?? 0;
    this.inputTokens += i;
    this.outputTokens += o;
    const price = model.config.cost;
    if (price) this.costUsd = (this.costUsd ?? 0) + (i * price.input_per_mtok + o * price.output_per_mtok) / 1_000_000;
  }

  merge(other: { inputTokens: number; outputTokens: number; costUsd: number | null }): void {
    this.inputTokens += other.inputTokens;
    this.outputTokens += other.outputTokens;
    if (other.costUsd !== null) this.costUsd = (this.costUsd ?? 0) + other.costUsd;
  }
}
