import { spawn } from 'node:child_process';

/** Every child still running, so a bench that fails or is interrupted leaves no process behind. */
const running = new Set();

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    for (const child of running) child.kill('SIGKILL');
    process.exit(130);
  });
}

const OUTPUT_KEPT = 8_000;

/**
 * Starts `node ...args` with an IPC channel. The child reports `{ listening: port }` (a server) or
 * `{ ready: true }` when it can take work; `request()` sends a message and waits for the reply that
 * carries `key`. Its output is kept (the tail) to explain a failure, not printed.
 */
export function startNode({ args, env, cwd, readyTimeoutMillis = 30_000 }) {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  running.add(child);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      exit = { code, signal };
      resolve(exit);
    });
  });

  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      done();
      reject(new Error(`child not ready after ${readyTimeoutMillis} ms: node ${args.join(' ')}\n${output}`));
    }, readyTimeoutMillis);
    const onMessage = (message) => {
      if (message?.listening === undefined && message?.ready === undefined) return;
      done();
      resolve(message);
    };
    const onExit = (code, signal) => {
      done();
      reject(
        new Error(`child exited (${code ?? signal}) before it was ready: node ${args.join(' ')}\n${output}`),
      );
    };
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });

  return {
    pid: child.pid,
    ready,
    output: () => output,
    /** Sends `message` and resolves with the first reply that has `key`. */
    request(message, key, timeoutMillis = 600_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          done();
          reject(new Error(`no "${key}" reply from the child within ${timeoutMillis} ms\n${output}`));
        }, timeoutMillis);
        const onMessage = (reply) => {
          if (reply?.[key] === undefined) return;
          done();
          resolve(reply[key]);
        };
        const onExit = (code, signal) => {
          done();
          reject(new Error(`child exited (${code ?? signal}) while waiting for "${key}"\n${output}`));
        };
        const done = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send(message);
      });
    },
    /**
     * SIGTERM, then SIGKILL if the child is still there after `graceMillis`.
     * Resolves with whether SIGTERM alone ended it.
     */
    async stop(graceMillis = 3_000) {
      if (exit !== undefined) return { exitedOnSigterm: true, ...exit };
      child.kill('SIGTERM');
      let timer;
      const timedOut = new Promise((resolve) => {
        timer = setTimeout(() => resolve(undefined), graceMillis);
      });
      const result = await Promise.race([exited, timedOut]);
      clearTimeout(timer);
      if (result !== undefined) return { exitedOnSigterm: true, ...result };
      child.kill('SIGKILL');
      return { exitedOnSigterm: false, ...(await exited) };
    },
  };
}
