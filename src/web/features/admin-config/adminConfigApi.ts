import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api.js';

/** The admin editor's view of versioned configuration (server: src/server/assessment/config.routes.ts). */
export type ConfigKind = 'instrument' | 'protocols';

export interface Person { id: string; name: string }
export interface ConfigVersion {
  version: number;
  status: 'shipped' | 'draft' | 'published';
  isCurrent: boolean;
  basedOn: number | null;
  source: 'shipped' | 'draft' | 'import' | 'published';
  title: unknown;
  createdAt: string | null;
  createdBy: Person | null;
  updatedAt: string | null;
  updatedBy: Person | null;
  publishedAt: string | null;
  publishedBy: Person | null;
}
export interface VersionList { current: number; draft: number | null; items: ConfigVersion[] }
export interface ConfigIssue { code: string; subject: string; path: string; message: string }

const base = (kind: ConfigKind) => `/api/admin/config/${kind}`;
export const versionsKey = (kind: ConfigKind) => ['admin', 'config', kind, 'versions'] as const;
export const versionKey = (kind: ConfigKind, version: number) => ['admin', 'config', kind, 'version', version] as const;
export const exportUrl = (kind: ConfigKind, version: number) => `${base(kind)}/versions/${version}/export`;

export function useVersions(kind: ConfigKind) {
  return useQuery({ queryKey: versionsKey(kind), queryFn: ({ signal }) => api.get<VersionList>(`${base(kind)}/versions`, undefined, signal) });
}

export function useVersion(kind: ConfigKind, version: number | null) {
  return useQuery({
    queryKey: versionKey(kind, version ?? -1),
    enabled: version !== null,
    queryFn: ({ signal }) => api.get<{ version: ConfigVersion; data: unknown }>(`${base(kind)}/versions/${version}`, undefined, signal),
  });
}

/** Every write refreshes the version list and the version it touched. */
export function useConfigMutations(kind: ConfigKind) {
  const queryClient = useQueryClient();
  const refresh = async (version?: number) => {
    await queryClient.invalidateQueries({ queryKey: versionsKey(kind) });
    if (version !== undefined) await queryClient.invalidateQueries({ queryKey: versionKey(kind, version) });
  };
  return {
    createDraft: useMutation({
      mutationFn: (from: number) => api.post<{ version: number; data: unknown }>(`${base(kind)}/drafts`, { from }),
      onSuccess: (value) => refresh(value.version),
    }),
    save: useMutation({
      mutationFn: (input: { version: number; data: unknown; ifUpdatedAt?: string | null }) =>
        api.put<{ version: number; data: unknown; updatedAt: string }>(`${base(kind)}/drafts/${input.version}`, { data: input.data, ...(input.ifUpdatedAt ? { ifUpdatedAt: input.ifUpdatedAt } : {}) }),
      onSuccess: (value) => refresh(value.version),
    }),
    publish: useMutation({
      mutationFn: (version: number) => api.post<{ version: number; bumped: string[] }>(`${base(kind)}/drafts/${version}/publish`),
      onSuccess: (value) => refresh(value.version),
    }),
    discard: useMutation({
      mutationFn: (version: number) => api.delete<{ version: number }>(`${base(kind)}/drafts/${version}`),
      onSuccess: (value) => refresh(value.version),
    }),
    importJson: useMutation({
      mutationFn: (json: string) => api.post<{ version: number; data: unknown }>(`${base(kind)}/import`, { json }),
      onSuccess: (value) => refresh(value.version),
    }),
  };
}

/** The issues a refused save carries (validation_failed with `issues`), else none. */
export function issuesOf(error: unknown): ConfigIssue[] {
  const issues = (error as { body?: { issues?: unknown } } | null)?.body?.issues;
  return Array.isArray(issues) ? (issues as ConfigIssue[]) : [];
}

/** Issues at a path or inside it: `items[3]` matches `items[3].text.es`. */
export function issuesAt(issues: readonly ConfigIssue[], path: string): ConfigIssue[] {
  return issues.filter((issue) => issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`));
}

export function errorAt(issues: readonly ConfigIssue[], path: string): string | undefined {
  const found = issuesAt(issues, path);
  return found.length ? found.map((issue) => issue.message).join('; ') : undefined;
}
