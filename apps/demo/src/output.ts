import { formatDuration } from './timing.js';

/** Shows that an operation is still running; created by {@link Output.progress}. */
export interface Progress {
  /** Reports that the operation is still running after `elapsedMs`. Call it as often as you poll. */
  update(elapsedMs: number): void;
  /** Ends the progress display (clears the spinner line on a terminal). */
  done(): void;
}

/**
 * Where the demo writes: scenarios receive one and never touch `process.stdout` themselves, so the tests can
 * capture exactly what a person sees.
 */
export interface Output {
  /** A numbered scenario heading, with a one-line explanation under it. */
  heading(title: string, explanation?: string): void;
  /** One line of text (indented under the current heading). */
  line(text?: string): void;
  /** A line that reports a result worth seeing at a glance (✓ …). */
  success(text: string): void;
  /** A line that reports a failure (✖ …). */
  failure(text: string): void;
  /** Live progress of a running operation: a spinner with elapsed time on a terminal, plain lines otherwise. */
  progress(label: string): Progress;
}

/** How an {@link Output} writes. */
export interface OutputOptions {
  /** Receives text exactly as it is to be written (lines end with `\n`). */
  readonly write: (text: string) => void;
  /**
   * True for a terminal: headings in colour and a spinner redrawn in place. False for pipes and files (tests, CI
   * logs): no escape sequences, and progress as one plain line every {@link PLAIN_PROGRESS_INTERVAL_MS}.
   */
  readonly interactive: boolean;
}

/** How often a non-interactive {@link Progress} prints a line. */
export const PLAIN_PROGRESS_INTERVAL_MS = 500;

const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const INDENT = '  ';
const BOLD_CYAN = '\x1b[1;36m';
const GREEN = '\x1b[32m';
const RED = '\x1b[31m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
const CLEAR_LINE = '\r\x1b[K';

/** Creates an {@link Output} over a writer, for a terminal or for plain text. */
export function createOutput(options: OutputOptions): Output {
  const { write, interactive } = options;
  const paint = (style: string, text: string): string => (interactive ? `${style}${text}${RESET}` : text);
  return {
    heading(title, explanation) {
      write(`\n${paint(BOLD_CYAN, `▶ ${title}`)}\n`);
      if (explanation) write(`${INDENT}${paint(DIM, explanation)}\n`);
    },
    line(text = '') {
      write(text === '' ? '\n' : `${INDENT}${text}\n`);
    },
    success(text) {
      write(`${INDENT}${paint(GREEN, '✓')} ${text}\n`);
    },
    failure(text) {
      write(`${INDENT}${paint(RED, '✖')} ${text}\n`);
    },
    progress(label) {
      return interactive ? spinner(write, label) : plainProgress(write, label);
    },
  };
}

function spinner(write: (text: string) => void, label: string): Progress {
  let frame = 0;
  return {
    update(elapsedMs) {
      const glyph = SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length] ?? '*';
      write(`${CLEAR_LINE}${INDENT}${glyph} ${label} ${DIM}${formatDuration(elapsedMs)}${RESET}`);
    },
    done() {
      write(CLEAR_LINE);
    },
  };
}

function plainProgress(write: (text: string) => void, label: string): Progress {
  let nextAt = 0;
  return {
    update(elapsedMs) {
      if (elapsedMs < nextAt) return;
      // Aligned to the interval, so the lines read 0 ms, 500 ms, 1.00 s… whatever the polling rhythm.
      nextAt = (Math.floor(elapsedMs / PLAIN_PROGRESS_INTERVAL_MS) + 1) * PLAIN_PROGRESS_INTERVAL_MS;
      write(`${INDENT}… ${label} ${formatDuration(elapsedMs)}\n`);
    },
    done() {},
  };
}

/** An {@link Output} that keeps plain text in memory, for tests. */
export interface CapturedOutput extends Output {
  /** Everything written so far. */
  text(): string;
}

/** Creates a non-interactive {@link Output} that records what it would have printed. */
export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const output = createOutput({ write: (text) => chunks.push(text), interactive: false });
  return { ...output, text: () => chunks.join('') };
}
