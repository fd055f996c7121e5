import { ApiError } from '../../api/client.ts';

/** A failed request as the server explained it: its message and each located issue. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  // A 400's message already joins its issues; a 422's message only counts them.
  const issues = (error instanceof ApiError ? (error.envelope.issues ?? []) : []).filter(
    (i) => !message.includes(i.message),
  );
  return (
    <div className="form-error" role="alert" data-testid="dialog-error">
      <p>{message}</p>
      {issues.length > 0 && (
        <ul>
          {issues.map((i, n) => (
            <li key={n}>
              {i.line ? `line ${i.line}: ` : ''}
              {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
