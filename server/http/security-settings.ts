import type { AppConfig } from '../config.ts';

/** How the server protects itself, derived once from the configuration. */
export interface SecuritySettings {
  /** Believe X-Forwarded-For (the last entry) as the client's address: a reverse proxy sets it. */
  trustProxy: boolean;
  /**
   * Mark the session cookie Secure. Behind a TLS-terminating proxy the server itself speaks plain
   * http, so the request's own scheme cannot tell; the public URL or the proxy setting does.
   */
  secureCookies: boolean;
}

export function securitySettingsOf(config: Pick<AppConfig, 'publicUrl' | 'trustProxy'>): SecuritySettings {
  const trustProxy = config.trustProxy ?? false;
  return { trustProxy, secureCookies: trustProxy || (config.publicUrl?.startsWith('https:') ?? false) };
}
