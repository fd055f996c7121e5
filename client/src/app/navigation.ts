import { useSyncExternalStore } from 'react';

// The app's location, with a guard: while a page has unsaved work, leaving it (a link, a
// programmatic navigation, or the browser's back/forward buttons) waits for the user to confirm.
// wouter reads the location through `useGuardedLocation` / `useGuardedSearch`.

export interface NavigateOptions {
  replace?: boolean;
}

/** The page on screen's say on leaving it. */
export interface LeaveGuard {
  /** Why leaving for `to` needs confirmation, or null when nothing would be lost. */
  reason(to: string): string | null;
  /** Called when the user confirmed leaving (to discard what they left behind). */
  onLeave?(): void;
}

interface PendingLeave {
  to: string;
  message: string;
  replace: boolean;
}

let snapshot = { path: location.pathname, search: location.search };
let guard: LeaveGuard | null = null;
let pending: PendingLeave | null = null;
const locationListeners = new Set<() => void>();
const pendingListeners = new Set<() => void>();

function read() {
  const { pathname, search } = location;
  if (pathname !== snapshot.path || search !== snapshot.search) snapshot = { path: pathname, search };
  return snapshot;
}

const notifyLocation = () => locationListeners.forEach((l) => l());
const notifyPending = () => pendingListeners.forEach((l) => l());
const pathOf = (to: string) => new URL(to, location.href).pathname;

function commit(to: string, replace: boolean) {
  history[replace ? 'replaceState' : 'pushState'](null, '', to);
  read();
  notifyLocation();
}

/** Navigates inside the app, asking first when a guard says the current page has unsaved work. */
export function navigate(to: string, opts: NavigateOptions = {}): void {
  const replace = opts.replace ?? false;
  const message = pathOf(to) !== location.pathname ? guard?.reason(to) : null;
  if (message) {
    pending = { to, message, replace };
    notifyPending();
    return;
  }
  commit(to, replace);
}

window.addEventListener('popstate', () => {
  const before = snapshot;
  const message = location.pathname !== before.path ? guard?.reason(location.pathname + location.search) : null;
  if (message) {
    // The browser already moved: put the page back, then ask.
    const to = location.pathname + location.search + location.hash;
    history.pushState(null, '', before.path + before.search);
    pending = { to, message, replace: false };
    notifyPending();
    return;
  }
  read();
  notifyLocation();
});

function subscribeLocation(listener: () => void) {
  locationListeners.add(listener);
  return () => locationListeners.delete(listener);
}

/** wouter location hook: the path, and a guarded navigate. */
export function useGuardedLocation(): [string, typeof navigate] {
  return [useSyncExternalStore(subscribeLocation, () => read().path), navigate];
}

/** wouter search hook: the query string without `?`, as wouter expects. */
export function useGuardedSearch(): string {
  return useSyncExternalStore(subscribeLocation, () => read().search.replace(/^\?/, ''));
}

/** Installs the leave guard of the page on screen; returns the uninstaller. */
export function setLeaveGuard(next: LeaveGuard): () => void {
  guard = next;
  return () => {
    if (guard === next) guard = null;
  };
}

/** The navigation waiting for confirmation, if any (for the confirmation dialog). */
export function usePendingLeave(): PendingLeave | null {
  return useSyncExternalStore(
    (l) => {
      pendingListeners.add(l);
      return () => pendingListeners.delete(l);
    },
    () => pending,
  );
}

/** The user chose to leave (their unsaved work is discarded) or to stay. */
export function resolvePendingLeave(leave: boolean): void {
  const p = pending;
  pending = null;
  notifyPending();
  if (p && leave) {
    guard?.onLeave?.();
    guard = null;
    commit(p.to, p.replace);
  }
}
