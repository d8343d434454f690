/** The name a pool worker is started with: the one worker script reads it to take the pool's role. */
export const POOL_WORKER_NAME = "drawscope-pool";
