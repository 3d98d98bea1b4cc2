/**
 * Waits for a started server process to print `listening on <url>` (60 s at most): `url` resolves
 * with it, or rejects with the last 20 kB of the process's stderr when it exits first or never
 * listens (`name` says which server); `exited` resolves when the process ends.
 */
export function awaitListening(child, name) {
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-20_000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 60 s\n${stderr}`)), 60_000);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited during start (code ${code})\n${stderr}`));
    });
  });
  return { url, exited };
}
