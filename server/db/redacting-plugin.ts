import {
  OperationNodeTransformer,
  PrimitiveValueListNode,
  ValueNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Redactor } from '../models/redact.ts';

/**
 * Blanks secret values out of every string written to the database (inserts, updates, raw
 * statements), whichever code path wrote it: a provider error stored as a run item's or a
 * judgement's error, a transcript, or an import added later. Reads are left alone: what was
 * never written cannot come back.
 */
export class RedactingPlugin implements KyselyPlugin {
  private readonly transformer: RedactingTransformer;

  constructor(redact: Redactor) {
    this.transformer = new RedactingTransformer(redact);
  }

  transformQuery({ node }: PluginTransformQueryArgs): RootOperationNode {
    if (node.kind !== 'InsertQueryNode' && node.kind !== 'UpdateQueryNode' && node.kind !== 'RawNode') return node;
    return this.transformer.transformNode(node);
  }

  async transformResult({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return result;
  }
}

class RedactingTransformer extends OperationNodeTransformer {
  constructor(private readonly redact: Redactor) {
    super();
  }

  protected override transformValue(node: ValueNode): ValueNode {
    if (typeof node.value !== 'string') return node;
    const clean = this.redact(node.value);
    if (clean === node.value) return node;
    return node.immediate ? ValueNode.createImmediate(clean) : ValueNode.create(clean);
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    let changed = false;
    const values = node.values.map((v) => {
      if (typeof v !== 'string') return v;
      const clean = this.redact(v);
      if (clean !== v) changed = true;
      return clean;
    });
    return changed ? PrimitiveValueListNode.create(values) : node;
  }
}
