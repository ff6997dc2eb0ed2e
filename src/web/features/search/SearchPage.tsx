import type { Session, SessionUser } from '../auth/session.js';
import { SearchWorkspace } from './SearchWorkspace.js';

/** Search across cases, people and contacts. */
export function SearchPage({ session }: { session: Session & { user: SessionUser } }) {
  return <SearchWorkspace session={session} mode="all" />;
}
