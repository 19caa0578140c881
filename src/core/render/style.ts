// Text styling passed in by the shell: the core never decides whether colours are on.

export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  cyan(s: string): string;
}

const same = (s: string) => s;
export const plainStyle: Style = { bold: same, dim: same, red: same, yellow: same, green: same, cyan: same };
