export interface FirstLoadFile {
  file: string;
  bytes: number;
  gzipBytes: number;
}
export function consoleFirstLoad(distDir: string): {
  files: FirstLoadFile[];
  bytes: number;
  gzipBytes: number;
};
