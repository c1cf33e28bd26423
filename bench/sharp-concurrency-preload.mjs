// Sweep helper, preloaded into the server with `node --import`: applies SHARP_CONCURRENCY (libvips threads per image),
// which the service itself has no setting for. sharp is one instance per process, so this reaches the server's decode stage.
import sharp from 'sharp';

const threads = Number(process.env.SHARP_CONCURRENCY);
if (Number.isInteger(threads) && threads > 0) sharp.concurrency(threads);
