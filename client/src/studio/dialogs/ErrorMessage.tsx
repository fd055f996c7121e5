import { ApiError } from '../../api/client.ts';

/** A failed request as the server explained it: its message and each located issue. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const issues = error instanceof ApiError ? (error.envelope.issues ?? []) : [];
  return (
    <div className="form-error" role="alert" data-testid="dialog-error">
      <p>{message}</p>
      {issues.length > 1 && (
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
