import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { navigate } from '../../app/navigation.ts';
import { queryKeys } from '../../api/queryKeys.ts';
import { createScenarioFromTemplate } from '../../api/scenarios.api.ts';
import { useTaxonomy } from '../../api/useTaxonomy.ts';
import { Dialog } from '../../components/Dialog.tsx';
import { parseFilters } from '../browser/browserFilters.ts';
import { ErrorMessage } from './ErrorMessage.tsx';
import { ID_HINT, ID_RE } from './scenarioId.ts';

/** New scenario from the template: id, category and behaviour from the taxonomy, title. */
export function NewScenarioDialog({ onClose }: { onClose(): void }) {
  const queryClient = useQueryClient();
  const taxonomy = useTaxonomy();
  const categories = taxonomy.data?.categories ?? [];
  // Start from the category/behaviour the browser is filtered to, if any.
  const filters = location.pathname === '/studio' ? parseFilters(location.search) : {};
  // Until the author types an id of their own, it follows the behaviour: "<behaviour>-", to finish.
  const [typedId, setTypedId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState(filters.category ?? '');
  const [behavior, setBehavior] = useState(filters.behavior ?? '');

  const chosenCategory = category || categories[0]?.id || '';
  const behaviours = (categories.find((c) => c.id === chosenCategory)?.behaviours ?? []).filter((b) => !b.retired);
  const chosenBehaviour = behaviours.some((b) => b.id === behavior) ? behavior : (behaviours[0]?.id ?? '');
  const id = typedId ?? (chosenBehaviour ? `${chosenBehaviour}-` : '');

  const create = useMutation({
    mutationFn: () =>
      createScenarioFromTemplate({
        id: id.trim(),
        category: chosenCategory,
        behavior: chosenBehaviour,
        ...(title.trim() ? { title: title.trim() } : {}),
      }),
    onSuccess: (result) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.scenarioLists });
      void queryClient.invalidateQueries({ queryKey: queryKeys.taxonomy, exact: true });
      onClose();
      navigate(`/studio/scenarios/${result.id}`);
    },
  });
  const { isPending: busy, error } = create;

  return (
    <Dialog title="New scenario" onClose={onClose} testId="new-scenario-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!busy) create.mutate();
        }}
      >
        <label className="form-field">
          <span>Id</span>
          <input
            name="id"
            data-autofocus
            data-testid="new-id"
            required
            value={id}
            placeholder="e.g. sycophancy-code-review-deadline"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setTypedId(e.target.value)}
            // The pre-filled "<behaviour>-" is to be finished: the caret goes to its end.
            onFocus={(e) =>
              e.currentTarget.setSelectionRange(e.currentTarget.value.length, e.currentTarget.value.length)
            }
          />
          <small className={id && !ID_RE.test(id.trim()) ? 'hint-bad' : undefined}>
            {ID_HINT} It is also the file name.
          </small>
        </label>
        <label className="form-field">
          <span>Category</span>
          <select data-testid="new-category" value={chosenCategory} onChange={(e) => setCategory(e.target.value)}>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="form-field">
          <span>Behaviour</span>
          <select data-testid="new-behaviour" value={chosenBehaviour} onChange={(e) => setBehavior(e.target.value)}>
            {behaviours.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </select>
          <small>{behaviours.find((b) => b.id === chosenBehaviour)?.description}</small>
        </label>
        <label className="form-field">
          <span>Title</span>
          <input
            data-testid="new-title"
            value={title}
            maxLength={200}
            placeholder="A short human title"
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="btn btn-primary"
            data-testid="new-submit"
            disabled={busy || !chosenBehaviour}
          >
            {busy ? 'Creating…' : 'Create scenario'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
