import { useState } from 'react';
import styles from './dryrun.module.css';

/** Play-the-model mode: the author types the model's reply to one turn. */
export function HumanReplyForm({ turn, onReply }: { turn: number; onReply: (text: string) => Promise<void> }) {
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    if (!text.trim() || sending) return;
    setSending(true);
    setError(null);
    try {
      await onReply(text);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
      setSending(false);
    }
  };
  return (
    <form
      className={styles.txHumanReply}
      data-testid="dryrun-reply-form"
      data-own-shortcuts
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label htmlFor={`reply-${turn}`} className="sub-label">
        You are playing the model: type its reply to turn {turn + 1}
      </label>
      <textarea
        id={`reply-${turn}`}
        data-testid="dryrun-reply-input"
        rows={4}
        value={text}
        autoFocus
        disabled={sending}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
            e.preventDefault();
            void send();
          }
        }}
      />
      {error && <div className="form-error">{error}</div>}
      <div className={styles.txHumanActions}>
        <span className="muted">Ctrl+Enter sends</span>
        <button
          type="submit"
          className="btn btn-primary btn-sm"
          data-testid="dryrun-reply-send"
          disabled={!text.trim() || sending}
        >
          {sending ? 'Sending…' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}
