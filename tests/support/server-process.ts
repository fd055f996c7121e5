import { spawn, type ChildProcess } from 'node:child_process';
import { PROJECT_ROOT } from './test-server.ts';

/** A Crucible server started as `npm start` starts it (without the build), in its own process. */
export interface ServerProcess {
  url: string;
  /** The first-admin link it printed (null once an admin exists). */
  adminLink: string | null;
  child: ChildProcess;
  /** Everything it has printed so far (stdout and stderr). */
  output(): string;
}

/**
 * Starts `server/main.ts` under tsx (or, with `entry`, another server script, such as the bundled
 * dist/server/main.js) with this environment and resolves once it says where it listens.
 */
export function startServerProcess(
  env: NodeJS.ProcessEnv,
  entry = ['--import', 'tsx', 'server/main.ts'],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, entry, {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /running at (http:\/\/\S+?)\/?\n/.exec(out);
      if (m)
        resolve({
          url: m[1]!,
          adminLink: /\n\s+(http:\/\/\S+\/join\/\S+)\n/.exec(out)?.[1] ?? null,
          child,
          output: () => out,
        });
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
  });
}
