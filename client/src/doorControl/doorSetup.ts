import type { ScanDirection } from '@makeplus/shared';

/** The door's room and direction, remembered on this device for each event. */
export interface DoorChoice {
  /** null: the venue entrance (event-level check). */
  roomId: string | null;
  direction: ScanDirection;
  sound: boolean;
}

const key = (eventId: string) => `makeplus.door.${eventId}`;

export function readDoorChoice(eventId: string): DoorChoice {
  try {
    const raw = localStorage.getItem(key(eventId));
    if (raw) {
      const v = JSON.parse(raw) as Partial<DoorChoice>;
      return {
        roomId: typeof v.roomId === 'string' ? v.roomId : null,
        direction: v.direction === 'out' ? 'out' : 'in',
        sound: v.sound !== false,
      };
    }
  } catch {}
  return { roomId: null, direction: 'in', sound: true };
}

export function saveDoorChoice(eventId: string, choice: DoorChoice): void {
  try {
    localStorage.setItem(key(eventId), JSON.stringify(choice));
  } catch {}
}
