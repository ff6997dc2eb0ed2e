import { useEffect } from 'react';

/** Screen-reader users hear the page title on navigation; keep it specific. */
export function usePageTitle(...parts: Array<string | null | undefined>): void {
  const title = [...parts.filter(Boolean), 'Catalyst'].join(' · ');
  useEffect(() => {
    document.title = title;
  }, [title]);
}
