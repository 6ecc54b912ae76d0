/** Milliseconds since the epoch. Injected so tests step time (lockouts, TOTP windows) without sleeping. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
