/**
 * Runs an async task one at a time, coalescing the calls made while it runs, so that the last run
 * to finish is also the last to start. Written for connection rebuilds: each reads the key, the
 * settings and the sandbox, then awaits VS Code, and when two overlapped the one that finished
 * last won even if it had read the older state. Pure (no `vscode`), so it is unit-tested in Node.
 */

const ignore = () => {};

/**
 * Wraps `task`. A call while no run is in flight starts one at once. A call during a run gets a
 * follow-up run that starts when the current one has ended; every call made before that follow-up
 * starts shares it. So each call's promise settles with a run that started after the call.
 * @returns the function to call instead of `task`; its promise settles (resolves or rejects) as
 * the run it waits for did
 */
export function oneAtATime(task: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const start = (): Promise<void> => {
    // The executor runs task at once, and turns a synchronous throw into a rejection.
    const run: Promise<void> = new Promise<void>((resolve) => resolve(task())).finally(() => {
      if (current === run) current = undefined;
    });
    current = run;
    return run;
  };
  return () => {
    if (next) return next;
    if (!current) return start();
    // The follow-up runs whether the current run succeeded or failed.
    next = current.then(ignore, ignore).then(() => {
      next = undefined;
      return start();
    });
    return next;
  };
}
