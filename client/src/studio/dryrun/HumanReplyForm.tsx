import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import styles from './dryrun.module.css';

/** Play-the-model mode: the author types the model's reply to one turn. */
export function HumanReplyForm({ turn, onReply }: { turn: number; onReply: (text: string) => Promise<void> }) {
  const [text, setText] = useState('');
  const reply = useMutation({ mutationFn: (reply: string) => onReply(reply) });
  // A sent reply keeps the form disabled until the next turn replaces it.
  const sending = reply.isPending || reply.isSuccess;
  const error = reply.error?.message ?? null;
  const send = () => {
    if (text.trim() && !sending) reply.mutate(text);
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
