import { useSyncExternalStore } from 'react';

/** Two routes do not need a router: "/verify-email" (the mailed link) and everything else. */
const subscribeToNavigation = (listener: () => void) => {
  window.addEventListener('popstate', listener);
  return () => window.removeEventListener('popstate', listener);
};

export const usePathname = (): string => useSyncExternalStore(subscribeToNavigation, () => window.location.pathname);

export function navigate(path: string): void {
  window.history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
