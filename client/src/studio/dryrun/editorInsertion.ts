import { turnInsertion, type DraftTurn } from './turnInsertion.ts';

/**
 * Adds a drafted turn to the scenario through the editor's Monaco model, as one undoable edit
 * (Ctrl+Z takes it out again); the page sees it as typing. Monaco is already loaded by the
 * editor: this only reaches for its module.
 */
export async function insertTurnInEditor(
  scenarioId: string,
  turn: DraftTurn,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const { monaco, scenarioModelUri } = await import('../scenario/editor/monacoSetup.ts');
  const model = monaco.editor.getModel(scenarioModelUri(scenarioId));
  if (!model || model.isDisposed()) return { ok: false, message: 'the editor is not open' };
  const insertion = turnInsertion(model.getValue(), turn);
  if (!insertion.ok) return insertion;
  const at = model.getPositionAt(insertion.offset);
  const editor = monaco.editor.getEditors().find((e) => e.getModel() === model);
  model.pushStackElement();
  model.pushEditOperations(
    editor?.getSelections() ?? [],
    [{ range: new monaco.Range(at.lineNumber, at.column, at.lineNumber, at.column), text: insertion.text }],
    () => null,
  );
  model.pushStackElement();
  if (editor) {
    // The cursor goes to the new turn (not a selection of it, which the next key would replace).
    const start = model.getPositionAt(insertion.offset + insertion.text.search(/\S/));
    const end = model.getPositionAt(insertion.offset + insertion.text.length);
    editor.setPosition(start);
    editor.revealRangeInCenterIfOutsideViewport(
      new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
    );
    editor.focus();
  }
  return { ok: true };
}
