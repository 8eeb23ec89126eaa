/** Time as the service sees it. Injected everywhere expiry matters, so tests move time instead of faking it globally. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const addSeconds = (date: Date, seconds: number): Date => new Date(date.getTime() + seconds * 1000);

export const toUnixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
