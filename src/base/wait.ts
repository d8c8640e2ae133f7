// Polling helpers with deadlines. Processes that are not our children cannot be waited
// for with waitpid, so their end is observed through /proc.

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `done` until it returns true or the deadline (epoch ms) passes; true if it did. */
export async function pollUntil(done: () => boolean | Promise<boolean>, deadline: number, intervalMs = 2): Promise<boolean> {
  for (;;) {
    if (await done()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
