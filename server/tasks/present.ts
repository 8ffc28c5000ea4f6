// How the work queue looks: each task with the page to go to, straight to the one round,
// nomination or decision when everything waiting is there.
import type { Language } from '../web/i18n/index.ts';
import { formatNumber, translate } from '../web/i18n/index.ts';
import type { Task, TaskKind } from './service.ts';

function hrefOf(task: Task): string {
  const round = task.onlyRoundId;
  switch (task.kind) {
    case 'nominations_returned':
      if (task.onlyItemId) return `/nominations/${task.onlyItemId}`;
      if (round) return `/awards/${round}?status=returned`;
      return task.ownDossiers ? '/nominations?status=returned' : '/awards';
    case 'votes_pending':
      return task.onlyItemId ? `/nominations/${task.onlyItemId}` : round ? `/awards/${round}?status=submitted` : '/awards';
    case 'nominations_to_review':
      return round ? `/awards/${round}?status=submitted` : '/awards';
    case 'rounds_to_close':
      return round ? `/awards/${round}` : '/awards';
    case 'decisions_to_issue':
      return round ? `/awards/${round}/decisions/new` : '/awards';
    case 'certificates_to_print':
      return task.onlyItemId ? `/decisions/${task.onlyItemId}` : '/awards';
    case 'self_assessments_to_send':
      return task.onlyItemId ? `/criteria-sets/${task.onlyItemId}/self-assessment` : '/criteria-sets';
  }
}

export function taskJson(task: Task) {
  return { kind: task.kind, count: task.count, href: hrefOf(task) };
}

/** The home page's queue: only what waits, each as its count (shown once, in the badge) and what it is. */
export function taskView(tasks: readonly Task[], language: Language) {
  return tasks.filter((task) => task.count > 0).map((task) => ({
    kind: task.kind,
    count: formatNumber(task.count),
    label: translate(language, `tasks.${task.kind}` as `tasks.${TaskKind}`),
    href: hrefOf(task),
  }));
}
