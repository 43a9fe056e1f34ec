// Starts and stops the real chattwo binary for the integration tests.
//
// The binary is $CHATTWO_BIN, else build/release/bin/chattwo under the repo.
// A server is started with `--listen 127.0.0.1:0`; the harness waits for its
// "chattwo listening on http://..." line and then for /readyz, and stops it by
// its PID (never by name). Every server's stderr is kept: it goes to
// test-artifacts/integration/*.log, and its tail is printed when the test file
// fails. A server left running by a crashed test file is killed on exit.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test-artifacts', 'integration');

// Cheap password hashing: every test server gets these.
export const FAST_HASH_ARGS = ['--argon2-memlimit', '8MiB', '--argon2-opslimit', '1'];

const STARTUP_DEADLINE_MS = 30_000;
const STDERR_KEEP_BYTES = 256 * 1024;

export function binaryPath() {
  return process.env.CHATTWO_BIN || path.join(REPO_ROOT, 'build', 'release', 'bin', 'chattwo');
}

// Every process this file started, so none outlives the test file.
const live = new Set();
// Every server this file started, for the failure dump.
const started = [];
let serial = 0;

process.on('exit', (code) => {
  for (const proc of live) {
    try { proc.kill('SIGKILL'); } catch { /* already gone */ }
  }
  const failed = code !== 0 || (process.exitCode !== undefined && process.exitCode !== 0);
  if (!failed) return;
  for (const s of started) {
    const tail = s.stderrText().slice(-8000);
    if (!tail) continue;
    process.stderr.write(`\n----- ${s.label} (pid ${s.pid}) stderr, last ${tail.length} chars -----\n${tail}\n`);
  }
});

export async function makeTempDir(prefix = 'chattwo-test-') {
  return fsp.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir) {
  await fsp.rm(dir, { recursive: true, force: true });
}

function testFileLabel() {
  const main = process.argv[1] ? path.basename(process.argv[1]).replace(/\.test\.mjs$/, '') : 'test';
  return main;
}

function argsContain(args, flag) {
  return args.some((a) => a === flag || a.startsWith(`${flag}=`));
}

// Spawns the binary with `args` as given and collects its output. Resolves
// when it exits (or rejects after timeoutMs, having killed it).
export async function runCli(args, { env, timeoutMs = 20_000 } = {}) {
  const proc = spawn(binaryPath(), args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
  proc.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code, signal) => resolve({ code, signal }));
  });
  let timer;
  const timedOut = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const result = await Promise.race([exited, timedOut]);
    if (result === null) {
      proc.kill('SIGKILL');
      await exited.catch(() => {});
      throw new Error(`chattwo ${args.join(' ')} did not exit within ${timeoutMs} ms\n` +
        `stdout: ${stdout}\nstderr: ${stderr}`);
    }
    return { ...result, stdout, stderr };
  } finally {
    clearTimeout(timer);
    live.delete(proc);
  }
}

