/** Waits in real time: for polling what the server does after it answers, never to stand in for its clock (test-clock.ts). */
export const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));
