/** Paths as the CLI prints them. */
import * as path from 'path';

/** `file` relative to `folder`, `/`-separated, when it lies below it; else undefined. */
export function pathBelow(folder: string, file: string): string | undefined {
  const relative = path.relative(path.resolve(folder), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : undefined;
}

/** `file` relative to `folder`, `/`-separated, whether below it or not (`../tenancy.yaml`). */
export function posixRelative(folder: string, file: string): string {
  return path.relative(path.resolve(folder), path.resolve(file)).split(path.sep).join('/');
}
