// A committee as the API and the pages show it.
import type { CommitteeSeat } from './repository.ts';

export function committeeJson(bodyId: number, seats: readonly CommitteeSeat[]) {
  return {
    unitId: bodyId,
    members: seats.map((seat) => seat.id),
    accounts: seats.map((seat) => ({ id: seat.id, username: seat.username, fullName: seat.full_name, unitId: seat.unit_id, unitName: seat.unit_name, active: seat.role === 'member' && seat.disabled_at === null })),
  };
}
