import { useEffect, useState } from 'react';

/**
 * The SHA-256 (hex) of the text, as the server hashes scenario content, recomputed a moment
 * after typing stops; null until known, or where the browser offers no Web Crypto (plain http
 * on a non-local address).
 */
export function useContentHash(text: string): string | null {
  const [hash, setHash] = useState<{ text: string; hash: string } | null>(null);
  useEffect(() => {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      void subtle.digest('SHA-256', new TextEncoder().encode(text)).then((buf) => {
        if (cancelled) return;
        const hex = Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
        setHash({ text, hash: hex });
      });
    }, 250);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [text]);
  return hash && hash.text === text ? hash.hash : null;
}
