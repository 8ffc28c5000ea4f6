// What rarely changes, kept in this process for a short while so a page does not ask for it on every
// request: the unit trees, the unit pickers' lists, the fields and blocks (issue 23: a page made nine
// queries where its list needs two). Entries belong to an owner (the database, or a scope's frozen list
// of unit ids) and expire after their TTL. A unit written here forgets everything at once
// (forgetRemembered); a change made by another process (a second app instance, psql) is seen after
// the TTL at the latest.
interface Entry {
  value: Promise<unknown>;
  expires: number;
}

let remembered = new WeakMap<object, Map<string, Entry>>();

/** The value under `key` for `owner`, loaded once per `ttlMs` (simultaneous callers share one load; a failed load is not kept). */
export function remember<T>(owner: object, key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
  let entries = remembered.get(owner);
  if (!entries) {
    entries = new Map();
    remembered.set(owner, entries);
  }
  const hit = entries.get(key);
  if (hit && hit.expires > Date.now()) return hit.value as Promise<T>;
  const value = load();
  const cache = entries;
  cache.set(key, { value, expires: Date.now() + ttlMs });
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}

/** Forgets everything remembered: call after a unit write has committed. A load still running belongs to the dropped memory. */
export function forgetRemembered(): void {
  remembered = new WeakMap();
}
