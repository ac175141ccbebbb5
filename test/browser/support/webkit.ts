import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Capabilities, WebDriver } from 'selenium-webdriver';
import { Executor, HttpClient } from 'selenium-webdriver/http';
import { DriverService } from 'selenium-webdriver/remote';
import { freePort } from '../../support/free-port';
import {
  type BrowserSession,
  COMMAND_TIMEOUT_MS,
  LAUNCH_TIMEOUT_MS,
  pageExpression,
} from './browser-session';

/**
 * WebKit, as Debian ships it: WebKitGTK's MiniBrowser in automation mode, behind WebKitGTK's own
 * WebDriver server (package `webkit2gtk-driver`), driven by selenium-webdriver (WebDriver classic:
 * it speaks no BiDi). WebKitGTK has no headless mode, so each session gets its own virtual X
 * display (Xvfb). Playwright's WebKit would need Playwright's own WebKit build, not a Debian package.
 */
const WEBKIT_DRIVER_PATH = '/usr/bin/WebKitWebDriver';
const MINIBROWSER_PATH = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB_PATH = '/usr/bin/Xvfb';

interface VirtualDisplay {
  /** e.g. `:99` */
  readonly display: string;
  stop(): Promise<void>;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Xvfb picks a free display itself and writes its number to the file descriptor we give it. */
function startVirtualDisplay(): Promise<VirtualDisplay> {
  const xvfb = spawn(XVFB_PATH, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    let announced = '';
    const timer = setTimeout(
      () => fail(new Error(`Xvfb gave no display within ${LAUNCH_TIMEOUT_MS} ms`)),
      LAUNCH_TIMEOUT_MS,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      void stopProcess(xvfb);
      reject(error);
    };
    xvfb.once('error', fail);
    xvfb.once('exit', (code) =>
      fail(new Error(`Xvfb exited (${code}) before it gave a display: ${stderr.trim()}`)),
    );
    xvfb.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    xvfb.stdio[3]?.on('data', (chunk: Buffer) => {
      announced += chunk.toString('utf8');
      if (!announced.includes('\n')) return;
      clearTimeout(timer);
      xvfb.removeAllListeners('exit');
      resolve({ display: `:${announced.trim()}`, stop: () => stopProcess(xvfb) });
    });
  });
}

/**
 * MiniBrowser in a fresh home folder (its storage lives under XDG folders there), on its own
 * display: no state is shared with any other session.
 */
export async function openWebKit(): Promise<BrowserSession> {
  const home = await mkdtemp(join(tmpdir(), 'clickstream-webkit-'));
  const cleanups: (() => Promise<unknown>)[] = [() => rm(home, { recursive: true, force: true })];
  const cleanUp = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const screen = await startVirtualDisplay();
    cleanups.push(() => screen.stop());
    const port = await freePort();
    const service = new DriverService(WEBKIT_DRIVER_PATH, {
      port,
      hostname: '127.0.0.1',
      args: [`--port=${port}`, '--host=127.0.0.1'],
      env: {
        ...process.env,
        DISPLAY: screen.display,
        HOME: home,
        XDG_DATA_HOME: join(home, 'data'),
        XDG_CACHE_HOME: join(home, 'cache'),
        XDG_CONFIG_HOME: join(home, 'config'),
        // Mesa writes its shader cache while the browser's processes exit, which can be after the
        // folder is removed; there is nothing to reuse between fresh sessions anyway.
        MESA_SHADER_CACHE_DISABLE: 'true',
      },
    });
    const url = await service.start(LAUNCH_TIMEOUT_MS);
    cleanups.push(() => service.kill());
    const capabilities = new Capabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER_PATH, args: ['--automation'] },
    });
    const driver = WebDriver.createSession(new Executor(new HttpClient(url)), capabilities);
    cleanups.push(() => driver.quit());
    await driver.manage().setTimeouts({ script: COMMAND_TIMEOUT_MS, pageLoad: COMMAND_TIMEOUT_MS });
    return {
      browser: 'webkit',
      goto: (pageUrl) => driver.get(pageUrl),
      evaluate: (pageFunction, arg) => driver.executeScript(`return ${pageExpression(pageFunction, arg)};`),
      // WebDriver classic captures the viewport, as base64 PNG.
      screenshot: async () => Buffer.from(await driver.takeScreenshot(), 'base64'),
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
