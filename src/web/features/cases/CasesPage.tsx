import type { Session, SessionUser } from '../auth/session.js';
import { SearchWorkspace } from '../search/SearchWorkspace.js';

/** The case list: cases and the people on them, found by the one search box and filters. */
export function CasesPage({ session }: { session: Session & { user: SessionUser } }) {
  return <SearchWorkspace session={session} mode="cases" />;
}
