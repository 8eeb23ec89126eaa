import { useSyncExternalStore } from 'react';

/** Three routes do not need a router: the two mailed links ("/verify-email", "/accept-invitation") and everything else. */
const subscribeToNavigation = (listener: () => void) => {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
};

export const usePathname = (): string => useSyncExternalStore(subscribeToNavigation, () => window.location.pathname);

/**
 * `replace` drops the current entry from the history: for leaving a mailed link once it is spent, so
 * Back does not return to a page whose token no longer works.
 */
export function navigate(path: string, { replace = false }: { readonly replace?: boolean } = {}): void {
  if (replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
