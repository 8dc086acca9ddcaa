/** What the command line reads and writes, so the commands can be run in-process by tests as well. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** All of standard input as text. */
  readStdin: () => Promise<string>;
  /** Asks for a secret at a terminal without echo; null when standard input is not a terminal. */
  promptSecret: ((question: string) => Promise<string>) | null;
}

/** The person pressed Ctrl-C (or Ctrl-D on an empty line) at a prompt: not an error, a cancel. */
export class PromptCancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'PromptCancelled';
  }
}

/** The exit status of a command cancelled with Ctrl-C, as shells report SIGINT (128 + 2). */
export const CANCELLED_EXIT_STATUS = 130;

/** Standard input beyond this is not a link, a password or a list of links a person has. */
export const MAX_STDIN_BYTES = 16 * 1024 * 1024;

export function processIo(): CliIo {
  return {
    env: process.env,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    readStdin: readAllStdin,
    promptSecret: process.stdin.isTTY ? promptWithoutEcho : null,
  };
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin) {
    total += (chunk as Buffer).length;
    if (total > MAX_STDIN_BYTES) throw new Error('standard input is too long');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface PromptLine {
  typed: string;
  /** 'enter' when the line is finished, 'cancel' when the person gave up, null while typing. */
  ended: 'enter' | 'cancel' | null;
}

const CTRL_C = '\u0003';
const CTRL_D = '\u0004';
const BACKSPACE = '\b';
const DELETE = '\u007f';
const CTRL_U = '\u0015';
/** The ESC [ ... sequences arrow and function keys send: they are not part of a password. */
// eslint-disable-next-line no-control-regex -- matching ESC is the point: terminals send it for these keys.
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/gu;

/**
 * Applies what a raw-mode terminal sent to the line typed so far. Terminals send DEL (0x7f) or
 * ^H (0x08) for backspace, depending on their settings, so both erase one character (a whole
 * code point, not half of one). Enter ends the line; Ctrl-C, or Ctrl-D on an empty line, cancels.
 */
export function applyTerminalInput(line: PromptLine, chunk: string): PromptLine {
  let typed = line.typed;
  for (const char of chunk.replace(ESCAPE_SEQUENCE, '')) {
    if (char === '\r' || char === '\n') return { typed, ended: 'enter' };
    if (char === CTRL_C || (char === CTRL_D && typed === '')) return { typed: '', ended: 'cancel' };
    if (char === BACKSPACE || char === DELETE) typed = Array.from(typed).slice(0, -1).join('');
    else if (char === CTRL_U) typed = '';
    else if (char >= ' ') typed += char;
  }
  return { typed, ended: null };
}

function promptWithoutEcho(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // Raw mode before the question shows: a key pressed once it is on screen is read here, and
    // Ctrl-C arrives as a character rather than as a signal that would end the process mid-way.
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    process.stderr.write(question);
    let line: PromptLine = { typed: '', ended: null };
    const finish = () => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      process.stderr.write('\n');
    };
    const onData = (chunk: string) => {
      line = applyTerminalInput(line, chunk);
      if (line.ended === null) return;
      finish();
      if (line.ended === 'enter') resolve(line.typed);
      else reject(new PromptCancelled());
    };
    const onEnd = () => {
      finish();
      reject(new PromptCancelled());
    };
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
}