// Starts `chattwo serve`. Options:
//   args      extra flags (after the defaults)
//   dataDir   data directory; a fresh temp dir (removed on stop) when absent
//   env       extra environment variables
//   defaults  false: pass neither --listen nor --data-dir (the caller does, or
//             the environment does); the cheap hashing flags are still passed
//   listen    HOST:PORT for --listen instead of 127.0.0.1:0 (restartServer
//             uses it to come back on the same port)
// Resolves to a server handle once /readyz answers 200.
export async function startServer({ args = [], dataDir, env, defaults = true, label, listen = '127.0.0.1:0' } = {}) {
  let ownDir = false;
  if (defaults && !dataDir) {
    dataDir = await makeTempDir();
    ownDir = true;
  }
  const fullArgs = ['serve'];
  if (defaults) fullArgs.push('--listen', listen, '--data-dir', dataDir);
  fullArgs.push(...FAST_HASH_ARGS, ...args);

  const wantMetrics = argsContain(args, '--metrics-listen');
  const proc = spawn(binaryPath(), fullArgs, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);

  const n = ++serial;
  const server = {
    label: label || `${testFileLabel()}-${n}`,
    pid: proc.pid,
    proc,
    args: fullArgs,
    dataDir,
    url: null,
    metricsUrl: null,
    exitInfo: null,
    stdoutLines: [],
    // Whether the data dir goes when the process is gone; restartServer
    // hands it on to the next server.
    ownsDataDir: ownDir,
    startOptions: { args, env, defaults, label },
  };
  started.push(server);

  // stderr: keep the newest STDERR_KEEP_BYTES, and write it all to a log file.
  const stderrChunks = [];
  let stderrBytes = 0;
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const logPath = path.join(ARTIFACTS_DIR, `${server.label}.log`);
  const logStream = fs.createWriteStream(logPath);
  logStream.write(`# ${binaryPath()} ${fullArgs.join(' ')}\n`);
  server.logPath = logPath;
  proc.stderr.on('data', (chunk) => {
    logStream.write(chunk);
    stderrChunks.push(chunk);
    stderrBytes += chunk.length;
    while (stderrBytes > STDERR_KEEP_BYTES && stderrChunks.length > 1) {
      stderrBytes -= stderrChunks.shift().length;
    }
  });
  server.stderrText = () => Buffer.concat(stderrChunks).toString('utf8');

  let spawnFailure = null;
  const exitPromise = new Promise((resolve) => {
    proc.once('exit', (code, signal) => {
      server.exitInfo = { code, signal };
      live.delete(proc);
      resolve(server.exitInfo);
    });
    proc.once('error', (err) => {
      // Could not be started (or signalled); no 'exit' may follow.
      if (server.pid === undefined && server.exitInfo === null) {
        spawnFailure = err;
        server.exitInfo = { code: null, signal: null };
        live.delete(proc);
        resolve(server.exitInfo);
      }
    });
  });
  // Once the process is gone: flush the log, and remove the data dir if it
  // is ours.
  const closedPromise = new Promise((resolve) => {
    proc.once('close', resolve);
    exitPromise.then(() => { if (spawnFailure) resolve(); });
  })
    .then(() => new Promise((resolve) => logStream.end(resolve)))
    .then(() => (server.ownsDataDir ? removeDir(dataDir) : undefined));

  // stdout: the URL lines.
  let urlResolve;
  let metricsResolve;
  const urlPromise = new Promise((resolve) => { urlResolve = resolve; });
  const metricsPromise = new Promise((resolve) => { metricsResolve = resolve; });
  const rl = readline.createInterface({ input: proc.stdout });
  rl.on('line', (line) => {
    server.stdoutLines.push(line);
    let m = /metrics on (http:\/\/\S+)/.exec(line);
    if (m) { metricsResolve(m[1]); return; }
    m = /listening on (http:\/\/\S+)/.exec(line);
    if (m) urlResolve(m[1]);
  });

  server.exited = () => server.exitInfo !== null;

  server.signal = (sig) => {
    if (server.exitInfo === null) proc.kill(sig);
  };

  // Resolves to {code, signal}; rejects when the process is still running
  // after timeoutMs.
  server.waitExit = async (timeoutMs = 30_000) => {
    let timer;
    const t = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(
        `${server.label} (pid ${proc.pid}) did not exit within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const info = await Promise.race([exitPromise, t]);
      await closedPromise;
      return info;
    } finally {
      clearTimeout(timer);
    }
  };

  // SIGTERM starts the drain (readyz 503 for --drain-grace); a second SIGTERM
  // ends the grace at once. Resolves to {code, signal}. A server that does not
  // exit is killed, and stop() then rejects, so the failure is visible.
  server.stop = async ({ timeoutMs = 30_000 } = {}) => {
    try {
      if (server.exitInfo === null) {
        proc.kill('SIGTERM');
        // With a --drain-grace, /readyz answers 503 until a second SIGTERM.
        // (Two SIGTERMs sent back to back may be merged into one by the
        // kernel, so the second goes only once the first has visibly been
        // handled, and only while the server is in its grace.)
        const state = await waitUntil(async () => {
          if (server.exitInfo !== null) return 'exited';
          const s = await readyState(server.url);
          return s === 'ready' ? null : s;
        }, { timeoutMs: 15_000, intervalMs: 50 }).catch(() => 'unknown');
        if (state === 'draining' && server.exitInfo === null) proc.kill('SIGTERM');
      }
      try {
        return await server.waitExit(timeoutMs);
      } catch (err) {
        proc.kill('SIGKILL');
        await exitPromise;
        throw err;
      }
    } finally {
      await closedPromise;
    }
  };

  // Kill at once (for cleanup after a test that already failed).
  server.kill = async () => {
    if (server.exitInfo === null) proc.kill('SIGKILL');
    await exitPromise;
    await closedPromise;
  };

  const failStartup = async (why) => {
    if (server.exitInfo === null) proc.kill('SIGKILL');
    await exitPromise;
    await closedPromise;
    throw new Error(`${server.label}: ${why}\ncommand: ${binaryPath()} ${fullArgs.join(' ')}\n` +
      `stdout: ${server.stdoutLines.join('\n')}\nstderr (tail):\n${server.stderrText().slice(-8000)}`);
  };

  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  const startupTimeout = (what) => new Promise((resolve) => {
    const ms = Math.max(0, deadline - Date.now());
    setTimeout(() => resolve({ timeout: what }), ms).unref();
  });
  const first = await Promise.race([
    urlPromise.then((url) => ({ url })),
    exitPromise.then((info) => (spawnFailure ? { error: spawnFailure } : { exit: info })),
    startupTimeout('the "listening on" line'),
  ]);
  if (first.error) return failStartup(`could not run the binary: ${first.error.message}`);
  if (first.exit) return failStartup(`exited during startup (code ${first.exit.code}, signal ${first.exit.signal})`);
  if (first.timeout) return failStartup(`no ${first.timeout} within ${STARTUP_DEADLINE_MS} ms`);
  server.url = first.url.replace(/\/+$/, '');

  if (wantMetrics) {
    const m = await Promise.race([
      metricsPromise.then((url) => ({ url })),
      exitPromise.then((info) => ({ exit: info })),
      startupTimeout('the "metrics on" line'),
    ]);
    if (m.exit) return failStartup(`exited during startup (code ${m.exit.code}, signal ${m.exit.signal})`);
    if (m.timeout) return failStartup(`no ${m.timeout} within ${STARTUP_DEADLINE_MS} ms`);
    server.metricsUrl = m.url.replace(/\/+$/, '');
  }

  while (!(await isReady(server.url))) {
    if (server.exitInfo !== null) {
      return failStartup(`exited before /readyz was 200 (code ${server.exitInfo.code}, signal ${server.exitInfo.signal})`);
    }
    if (Date.now() > deadline) return failStartup(`/readyz not 200 within ${STARTUP_DEADLINE_MS} ms`);
    await delay(50);
  }
  return server;
}

// Stops `server` (SIGTERM, as stop() does) and starts the same binary again
// with the same flags on the same port and data dir, as an operator's
// restart would: clients that were connected see the port refuse
// connections for a while, then the same URL answer again. Resolves to the
// new server's handle (the old one is spent). A data dir the old server
// owned is now the new one's, removed when it stops. (An owned data dir goes
// as soon as the process ends: to restart a server that was killed, or that
// exited by itself, start it with a dataDir of your own.) `whileDown` (async),
// when given, runs after the old process has exited and before the new one
// starts: what clients do while the server is away.
export async function restartServer(server, { label, whileDown } = {}) {
  if (!server.url) throw new Error(`${server.label} never listened; nothing to restart`);
  if (!server.startOptions.defaults) throw new Error('restartServer needs a server started with defaults');
  if (server.exitInfo !== null && server.ownsDataDir) {
    throw new Error(`${server.label} has exited and its data dir went with it; give startServer a dataDir to restart it`);
  }
  const { hostname, port } = new URL(server.url);
  const keepDir = server.ownsDataDir;
  server.ownsDataDir = false;
  let next;
  try {
    await server.stop();
    if (whileDown) await whileDown();
    next = await startServer({
      ...server.startOptions,
      dataDir: server.dataDir,
      listen: `${hostname}:${port}`,
      label: label || `${server.label}-restarted`,
    });
  } catch (err) {
    if (keepDir) await removeDir(server.dataDir);
    throw err;
  }
  next.ownsDataDir = keepDir;
  return next;
}

export function delay(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// 'ready' (200), 'draining' (503), 'closed' (connection refused), or null.
async function readyState(url) {
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    if (res.status === 200) return 'ready';
    if (res.status === 503) return 'draining';
    return null;
  } catch (err) {
    const code = err.cause && err.cause.code;
    if (code === 'ECONNREFUSED') return 'closed';
    return null;
  }
}

async function isReady(url) {
  if (!url) return false;
  try {
    const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

// Polls `cond` (sync or async) until it returns a truthy value, which is
// returned. Rejects with `message` after timeoutMs.
export async function waitUntil(cond, { timeoutMs = 15_000, intervalMs = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}` +
        (lastErr ? ` (last error: ${lastErr.message})` : ''));
    }
    await delay(intervalMs);
  }
}

export { once };
