import type { ByteSource } from "./byte-source.ts";

/** The parts of Emscripten's file system (h5wasm's `FS`) that a mounted file system uses; h5wasm's typings leave them out. */
interface EmscriptenFS {
  mkdir(path: string): unknown;
  rmdir(path: string): void;
  mount(type: unknown, options: unknown, mountpoint: string): unknown;
  unmount(mountpoint: string): void;
  createNode(parent: FsNode | null, name: string, mode: number, rdev: number): FsNode;
  ErrnoError: new (errno: number) => Error;
}

interface FsNode {
  id: number;
  mode: number;
  node_ops: object;
  stream_ops: object;
  contents: Record<string, FsNode>;
}

interface FsStream {
  node: FsNode;
  position: number;
}

const DIR_MODE = 0o40555;
const FILE_MODE = 0o100444;
// Emscripten's errno values (musl's): what HDF5 sees for a failed read or a name that is not there.
const EIO = 29;
const ENOENT = 44;
const EINVAL = 28;
const EROFS = 69;

/** A file that HDF5 reads through a ByteSource, mounted in h5wasm's file system. */
export interface MountedSource {
  /** The file's path in h5wasm's file system. */
  readonly path: string;
  /** What last went wrong reading the source, once (HDF5 only sees a failed read), to report instead of HDF5's words. */
  takeFailure(): unknown;
  /** Take the file out of h5wasm's file system (once HDF5 has closed it). */
  unmount(): void;
}

let mounts = 0;

/**
 * Mount `source` read-only as `name` in a folder of its own in h5wasm's file system, so that
 * HDF5 reads only the bytes it asks for, when it asks. A read that fails becomes HDF5's I/O error
 * (never an exception thrown through HDF5's C stack), and the reason is kept for `failure()`.
 */
export function mountByteSource(FS: unknown, source: ByteSource, name = "trace.nc"): MountedSource {
  const fs = FS as EmscriptenFS;
  let failure: unknown;
  const stat = (node: FsNode, size: number) => {
    const now = new Date(0);
    return { dev: 1, ino: node.id, mode: node.mode, nlink: 1, uid: 0, gid: 0, rdev: 0, size, atime: now, mtime: now, ctime: now, blksize: 4096, blocks: Math.ceil(size / 4096) };
  };
  const readOnly = () => {
    throw new fs.ErrnoError(EROFS);
  };
  const nodeOps = {
    getattr: (node: FsNode) => stat(node, node.mode === FILE_MODE ? source.size : 4096),
    setattr: () => undefined,
    lookup: () => {
      throw new fs.ErrnoError(ENOENT);
    },
    readdir: (node: FsNode) => [".", "..", ...Object.keys(node.contents)],
    mknod: readOnly,
    rename: readOnly,
    unlink: readOnly,
    rmdir: readOnly,
    symlink: readOnly,
  };
  const streamOps = {
    read(_stream: FsStream, buffer: Uint8Array, offset: number, length: number, position: number): number {
      const count = Math.max(0, Math.min(length, source.size - position));
      try {
        source.read(position, buffer.subarray(offset, offset + count));
      } catch (error) {
        failure = error;
        throw new fs.ErrnoError(EIO);
      }
      return count;
    },
    write: readOnly,
    llseek(stream: FsStream, offset: number, whence: number): number {
      const position = offset + (whence === 1 ? stream.position : whence === 2 ? source.size : 0);
      if (position < 0) throw new fs.ErrnoError(EINVAL);
      return position;
    },
  };
  const type = {
    mount() {
      const root = fs.createNode(null, "/", DIR_MODE, 0);
      Object.assign(root, { node_ops: nodeOps, stream_ops: streamOps, contents: {} });
      const file = fs.createNode(root, name, FILE_MODE, 0);
      Object.assign(file, { node_ops: nodeOps, stream_ops: streamOps, contents: {} });
      root.contents[name] = file;
      return root;
    },
  };
  const folder = `/drawscope-source-${++mounts}`;
  fs.mkdir(folder);
  fs.mount(type, {}, folder);
  return {
    path: `${folder}/${name}`,
    takeFailure() {
      const taken = failure;
      failure = undefined;
      return taken;
    },
    unmount() {
      fs.unmount(folder);
      fs.rmdir(folder);
    },
  };
}
