// ANSI styling, applied only when colour is allowed (TTY and NO_COLOR unset).
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const wrap = (on: boolean, code: string) => (s: string) => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function style(color: boolean): Style {
  return {
    bold: wrap(color, '1'),
    dim: wrap(color, '2'),
    red: wrap(color, '31'),
    green: wrap(color, '32'),
    yellow: wrap(color, '33'),
    cyan: wrap(color, '36'),
  };
}
