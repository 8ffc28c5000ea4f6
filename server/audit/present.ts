// The audit trail as the API answers it, and as the page and the workbook show it: an action's
// Vietnamese (or English) name, the record's page, and a short "before → after" of what changed.
import { formatDateTime, isMessageKey, translate, type Language, type MessageKey } from '../web/i18n/index.ts';
import type { AuditRow } from './repository.ts';

export function auditJson(row: AuditRow) {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor_user_id === null ? null : { id: row.actor_user_id, username: row.username, fullName: row.full_name },
    ip: row.actor_ip,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    before: row.before ?? null,
    after: row.after ?? null,
  };
}

/** An action's group: what comes before its first dot (`nomination` of `nomination.file.attach`). */
export const groupOf = (action: string) => action.split('.')[0] ?? action;

const messageKey = (key: string): MessageKey | undefined => (isMessageKey(key) ? key : undefined);

/** The group's name ("Hồ sơ đề nghị"), or undefined for a group without one. */
export function groupLabel(language: Language, group: string): string | undefined {
  const key = messageKey(`audit.group.${group}`);
  return key && translate(language, key);
}

/** An action's name: its own ("Gửi hồ sơ"), else its group's with the code, else the code itself. */
export function actionLabel(language: Language, action: string): string {
  const own = messageKey(`audit.action.${action}`);
  if (own) return translate(language, own);
  const group = groupLabel(language, groupOf(action));
  return group ? `${group} (${action})` : action;
}

export function entityLabel(language: Language, entityType: string): string {
  const key = messageKey(`audit.entity.${entityType}`);
  return key ? translate(language, key) : entityType;
}

/** The page that shows the record, where there is one. */
export function recordHref(row: Pick<AuditRow, 'action' | 'entity_type' | 'entity_id'>): string | null {
  if (row.entity_id === null || !/^\d{1,10}$/.test(row.entity_id)) return null;
  const id = row.entity_id;
  if (row.entity_type === 'unit') return row.action.startsWith('committee.') ? `/committees/${id}` : `/admin/units/${id}/edit`;
  const pages: Record<string, string> = {
    nomination: `/nominations/${id}`, award_round: `/awards/${id}`, decision: `/decisions/${id}`, model: `/models/${id}`,
    certificate: `/certificates/${id}`, print_job: `/print-jobs/${id}`, user: `/admin/users/${id}/edit`,
  };
  return pages[row.entity_type] ?? null;
}

export interface Change {
  field: string;
  from: string;
  to: string;
}

const MAX_VALUE = 60;
const MAX_CHANGES = 6;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return '—';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const chars = [...text];
  return chars.length > MAX_VALUE ? `${chars.slice(0, MAX_VALUE - 1).join('')}…` : text;
}

/**
 * The fields that differ between before and after (every field of a creation, with "—" before it),
 * at most MAX_CHANGES of them; `more` counts the rest.
 */
export function changesOf(before: unknown, after: unknown): { changes: Change[]; more: number } {
  if (!isRecord(before) && !isRecord(after)) {
    if ((before ?? null) === null && (after ?? null) === null) return { changes: [], more: 0 };
    return JSON.stringify(before) === JSON.stringify(after) ? { changes: [], more: 0 } : { changes: [{ field: '', from: shown(before), to: shown(after) }], more: 0 };
  }
  const old = isRecord(before) ? before : {};
  const now = isRecord(after) ? after : {};
  const fields = [...new Set([...Object.keys(old), ...Object.keys(now)])].filter((field) => JSON.stringify(old[field]) !== JSON.stringify(now[field]));
  const changes = fields.slice(0, MAX_CHANGES).map((field) => ({ field, from: shown(old[field]), to: shown(now[field]) }));
  return { changes, more: Math.max(0, fields.length - MAX_CHANGES) };
}

/** The changes as one line of text, for a spreadsheet cell: "status: submitted → returned; reason: …". */
export function changesText(before: unknown, after: unknown, language: Language): string {
  const { changes, more } = changesOf(before, after);
  const parts = changes.map((change) => `${change.field ? `${change.field}: ` : ''}${change.from} → ${change.to}`);
  if (more > 0) parts.push(translate(language, 'audit.moreChanges', { count: more }));
  return parts.join('; ');
}

/** A row as the page's table shows it. */
export function auditRowView(row: AuditRow, language: Language) {
  const { changes, more } = changesOf(row.before, row.after);
  return {
    id: row.id,
    at: formatDateTime(row.at),
    atIso: row.at.toISOString(),
    actor: row.actor_user_id === null ? null : { username: row.username, fullName: row.full_name },
    ip: row.actor_ip,
    unitName: row.unit_name,
    action: row.action,
    actionLabel: actionLabel(language, row.action),
    entity: entityLabel(language, row.entity_type),
    entityId: row.entity_id,
    href: recordHref(row),
    changes,
    more: more > 0 ? translate(language, 'audit.moreChanges', { count: more }) : null,
  };
}

/**
 * The action select: one group per prefix present, first "all of the group" (the prefix, `nomination.`),
 * then each code; groups in the order of their names, codes by their names.
 */
export function actionOptions(language: Language, codes: readonly string[]) {
  const collator = new Intl.Collator(language);
  const groups = new Map<string, string[]>();
  for (const code of codes) groups.set(groupOf(code), [...(groups.get(groupOf(code)) ?? []), code]);
  return [...groups.entries()]
    .map(([group, members]) => {
      const label = groupLabel(language, group) ?? group;
      return {
        label,
        options: [
          { value: `${group}.`, label: translate(language, 'audit.allOfGroup', { group: label }) },
          ...members.map((code) => ({ value: code, label: actionLabel(language, code) })).sort((a, b) => collator.compare(a.label, b.label)),
        ],
      };
    })
    .sort((a, b) => collator.compare(a.label, b.label));
}
