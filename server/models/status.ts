// The life of a model: registered -> implementing -> completed -> recognized | not_recognized,
// and discontinued from any open state. This table is the only place moves are allowed.
export const MODEL_STATUSES = ['registered', 'implementing', 'completed', 'recognized', 'not_recognized', 'discontinued'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export const MODEL_KINDS = ['model', 'exemplar'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const TRANSITIONS: Record<ModelStatus, readonly ModelStatus[]> = {
  registered: ['implementing', 'discontinued'],
  // A model in progress may report progress without changing its status.
  implementing: ['implementing', 'completed', 'discontinued'],
  completed: ['recognized', 'not_recognized', 'discontinued'],
  recognized: [],
  not_recognized: [],
  discontinued: [],
};

/** Recognition is the committee's decision, not the registering unit's. */
export const COMMITTEE_ONLY: readonly ModelStatus[] = ['recognized', 'not_recognized'];

export function canMove(from: ModelStatus, to: ModelStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Every status the table allows after `from`; who may take each move is models/policy.ts's. */
export function reachableFrom(from: ModelStatus): readonly ModelStatus[] {
  return TRANSITIONS[from];
}

/** "đã và đang triển khai": in progress or further along (not discontinued). */
export const IMPLEMENTING_OR_FURTHER: readonly ModelStatus[] = ['implementing', 'completed', 'recognized', 'not_recognized'];
