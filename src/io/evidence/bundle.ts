/**
 * Writes the evidence bundle: a directory, and next to it `<dir>.tar.gz` of the same files
 * under `evidence/`. The tar is deterministic (core/evidence/tar.ts); the gzip header is fixed
 * (mtime 0, OS "unknown") so the archive's bytes depend only on the files and the zlib build.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { fail } from "../../core/errors.js";
import { bundleFiles, EVIDENCE_SCHEMA, type EvidenceBundleInput } from "../../core/evidence/bundle.js";
import { sha256Hex } from "../../core/hash.js";
import { writeTar, type TarFile } from "../../core/evidence/tar.js";

/** The directory inside the archive. */
export const ARCHIVE_ROOT = "evidence";

export interface WrittenBundle {
  readonly dir: string;
  readonly archive: string;
  readonly files: number;
  /** `sha256:` of the uncompressed tar: the bundle's identity across zlib builds. */
  readonly tar_sha256: string;
  /** `sha256:` of the .tar.gz as written. */
  readonly archive_sha256: string;
}

/** gzip with fixed settings and a header that carries no time or platform. */
export function deterministicGzip(data: Uint8Array): Buffer {
  const gz = gzipSync(data, { level: 9, memLevel: 9, strategy: 0 });
  gz.writeUInt32LE(0, 4);
  gz[9] = 0xff;
  return gz;
}

/** The tar (uncompressed) of bundle files, rooted at `evidence/`. */
export function bundleTar(files: readonly TarFile[]): Uint8Array {
  return writeTar(files.map((f) => ({ path: `${ARCHIVE_ROOT}/${f.path}`, data: f.data })));
}

/** Refuses to clear a directory that is not empty and not an earlier bundle. */
async function prepareDir(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    await mkdir(dir, { recursive: true });
    return;
  }
  if (entries.length > 0) {
    let isBundle = false;
    try {
      isBundle = (JSON.parse(await readFile(join(dir, "MANIFEST.json"), "utf8")) as { schema?: unknown }).schema === EVIDENCE_SCHEMA;
    } catch {
      isBundle = false;
    }
    if (!isBundle) fail({ file: dir, message: "exists and is not an evidence bundle; refusing to overwrite it", hint: "name a new or empty directory" });
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
}

/** Writes the bundle directory and `<dir>.tar.gz`; returns where and their hashes. */
export async function writeEvidenceBundle(dir: string, input: EvidenceBundleInput): Promise<WrittenBundle> {
  const files = bundleFiles(input);
  await prepareDir(dir);
  for (const f of files) {
    const path = join(dir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.data);
  }
  const tar = bundleTar(files);
  const gz = deterministicGzip(tar);
  const archive = `${dir.replace(/\/+$/, "")}.tar.gz`;
  await writeFile(archive, gz);
  return { dir, archive, files: files.length, tar_sha256: `sha256:${sha256Hex(tar)}`, archive_sha256: `sha256:${sha256Hex(gz)}` };
}
